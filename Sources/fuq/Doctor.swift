import ArgumentParser
import Foundation
import FuqCore

extension Fuq {
    struct Doctor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the config and the mail server (connect, EHLO, STARTTLS, AUTH) — and with imap: the mailbox — without sending anything.",
            discussion: "Exit 0 when fuq can deliver, 78 when the config or the server's answer needs fixing, 75 when the server cannot be reached."
        )
        @OptionGroup var global: GlobalOptions
        @Flag(name: .customLong("notify-test"), help: "Also send one test notification through each channel in `notify:` (desktop, email to yourself, command).")
        var notifyTest = false

        /// The report, printed line by line as it is learned; the first failure sets the exit code.
        struct Report {
            var exit: Int32 = 0

            func ok(_ topic: String, _ text: String) { print("ok    \(topic.padding(toLength: 9, withPad: " ", startingAt: 0)) \(text)") }

            /// Worth knowing, not a failure.
            func note(_ topic: String, _ text: String) { print("note  \(topic.padding(toLength: 9, withPad: " ", startingAt: 0)) \(text)") }

            /// - Parameter fix: what to change; a YAML snippet after the first line keeps its
            ///   own indentation, so it can be copied into the config as it is.
            mutating func fail(_ topic: String, _ text: String, _ fix: String? = nil, _ code: Int32 = Exit.config) {
                print("FAIL  \(topic.padding(toLength: 9, withPad: " ", startingAt: 0)) \(text)")
                if let fix {
                    let lines = fix.split(separator: "\n", omittingEmptySubsequences: false)
                    print("                fix: \(lines[0])")
                    for line in lines.dropFirst() { print("                       \(line)") }
                }
                if exit == 0 { exit = code }
            }
        }

        func run() async throws {
            var r = Report()

            let config: FuqConfig
            do { config = try global.loadConfig() } catch {
                r.fail("config", (error as? LocalizedError)?.errorDescription ?? "\(error)")
                throw ExitCode(r.exit)
            }
            r.ok("config", config.source.map { "\($0) is valid" } ?? "no config file; built-in defaults (\(FuqConfig.defaultConfigPath()) would be read)")

            if let email = config.sender.email {
                r.ok("sender", "\(config.sender.name ?? "(no sender.name)") <\(email)>")
            } else {
                r.fail("sender", "sender.email is not set", "add `email:` to the `sender:` section of \(config.source ?? FuqConfig.defaultConfigPath()):\nsender:\n  email: you@example.com")
            }

            let holidays = config.policy.holidays
            if holidays.isEmpty {
                r.note("holidays", "none: only weekends are days off (set policy.holidays, e.g. US or auto; docs/sending-policy.md: Holidays)")
            } else {
                let regions = Set(([holidays.fallback] + holidays.byZone.values).flatMap(\.regions)).sorted()
                let years = HolidayCalendar.years
                let soon = Calendar(identifier: .gregorian).component(.year, from: Date().addingTimeInterval(60 * 86400))
                if !regions.isEmpty, soon > years.upperBound {
                    r.note("holidays", "fuq's holiday data (\(regions.joined(separator: ", "))) ends with \(years.upperBound); later days "
                        + "count as business days. Update fuq, or regenerate it with scripts/gen-holidays")
                } else {
                    var parts: [String] = []
                    if !regions.isEmpty { parts.append("\(regions.joined(separator: ", ")) (data \(years.lowerBound)–\(years.upperBound))") }
                    if !holidays.byZone.isEmpty { parts.append("by zone for \(holidays.byZone.keys.sorted().joined(separator: ", "))") }
                    if !holidays.fallback.dates.isEmpty { parts.append("\(holidays.fallback.dates.count) date(s) of your own") }
                    r.ok("holidays", parts.joined(separator: "; "))
                }
            }

            if FileManager.default.fileExists(atPath: config.queuePath) {
                do {
                    let counts = try QueueStore(path: config.queuePath).counts()
                    let summary = MessageState.allCases.compactMap { s in counts[s].map { "\($0) \(s.rawValue)" } }.joined(separator: ", ")
                    r.ok("queue", "\(config.queuePath) (\(summary.isEmpty ? "empty" : summary))")
                } catch {
                    r.fail("queue", (error as? LocalizedError)?.errorDescription ?? "\(error)", nil, Exit.ioError)
                }
            } else {
                r.ok("queue", "\(config.queuePath) (not created yet; the first `fuq enqueue` creates it)")
            }
            if let holder = DeliveryLock.currentHolder(queuePath: config.queuePath), holder.isDaemon, let reason = holder.paused {
                r.note("daemon", "running (pid \(holder.pid)) but delivery is PAUSED: \(reason); after fixing it, `fuq retry ID` or `systemctl --user reload fuq`")
            } else if let holder = DeliveryLock.currentHolder(queuePath: config.queuePath), holder.isDaemon {
                r.ok("daemon", "running (pid \(holder.pid))")
            } else {
                r.note("daemon", "not running on this queue; due notes wait for `fuq flush` (docs/daemon.md)")
            }

            checkNotify(config, into: &r)

            guard let url = config.smtp.url else {
                r.fail("smtp", "smtp.url is not set",
                       "add `url:` to the `smtp:` section of \(config.source ?? FuqConfig.defaultConfigPath()) (docs/configuration.md: SMTP providers has the common ones):\nsmtp:\n  url: smtps://smtp.example.com:465")
                throw ExitCode(r.exit)
            }
            let password: String?
            do {
                password = try PasswordSource.resolve(config.smtp)
                let source = config.smtp.passwordCommand != nil ? "smtp.password_command"
                    : config.smtp.passwordFile.map { "smtp.password_file \($0)" } ?? "$CREDENTIALS_DIRECTORY/smtp-password"
                r.ok("password", password == nil ? "none needed (no smtp.username)" : "read from \(source)")
            } catch {
                r.fail("password", (error as? LocalizedError)?.errorDescription ?? "\(error)")
                throw ExitCode(r.exit)
            }
            let transport: CurlSMTPTransport
            do { transport = try CurlSMTPTransport(settings: config.smtp, password: password) } catch {
                r.fail("smtp", (error as? LocalizedError)?.errorDescription ?? "\(error)")
                throw ExitCode(r.exit)
            }

            let check = transport.check()
            report(check, url: url, host: transport.host, settings: config.smtp, into: &r)
            if let imap = config.imap { checkMailbox(imap, smtp: config.smtp, into: &r) }
            var tested = false
            if notifyTest, let address = config.notify.email, let from = config.sender.email, !Self.isRecipient(address, config: config) {
                testDigest(to: address, from: from, transport: transport, into: &r)
                tested = true
            }
            if r.exit == 0 {
                print("fuq can deliver through \(url) (checked in \(String(format: "%.2f", check.seconds)) s)\(config.imap == nil ? "" : " and read your mailbox"). "
                    + (tested ? "Only the test digest to \(config.notify.email ?? "you") was sent." : "Nothing was sent."))
            } else {
                throw ExitCode(r.exit)
            }
        }

        /// `notify:`: what each channel can do here; with `--notify-test`, one test through the
        /// desktop and the command (the email test needs the SMTP check first).
        private func checkNotify(_ config: FuqConfig, into r: inout Report) {
            let notify = config.notify
            let test = Notice(kind: .confirm, id: "test1", to: "Test Person <test@example.invalid>",
                              summary: "fuq test notification", body: "This is a test from `fuq doctor --notify-test`. Nothing was sent to anyone.",
                              action: "fuq status", company: nil, interview: nil, at: Date())
            if notify.desktop {
                switch DesktopChannel.probe() {
                case .success(let server):
                    r.ok("notify", "desktop: notifications go to \(server)")
                    if notifyTest {
                        let markup = (try? DesktopChannel.readsMarkup().get()) ?? true
                        switch DesktopChannel.show(test, markup: markup) {
                        case .success: r.ok("notify", "desktop: test notification shown")
                        case .failure(.unavailable(let why)), .failure(.failed(let why)): r.fail("notify", "desktop: the test notification failed: \(why)")
                        }
                    }
                case .failure(.unavailable(let why)):
                    r.note("notify", "desktop: unavailable here (\(why)); fine on a server or under the system unit, "
                        + "where notify.email or notify.command can tell you instead")
                case .failure(.failed(let why)):
                    r.note("notify", "desktop: the session bus has no notification server (\(why)); notify.email or notify.command can tell you instead")
                }
            }
            if let argv = notify.command {
                if let problem = Self.unrunnable(argv[0]) {
                    r.fail("notify", "notify.command: \(problem)", "name a program that exists, with its full path or one on PATH (`command -v NAME` finds it)")
                } else {
                    r.ok("notify", "command: \(argv.joined(separator: " ")) (killed after \(Int(notify.timeout)) s)")
                    if notifyTest {
                        switch CommandChannel.run(argv, extra: CommandChannel.environment(test).merging(["FUQ_EVENT": "test"]) { $1 },
                                                  input: CommandChannel.json(test), timeout: notify.timeout) {
                        case .success(let run) where run.status == 0:
                            r.ok("notify", "command: the test ran\(run.output.isEmpty ? "" : " and printed: \(Display.safe(String(run.output.prefix(200))))")")
                        case .success(let run):
                            r.fail("notify", "command: the test \(run.status.map { "exited with status \($0)" } ?? "did not finish within \(Int(notify.timeout)) s")"
                                + (run.output.isEmpty ? "" : ": \(Display.safe(String(run.output.prefix(200))))"))
                        case .failure(let why):
                            r.fail("notify", "command: \(why)")
                        }
                    }
                }
            }
            if let address = notify.email {
                if config.sender.email == nil {
                    r.fail("notify", "notify.email: the digest is sent from sender.email, which is not set")
                } else if Self.isRecipient(address, config: config) {
                    r.fail("notify", "notify.email is \(address), the address of someone you write notes to: the digest would go to them",
                           "set notify.email to your own address (or `email: true` for sender.email)")
                } else {
                    r.ok("notify", "email: a digest to \(address), at most one an hour\(notifyTest ? "" : " (`fuq doctor --notify-test` sends a test)")")
                }
            }
            if !notify.desktop && notify.email == nil && notify.command == nil {
                r.note("notify", "every channel is off: only `fuq status` shows what waits on you (docs: notify)")
            }
        }

        /// Whether a note in the queue goes to `address` (no queue yet: no).
        static func isRecipient(_ address: String, config: FuqConfig) -> Bool {
            guard FileManager.default.fileExists(atPath: config.queuePath) else { return false }
            return (try? QueueStore(path: config.queuePath, readOnly: true).isRecipient(address)) ?? false
        }

        /// Why `program` cannot be run, or nil.
        static func unrunnable(_ program: String) -> String? {
            if program.contains("/") {
                return access(program, X_OK) == 0 ? nil : "\(program) is not an executable file"
            }
            let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
            for folder in path.split(separator: ":") where access("\(folder)/\(program)", X_OK) == 0 { return nil }
            return "\(program) is not on PATH (\(path))"
        }

        private func testDigest(to address: String, from: String, transport: CurlSMTPTransport, into r: inout Report) {
            let message = OutgoingMessage(from: .init(name: "fuq", email: from), to: .init(name: nil, email: address),
                                          subject: "fuq: test notification", date: Date(),
                                          messageID: "<fuq-test-\(UUID().uuidString.lowercased())@\(from.split(separator: "@").last ?? "localhost")>",
                                          body: "This is a test from `fuq doctor --notify-test`: the digest of what needs you arrives like this, at most once an hour.\n")
            let result = transport.send(Envelope(from: from, recipients: [address], data: MIMEComposer.render(message)))
            if result.outcome == .sent {
                r.ok("notify", "email: test sent to \(address) (\(Display.safe(result.text)))")
            } else {
                r.fail("notify", "email: the test to \(address) was not accepted: \(result.code.map { "\($0) " } ?? "")\(Display.safe(result.text))")
            }
        }

        /// `imap:`: logs in, lists the folders, checks `imap.folders` and says where copies of
        /// sent notes go. Reads nothing and changes nothing.
        private func checkMailbox(_ imap: IMAPConfig, smtp: SMTPSettings, into r: inout Report) {
            let environment = ProcessInfo.processInfo.environment
            let reader: CurlIMAPClient
            do {
                reader = try MailboxSession.open(imap, smtp: smtp, environment: environment)
            } catch {
                r.fail("imap", (error as? LocalizedError)?.errorDescription ?? "\(error)")
                return
            }
            let listed: [MailFolder]
            do {
                listed = try reader.folders()
            } catch let error as MailboxError {
                switch error {
                case .unreachable, .timedOut: r.fail("imap", error.errorDescription ?? "\(error)", nil, Exit.tempFail)
                default: r.fail("imap", error.errorDescription ?? "\(error)")
                }
                return
            } catch {
                r.fail("imap", "\(error)")
                return
            }
            r.ok("imap", "logged in to \(reader.host) as \(imap.settings.username) (\(MailboxSession.Secret.source(imap, smtp: smtp, environment: environment)))")
            let names = listed.filter { !$0.has("\\Noselect") && !$0.has("\\NonExistent") }.map(\.name)
            let shown = names.prefix(15).map { "\"\($0)\"" }.joined(separator: ", ") + (names.count > 15 ? ", …" : "")
            let missing = imap.folders.filter { !names.contains($0) }
            if missing.isEmpty {
                r.ok("folders", "replies are looked for in " + imap.folders.map { "\"\($0)\"" }.joined(separator: ", "))
            } else {
                r.fail("folders", "imap.folders names " + missing.map { "\"\($0)\"" }.joined(separator: ", ") + ", which the mailbox does not have",
                       "use the names exactly as the server spells them; it has \(shown)")
            }
            if SentCopy.isGmailStyle(imap, folders: listed) {
                r.ok("sent", "Gmail files the notes it sends into Sent itself; fuq stores no copy")
                return
            }
            do {
                let sent = try SentCopy.sentFolder(imap, folders: listed, host: reader.host)
                if imap.sentFolder != nil, !names.contains(sent) {
                    r.fail("sent", "imap.sent_folder is \"\(sent)\", which the mailbox does not have", "set it to one of \(shown)")
                } else {
                    r.ok("sent", "a copy of each sent note goes to \"\(sent)\"\(imap.sentFolder == nil ? " (the folder marked \\Sent)" : " (imap.sent_folder)")")
                }
            } catch {
                r.fail("sent", (error as? LocalizedError)?.errorDescription ?? "\(error)",
                       "add to the `imap:` section, e.g.:\nimap:\n  sent_folder: \(names.first { $0.lowercased().contains("sent") } ?? "Sent")")
            }
        }

        private func report(_ check: CurlSMTPTransport.ConnectionCheck, url: String, host: String, settings: SMTPSettings,
                            into r: inout Report) {
            let failed = check.failedStep
            let secure = url.lowercased().hasPrefix("smtps://")
            if failed == .connect {
                r.fail("connect", "cannot connect to \(host): \(check.curlMessage)",
                     "check the host and port in smtp.url; is the server up, is a firewall in the way?", Exit.tempFail)
                return
            }
            r.ok("connect", "reached \(host)")
            guard failed != .greeting, let greeting = check.replies.first else {
                r.fail("greeting", "connected, but the server said nothing within smtp.reply_timeout (\(DurationText.format(settings.replyTimeout)))",
                     secure ? "is this port really TLS-from-the-start? port 587 wants smtp:// (STARTTLS)"
                            : "port 465 wants smtps:// (TLS from the first byte); 587 wants smtp://", Exit.tempFail)
                return
            }
            r.ok("greeting", greeting)
            if failed == .tls {
                r.fail("tls", check.curlMessage, settings.caFile == nil
                     ? "if the server uses a private CA, set smtp.ca_file; otherwise check the host name in smtp.url matches its certificate"
                     : "check that smtp.ca_file signed the server's certificate and the host name in smtp.url matches it", Exit.config)
                return
            }
            if settings.tls == .none && !secure {
                r.ok("tls", "off (smtp.tls: none; allowed only on this machine)")
            } else {
                let how = secure ? "TLS from the first byte" : "STARTTLS"
                r.ok("tls", "\(how), certificate verified\(check.tls.map { "; \($0.replacingOccurrences(of: "SSL connection using ", with: ""))" } ?? "")")
            }
            let mechanisms = check.capabilities.first { $0.uppercased().hasPrefix("AUTH") }.map { String($0.dropFirst(5)) }
            if failed == .auth {
                r.fail("auth", "the server refused \(settings.username ?? "the user"): \(check.replies.last { $0.hasPrefix("5") } ?? check.result.text)",
                     "check smtp.username; many providers want an app password, not your login password (docs/configuration.md: SMTP providers)", Exit.config)
                return
            }
            if let user = settings.username {
                r.ok("auth", "accepted as \(user)\(mechanisms.map { " (offered: \($0))" } ?? "")")
            } else {
                r.ok("auth", "not used (no smtp.username)\(mechanisms.map { "; the server offers \($0)" } ?? "")")
            }
            if failed == .server {
                r.fail("server", check.result.text, "the server answered but refused the session; its words above say why", check.result.outcome == .deferred ? Exit.tempFail : Exit.config)
            }
        }
    }
}
