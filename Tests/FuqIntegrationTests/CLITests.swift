import Foundation
import Testing

/// The CLI as a user meets it: real binary, real SQLite file, exit codes and messages asserted.
@Suite("fuq CLI")
struct CLITests {
    @Test("enqueue the example, then status, show, cancel and reschedule")
    func happyPath() throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        let file = try s.file("interview.yaml", FuqSandbox.interview())
        let enqueued = try s.run(["enqueue", file])
        #expect(enqueued.status == 0, "\(enqueued.stderr)")
        #expect(enqueued.stdout.contains("Queued 2 thank-you notes for Acme Robotics"))
        #expect(enqueued.stdout.contains("Dana Rivera <dana.rivera@acme.example>"))
        #expect(enqueued.stdout.contains("interview ended"))

        let rows = try s.queued()
        #expect(rows.count == 2)
        for key in ["id", "interview", "to", "subject", "state", "due", "latest", "reason", "attempts", "last_error"] {
            #expect(rows.allSatisfy { $0[key] != nil }, "status --json lacks \(key)")
        }
        #expect(rows.allSatisfy { $0["state"] as? String == "scheduled" })
        let dana = try #require(rows.first { $0["to"] as? String == "dana.rivera@acme.example" })
        let id = try #require(dana["id"] as? String)
        #expect((dana["due"] as? String)?.range(of: #"[+-]\d\d:\d\d$"#, options: .regularExpression) != nil, "due carries an offset")

        let status = try s.run(["status"])
        #expect(status.status == 0)
        #expect(status.stdout.split(separator: "\n").allSatisfy { $0.count <= 100 }, "the table fits 100 columns:\n\(status.stdout)")
        #expect(status.stdout.contains(id))

        let show = try s.run(["show", id])
        #expect(show.stdout.contains("Dear Ms. Rivera,"))
        #expect(show.stdout.contains("moving the build farm to Kubernetes"))
        #expect(show.stdout.contains("Alex Kim"))

        let moved = try s.run(["reschedule", id, "--at", "+3h"])
        #expect(moved.status == 0, "\(moved.stderr)")
        let after = try s.queued().first { $0["id"] as? String == id }
        #expect((after?["reason"] as? String)?.contains("you chose --at +3h") == true)

        let cancel = try s.run(["cancel", id])
        #expect(cancel.status == 0)
        #expect(try s.run(["status", "--json"]).stdout.contains(id) == false, "a cancelled note is hidden without --all")
        let again = try s.run(["cancel", id])
        #expect(again.status == 65)
        #expect(again.stderr.contains("it is already cancelled. Nothing more happens to it."))
    }

    @Test("a queue path that is a named pipe is refused at once (exit 74), by reads and writes alike — never a hang")
    func fifoQueue() throws {
        let s = try FuqSandbox()
        try s.writeConfig(FuqSandbox.standardConfig)
        let fifo = s.root.appendingPathComponent("queue.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        for command in [["status"], ["show", "abcde"], ["flush"], ["cancel", "abcde"]] {
            let started = Date()
            let result = try s.run(command + ["--db", fifo])
            #expect(Date().timeIntervalSince(started) < 10, "\(command) took too long")
            #expect(result.status == 74, "\(command): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains("named pipe"), "\(command): \(result.stderr)")
        }
    }

    @Test("the same interview twice is refused: no duplicate notes")
    func duplicate() throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        let file = try s.file("interview.yaml", FuqSandbox.interview())
        #expect(try s.run(["enqueue", file]).status == 0)
        let second = try s.run(["enqueue", file])
        #expect(second.status == 65)
        #expect(second.stderr.contains("already waiting"))
        #expect(try s.queued().count == 2)
    }

    @Test("--dry-run shows the notes and stores nothing")
    func dryRun() throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        let result = try s.run(["enqueue", "-", "--dry-run"], stdin: FuqSandbox.interview())
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Dear Dr. Okafor,"))
        #expect(!FileManager.default.fileExists(atPath: s.queuePath))
    }

    @Test("the one-interviewer flags form")
    func flags() throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        let result = try s.run(["enqueue", "--to", "pat@acme.example", "--name", "Pat Lee", "--call-me", "Pat", "--company", "Acme",
                                "--position", "SRE", "--ended", "+0", "--timezone", "Europe/Berlin", "--topic", "SLOs", "--at", "+2h"])
        // --ended takes a date-time, not a relative form.
        #expect(result.status == 65)
        #expect(result.stderr.contains("--ended"))
        let f = ISO8601DateFormatter()
        let ok = try s.run(["enqueue", "--to", "pat@acme.example", "--name", "Pat Lee", "--call-me", "Pat", "--company", "Acme",
                            "--position", "SRE", "--ended", f.string(from: Date()), "--timezone", "Europe/Berlin", "--topic", "SLOs",
                            "--at", "+2h", "--json"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("\"to\" : \"pat@acme.example\""))
    }

    @Test("the flags form without --timezone refuses a system zone fuq cannot use (never GMT in its place), and takes a real one",
          arguments: [("America/NewYork", false), ("Nowhere/Bogus", false), ("<+0545>-5:45", false), ("EST5EDT", false),
                      ("UTC", true), (":America/New_York", true), ("Asia/Kolkata", true)])
    func systemZone(tz: String, usable: Bool) throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        s.environment["TZ"] = tz
        let local = DateFormatter()
        local.locale = Locale(identifier: "en_US_POSIX")
        local.dateFormat = "yyyy-MM-dd'T'HH:mm"
        local.timeZone = TimeZone(identifier: "UTC")
        let r = try s.run(["enqueue", "--to", "pat@acme.example", "--name", "Pat Lee", "--call-me", "Pat", "--company", "Acme",
                           "--position", "SRE", "--ended", local.string(from: Date().addingTimeInterval(-3600)), "--topic", "SLOs"])
        if usable {
            #expect(r.status == 0, "\(tz): \(r.stderr)")
            #expect(!r.stdout.contains("GMT"), "\(tz): \(r.stdout)")
            #expect(try s.queued().count == 1)
        } else {
            #expect(r.status == 65, "\(tz): \(r.stdout) \(r.stderr)")
            #expect(r.stderr.contains("--timezone America/New_York") && r.stderr.contains("TZ=\(tz)"), "\(tz): \(r.stderr)")
            let nothingQueued = try !FileManager.default.fileExists(atPath: s.queuePath) || s.queued().isEmpty
            #expect(nothingQueued)
        }
    }

    struct BadInput: CustomTestStringConvertible, Sendable {
        var name: String
        var args: [String]
        var interview: String? = nil
        var config: String? = nil
        var code: Int32
        var message: String
        var testDescription: String { name }
    }

    static let badInputs: [BadInput] = [
        .init(name: "unknown time zone", args: [], interview: FuqSandbox.interview().replacingOccurrences(of: "America/New_York", with: "America/New_Yrok"),
              code: 65, message: "interview.timezone: unknown time zone America/New_Yrok"),
        .init(name: "EST abbreviation suggests an IANA name", args: [], interview: FuqSandbox.interview(zone: "UTC").replacingOccurrences(of: "timezone: UTC", with: "timezone: EST"),
              code: 65, message: "did you mean America/New_York?"),
        .init(name: "end before start", args: [],
              interview: FuqSandbox.interview().replacingOccurrences(of: "  start:", with: "  start: 2099-01-01T10:00\n  old_start:"),
              code: 65, message: "unknown key"),
        .init(name: "invalid address", args: [], interview: FuqSandbox.interview().replacingOccurrences(of: "k.okafor@acme.example", with: "k.okafor@acme"),
              code: 65, message: "interviewers[1].email: k.okafor@acme is not a usable address"),
        .init(name: "misspelled mail domain", args: [], interview: FuqSandbox.interview().replacingOccurrences(of: "k.okafor@acme.example", with: "kwame@gmial.com"),
              code: 65, message: "did you mean kwame@gmail.com?"),
        .init(name: "line break in a header field", args: [], interview: FuqSandbox.interview().replacingOccurrences(of: "company: Acme Robotics", with: "company: \"Acme\\r\\nBcc: x@evil.example\""),
              code: 65, message: "company: company must be a single line"),
        .init(name: "missing honorific", args: [], interview: FuqSandbox.interview().replacingOccurrences(of: "    honorific: Dr.\n", with: ""),
              code: 65, message: "needs `honorific:`"),
        .init(name: "same topic for two interviewers", args: [],
              interview: FuqSandbox.interview().replacingOccurrences(of: "on-call load and how the team measures toil", with: "moving the build farm to Kubernetes"),
              code: 65, message: "same topic as Dana Rivera"),
        .init(name: "a leftover placeholder", args: [], interview: FuqSandbox.interview(extra: "").replacingOccurrences(of: "    lead: true", with: "    lead: true\n    note: I met [Hiring Manager] too."),
              code: 65, message: "leftover placeholder \"[Hiring Manager]\""),
        .init(name: "template variable without a value", args: [], config: "sender:\n  name: Alex Kim\n  email: alex@example.com\n",
              code: 65, message: "uses {{sender.phone}} but it has no value"),
        .init(name: "no sender configured", args: [], config: "", code: 78, message: "sender.name is not set"),
        .init(name: "malformed config names file, line and key", args: [], config: "sender:\n  name: Alex\npolicy:\n  evening: \"18:00-17:00\"\n",
              code: 78, message: "config.yaml:4: policy.evening: expected a window"),
        .init(name: "mistyped config key", args: [], config: "sender:\n  name: Alex\n  emial: a@example.com\n", code: 78, message: "did you mean `email`?"),
        .init(name: "password in config refused", args: [], config: FuqSandbox.standardConfig + "\nsmtp:\n  password: hunter2\n", code: 78, message: "never stores a password"),
        .init(name: "past --at", args: ["--at", "2020-01-01T10:00"], code: 65, message: "is in the past"),
        .init(name: "unreadable --at", args: ["--at", "tomorrow-ish"], code: 65, message: "cannot read --at tomorrow-ish"),
        .init(name: "too late for the policy", args: [], interview: FuqSandbox.interview(endingIn: -96), code: 65, message: "too late for a thank-you"),
        .init(name: "file and flags together", args: ["--to", "a@b.example"], code: 64, message: "not both"),
        .init(name: "unknown log level", args: ["--log-level", "loud"], code: 64, message: "--log-level loud is not a level"),
        .init(name: "missing interview file", args: ["nope.yaml"], code: 66, message: "no such file"),
        .init(name: "not YAML", args: [], interview: "company: [unclosed\n", code: 65, message: "not valid YAML"),
    ]

    @Test("bad input: clear message, documented exit code, nothing enqueued", arguments: badInputs)
    func badInput(_ c: BadInput) throws {
        let s = try FuqSandbox()
        try s.writeConfig(c.config ?? FuqSandbox.standardConfig)
        var args = ["enqueue"]
        if !c.args.contains("nope.yaml") { args.append(try s.file("interview.yaml", c.interview ?? FuqSandbox.interview())) }
        args += c.args
        let result = try s.run(args)
        #expect(result.status == c.code, "stderr: \(result.stderr)")
        #expect(result.stderr.contains(c.message), "stderr: \(result.stderr)")
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"))
        #expect(try s.queued().isEmpty, "nothing may be enqueued")
    }

    @Test("an interview ending before it starts is refused")
    func endBeforeStart() throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        let text = FuqSandbox.interview().replacingOccurrences(of: "  start: ", with: "  start: 2099-01-01T10:00\n  #")
        let result = try s.run(["enqueue", try s.file("i.yaml", text)])
        #expect(result.status == 65)
        #expect(result.stderr.contains("interview.end: the interview ends before it starts"))
        #expect(try s.queued().isEmpty)
    }

    @Test("a queue file that is not a database: exit 74, clear message")
    func notADatabase() throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        let bogus = try s.file("bogus.sqlite", String(repeating: "not sqlite\n", count: 200))
        let result = try s.run(["status", "--db", bogus])
        #expect(result.status == 74, "\(result.stderr)")
        #expect(result.stderr.contains("is not a fuq queue"))
        let under = try s.run(["status", "--db", bogus + "/queue.sqlite"])
        #expect(under.status == 74)
        #expect(under.stderr.contains("cannot open the queue"))
    }

    @Test("a queue locked by another process: exit 75 after the busy timeout, nothing half-written")
    func locked() throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        // Creates the queue (`status` only reads: it creates nothing).
        #expect(try s.run(["enqueue", try s.file("first.yaml", FuqSandbox.interview(endingIn: -2))]).status == 0)
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        holder.arguments = ["-c", "import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1], isolation_level=None); c.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); time.sleep(30)", s.queuePath]
        let out = Pipe()
        holder.standardOutput = out
        try holder.run()
        defer { holder.terminate() }
        _ = out.fileHandleForReading.availableData  // waits for "locked"
        let result = try s.run(["enqueue", try s.file("i.yaml", FuqSandbox.interview())])
        #expect(result.status == 75, "\(result.stderr)")
        #expect(result.stderr.contains("locked by another program, python3 (pid \(holder.processIdentifier))"), "\(result.stderr)")
        #expect(!result.stderr.contains("another fuq"))
        holder.terminate()
        holder.waitUntilExit()
        #expect(try s.queued().count == 2, "only the first interview's notes")
    }
}
