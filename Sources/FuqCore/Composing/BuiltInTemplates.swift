// Generated from Config/templates/*.mustache — a test keeps the two identical.
// These are the templates used when `templates.dir` is not set.
enum BuiltInTemplates {
    static let all: [String: String] = [
        "follow-up": #"""
Subject: Following up – {{sender.name}} – {{position}} interview

Dear {{interviewer.salutation}},

{{phrases.body}}

{{phrases.sign_off}}
{{sender.name}}
{{sender.phone}}
{{#sender.links}}
{{.}}
{{/sender.links}}

"""#,
        "thank-you": #"""
Subject: Thank you – {{sender.name}} – {{position}} interview

Dear {{interviewer.salutation}},

{{phrases.opening}} {{phrases.reaction}}{{#phrases.pitch}} {{phrases.pitch}}{{/phrases.pitch}}

{{#phrases.clarify}}
{{phrases.clarify}}

{{/phrases.clarify}}
{{#interviewer.note}}
{{interviewer.note}}

{{/interviewer.note}}
{{phrases.close}}

{{phrases.sign_off}}
{{sender.name}}
{{sender.phone}}
{{#sender.links}}
{{.}}
{{/sender.links}}

"""#,
    ]
}
