import ArgumentParser
import Foundation
import FuqCore

extension Fuq {
    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write your config.yaml: asks at a terminal, or takes every answer as flags; then runs doctor.",
            discussion: """
                Writes the file fuq reads (--config, else $FUQ_CONFIG, else ~/.config/fuq/config.yaml) with \
                mode 0600, in one step: a complete file or none. Each answer is checked by the config \
                loader itself; at a terminal a refused answer is asked again with the reason. A password \
                is never written: give --password-command, --password-file or --password-credential \
                (systemd LoadCredential). --name, --email, --phone and --smtp-url are required (and a \
                password source with --smtp-user): at a terminal whatever is missing is asked for, with \
                the optional answers; without one the command stops. Then `fuq doctor` checks the result \
                (--no-doctor skips it); a server it cannot reach is reported, the config stays written.
                Exit codes: 0 written; 64 a flag's value is refused, a required flag is missing without a \
                terminal, or input ended before the last answer; 73 the config already exists (--force \
                replaces it) or cannot be created; 130 Ctrl-C. Nothing is written unless the exit is 0.
                """
        )

        @OptionGroup var global: GlobalOptions

        @Option(help: "Your full name; signs every note (sender.name).") var name: String?
        @Option(help: "Your email address; the From address (sender.email).") var email: String?
        @Option(help: "Your phone number for the signature (sender.phone).") var phone: String?
        @Option(name: .customLong("link"), help: ArgumentHelp("A LinkedIn or portfolio link for the signature; repeat for more (sender.links).", valueName: "url"))
        var links: [String] = []
        @Option(name: .customLong("smtp-url"), help: ArgumentHelp("smtps://host:465 (TLS) or smtp://host:587 (STARTTLS) (smtp.url).", valueName: "url"))
        var smtpURL: String?
        @Option(name: .customLong("smtp-user"), help: ArgumentHelp("The user name to log in with, usually your address (smtp.username).", valueName: "user"))
        var smtpUser: String?
        @Option(name: .customLong("password-command"), help: ArgumentHelp("A command printing the SMTP password, e.g. \"pass show mail/app\" (smtp.password_command).", valueName: "command"))
        var passwordCommand: String?
        @Option(name: .customLong("password-file"), help: ArgumentHelp("A chmod-600 file holding the SMTP password (smtp.password_file).", valueName: "path"))
        var passwordFile: String?
        @Flag(name: .customLong("password-credential"), help: "The password comes from systemd (LoadCredential=smtp-password:…); no password key is written.")
        var passwordCredential = false
        @Option(name: .customLong("smtp-tls"), help: ArgumentHelp("required (default) or none, for a server on this machine only (smtp.tls).", valueName: "mode"))
        var smtpTLS: String?
        @Option(help: ArgumentHelp("Public holidays to skip: a region code (US, GB-ENG, …), auto (each reader's country) or none; default: your time zone's country (policy.holidays).", valueName: "region"))
        var holidays: String?
        @Option(name: .customLong("notify-email"), help: ArgumentHelp("yes (default), no, or an address: when a note needs you, also email yourself a digest, at most one an hour (notify.email).", valueName: "yes|no|address"))
        var notifyEmail: String?
        @Flag(help: "Replace an existing config file.") var force = false
        @Flag(name: .customLong("no-doctor"), help: "Do not run `fuq doctor` afterwards.") var noDoctor = false

        func validate() throws {
            let sources = [passwordCommand != nil, passwordFile != nil, passwordCredential].filter { $0 }.count
            if sources > 1 {
                throw ValidationError("give one password source: --password-command, --password-file or --password-credential")
            }
        }

        func run() async throws {
            let path = FuqConfig.path(explicitPath: global.config)
            let draft = try reportingErrors { try writeConfig(at: path) }
            Self.defaultSignals()
            print("Wrote \(path) (mode 0600).")
            if case .file(let file) = draft.password { warnAboutPasswordFile(file) }

            var healthy = true
            if !noDoctor {
                print("\nChecking it with `fuq doctor` (sends nothing):")
                healthy = await runDoctor(path)
            }
            if !healthy {
                print("\nThe config is written, but doctor found a problem: the FAIL line above says what to fix. "
                    + "Edit \(path), then run `fuq doctor` again.")
            }
            let service = path.hasPrefix("/etc/") ? "sudo systemctl enable --now fuq  " : "systemctl --user enable --now fuq"
            print("""

                Next:
                  fuq enqueue interview.yaml --dry-run    # an interview file like Config/examples/interview.yaml
                  \(service)       # the daemon sends each note on time
                """)
        }

        /// Collects every answer, then writes the file; nothing is on disk before the last answer.
        private func writeConfig(at path: String) throws -> ConfigDraft {
            if !force, FileManager.default.fileExists(atPath: path) || isSymlink(path) {
                throw ConfigWriteError.exists(path: path)
            }
            var missing = [(name, "--name"), (email, "--email"), (phone, "--phone"), (smtpURL, "--smtp-url")].filter { $0.0 == nil }.map(\.1)
            if smtpUser != nil, !hasPasswordSource { missing.append("--password-command, --password-file or --password-credential") }
            if smtpUser == nil, hasPasswordSource { missing.append("--smtp-user") }
            // At a terminal the missing answers are asked for, and then the optional ones too
            // (links, the user name); with every answer given as a flag nothing is asked.
            let interactive = isatty(STDIN_FILENO) == 1 && !missing.isEmpty
            if !interactive && !missing.isEmpty { throw InitError.missing(missing) }

            // Ctrl-C while answering leaves nothing behind: nothing exists on disk until every
            // answer is in.
            Self.exitOnSignal()
            let prompter = Prompter(interactive: interactive)
            if interactive {
                prompter.say("fuq init: your answers go to \(path) (mode 0600, no password in it).")
                prompter.say("Ctrl-C stops without writing anything.\n")
            }
            let draft = try collect(prompter)

            // The loader reads it back before it is written: a config fuq cannot read is never
            // left behind (a ConfigError, exit 78, would be a bug in the renderer).
            let text = draft.render()
            _ = try FuqConfig.parse(text, file: path)
            try ConfigFileWriter.write(text, to: path, replacing: force)
            return draft
        }

        var hasPasswordSource: Bool { passwordCommand != nil || passwordFile != nil || passwordCredential }

        // MARK: - Answers

        /// Every answer, from its flag (checked; a refused flag ends the command) or asked at the
        /// terminal (asked again until the loader accepts it).
        private func collect(_ prompter: Prompter) throws -> ConfigDraft {
            func answer(_ key: String, flag: String, given: String?, prompt: String, default fallback: String? = nil) throws -> String {
                if let given { return try checked(key, flag: flag, given) }
                return try prompter.ask(prompt, default: fallback) { FuqConfig.problem(key: key, value: $0) }
            }
            let name = try answer("sender.name", flag: "--name", given: name, prompt: "Your full name, as it signs each note")
            let email = try answer("sender.email", flag: "--email", given: email, prompt: "Your email address (notes are sent from it)")
            let phone = try answer("sender.phone", flag: "--phone", given: phone, prompt: "Your phone number, for the signature")
            var links = try links.map { try checked("sender.links", flag: "--link", $0) }
            if prompter.interactive && self.links.isEmpty {
                links = try prompter.askList("Links for your signature (LinkedIn, portfolio), one per line; an empty line ends") {
                    FuqConfig.problem(key: "sender.links", value: $0)
                }
            }
            let url = try answer("smtp.url", flag: "--smtp-url", given: smtpURL,
                                 prompt: "Your mail server (smtps://host:465 for TLS, smtp://host:587 for STARTTLS)",
                                 default: Self.suggestedServer(for: email))
            var tls = try smtpTLS.map { try checked("smtp.tls", flag: "--smtp-tls", $0) }.flatMap { SMTPSettings.TLSMode(rawValue: $0) } ?? .required
            // A relay on this machine (a local Postfix on 127.0.0.1:25) often speaks no TLS:
            // ask, rather than write `tls: required` for `fuq doctor` to blame on smtp.ca_file.
            if smtpTLS == nil, prompter.interactive, let host = URLComponents(string: url)?.host, SMTPSettings.isLoopback(host: host) {
                let answer = try prompter.ask("That server is on this machine. Does it use TLS? (required, or none for a local relay without it)",
                                              default: "required") { SMTPSettings.TLSMode(rawValue: $0) == nil ? "answer required or none" : nil }
                tls = SMTPSettings.TLSMode(rawValue: answer) ?? .required
            }
            // The transport's rule (CurlSMTPTransport), not the loader's: refused here rather
            // than by every later command.
            if tls == .none, let host = URLComponents(string: url)?.host, !SMTPSettings.isLoopback(host: host) {
                throw InitError.tlsOffRemote(host: host)
            }

            var user = try smtpUser.map { try checked("smtp.username", flag: "--smtp-user", $0) }
            if user == nil && prompter.interactive {
                let optional = !hasPasswordSource
                let typed = try prompter.ask("The user name to log in to the server with\(optional ? " (a single - for none)" : "")", default: email) {
                    $0 == "-" && optional ? nil : FuqConfig.problem(key: "smtp.username", value: $0)
                }
                user = typed == "-" ? nil : typed
            }
            var password = ConfigDraft.PasswordChoice.none
            if let command = passwordCommand {
                password = .command(try checked("smtp.password_command", flag: "--password-command", command))
            } else if let file = passwordFile {
                password = .file(Self.anchored(try checked("smtp.password_file", flag: "--password-file", file)))
            } else if passwordCredential {
                password = .credential
            } else if user != nil {
                password = try askPasswordSource(prompter)
            }
            // Holidays: proposed from your own time zone's country (most readers share it).
            let proposal = HolidayCalendar.country(ofZone: TimeZone.current.identifier)
            var region: String?
            if let holidays {
                region = holidays.lowercased() == "none" ? nil : try checked("policy.holidays", flag: "--holidays", holidays == "auto" ? holidays : holidays.uppercased())
            } else if prompter.interactive {
                let text = try prompter.ask("Public holidays to skip: a region code such as US or GB-ENG, auto (each reader's country), or none",
                                            default: proposal ?? "none") { answer in
                    answer.lowercased() == "none" ? nil : FuqConfig.problem(key: "policy.holidays", value: answer == "auto" ? answer : answer.uppercased())
                }
                region = text.lowercased() == "none" ? nil : (text == "auto" ? text : text.uppercased())
            } else {
                region = proposal
            }
            var draft = ConfigDraft(name: name, email: email, phone: phone, links: links, smtpURL: url, smtpUsername: user,
                                    password: password, tls: tls, queuePath: global.db.map { FuqConfig.absolute($0, base: "") })
            draft.holidays = region
            if let notifyEmail {
                if let yes = Self.yesNo(notifyEmail) {
                    draft.notifyEmail = yes ? "true" : "false"
                } else {
                    draft.notifyEmail = try checked("notify.email", flag: "--notify-email", notifyEmail)
                }
            } else if prompter.interactive {
                prompter.say("\nWhen a note needs you (a follow-up waiting for your go-ahead, a failure, a bounce), fuq shows a desktop notification.")
                let answer = try prompter.ask("Also email yourself a short digest then, at most one an hour? (yes, no, or another address)", default: "yes") {
                    Self.yesNo($0) != nil ? nil : FuqConfig.problem(key: "notify.email", value: $0).map { "answer yes or no, or an address (\($0))" }
                }
                draft.notifyEmail = Self.yesNo(answer).map { $0 ? "true" : "false" } ?? answer
            }
            return draft
        }

        static func yesNo(_ text: String) -> Bool? {
            switch text.lowercased() {
            case "yes", "y", "true": return true
            case "no", "n", "false": return false
            default: return nil
            }
        }

        private func askPasswordSource(_ prompter: Prompter) throws -> ConfigDraft.PasswordChoice {
            prompter.say("""
                Where fuq finds the SMTP password (it never stores one; most providers want an app password):
                  1  a command that prints it, e.g. `pass show mail/app` or `secret-tool lookup service fuq`
                  2  a file holding it (chmod 600)
                  3  systemd LoadCredential (for the system service)
                """)
            let choice = try prompter.ask("1, 2 or 3", default: "1") { ["1", "2", "3"].contains($0) ? nil : "answer 1, 2 or 3" }
            switch choice {
            case "1":
                return .command(try prompter.ask("The command (its first output line is the password)") {
                    FuqConfig.problem(key: "smtp.password_command", value: $0)
                })
            case "2":
                let fallback = ((FuqConfig.path(explicitPath: global.config) as NSString).deletingLastPathComponent as NSString)
                    .appendingPathComponent("smtp-password")
                return .file(Self.anchored(try prompter.ask("The file", default: fallback) { FuqConfig.problem(key: "smtp.password_file", value: $0) }))
            default:
                return .credential
            }
        }

        /// A flag's value as the loader would read it (trimmed), or `InitError.refused`.
        private func checked(_ key: String, flag: String, _ value: String) throws -> String {
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            if let problem = FuqConfig.problem(key: key, value: trimmed) {
                throw InitError.refused(flag: flag, value: value, problem: problem)
            }
            return trimmed
        }

        /// A relative path made absolute against the current directory (the daemon runs
        /// elsewhere); `~/…` stays as typed, the loader expands it.
        static func anchored(_ path: String) -> String {
            path.hasPrefix("/") || path == "~" || path.hasPrefix("~/") ? path : FuqConfig.absolute(path, base: "")
        }

        /// The server of a well-known provider, from the address's domain (docs/configuration.md: SMTP providers).
        static func suggestedServer(for email: String) -> String? {
            switch EmailAddress.domain(of: email).lowercased() {
            case "gmail.com", "googlemail.com": return "smtps://smtp.gmail.com:465"
            case "outlook.com", "hotmail.com", "live.com": return "smtp://smtp.office365.com:587"
            case "fastmail.com", "fastmail.fm": return "smtps://smtp.fastmail.com:465"
            case "icloud.com", "me.com", "mac.com": return "smtp://smtp.mail.me.com:587"
            default: return nil
            }
        }

        private func warnAboutPasswordFile(_ file: String) {
            let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
            let path = file == "~" || file.hasPrefix("~/") ? home + file.dropFirst() : file
            var info = stat()
            if stat(path, &info) != 0 {
                print("note: \(path) does not exist yet; create it with `install -m 600 /dev/null \(path)` and put the password on its first line.")
            } else if info.st_mode & 0o077 != 0 {
                print("note: \(path) is readable by others and fuq will refuse it; run `chmod 600 \(path)`.")
            }
        }

        /// `fuq doctor` on the new file, in this process; true when it found nothing to fix.
        private func runDoctor(_ path: String) async -> Bool {
            var arguments = ["--config", path]
            if let db = global.db { arguments += ["--db", db] }
            if let level = global.logLevel { arguments += ["--log-level", level] }
            do {
                let doctor = try Doctor.parse(arguments)
                try await doctor.run()
                return true
            } catch {
                return false
            }
        }

        private func isSymlink(_ path: String) -> Bool {
            (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil
        }

        // MARK: - Signals

        /// Ctrl-C or SIGTERM while answering: a fixed line and exit 130 / 143, nothing written.
        static func exitOnSignal() {
            for sig in [SIGINT, SIGTERM, SIGHUP] {
                _ = signal(sig) { sig in
                    let message: StaticString = "\nfuq init: stopped; nothing was written.\n"
                    _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
                    _exit(128 + sig)
                }
            }
        }

        static func defaultSignals() {
            for sig in [SIGINT, SIGTERM, SIGHUP] { _ = signal(sig, SIG_DFL) }
        }
    }
}

/// Questions at the terminal: on stderr, so `fuq init > log` still shows them.
struct Prompter {
    let interactive: Bool

    func say(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }

    /// Asks until `problem` returns nil for the (trimmed) answer; an empty answer takes `default`.
    /// - Throws: `InitError.inputEnded` at the end of input (Ctrl-D).
    func ask(_ question: String, default fallback: String? = nil, problem: (String) -> String?) throws -> String {
        while true {
            FileHandle.standardError.write(Data("\(question)\(fallback.map { " [\($0)]" } ?? ""): ".utf8))
            guard let line = readLine(strippingNewline: true) else { say(""); throw InitError.inputEnded }
            var answer = line.trimmingCharacters(in: .whitespaces)
            if answer.isEmpty, let fallback { answer = fallback }
            guard let why = problem(answer) else { return answer }
            say("  not accepted: \(TextSafety.printable(why))")
        }
    }

    /// Answers one per line until an empty one.
    func askList(_ question: String, problem: (String) -> String?) throws -> [String] {
        say(question + ":")
        var items: [String] = []
        while true {
            FileHandle.standardError.write(Data("  link \(items.count + 1): ".utf8))
            guard let line = readLine(strippingNewline: true) else { say(""); throw InitError.inputEnded }
            let answer = line.trimmingCharacters(in: .whitespaces)
            if answer.isEmpty { return items }
            if let why = problem(answer) { say("  not accepted: \(TextSafety.printable(why))"); continue }
            items.append(answer)
        }
    }
}

/// Why `fuq init` stopped before writing anything (exit 64; the file errors are `ConfigWriteError`, 73).
enum InitError: LocalizedError, Equatable {
    /// A flag's value the config loader refuses, with its reason.
    case refused(flag: String, value: String, problem: String)
    /// Required flags not given, and no terminal to ask at.
    case missing([String])
    /// `--smtp-tls none` for a server that is not on this machine.
    case tlsOffRemote(host: String)
    /// Standard input ended (Ctrl-D) before the last answer.
    case inputEnded

    var errorDescription: String? {
        switch self {
        case .refused(let flag, let value, let problem):
            // A URL is shown as the loader would show it: a mistyped one may hold a password.
            let shown = flag.hasSuffix("-url") ? SMTPSettings.redacted(value) : value
            return "\(flag) \(shown.isEmpty ? "\"\"" : shown): \(problem) (nothing was written)"
        case .missing(let flags):
            return "standard input is not a terminal, so fuq init cannot ask; missing: \(flags.joined(separator: ", ")). "
                + "See `fuq init --help` (nothing was written)"
        case .tlsOffRemote(let host):
            return "--smtp-tls none is only allowed for a server on this machine (127.0.0.1, ::1, localhost); \(host) needs TLS (nothing was written)"
        case .inputEnded:
            return "input ended before every answer was in; nothing was written"
        }
    }
}
