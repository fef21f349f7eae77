/// Terms of the trade that en_US/en_GB hunspell dictionaries lack ("repo", "onboarding",
/// "Kubernetes"), accepted by the spelling check as if they were in the personal dictionary.
/// Only words one of the two dictionaries lacks are listed (checked with `hunspell -l` when
/// adding); a word missing here is one `fuq check --learn WORD` away.
enum TechWords {
    static let all: Set<String> = [
        "ai", "ansible", "api", "apis", "async", "autoscaling", "avro", "backend", "backends", "bigquery", "bitbucket",
        "bugfix", "bugfixes", "cassandra", "cd", "cdn", "changelog", "changelogs", "chatbot", "chatbots", "ci",
        "cleantech", "cli", "clickhouse", "clojure", "codebase", "codebases", "codegen", "config", "configs", "cron",
        "cronjob", "csv", "cybersecurity", "databricks", "datadog", "dbt", "debuggability", "dev", "devops", "devs",
        "dns", "dogfood", "dogfooding", "dynamodb", "ebpf", "ecommerce", "edtech", "elasticsearch", "elt", "erlang",
        "etl", "failover", "figma", "fintech", "flink", "frontend", "frontends", "fullstack", "geo", "geospatial",
        "github", "gitlab", "gitops", "golang", "grafana", "graphql", "grpc", "hackathon", "hackathons", "hadoop",
        "haskell", "healthtech", "hotfix", "hotfixes", "http", "https", "hyperv", "iaas", "iac", "insurtech", "ios",
        "istio", "javascript", "jenkins", "jira", "js", "json", "jupyter", "k8s", "kafka", "kanban", "kotlin",
        "kubernetes", "kvm", "lakehouse", "ldap", "linters", "linux", "llm", "llms", "medtech", "mentee", "mentees",
        "microservice", "microservices", "middleware", "mlops", "mongodb", "monorepo", "monorepos", "multicloud",
        "mysql", "namespace", "namespaces", "nats", "nginx", "nodejs", "nonprofit", "nonprofits", "numpy", "oauth",
        "offboard", "offboarding", "offsite", "onboarding", "onsite", "openstack", "opentelemetry", "paas", "pentest",
        "pentesting", "plugin", "plugins", "postgres", "postgresql", "prometheus", "proptech", "protobuf", "pytorch",
        "qa", "qemu", "rabbitmq", "redis", "repo", "repos", "reskilling", "retros", "reusability", "roadmap",
        "roadmaps", "rollout", "rollouts", "runbook", "runbooks", "runtimes", "saas", "saml", "scala", "sdk", "sdks",
        "serverless", "sklearn", "sqlite", "sre", "sres", "ssl", "sso", "standup", "standups", "subteam", "subteams",
        "swiftui", "tensorflow", "tls", "toolchain", "toolchains", "trino", "ui", "unmerged", "upskilling", "uptime",
        "ux", "vmware", "vue", "wasm", "webassembly", "webhook", "webhooks", "yaml",
    ]
}
