import Foundation

/// fuq's configuration, read from YAML.
///
/// Looked up at `--config PATH`, else `$FUQ_CONFIG`, else `$XDG_CONFIG_HOME/fuq/config.yaml`
/// (default `~/.config/fuq/config.yaml`). A missing file at the default location is not an
/// error: built-in defaults apply and commands that need the sender or SMTP say what to add.
///
/// Keys (all optional in the file; the commands that need one say so):
/// - `sender.name` (text): the candidate's full name, used in From, the subject and the signature.
/// - `sender.email` (address): the From address.
/// - `sender.phone` (text): phone number for the signature.
/// - `sender.links` (list of text, default `[]`): LinkedIn / portfolio links for the signature.
/// - `sender.reply_to` (address, optional): a Reply-To header.
/// - `sender.bcc_self` (bool, default `false`): also deliver a copy to `sender.email`.
/// - `sender.language` (text, default `en_US`): the spelling dictionary (`fuq check`).
/// - `sender.aliases` (list of addresses, default `[]`): your other addresses; `fuq new` leaves
///   them out of the people an invitation names.
/// - `queue.path` (path, default `$XDG_DATA_HOME/fuq/queue.sqlite`, i.e. `~/.local/share/fuq/queue.sqlite`).
/// - `smtp.*`: see `SMTPSettings`.
/// - `imap.*` (optional section): see `IMAPConfig`; without it fuq never reads the mailbox.
/// - `policy.*`: see `SendWindowPolicy`.
/// - `templates.dir` (path, default: the templates built into fuq).
/// - `follow_up.*`: see `FollowUpSettings`.
/// - `notify.*`: see `NotifySettings`.
public struct FuqConfig: Sendable, Equatable {
    public var sender: Sender
    public var queuePath: String
    public var smtp: SMTPSettings
    public var policy: SendWindowPolicy
    public var templatesDir: String?
    /// The mailbox (reply detection, a copy in Sent); nil when the file has no `imap:` section.
    public var imap: IMAPConfig?
    /// The spelling dictionary (`sender.language`, hunspell's name: en_US, en_GB).
    public var language: String = "en_US"
    /// The file this came from; nil when built-in defaults apply.
    public var source: String?
    public var followUp = FollowUpSettings()
    /// `notify:`: how fuq tells you when it needs you.
    public var notify = NotifySettings()

    public init(sender: Sender = Sender(), queuePath: String = FuqConfig.defaultQueuePath(),
                smtp: SMTPSettings = SMTPSettings(), policy: SendWindowPolicy = .standard,
                templatesDir: String? = nil, source: String? = nil) {
        self.sender = sender
        self.queuePath = queuePath
        self.smtp = smtp
        self.policy = policy
        self.templatesDir = templatesDir
        self.source = source
    }
}

/// The later note to the lead interviewer (or the recruiter) when nothing is heard back.
///
/// Keys under `follow_up:`:
/// - `enabled` (bool, default `true`): plan a follow-up with every interview (an interview file's
///   `follow_up:` overrides it).
/// - `nudges` (1 or 2, default `1`): 2 allows one more short note ≥ 3 business days after the
///   first follow-up (an interview file's `nudges:` overrides it).
/// - `send_unless_cancelled` (bool, default `false`): without `imap` to check for a reply, a due
///   follow-up is held for your go-ahead (`fuq confirm ID`); `true` sends it unless you cancel
///   it or say `fuq replied` first.
public struct FollowUpSettings: Sendable, Equatable {
    public var enabled = true
    public var nudges = 1
    public var sendUnlessCancelled = false

    public init(enabled: Bool = true, nudges: Int = 1, sendUnlessCancelled: Bool = false) {
        self.enabled = enabled
        self.nudges = nudges
        self.sendUnlessCancelled = sendUnlessCancelled
    }
}

/// The candidate who sends the notes.
public struct Sender: Sendable, Equatable, Codable {
    public var name: String?
    public var email: String?
    public var phone: String?
    public var links: [String]
    public var replyTo: String?
    public var bccSelf: Bool
    /// `sender.language` (en_US, en_GB, …): the notes' date order and fuq's own spelling; nil: en_US.
    public var language: String?
    /// `sender.aliases`: your other addresses (`fuq new` leaves them out of an invitation's people).
    /// Not stored with a note (notes stored before it existed must still decode).
    public var aliases: [String] = []

    enum CodingKeys: String, CodingKey { case name, email, phone, links, replyTo, bccSelf, language }

    public init(name: String? = nil, email: String? = nil, phone: String? = nil, links: [String] = [],
                replyTo: String? = nil, bccSelf: Bool = false) {
        self.name = name
        self.email = email
        self.phone = phone
        self.links = links
        self.replyTo = replyTo
        self.bccSelf = bccSelf
    }
}

/// How fuq reaches the mail server.
///
/// Keys under `smtp:`:
/// - `url` (text, no default): `smtps://host:465` (TLS from the first byte) or `smtp://host:587` (STARTTLS).
/// - `username` (text, optional): the AUTH user name.
/// - `password_command` (text, optional): a shell command whose first output line is the password.
/// - `password_file` (path, optional): a file holding the password; refused if group/world-readable.
///   Without either, `$CREDENTIALS_DIRECTORY/smtp-password` (systemd `LoadCredential=`) is used.
/// - `tls` (`required` | `none`, default `required`): `none` is allowed only for loopback hosts.
/// - `ca_file` (path, optional): a private CA bundle to verify the server with.
/// - `connect_timeout` (duration, default `15s`), `reply_timeout` (duration, default `60s`),
///   `message_timeout` (duration, default `5m`).
/// - `connections` (integer 1–16, default `2`): how many connections a flush (and the daemon)
///   delivers over at once, each with its own libcurl handle and at most one note in flight.
public struct SMTPSettings: Sendable, Equatable {
    public enum TLSMode: String, Sendable, Equatable { case required, none }

    public var url: String?
    public var username: String?
    public var passwordCommand: String?
    public var passwordFile: String?
    public var tls: TLSMode
    public var caFile: String?
    public var connectTimeout: TimeInterval
    public var replyTimeout: TimeInterval
    public var messageTimeout: TimeInterval
    /// Connections delivering at once (`smtp.connections`).
    public var connections: Int

    /// The most `smtp.connections` fuq opens to one server (Postfix's default per-destination
    /// concurrency is 20; many providers allow fewer).
    public static let maxConnections = 16

    public init(url: String? = nil, username: String? = nil, passwordCommand: String? = nil,
                passwordFile: String? = nil, tls: TLSMode = .required, caFile: String? = nil,
                connectTimeout: TimeInterval = 15, replyTimeout: TimeInterval = 60, messageTimeout: TimeInterval = 300,
                connections: Int = 2) {
        self.url = url
        self.username = username
        self.passwordCommand = passwordCommand
        self.passwordFile = passwordFile
        self.tls = tls
        self.caFile = caFile
        self.connectTimeout = connectTimeout
        self.replyTimeout = replyTimeout
        self.messageTimeout = messageTimeout
        self.connections = connections
    }

    /// What of a server URL may be printed or logged. A plain `scheme://host[:port][/path]`
    /// (no user name, password, query or fragment) is shown as written. Anything else — a
    /// malformed URL may hold a password anywhere (`smtp:/alex:S3cret@host`, `alex:pw@host`,
    /// `…?password=…`, `…#pw`) — keeps only its scheme and the host after its last `@`, with
    /// everything else replaced by `***`.
    public static func redacted(_ url: String) -> String {
        // A path is shown only when it plainly is a folder name: no ":" (user:password), no
        // "%" (an encoded one), no ";" and no leading space.
        let path = url.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false).dropFirst(3).joined(separator: "/")
        if isPlainServerURL(url), !path.contains(where: { ":%;".contains($0) }), !path.hasPrefix(" ") {
            return url
        }
        // "smtp://host:2525/alex:pw": the server is plain, what follows it may be a password.
        if let server = url.range(of: #"^[A-Za-z][A-Za-z0-9+.-]*://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?(?=[/?#])"#, options: .regularExpression) {
            return "\(url[server])/*** (the rest is hidden: it may hold a password)"
        }
        let scheme = url.range(of: "^[A-Za-z][A-Za-z0-9+.-]{0,15}:", options: .regularExpression).map { String(url[$0].dropLast()) }
        let host = visibleHost(url).map { "@" + $0 } ?? ""
        return "\(scheme.map { $0 + "://" } ?? "")***\(host) (the rest is hidden: it may hold a password)"
    }

    /// `scheme://host[:port][/path]` and nothing else: no `@`, `?`, `#`, whitespace other than
    /// a space in the path, or control character anywhere.
    static func isPlainServerURL(_ url: String) -> Bool {
        url.range(of: #"^[A-Za-z][A-Za-z0-9+.-]*://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?(/[^?#@\p{Cc}\t\n\r]*)?$"#,
                  options: .regularExpression) != nil
    }

    /// The host (and port) after the last `@`, when what follows it is plainly a host name
    /// or address: what a URL with credentials in it can still show.
    static func visibleHost(_ url: String) -> String? {
        // Only an "@" before the path separates credentials from the host ("smtp://h/a@pw" has none).
        let authority: Substring
        if let slashes = url.range(of: "://") {
            authority = url[..<(url[slashes.upperBound...].firstIndex { "/?#".contains($0) } ?? url.endIndex)]
        } else {
            authority = url[...]
        }
        guard let at = authority.lastIndex(of: "@") else { return nil }
        let tail = url[url.index(after: at)...].prefix { !"/?#".contains($0) }
        guard tail.range(of: #"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?$"#, options: .regularExpression) != nil else { return nil }
        return String(tail)
    }

    /// True for a host on this machine, decided on the parsed address (not the text):
    /// `localhost`, any address in 127.0.0.0/8, `::1` (with or without brackets).
    public static func isLoopback(host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name == "localhost" { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, name, &v4) == 1 { return UInt32(bigEndian: v4.s_addr) >> 24 == 127 }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, name, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { bytes in bytes.prefix(15).allSatisfy { $0 == 0 } && bytes[15] == 1 }
        }
        return false
    }
}

/// Why the configuration cannot be used.
public enum ConfigError: LocalizedError, Equatable {
    /// The file has a mistake at a known line and key.
    case invalid(YAMLProblem)
    /// `--config` or `$FUQ_CONFIG` names a file that does not exist or cannot be read.
    case unreadable(path: String, reason: String)
    /// A key a command needs is not set.
    case missingKey(key: String, file: String?, hint: String)

    public var errorDescription: String? {
        switch self {
        case .invalid(let problem):
            return "\(problem)"
        case .unreadable(let path, let reason):
            return "cannot read the config file \(path): \(reason). Check the path given with --config or FUQ_CONFIG."
        case .missingKey(let key, let file, let hint):
            let where_ = file ?? "\(FuqConfig.defaultConfigPath()) (not created yet)"
            return "\(key) is not set in \(where_); \(hint). See Config/config.example.yaml."
        }
    }
}

extension FuqConfig {
    public static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// The personal dictionary: one word a line, accepted by the spelling check
    /// (`$XDG_CONFIG_HOME/fuq/words`; `fuq check --learn WORD` adds to it).
    public static func personalDictionaryPath(environment: [String: String] = environment) -> String {
        configFolder(environment) + "/words"
    }

    public static func defaultConfigPath(environment: [String: String] = environment) -> String {
        configFolder(environment) + "/config.yaml"
    }

    /// `$XDG_CONFIG_HOME/fuq` (`~/.config/fuq`).
    static func configFolder(_ environment: [String: String]) -> String {
        (environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (home(environment) + "/.config")) + "/fuq"
    }

    public static func defaultQueuePath(environment: [String: String] = environment) -> String {
        let base = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (home(environment) + "/.local/share")
        return base + "/fuq/queue.sqlite"
    }

    static func home(_ environment: [String: String]) -> String {
        environment["HOME"] ?? NSHomeDirectory()
    }

    /// `path` made absolute against `base` (the config file's folder, or the current directory).
    public static func absolute(_ path: String, base: String) -> String {
        if path.hasPrefix("/") { return path }
        let folder = base.isEmpty ? FileManager.default.currentDirectoryPath
            : (base.hasPrefix("/") ? base : FileManager.default.currentDirectoryPath + "/" + base)
        return URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: folder, isDirectory: true)).standardizedFileURL.path
    }

    static func expand(_ path: String, environment: [String: String] = environment) -> String {
        if path == "~" { return home(environment) }
        if path.hasPrefix("~/") { return home(environment) + path.dropFirst() }
        return path
    }

    /// Loads the configuration: `explicitPath` (from `--config`) wins over `$FUQ_CONFIG`, which
    /// wins over the XDG default. Only the default location may be absent.
    public static func load(explicitPath: String?, environment: [String: String] = environment) throws -> FuqConfig {
        let chosen = explicitPath ?? environment["FUQ_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        let path = Self.path(explicitPath: explicitPath, environment: environment)
        var link = stat()
        guard FileManager.default.fileExists(atPath: path) || lstat(path, &link) == 0 else {
            if chosen != nil { throw ConfigError.unreadable(path: path, reason: "no such file") }
            return FuqConfig(queuePath: defaultQueuePath(environment: environment))
        }
        let text: String
        do {
            text = try InputFile.text(atPath: path)
        } catch {
            // The config is read from a file only: no "pipe it to standard input" here.
            if case .notAFile(let kind) = error {
                throw ConfigError.unreadable(path: path, reason: "it is \(kind), not a file; give the path of your config file (YAML), e.g. ~/.config/fuq/config.yaml")
            }
            if case .missing = error, lstat(path, &link) == 0 {
                throw ConfigError.unreadable(path: path, reason: "it is a symbolic link to a file that is not there, or to itself (`ls -l` shows where it points)")
            }
            throw ConfigError.unreadable(path: path, reason: error.reason)
        }
        do {
            return try parse(text, file: path, environment: environment)
        } catch let problem as YAMLProblem {
            throw ConfigError.invalid(problem)
        }
    }

    /// Parses config YAML; every mistake is a `YAMLProblem` naming file, line and key.
    public static func parse(_ text: String, file: String, environment: [String: String] = environment) throws -> FuqConfig {
        let root = try YAMLValue.document(text, file: file).mapping(allowed: ["sender", "queue", "smtp", "imap", "policy", "templates", "follow_up", "notify"])
        var config = FuqConfig(queuePath: defaultQueuePath(environment: environment), source: file)

        if let section = root["sender"] {
            let s = try section.mapping(allowed: ["name", "email", "phone", "links", "reply_to", "bcc_self", "language", "aliases"])
            config.sender.aliases = try s["aliases"]?.list().map { try EmailAddress.validated($0.line("sender.aliases"), field: $0).lowercased() } ?? []
            if let language = s["language"] {
                let text = try language.line("sender.language", limit: 20)
                guard text.wholeMatch(of: /[a-z]{2,3}(_[A-Z]{2})?/) != nil else {
                    throw language.fail("expected a dictionary name such as en_US or en_GB, got \(text)")
                }
                config.language = text
                config.sender.language = text
            }
            config.sender.name = try s["name"]?.line("sender.name", limit: 100)
            if let email = s["email"] { config.sender.email = try EmailAddress.validated(email.line("sender.email"), field: email) }
            config.sender.phone = try s["phone"]?.line("sender.phone")
            config.sender.links = try s["links"]?.list().map { try $0.line("link", limit: 500) } ?? []
            if let reply = s["reply_to"] { config.sender.replyTo = try EmailAddress.validated(reply.line("sender.reply_to"), field: reply) }
            config.sender.bccSelf = try s["bcc_self"]?.bool() ?? false
        }
        if let section = root["queue"] {
            let q = try section.mapping(allowed: ["path"])
            if let path = q["path"] {
                // Relative to the config file's folder, so the CLI and the daemon (started in
                // another directory) always open the same queue.
                config.queuePath = absolute(expand(try path.line("queue.path", limit: 4096), environment: environment),
                                            base: (file as NSString).deletingLastPathComponent)
            }
        }
        if let section = root["smtp"] {
            config.smtp = try parseSMTP(section, environment: environment)
        }
        if let section = root["imap"] {
            config.imap = try parseIMAP(section, environment: environment)
        }
        if let section = root["policy"] {
            config.policy = try parsePolicy(section)
        }
        if let section = root["templates"] {
            let t = try section.mapping(allowed: ["dir"])
            config.templatesDir = try t["dir"].map { expand(try $0.line("templates.dir", limit: 4096), environment: environment) }
        }
        if let section = root["follow_up"] {
            let f = try section.mapping(allowed: ["enabled", "nudges", "send_unless_cancelled"])
            config.followUp.enabled = try f["enabled"]?.bool() ?? true
            config.followUp.sendUnlessCancelled = try f["send_unless_cancelled"]?.bool() ?? false
            if let value = f["nudges"] {
                let text = try value.line("follow_up.nudges", limit: 10)
                guard let n = Int(text), (1...2).contains(n) else {
                    throw value.fail("follow_up.nudges is \(text); write 1 (one follow-up) or 2 (one more short note a few days later, never more)")
                }
                config.followUp.nudges = n
            }
        }
        if let section = root["notify"] {
            config.notify = try parseNotify(section, sender: config.sender, environment: environment)
        }
        return config
    }

    private static func parseSMTP(_ section: YAMLValue, environment: [String: String]) throws -> SMTPSettings {
        let m = try section.mapping(allowed: [
            "url", "username", "password", "password_command", "password_file", "tls", "ca_file",
            "connect_timeout", "reply_timeout", "message_timeout", "connections",
        ])
        if let password = m["password"] {
            throw password.fail("fuq never stores a password in its config; use password_command "
                + "(e.g. `pass show mail/app-password`), password_file (mode 0600), or systemd LoadCredential")
        }
        var smtp = SMTPSettings()
        if let url = m["url"] {
            let text = try url.line("smtp.url", limit: 4096)
            guard let parsed = URLComponents(string: text), let scheme = parsed.scheme?.lowercased(),
                  ["smtp", "smtps"].contains(scheme), let host = parsed.host, !host.isEmpty
            else { throw url.fail("expected smtps://host:465 or smtp://host:587, got \(SMTPSettings.redacted(text))") }
            if parsed.user != nil || parsed.password != nil || text.split(separator: "/").dropFirst(2).first?.contains("@") == true {
                throw url.fail("a user name or password inside smtp.url is not allowed (it would be written to logs); "
                    + "write \(scheme)://\(SMTPSettings.visibleHost(text) ?? "HOST:PORT") and set smtp.username and smtp.password_command or password_file")
            }
            if parsed.query != nil || parsed.fragment != nil || !(parsed.path.isEmpty || parsed.path == "/") {
                throw url.fail("smtp.url is just scheme://host:port (got \(SMTPSettings.redacted(text))); the user name and password have their own keys")
            }
            smtp.url = text
        }
        smtp.username = try m["username"]?.line("smtp.username")
        smtp.passwordCommand = try m["password_command"]?.line("smtp.password_command", limit: 4096)
        smtp.passwordFile = try m["password_file"].map { expand(try $0.line("smtp.password_file", limit: 4096), environment: environment) }
        if smtp.passwordCommand != nil, smtp.passwordFile != nil, let value = m["password_file"] {
            throw value.fail("set either password_command or password_file, not both")
        }
        if let tls = m["tls"] {
            let text = try tls.line("smtp.tls")
            guard let mode = SMTPSettings.TLSMode(rawValue: text) else {
                throw tls.fail("expected `required` or `none`, got \(text)")
            }
            smtp.tls = mode
        }
        smtp.caFile = try m["ca_file"].map { expand(try $0.line("smtp.ca_file", limit: 4096), environment: environment) }
        smtp.connectTimeout = try duration(m["connect_timeout"]) ?? smtp.connectTimeout
        smtp.replyTimeout = try duration(m["reply_timeout"]) ?? smtp.replyTimeout
        smtp.messageTimeout = try duration(m["message_timeout"]) ?? smtp.messageTimeout
        if let value = m["connections"] {
            let text = try value.line("smtp.connections")
            guard let n = Int(text), (1...SMTPSettings.maxConnections).contains(n) else {
                throw value.fail("expected a number of connections from 1 to \(SMTPSettings.maxConnections), got \(text); "
                    + "2 (the default) suits most providers, 1 sends one note at a time")
            }
            smtp.connections = n
        }
        return smtp
    }

    private static func parsePolicy(_ section: YAMLValue) throws -> SendWindowPolicy {
        let m = try section.mapping(allowed: ["min_delay", "evening", "morning", "business_days", "holidays", "preference", "latest"])
        var policy = SendWindowPolicy.standard
        policy.minDelay = try duration(m["min_delay"]) ?? policy.minDelay
        for kind in [DailyWindow.Kind.evening, .morning] {
            guard let value = m[kind.rawValue] else { continue }
            let text = try value.line()
            guard let window = DailyWindow(kind: kind, parsing: text) else {
                throw value.fail("expected a window like \"18:00-21:00\" (24-hour clock, end after start), got \(text)")
            }
            if kind == .evening { policy.evening = window } else { policy.morning = window }
        }
        if policy.morning.end > policy.evening.start {
            throw (m["morning"] ?? m["evening"] ?? section).fail("the morning window must end before the evening window starts")
        }
        if let days = m["business_days"] {
            var set = Set<Weekday>()
            for item in try days.list() {
                let text = try item.line()
                guard let day = Weekday(parsing: text) else { throw item.fail("expected a weekday such as mon, tue, … sun, got \(text)") }
                set.insert(day)
            }
            if set.isEmpty { throw days.fail("at least one business day is needed") }
            policy.businessDays = set
        }
        if let holidays = m["holidays"] {
            policy.holidays = try parseHolidays(holidays)
        }
        if let pref = m["preference"] {
            let text = try pref.line()
            guard let value = WindowPreference(rawValue: text) else { throw pref.fail("expected first, evening or morning, got \(text)") }
            policy.preference = value
        }
        policy.latestCap = try duration(m["latest"]) ?? policy.latestCap
        if policy.latestCap <= policy.minDelay, let latest = m["latest"] {
            throw latest.fail("latest must be longer than min_delay")
        }
        return policy
    }

    /// `holidays`: a list of dates and region codes (or one code, or `auto`), or a section by
    /// time zone with `default` for every other reader.
    private static func parseHolidays(_ value: YAMLValue) throws -> HolidayRules {
        if let entries = try value.entries() {
            var rules = HolidayRules(fallback: HolidayRules.Rule())
            for (key, rule) in entries {
                if key == "default" {
                    rules.fallback = try holidayRule(rule)
                } else {
                    guard let zone = TimeZoneName.lookup(key) else {
                        var message = "unknown time zone \(key); the keys here are IANA zone names (Europe/London) or `default`"
                        if let guess = TimeZoneName.suggestion(for: key) { message += " (did you mean \(guess)?)" }
                        throw rule.fail(message)
                    }
                    rules.byZone[zone.identifier] = try holidayRule(rule)
                }
            }
            return rules
        }
        return HolidayRules(fallback: try holidayRule(value))
    }

    private static func holidayRule(_ value: YAMLValue) throws -> HolidayRules.Rule {
        var rule = HolidayRules.Rule()
        let items = value.isScalar ? [value] : try value.list()
        for item in items {
            let text = try item.line()
            if let date = LocalDate(parsing: text) {
                rule.dates.insert(date)
            } else if text == "auto" || HolidayCalendar.name(of: text.uppercased()) != nil {
                rule.regions.append(text == "auto" ? text : text.uppercased())
            } else if text.first?.isNumber == true {
                throw item.fail("expected an ISO date, YYYY-MM-DD, got \(text)")
            } else {
                var message = "fuq has no public holidays for \(text); known regions: \(HolidayCalendar.regions.joined(separator: ", ")), "
                    + "or `auto` (each reader's country from their time zone), or ISO dates"
                if let guess = closest(text.uppercased(), in: HolidayCalendar.regions) { message = "unknown region \(text); did you mean \(guess)? " + message }
                throw item.fail(message)
            }
        }
        return rule
    }

    static func duration(_ value: YAMLValue?) throws -> TimeInterval? {
        guard let value else { return nil }
        let text = try value.line()
        guard let seconds = DurationText.parse(text) else {
            throw value.fail("expected a duration such as 90s, 30m, 1h or 1h30m, got \(text)")
        }
        return seconds
    }
}
