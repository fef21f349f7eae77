import Foundation
import Testing

/// Messages a person can act on: what is wrong, where, and what to do next.
@Suite("Messages that say what to do")
struct MessageTests {
    @Test("a mistyped command: did you mean, exit 64, no usage dump", arguments: [
        (["statsu"], "fuq: unknown command 'statsu'. Did you mean 'status'?"),
        (["shwo", "ab12"], "Did you mean 'show'?"),
        (["sendnow", "ab12"], "Did you mean 'send-now'?"),
        (["xyzzy"], "fuq: unknown command 'xyzzy'."),
        (["acme.yaml"], "fuq enqueue acme.yaml"),
        (["help", "nosuch"], "there is no command 'nosuch' to show help for"),
        (["help", "statsu"], "Did you mean 'fuq help status'?"),
    ])
    func unknownCommand(_ args: [String], _ message: String) throws {
        let s = try FuqSandbox()
        let result = try s.run(args)
        #expect(result.status == 64, "\(args): \(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stderr.contains("`fuq --help` lists the commands") || args == ["acme.yaml"])
        #expect(!result.stderr.contains("USAGE") && !result.stderr.contains("Usage:") && result.stdout.isEmpty)
        if args == ["xyzzy"] { #expect(!result.stderr.contains("Did you mean")) }
    }

    @Test("help, --help, --version and completion scripts still work")
    func helpStillWorks() throws {
        let s = try FuqSandbox()
        for args in [["--help"], ["help"], ["help", "status"], ["status", "--help"], ["--version"], ["--generate-completion-script", "bash"]] {
            let result = try s.run(args)
            #expect(result.status == 0, "\(args): \(result.stderr)")
            #expect(!result.stdout.isEmpty, "\(args)")
        }
        #expect(try s.run(["help", "status"]).stdout.contains("--interview"))
        #expect(try s.run(["--help"]).stdout.contains("send-now"))
    }
}

extension MessageTests {
    /// (state written into the queue, command, words the refusal must contain).
    static let refusals: [(String, [String], String)] = [
        ("sent", ["cancel"], "it was already sent (the server accepted it). A sent note cannot be changed or taken back."),
        ("sent", ["send-now"], "it was already sent"),
        ("sent", ["reschedule", "--at", "+2h"], "A sent note cannot be changed"),
        ("cancelled", ["cancel"], "it is already cancelled. Nothing more happens to it. To send it after all, queue it again with `fuq enqueue`."),
        ("cancelled", ["send-now"], "it is already cancelled."),
        ("cancelled", ["retry"], "it is already cancelled."),
        ("scheduled", ["mark-sent"], "it is scheduled and has not gone out yet. It leaves at its due time; `fuq send-now ID` sends it now"),
        ("failed", ["mark-sent"], "it failed: the server refused it. Fix the cause (`fuq show ID` has the server's words), then `fuq retry ID`"),
        ("held", ["send-now"], "it is held (`fuq show` says why). `fuq show ID` says why; fix that (`fuq doctor` checks the configuration), then `fuq retry ID`."),
    ]

    @Test("a refused state change says where the note stands and what to do next, in sentences", arguments: refusals)
    func refusal(_ state: String, _ command: [String], _ expected: String) throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        #expect(try s.run(["enqueue", try s.file("i.yaml", FuqSandbox.interview())]).status == 0)
        let id = try #require(try s.queued().first?["id"] as? String)
        try s.sql("UPDATE message SET state = '\(state)' WHERE id = '\(id)'")
        let result = try s.run([command[0], id] + command.dropFirst())
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.contains("cannot "), "\(result.stderr)")
        #expect(result.stderr.contains(expected.replacingOccurrences(of: "ID", with: id)), "\(result.stderr)")
        #expect(!result.stderr.contains(". done") && !result.stderr.contains(". none") && !result.stderr.contains("it is \(state)."))
        #expect(result.stderr.hasSuffix(".\n"), "ends as a sentence: \(result.stderr)")
    }
}

extension MessageTests {
    @Test("doctor's fix for a missing sender.email or smtp.url is a YAML snippet on its own lines, never a literal \\n")
    func doctorSnippet() throws {
        let s = try FuqSandbox()
        try s.writeConfig("sender:\n  name: Alex Kim\n")
        let result = try s.run(["doctor"])
        #expect(result.status == 78)
        #expect(!result.stdout.contains("\\n"), "\(result.stdout)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let sender = try #require(lines.firstIndex { $0.contains("fix: add `email:` to the `sender:` section of") && $0.hasSuffix("config.yaml:") }, "\(result.stdout)")
        #expect(lines[sender + 1].trimmingCharacters(in: .whitespaces) == "sender:")
        let indent = lines[sender + 1].prefix { $0 == " " }.count
        #expect(lines[sender + 2] == String(repeating: " ", count: indent + 2) + "email: you@example.com", "nested as YAML needs it")
        #expect(lines.contains { $0.trimmingCharacters(in: .whitespaces) == "url: smtps://smtp.example.com:465" })
    }
}

extension MessageTests {
    /// A complete flags form, its interview six days ago (computed: a fixed date would be a
    /// year old one day, and refused for that before the mistake each test makes).
    static var flagsBase: [String] {
        ["enqueue", "--dry-run", "--to", "pat@acme.example", "--name", "Pat Lee", "--honorific", "Mx.", "--company", "Acme",
         "--position", "SRE", "--ended", FuqSandbox.pastEnd, "--timezone", "Europe/Berlin", "--topic", "SLOs"]
    }

    /// The flags form names the flag typed, never the interview file's key.
    @Test("enqueue's flags form: errors name --company, --to, --last-name…, not company:, email:, last_name:", arguments: [
        (["--company"], [], "command line: --company is missing; give `--company \"Acme Robotics\"`"),
        (["--company"], ["--company", ""], "command line: --company is empty; give it a value"),
        (["--topic"], [], "--topic is missing; give `--topic`"),
        (["--to"], ["--to", "pat@acme"], "--to: pat@acme is not a usable address"),
        (["--honorific"], [], "needs `--honorific` (Ms., Mr., Mx., Dr.…)"),
        (["--name"], ["--name", "Gabriel García Márquez"], "give `--last-name` (e.g. `--last-name \"García Márquez\"`)"),
        (["--timezone"], ["--timezone", "EST"], "--timezone: unknown time zone EST"),
        (["--ended"], ["--ended", "garbage"], "--ended: cannot read garbage"),
        ([], ["--nudges", "3"], "--nudges: 3 is not a number of follow-ups fuq sends; write 1"),
        ([], ["--decision-by", "soon"], "--decision-by: cannot read soon as a day; write the date they said they would decide as YYYY-MM-DD"),
    ])
    func flagsForm(_ drop: [String], _ add: [String], _ message: String) throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        var args = Self.flagsBase
        for flag in drop { if let i = args.firstIndex(of: flag) { args.removeSubrange(i...i + 1) } }
        let result = try s.run(args + add)
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        for key in ["company:", "email:", "last_name:", "honorific:", "topic:", "interviewers[0]", "interview.end"] {
            #expect(!result.stderr.contains(key), "\(key) in \(result.stderr)")
        }
    }

    @Test("the flags form plans the follow-up as a file would: --decision-by and --nudges 2 move and add to it, --no-follow-up drops it")
    func flagsFollowUp() throws {
        let s = try FuqSandbox()
        try s.writeConfig(FuqSandbox.standardConfig.replacingOccurrences(of: "enabled: false", with: "enabled: true"))
        let day = DateFormatter()
        day.locale = Locale(identifier: "en_US_POSIX")
        day.timeZone = TimeZone(identifier: "UTC")
        day.dateFormat = "yyyy-MM-dd"
        let wall = DateFormatter()
        wall.locale = day.locale
        wall.timeZone = day.timeZone
        wall.dateFormat = "yyyy-MM-dd'T'HH:mm"
        var args = Self.flagsBase
        args[args.firstIndex(of: "--ended")! + 1] = wall.string(from: Date().addingTimeInterval(-3600))
        args[args.firstIndex(of: "--timezone")! + 1] = "UTC"
        let plain = try s.run(args)
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout.contains("Follow-up to Pat Lee <pat@acme.example>"), "\(plain.stdout)")
        #expect(!plain.stdout.contains("One more note"), "\(plain.stdout)")
        let decision = Date().addingTimeInterval(12 * 86400)
        let planned = try s.run(args + ["--decision-by", day.string(from: decision), "--nudges", "2"])
        #expect(planned.status == 0, "\(planned.stderr)")
        #expect(planned.stdout.contains("2 business days after the day they said they would decide"), "\(planned.stdout)")
        #expect(planned.stdout.contains("One more note to Pat Lee"), "\(planned.stdout)")
        let none = try s.run(args + ["--no-follow-up"])
        #expect(none.status == 0, "\(none.stderr)")
        #expect(!none.stdout.contains("Follow-up to") && none.stdout.contains("would queue 1 thank-you"), "\(none.stdout)")
    }

    @Test("the flags form without --timezone takes the system's zone, UTC included (Foundation calls it GMT)")
    func flagsSystemZone() throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        var args = Self.flagsBase
        args.removeSubrange(args.firstIndex(of: "--timezone")!...args.firstIndex(of: "--timezone")! + 1)
        let f = ISO8601DateFormatter()
        args[args.firstIndex(of: "--ended")! + 1] = f.string(from: Date().addingTimeInterval(-3600))
        for zone in ["UTC", "Europe/Berlin"] {
            s.environment["TZ"] = zone
            let result = try s.run(args)
            #expect(result.status == 0, "TZ=\(zone): \(result.stderr)")
        }
    }
}

extension MessageTests {
    /// The built-in template with one change, in the user's templates.dir.
    func sandboxWithTemplate(_ change: (String) -> String) throws -> (FuqSandbox, String) {
        let s = try FuqSandbox()
        let folder = s.root.appendingPathComponent("templates")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let original = try String(contentsOf: here.appendingPathComponent("Config/templates/thank-you.mustache"), encoding: .utf8)
        let path = folder.appendingPathComponent("thank-you.mustache").path
        try change(original).write(toFile: path, atomically: true, encoding: .utf8)
        try s.writeConfig(FuqSandbox.standardConfig + "\ntemplates:\n  dir: \(folder.path)\n")
        return (s, path)
    }

    @Test("a Mustache mistake in a user template: file:line:column, what is wrong, how to fix — never a struct dump", arguments: [
        ("{{/interviewer.note}}", "{{/interviewer.nte}}", 14, "does not match the open section {{#interviewer.note}} (line 11); close it with {{/interviewer.note}}"),
        ("{{/sender.links}}", "", 20, "the section {{#sender.links}} is never closed; add {{/sender.links}}"),
        ("{{sender.phone}}", "{{sender.phone}", 19, "a tag is not closed properly; end each tag with }}"),
        ("Subject:", "Subject line:", 1, "does not start with a `Subject:` line"),
    ])
    func templateSyntax(_ find: String, _ replace: String, _ line: Int, _ message: String) throws {
        let (s, path) = try sandboxWithTemplate { $0.replacingOccurrences(of: find, with: replace) }
        let result = try s.run(["enqueue", try s.file("i.yaml", FuqSandbox.interview()), "--dry-run"])
        #expect(result.status == 78, "\(result.stderr)")
        #expect(result.stderr.contains("fuq: error: \(path):\(line):"), "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!result.stderr.contains("ParserError") && !result.stderr.contains("MustacheParserContext"))
    }

    @Test("a folder where a file is expected: exit 66 for the interview file and the template, 74 for the queue, with what to give instead")
    func folderForFile() throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        let folder = s.root.appendingPathComponent("interviews")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FuqSandbox.interview().write(to: folder.appendingPathComponent("acme.yaml"), atomically: true, encoding: .utf8)
        let interview = try s.run(["enqueue", folder.path])
        #expect(interview.status == 66, "\(interview.stderr)")
        #expect(interview.stderr.contains("is a folder, not a file; give one of the interview files in it: \(folder.path)/acme.yaml"), "\(interview.stderr)")

        let queue = try s.run(["enqueue", folder.appendingPathComponent("acme.yaml").path, "--db", folder.path])
        #expect(queue.status == 74, "\(queue.stderr)")
        #expect(queue.stderr.contains("it is a folder, not a file; give the queue file's path"), "\(queue.stderr)")
        #expect(try s.run(["status", "--db", folder.path]).status == 74)

        let (t, path) = try sandboxWithTemplate { $0 }
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        let template = try t.run(["enqueue", try t.file("i.yaml", FuqSandbox.interview())])
        #expect(template.status == 66, "\(template.stderr)")
        #expect(template.stderr.contains("the template \(path) is a folder, not a file"), "\(template.stderr)")
    }

    @Test("YAML indented with a tab: file:line and 'use spaces', in interview files and the config", arguments: [
        ("  - name: Kwame Okafor", "\t- name: Kwame Okafor"), ("    email: k.okafor@acme.example", "\t  email: k.okafor@acme.example"),
        ("  end:", "\tend:"), ("    topic: on-call", "  \t  topic: on-call"),
    ])
    func tabIndentation(_ find: String, _ replace: String) throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        let text = FuqSandbox.interview().replacingOccurrences(of: find, with: replace)
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix(replace.prefix(6)) }! + 1
        let result = try s.run(["enqueue", try s.file("tabbed.yaml", text)])
        #expect(result.status == 65)
        #expect(result.stderr.contains("tabbed.yaml:\(line): tabs are not allowed for indentation in YAML; use spaces"), "\(result.stderr)")

        try s.writeConfig("sender:\n  name: Alex Kim\n\temail: alex.kim@example.com\n")
        let config = try s.run(["status"])
        #expect(config.status == 78)
        #expect(config.stderr.contains("config.yaml:3: tabs are not allowed for indentation in YAML; use spaces"), "\(config.stderr)")
    }
}

extension MessageTests {
    @Test("a sqlite3 shell holding the queue in a transaction: exit 75 naming sqlite3 and how to let go, not 'another fuq'",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")))
    func lockedBySqliteShell() throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        #expect(try s.run(["enqueue", try s.file("first.yaml", FuqSandbox.interview())]).status == 0)
        let id = try #require(try s.queued().first?["id"] as? String)
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        shell.arguments = [s.queuePath]
        let input = Pipe(), output = Pipe()
        shell.standardInput = input
        shell.standardOutput = output
        try shell.run()
        defer { shell.terminate() }
        input.fileHandleForWriting.write(Data("BEGIN IMMEDIATE;\nSELECT 'locked';\n".utf8))
        _ = output.fileHandleForReading.availableData  // waits for "locked"
        let result = try s.run(["cancel", id])
        #expect(result.status == 75, "\(result.stderr)")
        #expect(result.stderr.contains("locked by another program, sqlite3 (pid \(shell.processIdentifier))"), "\(result.stderr)")
        #expect(result.stderr.contains("COMMIT or ROLLBACK"))
        input.fileHandleForWriting.write(Data("ROLLBACK;\n.quit\n".utf8))
        shell.waitUntilExit()
        #expect(try s.run(["cancel", id]).status == 0, "free again")
    }
}

extension MessageTests {
    func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    @Test("show --json has the email as fuq would send it: rendered body, subject, header fields as written, SMTP recipients")
    func showJSON() throws {
        let s = try FuqSandbox()
        try s.writeConfig(FuqSandbox.standardConfig + "\n  reply_to: alex@home.example\n  bcc_self: true\n")
        #expect(try s.run(["enqueue", try s.file("i.yaml", FuqSandbox.interview())]).status == 0)
        let id = try #require(try s.queued().first { $0["to"] as? String == "dana.rivera@acme.example" }?["id"] as? String)
        let result = try s.run(["show", id, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try json(result.stdout) as? [String: Any])
        let body = try #require(object["body"] as? String)
        #expect(body.hasPrefix("Dear Ms. Rivera,\n") && body.contains("moving the build farm to Kubernetes") && body.contains("Alex Kim"))
        #expect(!body.contains("{{"), "rendered, not the template")
        let headers = try #require(object["headers"] as? [[String: String]])
        #expect(headers.map { $0["name"] ?? "" } == ["From", "To", "Reply-To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type",
                                                     "Content-Transfer-Encoding"])
        let field = { (name: String) in headers.first { $0["name"] == name }?["value"] ?? "" }
        #expect(field("From") == "Alex Kim <alex.kim@example.com>")
        #expect(field("To") == "Dana Rivera <dana.rivera@acme.example>")
        #expect(field("Reply-To") == "alex@home.example")
        #expect(field("Message-ID") == object["message_id"] as? String)
        #expect(field("Subject").contains("Alex Kim") && field("Subject").allSatisfy(\.isASCII), "as written on the wire: \(field("Subject"))")
        #expect(field("Date").range(of: #"^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d [+-]\d{4}$"#, options: .regularExpression) != nil)
        #expect((object["subject"] as? String)?.contains("–") == true, "the subject decoded, as the reader sees it")
        #expect(object["recipients"] as? [String] == ["dana.rivera@acme.example", "alex.kim@example.com"], "bcc_self adds the sender")
        // A sent note shows what went out.
        try s.sql("UPDATE message SET state = 'sent', sentAt = '\(FuqSandbox.dbDate(Date()))', body = 'Dear Ms. Rivera,\nas sent\n' WHERE id = '\(id)'")
        let sent = try #require(try json(try s.run(["show", id, "--json"]).stdout) as? [String: Any])
        #expect(sent["body"] as? String == "Dear Ms. Rivera,\nas sent\n")
    }

    @Test("enqueue --dry-run shows no ids that will never exist: null in JSON, marked dry_run; none in the text")
    func dryRunIDs() throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        let result = try s.run(["enqueue", "-", "--dry-run", "--json"], stdin: FuqSandbox.interview())
        #expect(result.status == 0, "\(result.stderr)")
        let notes = try #require(try json(result.stdout) as? [[String: Any]])
        #expect(notes.count == 2)
        for note in notes {
            #expect(note["id"] is NSNull && note["interview"] is NSNull && note["message_id"] is NSNull, "\(note)")
            #expect(note["dry_run"] as? Bool == true)
            #expect((note["body"] as? String)?.hasPrefix("Dear ") == true)
            #expect(note["to"] != nil && note["due"] != nil && note["reason"] != nil)
        }
        let text = try s.run(["enqueue", "-", "--dry-run"], stdin: FuqSandbox.interview())
        #expect(text.stdout.hasPrefix("Dry run — would queue 2 thank-you notes for Acme Robotics, Senior Platform Engineer:\n"), "\(text.stdout)")
        #expect(!text.stdout.contains("(interview "))
        #expect(!FileManager.default.fileExists(atPath: s.queuePath))
        let real = try #require(try json(try s.run(["enqueue", "-", "--json"], stdin: FuqSandbox.interview()).stdout) as? [[String: Any]])
        #expect(real.allSatisfy { $0["id"] is String && $0["interview"] is String && $0["dry_run"] == nil })
    }

    @Test("a duplicate of a sent note: the refusal's last sentence starts with a capital")
    func duplicateOfSentSentence() throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        #expect(try s.run(["enqueue", try s.file("i.yaml", FuqSandbox.interview())]).status == 0)
        try s.sql("UPDATE message SET state = 'sent', sentAt = '\(FuqSandbox.dbDate(Date()))'")
        let again = try s.run(["enqueue", try s.file("j.yaml", FuqSandbox.interview(endingIn: 3))])
        #expect(again.status == 65)
        #expect(again.stderr.contains(". To send a second note on purpose, add --also."), "\(again.stderr)")
    }
}
