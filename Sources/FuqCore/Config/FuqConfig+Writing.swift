import Foundation

/// The answers `fuq init` collects, rendered as a commented `config.yaml` that
/// `FuqConfig.parse` reads back to the same values.
///
/// A password is never part of it: only where fuq finds one (`PasswordChoice`).
public struct ConfigDraft: Sendable, Equatable {
    /// Where the SMTP password comes from. The config loader knows exactly these sources.
    public enum PasswordChoice: Sendable, Equatable {
        /// No `smtp.username`: the server takes mail without AUTH (a local relay).
        case none
        /// `smtp.password_command`: a command printing the password (`pass show mail/app`).
        case command(String)
        /// `smtp.password_file`: a file holding it, mode 0600.
        case file(String)
        /// Neither key: `$CREDENTIALS_DIRECTORY/smtp-password`, from systemd `LoadCredential=`.
        case credential
    }

    public var name: String
    public var email: String
    public var phone: String
    public var links: [String]
    public var smtpURL: String
    public var smtpUsername: String?
    public var password: PasswordChoice
    /// `smtp.tls`; only `none` is written (`required` is the default).
    public var tls: SMTPSettings.TLSMode
    /// `queue.path`, written only when given (`fuq init --db`).
    public var queuePath: String?
    /// `policy.holidays`: a region code or `auto`; nil writes none.
    public var holidays: String?
    /// `notify.email`: `true` (a digest to `sender.email` when something needs you, at most
    /// hourly), `false`, or another address.
    public var notifyEmail = "true"

    public init(name: String, email: String, phone: String, links: [String] = [], smtpURL: String,
                smtpUsername: String? = nil, password: PasswordChoice = .none, tls: SMTPSettings.TLSMode = .required,
                queuePath: String? = nil) {
        self.name = name
        self.email = email
        self.phone = phone
        self.links = links
        self.smtpURL = smtpURL
        self.smtpUsername = smtpUsername
        self.password = password
        self.tls = tls
        self.queuePath = queuePath
    }

    /// The config file: every key with a comment saying what it does, the policy's defaults
    /// shown commented out.
    public func render() -> String {
        var out = """
            # fuq configuration, written by `fuq init`. Edit it freely; `fuq doctor` checks it.
            # Every key is explained in Config/config.example.yaml and in the docs
            # (docs/configuration.md). Durations: 90s, 30m, 1h, 1h30m, 2d.
            # There is never a password in this file: only where fuq finds it (smtp below).

            # You, the candidate.
            sender:
              # Signs every note and appears in From and in the subject.
              name: \(Self.quoted(name))
              # The From address; also the domain of each note's Message-ID.
              email: \(Self.quoted(email))
              # In the signature (the built-in template uses it).
              phone: \(Self.quoted(phone))
              # LinkedIn / portfolio, one line each in the signature.

            """
        if links.isEmpty {
            out += "  links: []\n"
        } else {
            out += "  links:\n"
            for link in links { out += "    - \(Self.quoted(link))\n" }
        }
        out += """
              # Optional Reply-To header:
              # reply_to: you@example.org
              # true: also deliver a copy to sender.email:
              # bcc_self: false

            # The SQLite queue the CLI and the daemon share; a relative path starts at this file's folder.
            queue:

            """
        if let queuePath {
            out += "  path: \(Self.quoted(queuePath))\n\n"
        } else {
            out += "  # path: ~/.local/share/fuq/queue.sqlite   (default: $XDG_DATA_HOME/fuq/queue.sqlite)\n\n"
        }

        out += """
            # How notes leave (libcurl's SMTP client). `fuq doctor` tries it without sending anything.
            smtp:
              # smtps://host:465 = TLS from the first byte; smtp://host:587 = plain, then STARTTLS.
              url: \(Self.quoted(smtpURL))

            """
        if let smtpUsername {
            out += "  # The AUTH user name.\n  username: \(Self.quoted(smtpUsername))\n"
        } else {
            out += "  # No AUTH user name: the server takes mail without logging in.\n  # username: you@example.com\n"
        }
        switch password {
        case .none:
            break
        case .command(let command):
            out += "  # A command whose first output line is the password (read each time fuq sends).\n"
            out += "  password_command: \(Self.quoted(command))\n"
        case .file(let path):
            out += "  # A file holding the password on its first line; it must stay chmod 600.\n"
            out += "  password_file: \(Self.quoted(path))\n"
        case .credential:
            out += "  # No password key: fuq reads $CREDENTIALS_DIRECTORY/smtp-password, given by systemd\n"
            out += "  # (LoadCredential=smtp-password:/etc/fuq/smtp-password in the unit).\n"
        }
        if tls == .none {
            out += "  # No TLS at all: allowed only for a server on this machine.\n  tls: none\n"
        } else {
            out += "  # required (default) | none (a server on this machine only):\n  # tls: required\n"
        }
        out += """
              # A private CA bundle, when the server's certificate is not signed by a public CA:
              # ca_file: /path/to/private-ca.pem

            # Optional: your mailbox, for reply detection and a copy of each note in Sent
            # (docs/configuration.md: IMAP). Without a password key the SMTP password is used.
            # imap:
            #   url: imaps://imap.example.com:993/INBOX
            #   username: you@example.com

            # When notes may leave, on the *recipient's* clock. The defaults are shown.
            policy:
              # Never sooner than this after the interview ends:
              # min_delay: 1h
              # evening: "18:00-21:00"
              # morning: "07:30-09:30"
              # business_days: [mon, tue, wed, thu, fri]

            """
        out += "  # Days off for the reader: a region's public holidays (US, GB-ENG, …), auto (each reader's\n"
            + "  # country from their zone), your own ISO dates, or a section by zone (docs/sending-policy.md):\n"
            + (holidays.map { "  holidays: \(Self.quoted($0))\n" } ?? "  # holidays: [US]\n")
        out += """
              # first | evening | morning:
              # preference: first
              # Hard cap after the interview ends:
              # latest: 72h

            templates:
              # Your own thank-you.mustache (start from Config/templates/):
              # dir: ~/.config/fuq/templates

            # How fuq tells you when a note needs you: a follow-up waiting for your go-ahead, a
            # failure, a bounce (docs/notifications.md). `fuq doctor --notify-test` tries each.
            notify:
              # A desktop notification (silently unavailable on a server without a session bus):
              desktop: true
              # A digest to sender.email, at most one an hour (or write another address here):
              email: \(["true", "false"].contains(notifyEmail) ? notifyEmail : Self.quoted(notifyEmail))
              # Your own program, run without a shell; the event is in FUQ_* variables and JSON on stdin:
              # command: [/usr/local/bin/tell-me]
              # Also tell each note that went out:
              # sent: false

            """
        return out
    }

    /// A YAML double-quoted scalar: nothing in it is read as YAML syntax (`#`, `: `, `yes`,
    /// `~`, a leading `-` or `@`). The values have no control characters (they passed
    /// `FuqConfig.problem(key:value:)`), so only `\` and `"` need escaping.
    static func quoted(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

extension FuqConfig {
    /// The file `load(explicitPath:)` reads: `explicitPath` (`--config`), else `$FUQ_CONFIG`,
    /// else `$XDG_CONFIG_HOME/fuq/config.yaml`, with `~` expanded.
    public static func path(explicitPath: String?, environment: [String: String] = environment) -> String {
        let chosen = explicitPath ?? environment["FUQ_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        return expand(chosen ?? defaultConfigPath(environment: environment), environment: environment)
    }

    /// What the config loader would say about `value` under `key` (`sender.email`,
    /// `smtp.url`, `sender.links`, …), or nil when it would accept it. The value is checked
    /// by parsing a one-key config with the loader itself, so `fuq init` can never accept
    /// what `fuq` would then refuse to read.
    public static func problem(key: String, value: String) -> String? {
        let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return "unknown key \(key)" }
        // As `line()` says it; before YAML, whose reader would refuse the character less clearly.
        if let problem = TextSafety.problem(in: value) { return "\(key): \(problem)" }
        let text = parts[1] == "links"
            ? "\(parts[0]):\n  \(parts[1]):\n    - \(ConfigDraft.quoted(value))\n"
            : "\(parts[0]):\n  \(parts[1]): \(ConfigDraft.quoted(value))\n"
        do {
            _ = try parse(text, file: "answer", environment: [:])
            return nil
        } catch let problem as YAMLProblem {
            return problem.problem
        } catch {
            return "\(error)"
        }
    }
}
