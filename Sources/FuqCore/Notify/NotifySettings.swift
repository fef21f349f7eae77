import Foundation

/// How fuq tells the user when it needs them.
///
/// Keys under `notify:` (the section is optional; without it only the desktop channel is on):
/// - `desktop` (bool, default `true`): a desktop notification on the session bus (freedesktop
///   Notifications over D-Bus). Without a session bus (a server, the system unit) it is silently
///   unavailable; `fuq doctor` says so.
/// - `email` (bool or address, default `false`): a digest to yourself, at most one an hour,
///   through the same SMTP account; `true` sends it to `sender.email`.
/// - `command` (list of words, or one line without quotes): run for each event without a shell,
///   the event in `FUQ_EVENT`, `FUQ_ID`, `FUQ_TO`, `FUQ_SUMMARY`, `FUQ_ACTION` and as JSON on
///   its standard input.
/// - `timeout` (duration 1s–2m, default `30s`): how long the command may run before its process
///   group is killed.
/// - `sent` (bool, default `false`): also tell each note that went out.
public struct NotifySettings: Sendable, Equatable {
    public var desktop = true
    /// The digest's address; nil: no digest.
    public var email: String?
    /// The program and its arguments; nil: no command.
    public var command: [String]?
    public var timeout: TimeInterval = 30
    public var sent = false

    public init(desktop: Bool = true, email: String? = nil, command: [String]? = nil, timeout: TimeInterval = 30, sent: Bool = false) {
        self.desktop = desktop
        self.email = email
        self.command = command
        self.timeout = timeout
        self.sent = sent
    }

    /// The longest a digest waits after the previous one.
    public static let digestInterval: TimeInterval = 3600
}

extension FuqConfig {
    static func parseNotify(_ section: YAMLValue, sender: Sender, environment: [String: String]) throws -> NotifySettings {
        let m = try section.mapping(allowed: ["desktop", "email", "command", "timeout", "sent"])
        var notify = NotifySettings()
        notify.desktop = try m["desktop"]?.bool() ?? true
        notify.sent = try m["sent"]?.bool() ?? false
        if let value = m["email"] {
            let text = try value.line("notify.email")
            switch text.lowercased() {
            case "false", "no", "off": notify.email = nil
            case "true", "yes", "on":
                guard let own = sender.email else {
                    throw value.fail("notify.email: true sends the digest to sender.email, which is not set; "
                        + "set sender.email, or write the address here (notify.email: you@example.com)")
                }
                notify.email = own
            default:
                notify.email = try EmailAddress.validated(text, field: value)
            }
        }
        if let value = m["command"] {
            var words: [String]
            if !value.isScalar {
                words = try value.list().map { try $0.line("notify.command", limit: 4096) }
            } else {
                let text = try value.line("notify.command", limit: 4096)
                if text.contains(where: { "\"'`$|;&<>(){}\\*?".contains($0) }) {
                    throw value.fail("notify.command runs without a shell, so quotes and shell signs mean nothing here; "
                        + "write it as a list, e.g. command: [\"/usr/local/bin/tell-me\", \"--topic\", \"job search\"], "
                        + "or name a script that does the rest")
                }
                words = text.split(whereSeparator: \.isWhitespace).map(String.init)
            }
            words = words.filter { !$0.isEmpty }
            guard let program = words.first else { throw value.fail("empty; name a program, or remove the key") }
            if program.contains("/") || program.hasPrefix("~") {
                let path = expand(program, environment: environment)
                guard path.hasPrefix("/") else {
                    throw value.fail("\(program) is a relative path, which would depend on the folder fuq runs in; "
                        + "give the full path (/home/you/bin/…) or a program on PATH")
                }
                notify.command = [path] + words.dropFirst()
            } else {
                notify.command = words
            }
        }
        if let seconds = try duration(m["timeout"]) {
            // Deliveries wait while fuq tells, and systemd's watchdog and stop timeout are minutes.
            guard (1...120).contains(seconds) else {
                throw (m["timeout"] ?? section).fail("from 1s to 2m, got \(Int(seconds)) s; a notification that takes longer is stuck")
            }
            notify.timeout = seconds
        }
        return notify
    }
}
