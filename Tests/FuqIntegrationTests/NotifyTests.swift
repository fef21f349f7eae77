import Foundation
import Testing

/// A private D-Bus session bus (`dbus-daemon --session` on a socket in a temp folder) with a
/// freedesktop notification server (Tests/servers/notifyd.py, python3-dbus) that records every
/// Notify call it receives.
final class SessionBus {
    let folder: URL
    let address: String
    private let daemon = Process()
    private let server = Process()
    private let record: URL

    init(slow: Double = 0, markup: Bool = false) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("bus-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        address = "unix:path=\(folder.path)/bus"
        record = folder.appendingPathComponent("notifications.jsonl")
        daemon.executableURL = URL(fileURLWithPath: "/usr/bin/dbus-daemon")
        daemon.arguments = ["--session", "--nofork", "--address=\(address)", "--print-address"]
        daemon.standardOutput = FileHandle.nullDevice
        daemon.standardError = FileHandle.nullDevice
        try daemon.run()
        guard waitFor(timeout: 10, { FileManager.default.fileExists(atPath: self.folder.path + "/bus") }) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "dbus-daemon did not start"])
        }
        let ready = folder.appendingPathComponent("ready")
        FileManager.default.createFile(atPath: ready.path, contents: nil)
        server.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("servers/notifyd.py")
        server.arguments = [script.path, record.path] + (slow > 0 ? ["--slow", String(slow)] : []) + (markup ? ["--markup"] : [])
        server.environment = ["DBUS_SESSION_BUS_ADDRESS": address, "PATH": "/usr/bin:/bin"]
        server.standardOutput = try FileHandle(forWritingTo: ready)
        server.standardError = FileHandle.nullDevice
        try server.run()
        guard waitFor(timeout: 15, { ((try? String(contentsOf: ready, encoding: .utf8)) ?? "").contains("ready") }) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "the notification server did not start"])
        }
    }

    deinit {
        // SIGKILL: the test runner may leave SIGTERM ignored in its children.
        for p in [server, daemon] where p.isRunning {
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: folder)
    }

    /// Every Notify call so far: app, summary, body, urgency (0 low, 1 normal, 2 critical).
    func notifications() -> [[String: Any]] {
        let text = (try? String(contentsOf: record, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }
}

/// `notify:` end to end with the real binary: desktop notifications on a private session bus,
/// the digest to yourself at smtp-sink, and `notify.command` — each event told once.
@Suite("Notifications: desktop, digest, command; told once", .serialized)
struct NotifyTests {
    static func config(port: Int, followUps: Bool = true, notify: String = "") -> String {
        var text = DeliveryTests.config(port: port)
        if followUps { text = text.replacingOccurrences(of: "enabled: false", with: "enabled: true") }
        return text + notify
    }

    /// A sandbox on `bus`, delivering to `sink`.
    static func sandbox(sink: SMTPSink, bus: SessionBus?, followUps: Bool = true, notify: String = "") throws -> FuqSandbox {
        let s = try FuqSandbox()
        if let bus { s.environment["DBUS_SESSION_BUS_ADDRESS"] = bus.address }
        try s.writeConfig(config(port: sink.port, followUps: followUps, notify: notify))
        return s
    }

    static func summaries(_ bus: SessionBus) -> [String] { bus.notifications().compactMap { $0["summary"] as? String } }

    @Test("desktop: a follow-up waiting for your go-ahead is told once (normal urgency, with the command); `status` starts with Needs you; nothing after `confirm`; sent notes are not told by default")
    func goAhead() throws {
        let bus = try SessionBus()
        let sink = try SMTPSink()
        let s = try Self.sandbox(sink: sink, bus: bus)
        let sent = try FollowUpCLITests.thankYousSent(s)
        #expect(bus.notifications().isEmpty, "sent notes are news only with notify.sent: \(Self.summaries(bus))")
        #expect(!(try s.run(["status"]).stdout.contains("Needs you")))
        _ = try FollowUpCLITests.flushFollowUp(s, sent.followUp)
        let told = bus.notifications()
        #expect(told.count == 1, "\(told)")
        let n = try #require(told.first)
        #expect(n["app"] as? String == "fuq")
        #expect(n["summary"] as? String == "Follow-up to Dana Rivera waits for your go-ahead", "\(n)")
        #expect((n["body"] as? String)?.contains("fuq confirm \(sent.followUp)") == true, "\(n)")
        #expect((n["body"] as? String)?.contains("fuq replied \(sent.followUp)") == true, "\(n)")
        #expect((n["body"] as? String)?.contains("Acme Robotics") == true, "\(n)")
        #expect(n["urgency"] as? Int == 1)
        s.environment["COLUMNS"] = "44"
        let narrow = try s.run(["status"]).stdout
        #expect(narrow.contains("`fuq confirm \(sent.followUp)`"), "the command is never split: \(narrow)")
        s.environment["COLUMNS"] = nil
        let status = try s.run(["status"])
        #expect(status.stdout.hasPrefix("Needs you:\n"), "\(status.stdout)")
        #expect(status.stdout.contains("\(sent.followUp)  Follow-up to Dana Rivera waits for your go-ahead: `fuq confirm \(sent.followUp)`"), "\(status.stdout)")
        // Flushing again tells nothing new.
        _ = try s.run(["flush"])
        #expect(bus.notifications().count == 1)
        #expect(try s.run(["confirm", sent.followUp]).status == 0)
        #expect(!(try s.run(["status"]).stdout.contains("Needs you")))
        _ = try FollowUpCLITests.flushFollowUp(s, sent.followUp)
        #expect(try FollowUpCLITests.state(s, sent.followUp)["state"] as? String == "sent")
        #expect(bus.notifications().count == 1, "\(Self.summaries(bus))")
    }

    @Test("desktop: failed is critical, expired and uncertain are normal; each names the note and its command")
    func deliveryKinds() throws {
        let bus = try SessionBus()
        // 5xx on RCPT: failed.
        let refusing = try SMTPSink(faults: ["-f", "RCPT"])
        let s = try Self.sandbox(sink: refusing, bus: bus, followUps: false)
        #expect(try s.run(["enqueue", try s.file("i.yaml", DeliveryTests.panel), "--at", "now"]).status == 0)
        let id = try #require(try s.queued().first?["id"] as? String)
        _ = try s.run(["flush"])
        var told = bus.notifications()
        #expect(told.count == 1, "\(told)")
        #expect(told.last?["summary"] as? String == "Thank-you to José Müller failed", "\(told)")
        #expect((told.last?["body"] as? String)?.contains("500") == true, "the server's words: \(told)")
        #expect((told.last?["body"] as? String)?.contains("fuq retry \(id)") == true)
        #expect(told.last?["urgency"] as? Int == 2)

        // A note whose window passed while nothing ran: expired.
        let sink = try SMTPSink()
        let late = try Self.sandbox(sink: sink, bus: bus, followUps: false)
        #expect(try late.run(["enqueue", try late.file("i.yaml", DeliveryTests.panel), "--at", "now"]).status == 0)
        let lateID = try #require(try late.queued().first?["id"] as? String)
        let past = FuqSandbox.dbDate(Date().addingTimeInterval(-3 * 86400))
        try late.sql("UPDATE message SET due = '\(past)', latest = '\(past)'")
        _ = try late.run(["flush"])
        told = bus.notifications()
        #expect(told.count == 2, "\(told)")
        #expect(told.last?["summary"] as? String == "Thank-you to José Müller missed its window and was not sent", "\(told)")
        #expect((told.last?["body"] as? String)?.contains("fuq reschedule \(lateID) --at TIME") == true, "\(told)")
        #expect(told.last?["urgency"] as? Int == 1)

        // Left `sending` by a crash: uncertain at the next flush.
        let crashed = try Self.sandbox(sink: sink, bus: bus, followUps: false)
        #expect(try crashed.run(["enqueue", try crashed.file("i.yaml", DeliveryTests.panel), "--at", "now"]).status == 0)
        try crashed.sql("UPDATE message SET state = 'sending'")
        _ = try crashed.run(["flush"])
        told = bus.notifications()
        #expect(told.count == 3, "\(told)")
        #expect(told.last?["summary"] as? String == "Thank-you to José Müller may or may not have gone out", "\(told)")
        #expect((told.last?["body"] as? String)?.contains("fuq mark-sent") == true)
        #expect(told.last?["urgency"] as? Int == 1)
        #expect(try crashed.run(["status"]).stdout.contains("may or may not have gone out: `fuq show "))
    }

    @Test("desktop with a real mailbox: a reply found (follow-up cancelled), a bounce (critical), a colleague's mail, an unreadable mailbox")
    func mailboxKinds() throws {
        let bus = try SessionBus()
        let sink = try SMTPSink()
        let ca = try TestCA()
        let server = try Dovecot(.tls(ca))
        func sandbox(password: String? = nil) throws -> FuqSandbox {
            let s = try FollowUpCLITests.sandbox(sink: sink, server: server, ca: ca, password: password)
            s.environment["DBUS_SESSION_BUS_ADDRESS"] = bus.address
            return s
        }
        // A reply: good news, told once, however many follow-ups it cancelled.
        var s = try sandbox()
        var sent = try FollowUpCLITests.thankYousSent(s)
        try server.deliver(IMAPTests.message(from: "Dana Rivera <dana.rivera@acme.example>", subject: "Re: " + sent.subject,
                                             id: "n1@acme.example", extra: "In-Reply-To: \(sent.leadMessageID)"), received: FollowUpCLITests.afterSending)
        _ = try FollowUpCLITests.flushFollowUp(s, sent.followUp)
        var told = bus.notifications()
        #expect(told.count == 1, "\(told)")
        #expect(told.last?["summary"] as? String == "Acme Robotics replied: the follow-up to Dana Rivera is cancelled", "\(told)")
        #expect((told.last?["body"] as? String)?.contains("dana.rivera@acme.example wrote on") == true, "\(told)")
        #expect(told.last?["urgency"] as? Int == 1)
        server.clear()

        // A bounce report for the thank-you.
        s = try sandbox()
        sent = try FollowUpCLITests.thankYousSent(s)
        try server.deliver(FollowUpCLITests.bounceReport(messageID: sent.leadMessageID, subject: sent.subject), received: FollowUpCLITests.afterSending)
        _ = try FollowUpCLITests.flushFollowUp(s, sent.followUp)
        told = bus.notifications()
        #expect(told.count == 2, "the bounce is told, not also the follow-up it holds: \(told)")
        #expect(told.last?["summary"] as? String == "Thank-you to Dana Rivera bounced: the address dana.rivera@acme.example is wrong", "\(told)")
        #expect(told.last?["urgency"] as? Int == 2)
        server.clear()

        // Someone else at the company wrote.
        s = try sandbox()
        sent = try FollowUpCLITests.thankYousSent(s)
        try server.deliver(IMAPTests.message(from: "recruiting@acme.example", subject: "Your interview with Acme", id: "nc1@acme.example"),
                           received: FollowUpCLITests.afterSending)
        _ = try FollowUpCLITests.flushFollowUp(s, sent.followUp)
        told = bus.notifications()
        #expect(told.count == 3, "\(told)")
        #expect(told.last?["summary"] as? String == "Someone at Acme Robotics wrote: the follow-up to Dana Rivera is held", "\(told)")
        #expect((told.last?["body"] as? String)?.contains("recruiting@acme.example wrote on") == true, "\(told)")
        #expect((told.last?["body"] as? String)?.contains("fuq replied \(sent.followUp)") == true)
        #expect((told.last?["body"] as? String)?.components(separatedBy: "fuq replied").count == 2, "said once: \(told)")
        server.clear()

        // A wrong IMAP password: the follow-up is held, never sent unchecked.
        s = try sandbox(password: "wrong-password")
        sent = try FollowUpCLITests.thankYousSent(s)
        _ = try FollowUpCLITests.flushFollowUp(s, sent.followUp)
        told = bus.notifications()
        #expect(told.count == 4, "\(told)")
        #expect(told.last?["summary"] as? String == "fuq cannot read your mailbox: the follow-up to Dana Rivera is held", "\(told)")
        let body = (told.last?["body"] as? String) ?? ""
        #expect(body.contains("refused the login"), "\(body)")
        #expect(!body.contains("wrong-password"))
        #expect(!body.contains("`"), "\(body)")
    }

    @Test("the daemon pausing because the password command fails is told (critical), once, across restarts")
    func paused() throws {
        let bus = try SessionBus()
        let sink = try SMTPSink()
        let s = try Self.sandbox(sink: sink, bus: bus, followUps: false)
        try s.writeConfig(Self.config(port: sink.port, followUps: false) + "  username: alex\n  password_command: exit 3\n")
        #expect(try s.run(["enqueue", try s.file("i.yaml", DeliveryTests.panel), "--at", "now"]).status == 0)
        for _ in 0..<2 {
            let daemon = try DaemonProcess(s)
            #expect(daemon.waitStarted())
            #expect(waitFor(timeout: 15) { bus.notifications().count >= 1 }, "\(daemon.log)")
            usleep(300_000)
            daemon.signal(SIGTERM)
            _ = daemon.waitExit(timeout: 10)
        }
        let told = bus.notifications()
        // The second start pauses again for the same reason, with nothing sent in between: not news.
        #expect(told.count == 1, "\(told)")
        #expect(told.first?["summary"] as? String == "fuq paused delivery", "\(told)")
        #expect((told.first?["body"] as? String)?.contains("exited with status 3") == true, "\(told)")
        #expect(told.first?["urgency"] as? Int == 2)
    }

    @Test("email to yourself: a burst of 10 events is one digest (subject `fuq:`, each item with its command); the next waits for the hour")
    func digest() throws {
        let sink = try SMTPSink()
        let s = try Self.sandbox(sink: sink, bus: nil, followUps: false, notify: "notify:\n  desktop: false\n  email: true\n")
        #expect(try s.run(["enqueue", try s.file("i.yaml", FuqSandbox.bigPanel(10)), "--at", "now"]).status == 0)
        let past = FuqSandbox.dbDate(Date().addingTimeInterval(-3 * 86400))
        try s.sql("UPDATE message SET due = '\(past)', latest = '\(past)'")
        let flush = try s.run(["flush"])
        #expect(flush.stdout.contains("expired"), "\(flush.stdout)")
        let digests = sink.messages().filter { $0.contains("Subject: fuq:") }
        #expect(digests.count == 1, "\(digests.count) digests")
        let digest = try #require(digests.first)
        #expect(digest.contains("Subject: fuq: 10 things need you"), "\(digest)")
        #expect(digest.contains("To: Alex Kim <alex.kim@example.com>"), "\(digest)")
        #expect(digest.components(separatedBy: "Run: fuq reschedule ").count - 1 == 10, "\(digest)")
        #expect(sink.messages().count == 1, "nothing went to an interviewer")

        // More events within the hour wait for it.
        #expect(try s.run(["enqueue", try s.file("j.yaml", FuqSandbox.bigPanel(2, company: "Globex").replacingOccurrences(of: "@acme.example", with: "@globex.example")), "--at", "now"]).status == 0)
        try s.sql("UPDATE message SET due = '\(past)', latest = '\(past)' WHERE state = 'scheduled'")
        _ = try s.run(["flush"])
        #expect(sink.messages().filter { $0.contains("Subject: fuq:") }.count == 1)
        // An hour later the next flush sends them, and only them.
        try s.sql("UPDATE event SET emailAt = datetime(emailAt, '-61 minutes') WHERE emailAt IS NOT NULL")
        _ = try s.run(["flush"])
        let second = sink.messages().filter { $0.contains("Subject: fuq:") }
        #expect(second.count == 2)
        #expect(second.contains { $0.contains("Subject: fuq: 2 things need you") }, "\(second)")
    }

    /// A script that appends its environment's FUQ_ variables and its standard input to `record`.
    static func recorder(_ s: FuqSandbox, record: String, sleep: Int = 0) throws -> String {
        let path = try s.file("tell.sh", """
            #!/bin/sh
            \(sleep > 0 ? "sleep \(sleep) # fuq-notify-hang-\(s.root.lastPathComponent)" : "")
            { env | grep '^FUQ_' | sort; echo "stdin: $(cat)"; echo "--"; } >> \(record)
            echo "told $FUQ_ID"

            """)
        chmod(path, 0o755)
        return path
    }

    @Test("notify.command: the event in FUQ_ variables and as JSON on stdin, no shell; a hanging command is killed at its timeout, its children too")
    func command() throws {
        let sink = try SMTPSink(faults: ["-f", "RCPT"])
        let s = try FuqSandbox()
        let record = s.root.appendingPathComponent("told.txt").path
        let script = try Self.recorder(s, record: record)
        try s.writeConfig(Self.config(port: sink.port, followUps: false, notify: "notify:\n  desktop: false\n  command: [\(script)]\n"))
        #expect(try s.run(["enqueue", try s.file("i.yaml", DeliveryTests.panel), "--at", "now"]).status == 0)
        let id = try #require(try s.queued().first?["id"] as? String)
        _ = try s.run(["flush"])
        let text = try String(contentsOfFile: record, encoding: .utf8)
        #expect(text.components(separatedBy: "--\n").count - 1 == 1, "\(text)")
        #expect(text.contains("FUQ_EVENT=failed\n"), "\(text)")
        #expect(text.contains("FUQ_ID=\(id)\n"), "\(text)")
        #expect(text.contains("FUQ_TO=José Müller <"), "\(text)")
        #expect(text.contains("FUQ_SUMMARY=Thank-you to José Müller failed\n"), "\(text)")
        #expect(text.contains("FUQ_ACTION=fuq retry \(id)\n"), "\(text)")
        let json = try #require(text.split(separator: "\n").first { $0.hasPrefix("stdin: ") }).dropFirst(7)
        let event = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(event["event"] as? String == "failed")
        #expect(event["id"] as? String == id)
        #expect(event["urgency"] as? String == "critical")
        #expect(event["company"] as? String == "Acme Robotics")

        // A command that hangs: killed after notify.timeout with whatever it started, logged, never run again for that event.
        let hung = try FuqSandbox()
        let hungRecord = hung.root.appendingPathComponent("told.txt").path
        let slow = try Self.recorder(hung, record: hungRecord, sleep: 300)
        try hung.writeConfig(Self.config(port: sink.port, followUps: false, notify: "notify:\n  desktop: false\n  command: [\(slow)]\n  timeout: 2s\n"))
        #expect(try hung.run(["enqueue", try hung.file("i.yaml", DeliveryTests.panel), "--at", "now"]).status == 0)
        let started = Date()
        let flush = try hung.run(["flush"])
        #expect(Date().timeIntervalSince(started) < 20, "the flush waited \(Date().timeIntervalSince(started)) s")
        #expect(flush.stderr.contains("timed out after 2 s"), "\(flush.stderr)")
        let leftover = Process()
        leftover.executableURL = URL(fileURLWithPath: "/usr/bin/pgrep")
        leftover.arguments = ["-f", "fuq-notify-hang-\(hung.root.lastPathComponent)"]
        leftover.standardOutput = FileHandle.nullDevice
        try leftover.run()
        leftover.waitUntilExit()
        #expect(leftover.terminationStatus == 1, "the command's sleep outlived its timeout")
        let again = try hung.run(["flush"])
        #expect(!again.stderr.contains("timed out"), "an event is not retried: \(again.stderr)")
    }

    @Test("exactly once: an event recorded while nothing told it is told by the next daemon, once across SIGKILL and 3 restarts; a resolved one never")
    func onceAcrossRestarts() throws {
        let sink = try SMTPSink(faults: ["-f", "RCPT"])
        let s = try FuqSandbox()
        let record = s.root.appendingPathComponent("told.txt").path
        let script = try Self.recorder(s, record: record)
        try s.writeConfig(Self.config(port: sink.port, followUps: false, notify: "notify:\n  desktop: false\n  command: \(script)\n"))
        #expect(try s.run(["enqueue", try s.file("i.yaml", FuqSandbox.bigPanel(2)), "--at", "now"]).status == 0)
        let ids = try s.queued().compactMap { $0["id"] as? String }
        #expect(ids.count == 2)
        // `send-now` records each failure; it tells nothing itself (no daemon, no flush ran).
        _ = try s.run(["send-now"] + ids)
        #expect(!FileManager.default.fileExists(atPath: record))
        // One is resolved before anything told it.
        #expect(try s.run(["cancel", ids[1]]).status == 0)
        func told() -> [String] {
            ((try? String(contentsOfFile: record, encoding: .utf8)) ?? "").split(separator: "\n").filter { $0.hasPrefix("FUQ_ID=") }.map(String.init)
        }
        let first = try DaemonProcess(s)
        #expect(first.waitStarted())
        // Killed once the telling is recorded (killed between the command and that record, the
        // event would be told again: at least once, as the README says).
        #expect(waitFor(timeout: 15) { first.log.contains("notify.command told") }, "\(first.log)")
        first.signal(SIGKILL)
        _ = first.waitExit(timeout: 10)
        for _ in 0..<3 {
            let daemon = try DaemonProcess(s)
            #expect(daemon.waitStarted())
            usleep(700_000)
            daemon.signal(SIGTERM)
            #expect(daemon.waitExit(timeout: 10) == 0, "\(daemon.log)")
        }
        #expect(told() == ["FUQ_ID=\(ids[0])"], "\(told())")
    }

    static func listens(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } } == 0
    }

    @Test("the docs' ntfy example (Config/examples/fuq-ntfy) posts each event: title, priority, body, to the topic")
    func ntfyExample() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ntfy-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let port = try SMTPSink.freePort()
        let record = folder.appendingPathComponent("posts.jsonl").path
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        server.arguments = ["-c", """
            import http.server, json, sys
            class H(http.server.BaseHTTPRequestHandler):
                def do_POST(self):
                    body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                    with open(sys.argv[1], "a") as f:
                        f.write(json.dumps({"path": self.path, "title": self.headers.get("Title").encode("latin-1").decode("utf-8"), "priority": self.headers.get("Priority"),
                                            "tags": self.headers.get("Tags"), "body": body}) + "\\n")
                    self.send_response(200); self.end_headers(); self.wfile.write(b'{"id":"x"}')
                def log_message(self, *a): pass
            http.server.HTTPServer(("127.0.0.1", int(sys.argv[2])), H).serve_forever()
            """, record, String(port)]
        try server.run()
        defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Config/examples/fuq-ntfy").path
        let sink = try SMTPSink(faults: ["-f", "RCPT"])
        let s = try FuqSandbox()
        s.environment["NTFY_URL"] = "http://127.0.0.1:\(port)"
        s.environment["NTFY_TOPIC"] = "job-search-test"
        try s.writeConfig(Self.config(port: sink.port, followUps: false, notify: "notify:\n  desktop: false\n  command: [\(script)]\n"))
        #expect(try s.run(["enqueue", try s.file("i.yaml", DeliveryTests.panel), "--at", "now"]).status == 0)
        // The server is up once it takes a connection.
        #expect(waitFor(timeout: 10) { Self.listens(port) })
        let flush = try s.run(["flush", "--log-level", "info"])
        let posts = ((try? String(contentsOfFile: record, encoding: .utf8)) ?? "").split(separator: "\n")
            .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(posts.count == 1, "\(flush.stderr)")
        let post = try #require(posts.first)
        #expect(post["path"] as? String == "/job-search-test")
        #expect(post["title"] as? String == "Thank-you to José Müller failed", "\(post)")
        #expect(post["priority"] as? String == "high")
        #expect(post["tags"] as? String == "fuq,failed")
        #expect((post["body"] as? String)?.contains("fuq retry ") == true, "\(post)")
        #expect(flush.stderr.contains("notify.command told"), "\(flush.stderr)")
    }

    /// Notes whose windows passed while nothing ran: `flush` expires them (one event each).
    static func expired(_ s: FuqSandbox, _ file: String = DeliveryTests.panel) throws {
        #expect(try s.run(["enqueue", try s.file("e-\(UUID().uuidString.prefix(4)).yaml", file), "--at", "now"]).status == 0)
        let past = FuqSandbox.dbDate(Date().addingTimeInterval(-3 * 86400))
        try s.sql("UPDATE message SET due = '\(past)', latest = '\(past)' WHERE state = 'scheduled'")
    }

    @Test("a server that reads markup gets the body escaped: a company's & and a stranger's <b> are text")
    func markup() throws {
        let bus = try SessionBus(markup: true)
        let sink = try SMTPSink()
        let s = try Self.sandbox(sink: sink, bus: bus, followUps: false)
        try Self.expired(s, DeliveryTests.panel.replacingOccurrences(of: "company: Acme Robotics", with: "company: Procter & Robotics <b>x</b>"))
        _ = try s.run(["flush"])
        let body = try #require(bus.notifications().first?["body"] as? String)
        #expect(body.contains("Procter &amp; Robotics &lt;b&gt;x&lt;/b&gt;"), "\(body)")
        let plain = try SessionBus()
        let other = try Self.sandbox(sink: sink, bus: plain, followUps: false)
        try Self.expired(other, DeliveryTests.panel.replacingOccurrences(of: "company: Acme Robotics", with: "company: Procter & Gamble"))
        _ = try other.run(["flush"])
        #expect((plain.notifications().first?["body"] as? String)?.contains("(Procter & Gamble,") == true, "\(plain.notifications())")
    }

    @Test("doctor: notify.email set to an interviewer's address fails, and --notify-test sends nothing to them")
    func doctorRecipient() throws {
        let sink = try SMTPSink()
        let s = try Self.sandbox(sink: sink, bus: nil, followUps: false, notify: "notify:\n  desktop: false\n  email: true\n")
        let enqueued = try s.run(["enqueue", try s.file("i.yaml", DeliveryTests.panel), "--at", "now"])
        #expect(enqueued.status == 0, "\(enqueued.stderr)")
        let recipient = try #require(try s.queued().first?["to"] as? String)
        try s.writeConfig(Self.config(port: sink.port, followUps: false, notify: "notify:\n  desktop: false\n  email: \(recipient.uppercased())\n"))
        let doctor = try s.run(["doctor", "--notify-test"])
        #expect(doctor.status == 78, "\(doctor.stdout)")
        #expect(doctor.stdout.contains("the address of someone you write notes to"), "\(doctor.stdout)")
        #expect(sink.messages().isEmpty, "nothing may reach them")
        try s.writeConfig(Self.config(port: sink.port, followUps: false, notify: "notify:\n  desktop: false\n  email: true\n"))
        let test = try s.run(["doctor", "--notify-test"])
        #expect(test.status == 0, "\(test.stdout)")
        #expect(test.stdout.contains("Only the test digest to alex.kim@example.com was sent."), "\(test.stdout)")
        #expect(sink.messages().count == 1 && sink.messages()[0].contains("Subject: fuq: test notification"))
    }

    @Test("a digest that cannot go (no server) is tried again at the next hourly slot, and given up after 3 tries")
    func digestRetry() throws {
        let sink = try SMTPSink()
        let closed = try SMTPSink.freePort()
        let s = try Self.sandbox(sink: sink, bus: nil, followUps: false)
        let notify = "notify:\n  desktop: false\n  email: true\n"
        try s.writeConfig(Self.config(port: closed, followUps: false, notify: notify))
        try Self.expired(s)
        _ = try s.run(["flush"])
        func age() throws { try s.sql("UPDATE event SET emailAt = datetime(emailAt, '-61 minutes') WHERE emailAt IS NOT NULL") }
        // The server is back an hour later: the digest goes then.
        try s.writeConfig(Self.config(port: sink.port, followUps: false, notify: notify))
        _ = try s.run(["flush"])
        #expect(sink.messages().isEmpty, "within the hour nothing is tried again")
        try age()
        _ = try s.run(["flush"])
        #expect(sink.messages().filter { $0.contains("Subject: fuq:") }.count == 1, "\(sink.messages())")

        // Never reachable: three tries an hour apart, then given up (not tried in a loop).
        let t = try Self.sandbox(sink: sink, bus: nil, followUps: false)
        try t.writeConfig(Self.config(port: closed, followUps: false, notify: notify))
        try Self.expired(t)
        for _ in 0..<4 {
            _ = try t.run(["flush"])
            try t.sql("UPDATE event SET emailAt = datetime(emailAt, '-61 minutes') WHERE emailAt IS NOT NULL")
        }
        let state = try t.run(["status"])
        #expect(state.status == 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [t.queuePath, "SELECT emailTries || ' ' || email FROM event"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let rows = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(rows.split(separator: "\n").allSatisfy { $0.hasPrefix("3 failed: ") && $0.hasSuffix("(3 tries)") }, "\(rows)")
    }

    @Test("an event resolved while an earlier one's command runs is not told; SIGTERM kills a running command at once and it runs again at the next start")
    func resolvedMeanwhileAndStop() throws {
        let sink = try SMTPSink()
        let s = try FuqSandbox()
        let record = s.root.appendingPathComponent("told.txt").path
        let script = try s.file("slow.sh", "#!/bin/sh\necho \"start $FUQ_ID\" >> \(record)\nsleep 3\necho \"done $FUQ_ID\" >> \(record)\n")
        chmod(script, 0o755)
        try s.writeConfig(Self.config(port: sink.port, followUps: false, notify: "notify:\n  desktop: false\n  command: [\(script)]\n"))
        try Self.expired(s, FuqSandbox.bigPanel(2))
        let ids = try s.queued().compactMap { $0["id"] as? String }.sorted()
        let flush = Process()
        flush.executableURL = FuqSandbox.binary
        flush.arguments = ["flush"]
        flush.environment = s.environment
        flush.standardOutput = FileHandle.nullDevice
        flush.standardError = FileHandle.nullDevice
        try flush.run()
        func lines() -> [String] { ((try? String(contentsOfFile: record, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init) }
        #expect(waitFor(timeout: 15) { lines().contains { $0.hasPrefix("start ") } })
        let first = String(lines()[0].dropFirst(6))
        let second = ids.first { $0 != first }!
        #expect(try s.run(["cancel", second]).status == 0)
        flush.waitUntilExit()
        #expect(lines() == ["start \(first)", "done \(first)"], "\(lines())")

        // The daemon: a SIGTERM during a command ends both at once; the next start runs it again.
        let t = try FuqSandbox()
        let trecord = t.root.appendingPathComponent("told.txt").path
        let hang = try t.file("hang.sh", "#!/bin/sh\necho \"start $FUQ_ID\" >> \(trecord)\nsleep 100\n")
        chmod(hang, 0o755)
        try t.writeConfig(Self.config(port: sink.port, followUps: false, notify: "notify:\n  desktop: false\n  command: [\(hang)]\n  timeout: 90s\n"))
        try Self.expired(t)
        let daemon = try DaemonProcess(t)
        #expect(waitFor(timeout: 15) { ((try? String(contentsOfFile: trecord, encoding: .utf8)) ?? "").contains("start") }, "\(daemon.log)")
        let stopAt = Date()
        daemon.signal(SIGTERM)
        #expect(daemon.waitExit(timeout: 10) == 0, "\(daemon.log)")
        #expect(Date().timeIntervalSince(stopAt) < 5, "stopped in \(Date().timeIntervalSince(stopAt)) s")
        let again = try DaemonProcess(t)
        #expect(waitFor(timeout: 15) { ((try? String(contentsOfFile: trecord, encoding: .utf8)) ?? "").components(separatedBy: "start").count == 3 }, "\(again.log)")
        again.signal(SIGTERM)
        _ = again.waitExit(timeout: 10)
    }

    @Test("a queue from before notifications: what already waits on you is told once after the upgrade")
    func upgradedQueue() throws {
        let sink = try SMTPSink()
        let s = try FuqSandbox()
        let record = s.root.appendingPathComponent("told.txt").path
        let script = try Self.recorder(s, record: record)
        try s.writeConfig(Self.config(port: sink.port, followUps: false, notify: "notify:\n  desktop: false\n"))
        try Self.expired(s)
        _ = try s.run(["flush"])
        // As a fuq without v7 left it: no event table, no triggers.
        try s.sql("DROP TRIGGER message_event; DROP TRIGGER mailbox_event; DROP TABLE event; DELETE FROM grdb_migrations WHERE identifier = 'v7'")
        try s.writeConfig(Self.config(port: sink.port, followUps: false, notify: "notify:\n  desktop: false\n  command: [\(script)]\n"))
        _ = try s.run(["flush"])
        _ = try s.run(["flush"])
        let told = ((try? String(contentsOfFile: record, encoding: .utf8)) ?? "").split(separator: "\n").filter { $0.hasPrefix("FUQ_EVENT=") }
        #expect(told == ["FUQ_EVENT=expired"], "\(told)")
    }
}
