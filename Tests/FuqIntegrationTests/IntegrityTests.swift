import Foundation
import Testing

/// What a user can type must never send a second thank-you, send at night for the reader, or
/// poison the queue. The real binary, a real queue, real servers; each test asserts what the
/// user would see: exit code, message, `status --all --json`, what the server received.
@Suite("Integrity under everything a user can type")
struct IntegrityTests {
    func enqueued(_ s: FuqSandbox, _ yaml: String = FuqSandbox.interview(), _ extra: [String] = []) throws -> FuqSandbox.Result {
        try s.run(["enqueue", try s.file("i-\(UUID().uuidString.prefix(6)).yaml", yaml)] + extra)
    }

    func states(_ s: FuqSandbox) throws -> [String: String] {
        Dictionary(try s.queued().map { ($0["id"] as! String, $0["state"] as! String) }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: - Duplicates

    @Test("the same people re-enqueued with a changed company spelling and end time: refused, naming the note; --replace cancels it in the same step; --also adds one on purpose")
    func duplicateByRecipient() throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        #expect(try enqueued(s).status == 0)
        let first = try s.queued()
        let variant = FuqSandbox.interview(endingIn: 2 + 5.0 / 60).replacingOccurrences(of: "Acme Robotics", with: "Acme Robotics Inc")
        let again = try enqueued(s, variant)
        #expect(again.status == 65)
        let dana = try #require(first.first { $0["to"] as? String == "dana.rivera@acme.example" }?["id"] as? String)
        #expect(again.stderr.contains("already waiting for dana.rivera@acme.example as \(dana)"), "\(again.stderr)")
        #expect(again.stderr.contains("--replace") && again.stderr.contains("--also"))
        #expect(try s.queued().count == 2, "nothing stored")

        let replaced = try enqueued(s, variant, ["--replace"])
        #expect(replaced.status == 0, "\(replaced.stderr)")
        let after = try s.queued()
        #expect(after.count == 4)
        #expect(after.filter { $0["state"] as? String == "cancelled" }.map { $0["id"] as! String }.sorted() == first.map { $0["id"] as! String }.sorted())
        #expect(after.filter { $0["state"] as? String == "scheduled" }.count == 2)

        let also = try enqueued(s, variant, ["--also"])
        #expect(also.status == 0, "\(also.stderr)")
        #expect(try s.queued().filter { $0["state"] as? String == "scheduled" }.count == 4)
        #expect(try s.run(["enqueue", "-", "--replace", "--also"], stdin: variant).status == 64)
    }

    @Test("a thank-you sent in the last 14 days also makes a new one a duplicate; --replace cannot unsend it")
    func duplicateOfSent() throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        #expect(try enqueued(s).status == 0)
        let id = try #require(try s.queued().first?["id"] as? String)
        try s.sql("UPDATE message SET state = 'sent', sentAt = '\(FuqSandbox.dbDate(Date().addingTimeInterval(-3 * 86400)))' WHERE id = '\(id)'")
        try s.sql("UPDATE message SET state = 'cancelled' WHERE id <> '\(id)'")
        let again = try enqueued(s, FuqSandbox.interview(endingIn: 3))
        #expect(again.status == 65)
        #expect(again.stderr.contains("was already sent"), "\(again.stderr)")
        #expect(try enqueued(s, FuqSandbox.interview(endingIn: 3), ["--replace"]).stderr.contains("cannot take it back"))
        #expect(try s.queued().count == 2)
    }

    // MARK: - fuq edit

    @Test("fuq edit: the edited words are stored with the same id, due time and Message-ID; unchanged or emptied changes nothing; a check failure keeps the text")
    func editInEditor() throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        #expect(try enqueued(s).status == 0)
        let before = try #require(try s.queued().first { $0["to"] as? String == "dana.rivera@acme.example" })
        let id = before["id"] as! String

        s.environment["EDITOR"] = "sed -i 's/^Dear Ms. Rivera,$/Dear Ms. Rivera,\\n\\nI really valued our conversation about the pipeline./'"
        let edited = try s.run(["edit", id])
        #expect(edited.status == 0, "\(edited.stderr)")
        let after = try #require(try s.queued().first { $0["id"] as? String == id })
        for key in ["due", "message_id", "latest", "state", "to"] { #expect("\(after[key]!)" == "\(before[key]!)", "\(key) kept") }
        let shown = try s.run(["show", id]).stdout
        #expect(shown.contains("I really valued our conversation"))
        #expect(shown.contains(" today ") || shown.contains(" yesterday "), "the day phrase is still worded at send time")

        s.environment["EDITOR"] = "true"
        let unchanged = try s.run(["edit", id])
        #expect(unchanged.status == 0)
        #expect(unchanged.stdout.contains("No change"))

        s.environment["VISUAL"] = "sed -i 's/.*//'"
        let emptied = try s.run(["edit", id])
        #expect(emptied.status == 65)
        #expect(emptied.stderr.contains("emptied"))

        s.environment["VISUAL"] = "sed -i 's/I really valued/Thanks [Company Name], I really valued/'"
        let refused = try s.run(["edit", id])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("leftover placeholder"))
        let kept = try #require(refused.stderr.range(of: #"kept in (\S+)"#, options: .regularExpression).map { String(refused.stderr[$0].dropFirst(8)) })
        #expect(try String(contentsOfFile: kept, encoding: .utf8).contains("[Company Name]"))
        #expect(try s.run(["show", id]).stdout.contains("[Company Name]") == false, "nothing stored")
    }

    @Test("fuq edit --to / --name change the recipient and the greeting; a sent note cannot be edited")
    func editRecipient() throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        #expect(try enqueued(s).status == 0)
        let id = try #require(try s.queued().first { $0["to"] as? String == "dana.rivera@acme.example" }?["id"] as? String)
        let r = try s.run(["edit", id, "--to", "dana.cruz@acme.example", "--name", "Dana Cruz"])
        #expect(r.status == 0, "\(r.stderr)")
        let row = try #require(try s.queued().first { $0["id"] as? String == id })
        #expect(row["to"] as? String == "dana.cruz@acme.example")
        #expect(row["to_name"] as? String == "Dana Cruz")
        #expect(try s.run(["show", id]).stdout.contains("Dear Ms. Cruz,"))
        #expect(try s.run(["edit", id, "--to", "dana@gmial.com"]).status == 64)
        let unsplittable = try s.run(["edit", id, "--name", "Li Wei"])
        #expect(unsplittable.status == 65)
        #expect(unsplittable.stderr.contains("--last-name") && !unsplittable.stderr.contains("Usage:"), "\(unsplittable.stderr)")
        #expect(try s.run(["edit", id, "--name", "Li Wei", "--last-name", "Li"]).status == 0)
        #expect(try s.run(["show", id]).stdout.contains("Dear Ms. Li,"))
        #expect(try s.run(["edit", id, "--name", "Dana Cruz"]).status == 0)
        // The other interviewer's address: a second note to them would be a duplicate.
        let clash = try s.run(["edit", id, "--to", "k.okafor@acme.example"])
        #expect(clash.status == 65)
        #expect(clash.stderr.contains("already has a thank-you"))

        try s.sql("UPDATE message SET state = 'sent' WHERE id = '\(id)'")
        let sent = try s.run(["edit", id, "--name", "Dana Rivera"])
        #expect(sent.status == 65)
        #expect(sent.stderr.contains("it was already sent"))
    }

    @Test("after an editor edit, --name still changes the greeting; a # line in the body is the user's text; only {{interview.when}} may stay in braces; non-UTF-8 is refused, the draft kept")
    func editEdges() throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        let yaml = FuqSandbox.interview().replacingOccurrences(of: "topic: moving the build farm to Kubernetes",
                                                               with: "topic: moving the build farm to Kubernetes\n    note: \"#1 thing: the migration plan is on my site.\"")
        #expect(try enqueued(s, yaml).status == 0)
        let id = try #require(try s.queued().first { $0["to"] as? String == "dana.rivera@acme.example" }?["id"] as? String)
        s.environment["EDITOR"] = "sed -i 's/^Dear Ms. Rivera,$/Dear Ms. Rivera,\\n\\nI truly enjoyed it./'"
        #expect(try s.run(["edit", id]).status == 0)
        var shown = try s.run(["show", id]).stdout
        #expect(shown.contains("#1 thing: the migration plan"), "a body line starting with # is kept")
        #expect(try s.run(["edit", id, "--name", "Dana Jones"]).status == 0)
        shown = try s.run(["show", id]).stdout
        #expect(shown.contains("Dear Ms. Jones,") && !shown.contains("Rivera"), "\(shown)")
        let other = try s.run(["edit", id, "--name", "Kwame Okafor"])
        #expect(other.status == 65)
        #expect(other.stderr.contains("another interviewer"))

        s.environment["EDITOR"] = "sed -i 's/{{interview.when}}/{{interview.whenx}}/'"
        let braces = try s.run(["edit", id])
        #expect(braces.status == 65)
        #expect(braces.stderr.contains("only {{interview.when}}") && braces.stderr.contains("kept in"), "the draft is kept")
        s.environment["EDITOR"] = "sed -i '/^Subject:/d'"
        let noSubject = try s.run(["edit", id])
        #expect(noSubject.status == 65)
        #expect(noSubject.stderr.contains("Subject") && noSubject.stderr.contains("kept in"))
        s.environment["EDITOR"] = "perl -pi -e 's/truly/tr\\xe9s/'"
        let latin1 = try s.run(["edit", id])
        #expect(latin1.status == 65)
        #expect(latin1.stderr.contains("not UTF-8") && latin1.stderr.contains("kept in"))
        #expect(try s.run(["show", id]).stdout.contains("truly"), "nothing stored")
    }

    @Test("--dry-run says what the real run would refuse or replace")
    func dryRunDuplicates() throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        #expect(try enqueued(s).status == 0)
        let upper = FuqSandbox.interview(endingIn: 3).replacingOccurrences(of: "dana.rivera@", with: "Dana.Rivera@")
        let dry = try enqueued(s, upper, ["--dry-run"])
        #expect(dry.status == 65)
        #expect(dry.stderr.contains("already waiting"))
        let replace = try enqueued(s, upper, ["--dry-run", "--replace"])
        #expect(replace.status == 0)
        #expect(replace.stdout.contains("Would cancel"))
        #expect(try s.queued().count == 2)
    }

    @Test("rows with a number where a date or count belongs: show and cancel work, flush sends the rest, nothing traps")
    func numericGarbage() throws {
        let sink = try SMTPSink()
        let s = try FuqSandbox()
        try s.writeConfig(DeliveryTests.config(port: sink.port))
        #expect(try enqueued(s, FuqSandbox.interview(endingIn: -3), ["--at", "now"]).status == 0)
        #expect(try enqueued(s, FuqSandbox.interview(endingIn: -3).replacingOccurrences(of: "@acme.example", with: "@globex.example"), ["--at", "now"]).status == 0)
        let ids = try s.queued().map { $0["id"] as! String }
        try s.sql("UPDATE message SET due = '\(FuqSandbox.dbDate(Date()))'")
        try s.sql("UPDATE message SET due = -1 WHERE id = '\(ids[0])'")
        try s.sql("UPDATE message SET attempts = 9223372036854775807 WHERE id = '\(ids[1])'")
        for id in ids.prefix(2) {
            let show = try s.run(["show", id])
            #expect(show.status == 65, "\(show.stderr)")
            #expect(show.stderr.contains("cannot be read"))
        }
        let flush = try s.run(["flush"])
        #expect(flush.status == 0, "\(flush.stderr)")
        #expect(sink.count == 2, "the two readable notes are sent")
        for id in ids.prefix(2) { #expect(try s.run(["cancel", id]).status == 0) }
        #expect(try s.run(["status", "--all"]).stderr.isEmpty)
    }

    @Test("impossible time-zone offsets are refused, not read as another time", arguments: ["+25:00", "-99:00", "+99:99", "+05:60"])
    func impossibleOffsets(_ offset: String) throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        let r = try enqueued(s, FuqSandbox.interview(endingIn: -3), ["--at", f.string(from: Date().addingTimeInterval(7200)) + offset])
        #expect(r.status == 65)
        #expect(r.stderr.contains("cannot read --at"))
        #expect(try s.queued().isEmpty)
    }

    // MARK: - Night sends through the back door

    @Test("retry releases a note at once inside the reader's window, and at their next window when it is night for them")
    func retryRespectsTheReadersClock() throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        let night = try #require(FuqSandbox.nightZone())
        #expect(try enqueued(s, FuqSandbox.interview(endingIn: -30, zone: night), ["--at", "now"]).status == 0)
        let id = try #require(try s.queued().first?["id"] as? String)
        try s.sql("UPDATE message SET state = 'failed' WHERE id = '\(id)'")
        let r = try s.run(["retry", id])
        #expect(r.status == 0)
        #expect(r.stdout.contains("outside the reader's send windows") && r.stdout.contains("send-now"), "\(r.stdout)")
        let due = try #require(try s.queued().first { $0["id"] as? String == id }?["due"] as? String)
        let hour = Int(due.dropFirst(11).prefix(2))!
        #expect((7...9).contains(hour) || (18...20).contains(hour), "due \(due) is a window on the reader's clock")
    }

    @Test("retry on a scheduled note is refused and its due time kept")
    func retryScheduled() throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        #expect(try enqueued(s).status == 0)
        let row = try #require(try s.queued().first)
        let r = try s.run(["retry", row["id"] as! String])
        #expect(r.status == 65)
        #expect(r.stderr.contains("cannot retry") && r.stderr.contains("it is scheduled"))
        #expect(try s.queued().first { $0["id"] as? String == row["id"] as? String }?["due"] as? String == row["due"] as? String)
    }

    @Test("an id shorter than 2 characters, or with SQL wildcards, matches nothing: usage error, nothing changed", arguments: [
        ["send-now", ""], ["cancel", ""], ["cancel", "%"], ["retry", "_"], ["mark-sent", " "], ["show", "a"], ["edit", ""],
    ])
    func shortIDs(_ args: [String]) throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        #expect(try enqueued(s).status == 0)
        let r = try s.run(args)
        #expect(r.status == 64, "\(args): \(r.stderr)")
        #expect(r.stderr.contains("too short"))
        #expect(try s.queued().allSatisfy { $0["state"] as? String == "scheduled" })
        let wildcard = try s.run(["cancel", "%%"])
        #expect(wildcard.status == 65)
        #expect(wildcard.stderr.contains("no message %%"))
    }

    @Test("--at before the interview ends is refused; soon after it only warns")
    func atBeforeEnd() throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        let tomorrow = FuqSandbox.interview(endingIn: 24)
        let r = try enqueued(s, tomorrow, ["--at", "now"])
        #expect(r.status == 65)
        #expect(r.stderr.contains("before the interview ends"), "\(r.stderr)")
        #expect(try s.queued().isEmpty)
        let soon = try enqueued(s, tomorrow, ["--at", "+24h20m"])
        #expect(soon.status == 0, "\(soon.stderr)")
        #expect(try s.queued().allSatisfy { ($0["reason"] as? String)?.contains("sooner than") == true })
        let id = try #require(try s.queued().first?["id"] as? String)
        #expect(try s.run(["reschedule", id, "--at", "+1h"]).stderr.contains("before the interview ends"))
    }

    @Test("too late: the message names the next window on the reader's clock and the exact --at, which then works")
    func tooLateSuggestion() throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        let old = FuqSandbox.interview(endingIn: -24 * 5)
        let r = try enqueued(s, old)
        #expect(r.status == 65)
        #expect(!r.stderr.contains("--at now"))
        let at = try #require(r.stderr.range(of: #"--at \d{4}-\d\d-\d\dT\d\d:\d\d"#, options: .regularExpression).map { String(r.stderr[$0].dropFirst(5)) }, "\(r.stderr)")
        let hour = Int(at.dropFirst(11).prefix(2))!, minute = Int(at.dropFirst(14).prefix(2))!
        let clock = hour * 60 + minute
        #expect((450...570).contains(clock) || (1080...1260).contains(clock), "\(at) lies in a morning or evening window")
        #expect(r.stderr.contains("America/New_York"))
        let sent = try enqueued(s, old, ["--at", at])
        #expect(sent.status == 0, "\(sent.stderr)")
    }

    // MARK: - A queue that cannot be poisoned

    @Test("absurd --at values are refused, never stored, never a trap", arguments: [
        "9999-12-31T23:59:59Z", "+99999999999999d", "+999999999999999999999d", "+400d", "0001-01-01T00:00Z", "+1e9s", "+-5m", "now now",
    ])
    func absurdAt(_ at: String) throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        let r = try enqueued(s, FuqSandbox.interview(), ["--at", at])
        #expect(r.status == 65, "\(at): \(r.status) \(r.stderr)")
        #expect(try s.queued().isEmpty)
        #expect(try enqueued(s).status == 0)
        let id = try #require(try s.queued().first?["id"] as? String)
        let moved = try s.run(["reschedule", id, "--at", at])
        #expect(moved.status == 65, "\(at): \(moved.stderr)")
        let status = try s.run(["status", "--all", "--json"])
        #expect(status.status == 0)
    }

    @Test("an unreadable row (a date out of range, by hand) is reported by id and skipped; cancel removes it; the daemon keeps delivering")
    func unreadableRow() throws {
        let sink = try SMTPSink()
        let s = try FuqSandbox()
        try s.writeConfig(DeliveryTests.config(port: sink.port))
        #expect(try enqueued(s).status == 0)
        let rows = try s.queued()
        let bad = rows[0]["id"] as! String, good = rows[1]["id"] as! String
        try s.sql("UPDATE message SET due = '10000-01-01 00:00:00.000' WHERE id = '\(bad)'")
        let status = try s.run(["status"])
        #expect(status.status == 0)
        #expect(status.stdout.contains(good))
        #expect(status.stderr.contains("message \(bad) in the queue cannot be read") && status.stderr.contains("fuq cancel \(bad)"))
        let show = try s.run(["show", bad])
        #expect(show.status == 65)
        #expect(show.stderr.contains("due is \"10000-01-01"))

        try s.sql("UPDATE message SET due = '\(FuqSandbox.dbDate(Date()))' WHERE id = '\(good)'")
        let daemon = try DaemonProcess(s)
        #expect(daemon.waitStarted())
        #expect(waitFor(timeout: 10) { sink.count >= 1 }, "the readable note is delivered")
        usleep(300_000)
        #expect(daemon.process.isRunning, "one bad row does not stop the daemon: \(daemon.log)")
        #expect(daemon.log.components(separatedBy: "cannot be read back").count == 2, "reported once: \(daemon.log)")
        daemon.signal(SIGTERM)
        #expect(daemon.waitExit(timeout: 10) == 0)

        let cancel = try s.run(["cancel", bad])
        #expect(cancel.status == 0, "\(cancel.stderr)")
        let after = try s.run(["status", "--all"])
        #expect(after.stderr.isEmpty)
        #expect(!after.stdout.contains(bad))
    }

    @Test("a field that cannot go out is refused at enqueue (file): too long, control characters, bidi overrides", arguments: [
        ("Senior Platform Engineer", String(repeating: "Platform ", count: 220), "at most 120"),
        ("Dana Rivera", #""Dana\0Rivera""#, "U+0000 (NUL)"),
        ("Dana Rivera", #""Dana \e]0;pwned\aRivera""#, "U+001B (ESC)"),
        ("Acme Robotics", #""Acme\u202EscitoboR""#, "RIGHT-TO-LEFT OVERRIDE"),
        ("moving the build farm to Kubernetes", #""build\afarm""#, "U+0007 (BEL)"),
        ("dana.rivera@acme.example", #""dana\u0007@acme.example""#, "U+0007"),
        ("Dana Rivera", #""Dana Rivera\uFEFF""#, "U+FEFF"),
        ("Dana Rivera", #""Dana\u200BRivera""#, "U+200B"),
    ])
    func unsafeFieldsInFile(_ original: String, _ replacement: String, _ expected: String) throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        let r = try enqueued(s, FuqSandbox.interview().replacingOccurrences(of: original, with: replacement))
        #expect(r.status == 65, "\(r.stderr)")
        #expect(r.stderr.contains(expected), "\(r.stderr)")
        #expect(!r.stderr.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "the message itself never carries the character")
        #expect(try s.queued().isEmpty)
    }

    @Test("a field that cannot go out is refused at enqueue (flags)", arguments: [
        ("position", String(repeating: "Platform ", count: 220), "at most"),
        ("name", "Dana \u{1B}]0;pwned\u{7}Rivera", "U+001B (ESC)"),
        ("company", "Acme\u{202E}scitoboR", "RIGHT-TO-LEFT OVERRIDE"),
        ("topic", "build\u{7}farm", "U+0007"),
    ])
    func unsafeFields(_ field: String, _ value: String, _ expected: String) throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        var args = ["enqueue", "--to", "pat@acme.example", "--name", "Pat Lee", "--honorific", "Mx.", "--company", "Acme",
                    "--position", "SRE", "--ended", FuqSandbox.pastEnd, "--timezone", "UTC", "--topic", "error budgets", "--at", "now"]
        let flag = ["position": "--position", "name": "--name", "company": "--company", "topic": "--topic"][field]!
        args[args.firstIndex(of: flag)! + 1] = value
        let r = try s.run(args)
        #expect(r.status == 65, "\(r.stderr)")
        #expect(r.stderr.contains(expected), "\(r.stderr)")
        #expect(!r.stderr.contains("\u{1B}"), "the message itself never carries the escape")
        #expect(try s.queued().isEmpty)
    }

    @Test("text written into the queue by hand never reaches the terminal raw")
    func statusEscapesControls() throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        #expect(try enqueued(s).status == 0)
        try s.sql("UPDATE message SET subject = 'Hi' || char(27) || ']0;pwned' || char(7), recipientName = 'X' || char(27) || '[2J'")
        let status = try s.run(["status"])
        let show = try s.run(["show", try #require(try s.queued().first?["id"] as? String)])
        for out in [status.stdout, show.stdout] {
            #expect(!out.contains("\u{1B}") && !out.contains("\u{7}"))
            #expect(out.contains("\\u{1B}"))
        }
    }

    @Test("a template whose subject comes out longer than 250 characters: refused before anything is stored")
    func longSubject() throws {
        let s = try FuqSandbox()
        let templates = s.root.appendingPathComponent("templates")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        try "Subject: Thank you, {{interviewer.topic}} – {{position}} – {{sender.name}}\n\nDear {{interviewer.salutation}},\n\nThank you for the {{position}} interview at {{company}}.\n"
            .write(to: templates.appendingPathComponent("thank-you.mustache"), atomically: true, encoding: .utf8)
        try s.writeConfig(FuqSandbox.standardConfig + "\ntemplates:\n  dir: \(templates.path)\n")
        let topic = String(repeating: "capacity planning ", count: 15)
        let r = try enqueued(s, FuqSandbox.interview().replacingOccurrences(of: "moving the build farm to Kubernetes", with: topic))
        #expect(r.status == 65)
        #expect(r.stderr.contains("the subject is") && r.stderr.contains("keep it under 250"), "\(r.stderr)")
    }

    // MARK: - Nothing lost between the server's answer and the disk

    /// `fuq flush` on two notes due now, started in the background against `server` (slow):
    /// returns once the server has begun to receive the first note's DATA.
    func flushInFlight(_ s: FuqSandbox, _ server: PythonSMTPServer) throws -> (flush: Process, out: Pipe, err: Pipe) {
        try s.writeConfig(DeliveryTests.config(port: server.port))
        #expect(try enqueued(s, FuqSandbox.interview(endingIn: -3), ["--at", "now"]).status == 0)
        try s.sql("UPDATE message SET due = '\(FuqSandbox.dbDate(Date()))'")
        let flush = Process()
        flush.executableURL = FuqSandbox.binary
        flush.arguments = ["flush"]
        flush.environment = s.environment
        let out = Pipe(), err = Pipe()
        flush.standardOutput = out
        flush.standardError = err
        try flush.run()
        #expect(waitFor(timeout: 10) { !server.files("started").isEmpty })
        return (flush, out, err)
    }

    @Test("the queue locked when the server's answer arrives: the outcome is kept and written later — sent, not uncertain")
    func outcomeSurvivesBusyQueue() throws {
        let server = try PythonSMTPServer(.slow(delay: 2))
        let s = try FuqSandbox()
        let (flush, _, err) = try flushInFlight(s, server)
        // While the server sits on its answer, another process takes the queue for 8 s
        // (longer than fuq's 5 s busy timeout).
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        holder.arguments = ["-c", "import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1], isolation_level=None); c.execute('BEGIN IMMEDIATE'); time.sleep(8); c.execute('COMMIT')", s.queuePath]
        try holder.run()
        holder.waitUntilExit()
        flush.waitUntilExit()
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(log.contains("cannot record a delivery outcome yet"), "\(log)")
        let rows = try s.queued()
        #expect(rows.allSatisfy { $0["state"] as? String == "sent" }, "\(rows.map { $0["state"]! })")
        #expect(server.files("eml").count == 2, "each note once")
        #expect(flush.terminationStatus == 0)
    }

    @Test("Ctrl-C during fuq flush: the note in flight is finished and recorded, the rest untouched, exit 130", arguments: [SIGINT, SIGTERM])
    func interruptedFlush(_ signal: Int32) throws {
        let server = try PythonSMTPServer(.slow(delay: 1.5))
        let s = try FuqSandbox()
        let (flush, out, _) = try flushInFlight(s, server)
        kill(flush.processIdentifier, signal)
        flush.waitUntilExit()
        #expect(flush.terminationStatus == 128 + signal)
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(text.contains("1 more not tried"), "\(text)")
        let states = try s.queued().map { $0["state"] as! String }.sorted()
        #expect(states == ["scheduled", "sent"], "no uncertain note: \(states)")
        #expect(server.files("eml").count == 1)
    }

    @Test("status says a `sending` note whose process died was interrupted, not being sent")
    func interruptedStatus() throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        #expect(try enqueued(s).status == 0)
        let id = try #require(try s.queued().first?["id"] as? String)
        try s.sql("UPDATE message SET state = 'sending' WHERE id = '\(id)'")
        let status = try s.run(["status"])
        #expect(status.stdout.contains("interrupted"))
        #expect(!status.stdout.contains("being sent now"))
    }

    @Test("a refused password pauses the daemon: status calls do not make it log in again; `fuq retry` does")
    func pausedDaemonStaysPaused() throws {
        let ca = try TestCA()
        let server = try PythonSMTPServer(.tlsAuth(ca: ca, user: TLSDeliveryTests.user, password: TLSDeliveryTests.password))
        let s = try TLSDeliveryTests.sandbox(port: server.port, ca: ca, password: "wrong")
        // `retry` releases a note at once only inside the reader's window: make now one.
        let config = s.root.appendingPathComponent("config/fuq/config.yaml")
        try (String(contentsOf: config, encoding: .utf8) + FuqSandbox.allDays).write(to: config, atomically: true, encoding: .utf8)
        #expect(try enqueued(s, FuqSandbox.interview(endingIn: -3, zone: FuqSandbox.windowZone()), ["--at", "now"]).status == 0)
        let daemon = try DaemonProcess(s)
        #expect(daemon.waitStarted())
        #expect(waitFor(timeout: 10) { server.authFailures == 1 })
        for _ in 0..<3 {
            #expect(try s.run(["status"]).status == 0)
            #expect(try s.run(["show", try #require(try s.queued().first?["id"] as? String)]).status == 0)
        }
        usleep(1_000_000)
        #expect(server.authFailures == 1, "no login per status call")
        let held = try #require(try s.queued().first { $0["state"] as? String == "held" }?["id"] as? String)
        #expect(try s.run(["retry", held]).status == 0)
        #expect(waitFor(timeout: 10) { server.authFailures == 2 }, "a retry tries again: \(daemon.log)")
        daemon.signal(SIGTERM)
        #expect(daemon.waitExit(timeout: 10) == 0)
    }

    @Test("the queue file deleted under a running daemon: it exits non-zero so systemd restarts it on the new file")
    func queueReplacedUnderDaemon() throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        #expect(try enqueued(s).status == 0)
        let daemon = try DaemonProcess(s)
        #expect(daemon.waitStarted())
        try FileManager.default.removeItem(atPath: s.queuePath)
        #expect(daemon.waitExit(timeout: 10) == 74)
        #expect(daemon.log.contains("deleted or replaced"))
    }

    @Test("the queue file moved away under a running daemon: the moved file holds every state (a sent note is not sent again from it)")
    func queueMovedUnderDaemon() throws {
        let sink = try SMTPSink()
        let s = try FuqSandbox()
        try s.writeConfig(DeliveryTests.config(port: sink.port))
        #expect(try enqueued(s, FuqSandbox.interview(endingIn: -3), ["--at", "+2s"]).status == 0)
        let daemon = try DaemonProcess(s)
        #expect(daemon.waitStarted())
        #expect(waitFor(timeout: 15) { sink.count == 1 })
        usleep(300_000)
        let moved = s.root.appendingPathComponent("moved.sqlite").path
        try FileManager.default.moveItem(atPath: s.queuePath, toPath: moved)
        #expect(daemon.waitExit(timeout: 10) == 74)
        let rows = try s.run(["status", "--all", "--json", "--db", moved])
        let states = ((try JSONSerialization.jsonObject(with: Data(rows.stdout.utf8)) as? [[String: Any]]) ?? []).map { $0["state"] as? String }
        #expect(states.filter { $0 == "sent" }.count == 1, "the moved queue knows what was sent: \(states)")
        let flush = try s.run(["flush", "--db", moved])
        #expect(flush.status == 0 || flush.status == 75)
        #expect(Set(sink.messageIDs()).count == sink.messageIDs().count, "no Message-ID twice: \(sink.messageIDs())")
    }

    @Test("a daemon paused by a refused password: status, doctor and flush say so instead of promising delivery")
    func pausedIsVisible() throws {
        let ca = try TestCA()
        let server = try PythonSMTPServer(.tlsAuth(ca: ca, user: TLSDeliveryTests.user, password: TLSDeliveryTests.password))
        let s = try TLSDeliveryTests.sandbox(port: server.port, ca: ca, password: "wrong")
        #expect(try enqueued(s, FuqSandbox.interview(endingIn: -3), ["--at", "now"]).status == 0)
        let daemon = try DaemonProcess(s)
        #expect(daemon.waitStarted())
        #expect(waitFor(timeout: 10) { server.authFailures == 1 })
        #expect(waitFor(timeout: 5) { (try? s.run(["status"]).stdout.contains("PAUSED")) == true })
        let flush = try s.run(["flush"])
        #expect(flush.status == 75)
        #expect(flush.stdout.contains("paused"))
        #expect(try s.run(["doctor"]).stdout.contains("PAUSED"))
        daemon.signal(SIGTERM)
        #expect(daemon.waitExit(timeout: 10) == 0)
        #expect(server.authFailures <= 2, "only doctor's own check logged in")
    }

    @Test("a queue written by a newer fuq (an unknown migration): status, show, flush, enqueue and the daemon refuse it, exit 74, and change nothing")
    func newerQueue() throws {
        let sink = try SMTPSink()
        let s = try FuqSandbox()
        try s.writeConfig(DeliveryTests.config(port: sink.port))
        #expect(try enqueued(s, FuqSandbox.interview(endingIn: -3), ["--at", "now"]).status == 0)
        let id = try #require(try s.queued().first?["id"] as? String)
        try s.sql("INSERT INTO grdb_migrations (identifier) VALUES ('v99-future')")
        // What the queue holds (GRDB's WAL set-up bumps the schema cookie on every writable open).
        func dump() throws -> String {
            let process = Process(), out = Pipe()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
            process.arguments = [s.queuePath, ".dump"]
            process.standardOutput = out
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
        let before = try dump()
        #expect(before.contains("v99-future"))
        let expected = "written by a newer fuq (migration v99-future); upgrade fuq"
        for arguments in [["status"], ["status", "--all", "--json"], ["show", id], ["flush"], ["enqueue", try s.file("j.yaml", FuqSandbox.interview(endingIn: -4)), "--also"]] {
            let r = try s.run(arguments)
            #expect(r.status == 74, "\(arguments): \(r.stdout) \(r.stderr)")
            #expect(r.stderr.contains(expected), "\(arguments): \(r.stderr)")
        }
        let daemon = try DaemonProcess(s)
        #expect(daemon.waitExit(timeout: 10) == 74)
        #expect(daemon.log.contains(expected), "\(daemon.log)")
        #expect(sink.messages().isEmpty, "nothing was sent from it")
        #expect(try dump() == before)
    }

    @Test("forty enqueues racing on a brand-new queue all succeed")
    func concurrentCreation() throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        var processes: [Process] = []
        for i in 0..<20 {
            let text = FuqSandbox.interview().replacingOccurrences(of: "@acme.example", with: "\(i)@acme.example")
            let file = try s.file("race\(i).yaml", text)
            let p = Process()
            p.executableURL = FuqSandbox.binary
            p.arguments = ["enqueue", file]
            p.environment = s.environment
            p.standardOutput = FileHandle.nullDevice
            p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: try s.file("race\(i).err", "")))
            processes.append(p)
        }
        for p in processes { try p.run() }
        for p in processes { p.waitUntilExit() }
        let errors = try (0..<20).map { try String(contentsOfFile: s.root.appendingPathComponent("race\($0).err").path, encoding: .utf8) }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 }, "\(processes.map(\.terminationStatus)) \(Set(errors))")
        #expect(try s.queued().count == 40)
    }

    @Test("a relative queue.path is read against the config file's folder, from any directory")
    func relativeQueuePath() throws {
        let s = try FuqSandbox()
        try s.writeConfig(FuqSandbox.standardConfig + "\nqueue:\n  path: state/queue.sqlite\n")
        #expect(try enqueued(s).status == 0)
        let expected = s.root.appendingPathComponent("config/fuq/state/queue.sqlite").path
        #expect(FileManager.default.fileExists(atPath: expected))
        let status = try s.run(["status"])
        #expect(status.stdout.contains("Queue: \(expected)"))
    }

    // MARK: - Secrets and the network

    @Test("a password inside smtp.url is refused and never printed")
    func passwordInURL() throws {
        let s = try FuqSandbox()
        try s.writeConfig(FuqSandbox.standardConfig + "\nsmtp:\n  url: smtp://alex:hunter2secret@127.0.0.1:2525\n  tls: none\n")
        for command in [["doctor"], ["flush"], ["daemon"], ["status"]] {
            let r = try s.run(command)
            #expect(r.status == 78, "\(command): \(r.stderr)")
            #expect((r.stdout + r.stderr).contains("not allowed"))
            #expect(!(r.stdout + r.stderr).contains("hunter2secret"))
        }
    }

    @Test("a malformed smtp.url or imap.url with a password is never echoed, by any command or the daemon's log",
          arguments: ["smtp:/alex:S3cretMarker@127.0.0.1", "smtps:alex:S3cretMarker@127.0.0.1", "alex:S3cretMarker@127.0.0.1:25",
                      "smtp://127.0.0.1:2525?password=S3cretMarker", "smtp://127.0.0.1:2525#S3cretMarker",
                      "smtp://alex:S3cretMarker@127.0.0.1:2525/x?y#z", "smtp:///alex:S3cretMarker@@127.0.0.1"])
    func malformedURLSecret(url: String) throws {
        let s = try FuqSandbox()
        let interview = try s.file("i.yaml", FuqSandbox.interview(endingIn: -3))
        for section in ["smtp", "imap"] {
            let key = section == "smtp"
                ? "\nsmtp:\n  url: '\(url)'\n  tls: none\n"
                : "\nsmtp:\n  url: smtp://127.0.0.1:2525\n  tls: none\nimap:\n  url: '\(url.replacingOccurrences(of: "smtp", with: "imap"))'\n  username: alex\n"
            try s.writeConfig(FuqSandbox.standardConfig + key)
            for command in [["doctor"], ["flush"], ["daemon"], ["status"], ["status", "--json"], ["enqueue", interview, "--dry-run"],
                            ["check", interview], ["show", "abcde"], ["send-now", "abcde"], ["confirm", "abcde"]] {
                let r = try s.run(command)
                #expect(r.status == 78, "\(section) \(command): \(r.status) \(r.stderr)")
                #expect(!(r.stdout + r.stderr).contains("S3cretMarker"), "\(section) \(command): \(r.stdout) \(r.stderr)")
                #expect((r.stdout + r.stderr).contains("\(section).url"), "\(section) \(command): \(r.stdout) \(r.stderr)")
            }
        }
        // init checks the flag with the loader's own rule, and says so without the password.
        let initRun = try s.run(["init", "--name", "Alex Kim", "--email", "alex@example.org", "--phone", "+1 555 0100",
                                 "--smtp-url", url, "--smtp-user", "alex", "--password-file", "/nonexistent", "--force"])
        #expect(initRun.status != 0)
        #expect(!(initRun.stdout + initRun.stderr).contains("S3cretMarker"), "\(initRun.stderr)")
    }

    @Test("a row edited by hand to carry a header (CRLF in the name, the subject, the address or the Message-ID) is refused at send time: failed with the reason, nothing on the wire",
          arguments: ["recipientName = 'Kwame' || char(13,10) || 'Bcc: evil@x.example'",
                      "subject = 'Thanks' || char(13,10) || 'Bcc: evil@x.example'",
                      "recipientEmail = 'k@acme.example' || char(13,10) || 'RCPT TO:<evil@x.example>'",
                      "messageId = '<a@b>' || char(10) || 'Bcc: evil@x.example'",
                      "body = 'Dear Kwame,' || char(27) || '[2J'"])
    func headerInjectionFromQueue(assignment: String) throws {
        let sink = try SMTPSink()
        let s = try FuqSandbox()
        try s.writeConfig(DeliveryTests.config(port: sink.port))
        #expect(try enqueued(s, FuqSandbox.interview(endingIn: -3), ["--at", "now"]).status == 0)
        // The panel's notes leave a few minutes apart: the first one due is the one damaged.
        let rows = try s.queued().sorted { ($0["due"] as? String ?? "") < ($1["due"] as? String ?? "") }
        let ids = rows.compactMap { $0["id"] as? String }
        try s.sql("UPDATE message SET \(assignment) WHERE id = '\(ids[0])'")
        let flush = try s.run(["flush"])
        #expect(flush.status != 0, "\(flush.stdout)")
        #expect(flush.stdout.contains("damaged") && flush.stdout.contains("fuq edit \(ids[0])"), "\(flush.stdout) \(flush.stderr)")
        #expect(!sink.messages().contains { $0.contains("evil@x.example") || $0.contains("\u{1B}") }, "nothing injected reaches the server")
        let states = try states(s)
        #expect(states[ids[0]] == "failed", "\(states)")
        // The other notes of the interview are unaffected.
        #expect(ids.dropFirst().allSatisfy { states[$0] != "failed" }, "\(states)")
    }

    @Test("tls: none is decided on the address: 127.0.0.1.nip.io needs TLS")
    func loopbackByAddress() throws {
        let s = try FuqSandbox()
        try s.writeConfig(FuqSandbox.standardConfig + "\nsmtp:\n  url: smtp://127.0.0.1.nip.io:2525\n  tls: none\n")
        #expect(try enqueued(s, FuqSandbox.interview(endingIn: -3), ["--at", "now"]).status == 0)
        let r = try s.run(["flush"])
        #expect(r.status == 78)
        #expect(r.stderr.contains("needs TLS"))
        #expect(try s.queued().allSatisfy { $0["state"] as? String == "scheduled" })
    }
}
