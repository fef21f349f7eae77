import Foundation
import FuqCore
import Testing

/// `fuq daemon` with the real binary and a real SMTP sink.
@Suite("fuq daemon", .serialized)
struct DaemonTests {
    static func sandbox(sink: SMTPSink) throws -> FuqSandbox {
        let s = try FuqSandbox()
        try s.writeConfig(DeliveryTests.config(port: sink.port))
        return s
    }

    static func enqueueOne(_ s: FuqSandbox, company: String, email: String, at: String) throws -> [String: Any] {
        let r = try s.run(["enqueue", "--company", company, "--position", "SRE", "--ended", FuqSandbox.pastEnd, "--timezone", "UTC",
                           "--name", "Dana Rivera", "--honorific", "Ms.", "--to", email, "--topic", "the build farm", "--at", at, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let list = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]]
        return try #require(list?.first)
    }

    @Test("wake-up: a note due in 3 s goes out within 1 s of its time while the daemon slept on one due in an hour; so does a rescheduled one")
    func wakeUp() throws {
        let sink = try SMTPSink()
        let s = try Self.sandbox(sink: sink)
        let far = try Self.enqueueOne(s, company: "Far Future Inc", email: "far@example.com", at: "+1h")
        // Under systemd: log lines carry journald priorities instead of time stamps.
        let daemon = try DaemonProcess(s, environment: ["JOURNAL_STREAM": "8:12345"])
        #expect(daemon.waitStarted(), "\(daemon.log)")
        usleep(500_000)  // it is asleep now, on the far message
        let soon = try Self.enqueueOne(s, company: "Acme Robotics", email: "dana@acme.example", at: "+3s")
        let due = try #require(ISO8601DateFormatter().date(from: soon["due"] as! String))
        #expect(waitFor(timeout: 10) { sink.count >= 1 }, "nothing arrived: \(daemon.log)")
        let arrived = try #require(sink.arrivalTimes().first)
        let late = arrived.timeIntervalSince(due)
        #expect(late > -0.05 && late < 1.0, "accepted \(late) s after its due time")
        #expect(sink.count == 1, "the far-future note must not go")

        // Rescheduling the far note to "in 2 s" wakes the daemon too.
        #expect(try s.run(["reschedule", far["id"] as! String, "--at", "+2s"]).status == 0)
        let moved = try #require(try s.queued().first { $0["id"] as? String == far["id"] as? String })
        let newDue = try #require(ISO8601DateFormatter().date(from: moved["due"] as! String))
        #expect(waitFor(timeout: 10) { sink.count >= 2 }, "the rescheduled note did not arrive: \(daemon.log)")
        let second = try #require(sink.arrivalTimes().max())
        #expect(second.timeIntervalSince(newDue) > -0.05 && second.timeIntervalSince(newDue) < 1.0, "accepted \(second.timeIntervalSince(newDue)) s after its new due time")

        daemon.signal(SIGTERM)
        #expect(daemon.waitExit(timeout: 10) == 0)
        let lines = daemon.log.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("<6>delivery attempt") && $0.contains("mail.state=sent") }.count == 2, "one line per outcome: \(daemon.log)")
        #expect(lines.allSatisfy { $0.hasPrefix("<") }, "\(daemon.log)")
    }

    /// VmRSS, VmHWM (peak), RssAnon and RssFile of a process, in MiB.
    static func memory(_ pid: Int32) -> [String: Double] {
        let status = ProcFile.text("/proc/\(pid)/status") ?? ""
        var values: [String: Double] = [:]
        for line in status.split(separator: "\n") {
            let parts = line.split(separator: ":")
            guard parts.count == 2, ["VmRSS", "VmHWM", "RssAnon", "RssFile"].contains(String(parts[0])),
                  let kib = Double(parts[1].split(whereSeparator: \.isWhitespace).first ?? "") else { continue }
            values[String(parts[0])] = kib / 1024
        }
        return values
    }

    @Test("waiting an hour for its next note, the daemon's own memory (anonymous) is at most 10 MiB; it still sends a new note on time, then is as lean again")
    func leanWhileWaiting() throws {
        let sink = try SMTPSink()
        let s = try Self.sandbox(sink: sink)
        _ = try Self.enqueueOne(s, company: "Far Future Inc", email: "far@example.com", at: "+1h")
        let daemon = try DaemonProcess(s)
        #expect(daemon.waitStarted(), "\(daemon.log)")
        let pid = daemon.process.processIdentifier
        #expect(waitFor(timeout: 5) { Self.memory(pid)["RssAnon", default: .infinity] <= 10 }, "waiting: \(Self.memory(pid)) MiB")

        let soon = try Self.enqueueOne(s, company: "Acme Robotics", email: "dana@acme.example", at: "+3s")
        let due = try #require(ISO8601DateFormatter().date(from: soon["due"] as! String))
        #expect(waitFor(timeout: 10) { sink.count >= 1 }, "nothing arrived: \(daemon.log)")
        let late = try #require(sink.arrivalTimes().first).timeIntervalSince(due)
        #expect(late > -0.05 && late < 1.0, "accepted \(late) s after its due time")
        #expect(waitFor(timeout: 5) { Self.memory(pid)["RssAnon", default: .infinity] <= 10 }, "waiting again: \(Self.memory(pid)) MiB")
        #expect(sink.count == 1, "the far-future note must not go")
        daemon.signal(SIGTERM)
        #expect(daemon.waitExit(timeout: 10) == 0)
    }

    /// A panel of 200 notes, all due now.
    static func twoHundredDue(_ s: FuqSandbox) throws {
        #expect(try s.run(["enqueue", try s.file("panel.yaml", FuqSandbox.bigPanel(200)), "--at", "now"]).status == 0)
        try s.sql("UPDATE message SET due = '\(FuqSandbox.dbDate(Date()))'")
    }

    @Test("SIGKILL in the middle of 200 notes, restart: every note exactly once, except those marked uncertain (at most one per connection)",
          arguments: [1, 2, 4])
    func killMidFlush(connections: Int) throws {
        let sink = try SMTPSink()
        let s = try FuqSandbox()
        try s.writeConfig(DeliveryTests.config(port: sink.port) + "  connections: \(connections)\n")
        try Self.twoHundredDue(s)
        let first = try DaemonProcess(s)
        #expect(waitFor(timeout: 20) { sink.count >= 20 }, "\(first.log)")
        first.signal(SIGKILL)
        _ = first.waitExit(timeout: 5)
        let atKill = sink.count
        #expect(atKill < 200, "the flush finished before the kill; nothing was interrupted")

        let second = try DaemonProcess(s)
        let settled = try waitFor(timeout: 60) {
            try s.queued().allSatisfy { ["sent", "uncertain"].contains($0["state"] as? String) }
        }
        #expect(settled, "\(second.log)")
        second.signal(SIGTERM)
        #expect(second.waitExit(timeout: 10) == 0)

        let queued = try s.queued()
        #expect(queued.count == 200)
        let received = sink.messageIDs()
        #expect(Set(received).count == received.count, "a note was delivered twice")
        let sent = queued.filter { $0["state"] as? String == "sent" }.compactMap { $0["message_id"] as? String }
        let uncertain = queued.filter { $0["state"] as? String == "uncertain" }
        #expect(Set(sent).isSubset(of: Set(received)), "a note marked sent never arrived")
        #expect(uncertain.count <= connections, "at most the one in flight on each connection can be uncertain: \(uncertain.count)")
        for m in uncertain {
            #expect(second.log.contains(m["id"] as! String), "the restart names the uncertain note")
        }
        #expect(sent.count + uncertain.count == 200)
    }

    @Test("SIGTERM during a flush: exit 0, the note in flight recorded, nothing left sending")
    func termMidFlush() throws {
        let sink = try SMTPSink()
        let s = try Self.sandbox(sink: sink)
        try Self.twoHundredDue(s)
        let daemon = try DaemonProcess(s)
        #expect(waitFor(timeout: 20) { sink.count >= 20 }, "\(daemon.log)")
        daemon.signal(SIGTERM)
        #expect(daemon.waitExit(timeout: 10) == 0, "\(daemon.log)")
        let states = try s.queued().map { $0["state"] as? String ?? "" }
        #expect(!states.contains("sending"))
        #expect(!states.contains("uncertain"))
        #expect(states.filter { $0 == "sent" }.count == sink.count, "every note the sink has is recorded as sent")
        #expect(states.contains("scheduled"), "it stopped mid-way; the rest wait for the next start")
    }

    @Test("NOTIFY_SOCKET receives READY=1, STATUS=, WATCHDOG=1 and STOPPING=1")
    func notify() throws {
        let sink = try SMTPSink()
        let s = try Self.sandbox(sink: sink)
        _ = try Self.enqueueOne(s, company: "Acme Robotics", email: "dana@acme.example", at: "+2h")
        let socketPath = s.root.appendingPathComponent("notify.sock").path
        let fd = try bindDatagramSocket(socketPath)
        defer { close(fd) }
        let daemon = try DaemonProcess(s, environment: ["NOTIFY_SOCKET": socketPath, "WATCHDOG_USEC": "1000000"])
        var received: [String] = []
        waitFor(timeout: 10) {
            received += drain(fd)
            return received.contains { $0.contains("READY=1") } && received.contains { $0.contains("WATCHDOG=1") }
        }
        let ready = try #require(received.first { $0.contains("READY=1") }, "\(received) \(daemon.log)")
        #expect(ready.contains("STATUS=1 scheduled; next "), "\(ready)")
        #expect(ready.contains("to Dana Rivera"))
        #expect(received.contains { $0 == "WATCHDOG=1" }, "WATCHDOG_USEC=1 s asks for a keep-alive every 0.5 s: \(received)")
        daemon.signal(SIGTERM)
        #expect(daemon.waitExit(timeout: 10) == 0)
        received += drain(fd)
        #expect(received.contains("STOPPING=1"))
    }

    @Test("missed windows at start: past its latest → expired; otherwise moved to the next window, never sent at 3 a.m.")
    func missedWindow() throws {
        let sink = try SMTPSink()
        let s = try Self.sandbox(sink: sink)
        let zone = try #require(FuqSandbox.nightZone(), "no zone in the list is at night now")
        let text = FuqSandbox.interview(endingIn: -20, zone: zone).replacingOccurrences(of: "    timezone: Europe/London\n", with: "")
        #expect(try s.run(["enqueue", try s.file("i.yaml", text), "--at", "+1h"]).status == 0)
        let ids = try s.queued().compactMap { $0["id"] as? String }
        #expect(ids.count == 2)
        let now = Date()
        // The machine was off: one note's latest time passed, the other's is days away.
        try s.sql("UPDATE message SET due = '\(FuqSandbox.dbDate(now.addingTimeInterval(-12 * 3600)))', latest = '\(FuqSandbox.dbDate(now.addingTimeInterval(-3600)))' WHERE id = '\(ids[0])'")
        try s.sql("UPDATE message SET due = '\(FuqSandbox.dbDate(now.addingTimeInterval(-6 * 3600)))', latest = '\(FuqSandbox.dbDate(now.addingTimeInterval(4 * 86400)))' WHERE id = '\(ids[1])'")
        let daemon = try DaemonProcess(s)
        #expect(daemon.waitStarted())
        let decided = try waitFor(timeout: 10) {
            let states = try s.queued().map { $0["state"] as? String }
            return states.contains("expired")
        }
        #expect(decided, "\(daemon.log)")
        daemon.signal(SIGTERM)
        #expect(daemon.waitExit(timeout: 10) == 0)
        #expect(sink.count == 0, "nothing is sent at 3 a.m. for the reader")
        let queued = try s.queued()
        let expired = try #require(queued.first { $0["id"] as? String == ids[0] })
        #expect(expired["state"] as? String == "expired")
        #expect((expired["last_error"] as? String)?.contains("latest acceptable time") == true)
        let moved = try #require(queued.first { $0["id"] as? String == ids[1] })
        #expect(moved["state"] as? String == "scheduled")
        #expect((moved["reason"] as? String)?.contains("missed") == true, "\(moved)")
        let due = try #require(ISO8601DateFormatter().date(from: moved["due"] as! String))
        #expect(due > now, "moved to a later window")
        let status = try s.run(["status", "--all"])
        #expect(status.stdout.contains("missed"))
    }

    @Test("a second daemon on the same queue is refused with exit 75; flush and send-now defer to the running one")
    func secondDaemon() throws {
        let sink = try SMTPSink()
        let s = try Self.sandbox(sink: sink)
        let later = try Self.enqueueOne(s, company: "Acme Robotics", email: "dana@acme.example", at: "+2h")
        #expect(try s.run(["status"]).stdout.contains("No fuq daemon is running"), "status warns that nothing will send the notes")
        let first = try DaemonProcess(s)
        #expect(first.waitStarted())
        #expect(try s.run(["status"]).stdout.contains("The daemon is running (pid \(first.process.processIdentifier))"))
        let second = try DaemonProcess(s)
        #expect(second.waitExit(timeout: 10) == 75)
        #expect(second.log.contains("the fuq daemon (pid \(first.process.processIdentifier))"), "\(second.log)")
        let flush = try s.run(["flush"])
        #expect(flush.status == 0)
        #expect(flush.stdout.contains("daemon is running"), "\(flush.stdout)")
        // send-now while the daemon runs: handed to it, sent at once, reported.
        let send = try s.run(["send-now", later["id"] as! String])
        #expect(send.status == 0, "\(send.stdout) \(send.stderr)")
        #expect(send.stdout.contains("handed 1 note(s)") && send.stdout.contains("sent      \(later["id"] as! String)"), "\(send.stdout)")
        #expect(sink.count == 1)
        first.signal(SIGTERM)
        #expect(first.waitExit(timeout: 10) == 0)
    }

    @Test("a daemon paused by a refused password resumes as soon as smtp.password_file changes, written in place or renamed over",
          arguments: ["in place", "renamed over"])
    func resumesOnNewPassword(_ how: String) throws {
        let ca = try TestCA()
        let server = try PythonSMTPServer(.tlsAuth(ca: ca, user: TLSDeliveryTests.user, password: TLSDeliveryTests.password))
        let s = try TLSDeliveryTests.sandbox(port: server.port, ca: ca, password: "wrong")
        // Three notes: the first is held by the 535 and pauses delivery, the other two wait.
        #expect(try s.run(["enqueue", try s.file("panel.yaml", TLSDeliveryTests.panel), "--at", "now"]).status == 0)
        try s.sql("UPDATE message SET due = '\(FuqSandbox.dbDate(Date()))'")  // a panel's notes are spread out
        let daemon = try DaemonProcess(s)
        #expect(daemon.waitStarted(), "\(daemon.log)")
        #expect(waitFor(timeout: 10) { server.authFailures == 1 }, "\(daemon.log)")
        #expect(waitFor(timeout: 5) { (try? s.run(["status"]).stdout.contains("PAUSED")) == true }, "\(daemon.log)")
        #expect(server.messages().isEmpty)

        let path = s.root.appendingPathComponent("smtp-password").path
        let password = Data((TLSDeliveryTests.password + "\n").utf8)
        if how == "in place" {
            let file = try #require(FileHandle(forWritingAtPath: path))
            try file.truncate(atOffset: 0)
            try file.write(contentsOf: password)
            try file.close()
        } else {
            let fresh = path + ".new"
            #expect(FileManager.default.createFile(atPath: fresh, contents: password, attributes: [.posixPermissions: 0o600]))
            #expect(rename(fresh, path) == 0)
        }
        // Not a minute later: at once.
        #expect(waitFor(timeout: 10) { server.messages().count == 2 }, "the two waiting notes go with the new password: \(daemon.log)")
        #expect(daemon.log.contains("the password file changed"), "\(daemon.log)")
        #expect(try s.queued().filter { $0["state"] as? String == "held" }.count == 1, "the held note waits for `fuq retry`")
        #expect(!daemon.log.contains(TLSDeliveryTests.password) && !daemon.log.contains("wrong"), "no password in the log")
        daemon.signal(SIGTERM)
        #expect(daemon.waitExit(timeout: 10) == 0)
    }

    @Test("SIGHUP with a broken config: reported, the old one kept, still delivering")
    func reloadBadConfig() throws {
        let sink = try SMTPSink()
        let s = try Self.sandbox(sink: sink)
        let daemon = try DaemonProcess(s)
        #expect(daemon.waitStarted())
        try s.writeConfig("sender:\n  name: [unclosed\n")
        daemon.signal(SIGHUP)
        #expect(waitFor(timeout: 5) { daemon.log.contains("reload failed") }, "\(daemon.log)")
        #expect(daemon.process.isRunning)
        try s.writeConfig(DeliveryTests.config(port: sink.port))
        _ = try Self.enqueueOne(s, company: "Acme Robotics", email: "dana@acme.example", at: "+1s")
        #expect(waitFor(timeout: 10) { sink.count == 1 }, "\(daemon.log)")
        daemon.signal(SIGTERM)
        #expect(daemon.waitExit(timeout: 10) == 0)
    }

    @Test("systemd units pass systemd-analyze verify; the system unit's exposure is at most 2.0")
    func units() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("units-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // verify checks that ExecStart exists: point it at the binary under test.
        for (source, name) in [("systemd/fuq.service", "fuq.service"), ("systemd/user/fuq.service", "fuq-user.service")] {
            let text = try String(contentsOf: repo.appendingPathComponent(source), encoding: .utf8)
                .replacingOccurrences(of: "/usr/local/bin/fuq", with: FuqSandbox.binary.path)
                .replacingOccurrences(of: "%h/.local/bin/fuq", with: FuqSandbox.binary.path)
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
            let verify = try runTool("/usr/bin/systemd-analyze", ["verify", dir.appendingPathComponent(name).path])
            #expect(verify.status == 0, "\(name): \(verify.output)")
        }
        let security = try runTool("/usr/bin/systemd-analyze", ["security", "--offline=true", dir.appendingPathComponent("fuq.service").path])
        let line = try #require(security.output.split(separator: "\n").first { $0.contains("Overall exposure level") })
        let score = try #require(Double(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces).split(separator: " ")[0]))
        #expect(score <= 2.0, "\(line)")
    }
}

func runTool(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

func bindDatagramSocket(_ path: String) throws -> Int32 {
    let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
    var addr = sockaddr_un()
    addr.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &addr.sun_path) { raw in
        for (i, byte) in path.utf8.enumerated() { raw[i] = byte }
    }
    let ok = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
    guard ok == 0 else { throw CocoaError(.fileWriteUnknown) }
    _ = fcntl(fd, F_SETFL, O_NONBLOCK)
    return fd
}

/// Every datagram waiting on a non-blocking socket.
func drain(_ fd: Int32) -> [String] {
    var out: [String] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return out }
        out.append(String(decoding: buffer[0..<n], as: UTF8.self))
    }
}
