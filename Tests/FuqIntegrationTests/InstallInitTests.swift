import Foundation
import FuqCore
import Testing

/// `fuq init` and `scripts/install` as a new user meets them: the real binary and script in a
/// private HOME.
@Suite("fuq init and scripts/install")
struct InstallInitTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let answers = ["--name", "Alex Kim", "--email", "alex.kim@example.com", "--phone", "+1 555 0100",
                          "--link", "https://www.linkedin.com/in/alex-kim-example", "--link", "https://alex.example/#work"]

    func configPath(_ s: FuqSandbox) -> String { s.root.appendingPathComponent("config/fuq/config.yaml").path }

    @Test("init with flags writes a 0600 config the loader reads back as given; doctor and enqueue --dry-run accept it")
    func flags() throws {
        let s = try FuqSandbox()
        let sink = try SMTPSink()
        let result = try s.run(["init"] + Self.answers + ["--smtp-url", "smtp://127.0.0.1:\(sink.port)", "--smtp-tls", "none"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("Wrote \(configPath(s)) (mode 0600)"))
        #expect(result.stdout.contains("fuq can deliver through smtp://127.0.0.1:\(sink.port)"), "doctor ran in-process:\n\(result.stdout)")
        #expect(result.stdout.contains("fuq enqueue interview.yaml --dry-run"))

        var info = stat()
        #expect(stat(configPath(s), &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        let text = try String(contentsOfFile: configPath(s), encoding: .utf8)
        #expect(!text.contains("password:"), "no password key is ever written")
        #expect(text.contains("# The From address"), "each key is explained")
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.root.appendingPathComponent("config/fuq").path) == ["config.yaml"],
                "no temporary file left beside it")

        let config = try FuqConfig.load(explicitPath: nil, environment: s.environment)
        #expect(config.sender == Sender(name: "Alex Kim", email: "alex.kim@example.com", phone: "+1 555 0100",
                                        links: ["https://www.linkedin.com/in/alex-kim-example", "https://alex.example/#work"]))
        #expect(config.smtp == SMTPSettings(url: "smtp://127.0.0.1:\(sink.port)", tls: .none))
        #expect(config.policy == .standard)
        #expect(config.queuePath == s.queuePath)

        let doctor = try s.run(["doctor"])
        #expect(doctor.status == 0, "\(doctor.stdout)")
        #expect(doctor.stdout.contains("ok    tls       off"))
        let dryRun = try s.run(["enqueue", "-", "--dry-run"], stdin: FuqSandbox.interview())
        #expect(dryRun.status == 0, "\(dryRun.stderr)")
        #expect(dryRun.stdout.contains("Alex Kim"))
    }

    @Test("a server init's doctor cannot reach: the config is still written, exit 0, and it says what to fix")
    func unreachable() throws {
        let s = try FuqSandbox()
        let port = try SMTPSink.freePort()
        let result = try s.run(["init"] + Self.answers + ["--smtp-url", "smtp://127.0.0.1:\(port)", "--smtp-tls", "none",
                                                         "--smtp-user", "alex.kim@example.com", "--password-command", "printf 'pw: \"#1\"\\n'"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("ok    password  read from smtp.password_command"))
        #expect(try FuqConfig.load(explicitPath: nil, environment: s.environment).smtp
            == SMTPSettings(url: "smtp://127.0.0.1:\(port)", username: "alex.kim@example.com", passwordCommand: "printf 'pw: \"#1\"\\n'", tls: .none))
        #expect(result.stdout.contains("FAIL  connect"))
        #expect(result.stdout.contains("fix: check the host and port in smtp.url"))
        #expect(result.stdout.contains("The config is written, but doctor found a problem"))
        #expect(FileManager.default.fileExists(atPath: configPath(s)))
        #expect(try s.run(["doctor"]).status == 75)
    }

    @Test("an existing config is kept (73) unless --force replaces it")
    func overwrite() throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        let before = try Data(contentsOf: URL(fileURLWithPath: configPath(s)))
        let flags = ["init", "--no-doctor"] + Self.answers + ["--smtp-url", "smtps://smtp.example.com:465"]
        let refused = try s.run(flags)
        #expect(refused.status == 73)
        #expect(refused.stderr.contains("already exists; nothing was changed"))
        #expect(refused.stderr.contains("--force"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: configPath(s))) == before)

        let forced = try s.run(flags + ["--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try FuqConfig.load(explicitPath: nil, environment: s.environment).smtp.url == "smtps://smtp.example.com:465")
    }

    @Test("holidays: proposed from the user's time zone, --holidays overrides, none writes none; doctor reports them")
    func holidays() throws {
        let s = try FuqSandbox()
        s.environment["TZ"] = "America/Chicago"
        let flags = ["init", "--no-doctor"] + Self.answers + ["--smtp-url", "smtps://smtp.example.com:465"]
        #expect(try s.run(flags).status == 0)
        let config = try FuqConfig.load(explicitPath: nil, environment: s.environment)
        #expect(config.policy.holidays.regions(for: TimeZone(identifier: "America/New_York")!) == ["US"])
        #expect(try s.run(["doctor"]).stdout.contains("ok    holidays  US (data"))

        #expect(try s.run(flags + ["--force", "--holidays", "gb-eng"]).status == 0)
        #expect(try FuqConfig.load(explicitPath: nil, environment: s.environment).policy.holidays.regions(for: .gmt) == ["GB-ENG"])
        #expect(try s.run(flags + ["--force", "--holidays", "none"]).status == 0)
        #expect(try FuqConfig.load(explicitPath: nil, environment: s.environment).policy.holidays.isEmpty)
        let wrong = try s.run(flags + ["--force", "--holidays", "XX"])
        #expect(wrong.status == 64 && wrong.stderr.contains("known regions"))
    }

    @Test("a refused flag value or conflicting flags: exit 64 with the loader's reason, nothing written",
          arguments: [
              (["--email", "alex.kim@gmial.com"], "did you mean alex.kim@gmail.com?"),
              (["--smtp-url", "smtp://alex:secret@smtp.example.com:587"], "a user name or password inside smtp.url is not allowed"),
              (["--smtp-url", "https://smtp.example.com"], "expected smtps://host:465 or smtp://host:587"),
              (["--smtp-tls", "none"], "smtp.example.com needs TLS"),
              (["--smtp-tls", "off"], "expected `required` or `none`"),
              (["--name", "Alex\u{1B}[2JKim"], "U+001B (ESC)"),
              (["--phone", " "], "sender.phone is empty"),
              (["--password-command", "pass show mail"], "missing: --smtp-user"),
              (["--smtp-user", "alex", "--password-command", "x", "--password-file", "y"], "one password source"),
          ])
    func refused(extra: [String], message: String) throws {
        let s = try FuqSandbox()
        // The last --email/--name/… given wins, as with any option.
        let result = try s.run(["init", "--no-doctor"] + Self.answers + ["--smtp-url", "smtp://smtp.example.com:587"] + extra)
        #expect(result.status == 64, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: s.root.appendingPathComponent("config").path))
    }

    @Test("without a terminal and without the required flags: exit 64 naming every missing one")
    func missing() throws {
        let s = try FuqSandbox()
        let result = try s.run(["init", "--phone", "+1 555 0100", "--smtp-user", "alex"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("missing: --name, --email, --smtp-url, --password-command, --password-file or --password-credential"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: s.root.appendingPathComponent("config").path))

        let blocked = try s.file("blocked", "a file where a folder should be")
        let cannot = try s.run(["init", "--no-doctor", "--config", blocked + "/fuq/config.yaml"] + Self.answers + ["--smtp-url", "smtp://smtp.example.com:587"])
        #expect(cannot.status == 73)
        #expect(cannot.stderr.contains("cannot create \(blocked): a file of that name is in the way"), "\(cannot.stderr)")
    }

    @Test("at a terminal: a refused answer is asked again with the reason; Ctrl-C and end of input write nothing")
    func terminal() throws {
        let s = try FuqSandbox()
        let answers = "Alex Kim\nalex@gmial.com\nalex@gmail.com\n+1 555 0100\nhttps://alex.example\n\n\n\n1\npass show mail/gmail\nXX\nauto\nmaybe\nno\n"
        let result = try s.atTerminal("init --no-doctor", input: [("Your full name", answers)])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("not accepted: alex@gmial.com is not a usable address: gmial.com looks misspelled"))
        #expect(result.output.contains("[smtps://smtp.gmail.com:465]"), "the provider's server is offered")
        #expect(result.output.contains("Public holidays to skip") && result.output.contains("unknown region XX"), "asked again: \(result.output)")
        let config = try FuqConfig.load(explicitPath: nil, environment: s.environment)
        #expect(config.sender == Sender(name: "Alex Kim", email: "alex@gmail.com", phone: "+1 555 0100", links: ["https://alex.example"]))
        #expect(config.smtp == SMTPSettings(url: "smtps://smtp.gmail.com:465", username: "alex@gmail.com", passwordCommand: "pass show mail/gmail"))
        #expect(config.policy.holidays.fallback.regions == ["auto"])
        #expect(result.output.contains("Also email yourself a short digest") && result.output.contains("answer yes or no, or an address"), "\(result.output)")
        #expect(config.notify.email == nil && config.notify.desktop, "no digest, as answered")

        let given = try FuqSandbox()
        let quiet = try given.atTerminal("init --no-doctor --name 'Alex Kim' --email alex@example.com --phone 555 --smtp-url smtps://smtp.example.com:465", input: [])
        #expect(quiet.status == 0, "\(quiet.output)")
        #expect(!quiet.output.contains("link 1:") && !quiet.output.contains("user name"), "every required flag given: nothing is asked")
        #expect(try FuqConfig.load(explicitPath: nil, environment: given.environment).notify.email == "alex@example.com", "the digest is on unless declined")
        let declined = try given.run(["init", "--no-doctor", "--force", "--name", "Alex Kim", "--email", "alex@example.com", "--phone", "555",
                                      "--smtp-url", "smtps://smtp.example.com:465", "--notify-email", "no"])
        #expect(declined.status == 0, "\(declined.stderr)")
        #expect(try FuqConfig.load(explicitPath: nil, environment: given.environment).notify.email == nil)
        let wrong = try given.run(["init", "--no-doctor", "--force", "--name", "Alex Kim", "--email", "alex@example.com", "--phone", "555",
                                   "--smtp-url", "smtps://smtp.example.com:465", "--notify-email", "sometimes"])
        #expect(wrong.status == 64 && wrong.stderr.contains("--notify-email"), "\(wrong.stderr)")
        let elsewhere = try given.run(["init", "--no-doctor", "--force", "--name", "Alex Kim", "--email", "alex@example.com", "--phone", "555",
                                       "--smtp-url", "smtps://smtp.example.com:465", "--notify-email", "alerts@example.org"])
        #expect(elsewhere.status == 0, "\(elsewhere.stderr)")
        #expect(try FuqConfig.load(explicitPath: nil, environment: given.environment).notify.email == "alerts@example.org")

        let other = try FuqSandbox()
        let stopped = try other.atTerminal("init", input: [("Your full name", "Alex Kim\n"), ("Your email address", "\u{03}")])
        #expect(stopped.status == 130, "\(stopped.output)")
        #expect(stopped.output.contains("stopped; nothing was written"))
        let ended = try other.atTerminal("init", input: [("Your full name", "Alex Kim\n"), ("Your email address", "\u{04}")])
        #expect(ended.status == 64, "\(ended.output)")
        #expect(ended.output.contains("input ended before every answer was in"))
        #expect(!FileManager.default.fileExists(atPath: other.root.appendingPathComponent("config").path))
    }

    // MARK: - scripts/install

    @Test("scripts/install: binary, completions and user unit where XDG says; twice is fine; PREFIX moves ExecStart; --uninstall")
    func install() throws {
        let s = try FuqSandbox()
        let env = ["FUQ_BINARY": FuqSandbox.binary.path]
        let first = try s.script(["--no-man"], env: env)
        #expect(first.status == 0, "\(first.output)")
        let bin = s.root.appendingPathComponent(".local/bin/fuq").path
        let files = [bin, "data/bash-completion/completions/fuq", "data/zsh/site-functions/_fuq", "config/fish/completions/fuq.fish",
                     "config/systemd/user/fuq.service"].map { $0.hasPrefix("/") ? $0 : s.root.appendingPathComponent($0).path }
        #expect(FileManager.default.isExecutableFile(atPath: bin))
        for file in files.dropFirst() {
            let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
            #expect(text.contains("fuq"), "\(file) is installed and names fuq")
        }
        #expect(try runTool(bin, ["--version"]).output.contains("0.1.0"))
        #expect(try runTool(bin, ["init", "--help"]).output.contains("--password-credential"))
        let unit = try String(contentsOfFile: files[4], encoding: .utf8)
        #expect(unit.contains("\nExecStart=%h/.local/bin/fuq daemon\n"))
        #expect(first.output.contains("is not on your PATH"))
        #expect(first.output.contains("fuq init"))
        #expect(first.output.contains("fuq enqueue interview.yaml --dry-run"))
        #expect(first.output.contains("systemctl --user enable --now fuq"))

        let second = try s.script(["--no-man"], env: env)
        #expect(second.status == 0, "running twice is fine: \(second.output)")
        #expect(try String(contentsOfFile: files[4], encoding: .utf8) == unit)

        let prefix = s.root.appendingPathComponent("opt/fuq").path
        let moved = try s.script(["--no-man", "--prefix", prefix], env: env)
        #expect(moved.status == 0, "\(moved.output)")
        #expect(FileManager.default.isExecutableFile(atPath: prefix + "/bin/fuq"))
        #expect(try String(contentsOfFile: files[4], encoding: .utf8).contains("\nExecStart=\(prefix)/bin/fuq daemon\n"))

        let removed = try s.script(["--uninstall", "--prefix", prefix], env: env)
        #expect(removed.status == 0)
        #expect(!FileManager.default.fileExists(atPath: prefix + "/bin/fuq"))
        #expect(!FileManager.default.fileExists(atPath: files[4]))
        #expect(FileManager.default.fileExists(atPath: bin), "only the files of that install")
    }

    @Test("scripts/install --system: refused without root, nothing installed; staged under DESTDIR with the system unit and sysusers")
    func system() throws {
        let s = try FuqSandbox()
        chmod(s.root.path, 0o755)
        let stage = s.root.appendingPathComponent("stage").path
        let refused = try s.script(["--system", "--no-man"], env: ["FUQ_BINARY": FuqSandbox.binary.path, "PREFIX": stage + "/usr/local"],
                                   asNobody: true)
        #expect(refused.status == 77, "\(refused.output)")
        #expect(refused.output.contains("needs root"))
        #expect(!FileManager.default.fileExists(atPath: stage))

        let staged = try s.script(["--system", "--no-man"], env: ["FUQ_BINARY": FuqSandbox.binary.path, "DESTDIR": stage])
        #expect(staged.status == 0, "\(staged.output)")
        for path in ["/usr/local/bin/fuq", "/usr/local/share/bash-completion/completions/fuq", "/usr/local/share/zsh/site-functions/_fuq",
                     "/usr/local/share/fish/vendor_completions.d/fuq.fish", "/etc/sysusers.d/fuq.conf"] {
            #expect(FileManager.default.fileExists(atPath: stage + path), "\(path)")
        }
        let unit = try String(contentsOfFile: stage + "/etc/systemd/system/fuq.service", encoding: .utf8)
        #expect(unit.contains("\nExecStart=/usr/local/bin/fuq daemon --config /etc/fuq/config.yaml --db /var/lib/fuq/queue.sqlite\n"))
        #expect(staged.output.contains("sudo systemctl enable --now fuq"))
    }

    @Test("interactive init asks whether a relay on this machine uses TLS, and writes `tls: none` when told (doctor then no longer blames smtp.ca_file)")
    func loopbackRelayTLSQuestion() throws {
        let s = try FuqSandbox()
        let driver = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("servers/pty_init.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        // Links (none), the server, the TLS answer, no user name, holidays (default), the digest (default).
        process.arguments = [driver, FuqSandbox.binary.path, "", "smtp://127.0.0.1:2525", "none", "-", "", ""]
        var environment = s.environment
        environment["FUQ_INIT_FLAGS"] = "--name|Alex Kim|--email|alex@example.org|--phone|+1 555 0100"
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let shown = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(shown.contains("That server is on this machine. Does it use TLS?"), "\(shown)")
        let config = try String(contentsOf: s.root.appendingPathComponent("config/fuq/config.yaml"), encoding: .utf8)
        #expect(config.contains("\n  tls: none"), "\(config)")
    }
}

extension FuqSandbox {
    struct Output {
        var status: Int32
        var output: String
    }

    /// `fuq ARGUMENTS` at a pseudo-terminal (util-linux `script`): each piece of `input` is
    /// typed once the output shows its prompt (so a Ctrl-C never arrives before fuq listens).
    func atTerminal(_ arguments: String, input: [(after: String, type: String)]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", "\(FuqSandbox.binary.path) \(arguments)", "/dev/null"]
        process.environment = environment.merging(["TERM": "dumb"]) { $1 }
        process.currentDirectoryURL = root
        let out = Pipe(), stdin = Pipe()
        process.standardOutput = out
        process.standardError = out
        process.standardInput = stdin
        let seen = LockedText()
        out.fileHandleForReading.readabilityHandler = { handle in seen.append(handle.availableData) }
        try process.run()
        // A question the test does not answer must fail it, not hang the suite.
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
        defer { watchdog.cancel() }
        for piece in input {
            #expect(waitFor(timeout: 20) { seen.text.contains(piece.after) }, "no prompt \(piece.after): \(seen.text)")
            stdin.fileHandleForWriting.write(Data(piece.type.utf8))
        }
        process.waitUntilExit()
        out.fileHandleForReading.readabilityHandler = nil
        seen.append(out.fileHandleForReading.readDataToEndOfFile())
        try? stdin.fileHandleForWriting.close()
        return Output(status: process.terminationStatus, output: seen.text)
    }

    /// `scripts/install ARGUMENTS` with this HOME; `asNobody` runs it as uid 65534 (when root).
    func script(_ arguments: [String], env extra: [String: String], asNobody: Bool = false) throws -> Output {
        let process = Process()
        let script = InstallInitTests.repo.appendingPathComponent("scripts/install").path
        if asNobody && getuid() == 0 {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", script] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: script)
            process.arguments = arguments
        }
        process.environment = environment.merging(extra) { $1 }
        process.currentDirectoryURL = root
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}

/// Output collected from a reader thread.
final class LockedText: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ more: Data) { lock.withLock { data.append(more) } }
    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}
