import Foundation
import FuqCore
import Testing

extension FuqSandbox {
    /// Runs fuq with its standard output on a pseudo-terminal (util-linux `script`), as a
    /// person at a terminal sees it; line ends come back as "\n".
    func runOnTerminal(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Result {
        let quoted = ([FuqSandbox.binary.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", quoted.joined(separator: " "), "/dev/null"]
        process.environment = environment.merging(extra) { $1 }
        process.currentDirectoryURL = root
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n"),
                      stderr: "")
    }

    static let hasScript = FileManager.default.isExecutableFile(atPath: "/usr/bin/script")
}

/// Output that fits the person: the terminal's width, colour only where it helps, and the
/// facts a user looks for still there at every width.
@Suite("Output that fits the terminal")
struct OutputTests {
    /// Two notes scheduled, one failed (with a long server error), one sent: every kind of row.
    func filledQueue() throws -> FuqSandbox {
        let s = try FuqSandbox()
        try s.writeConfig()
        #expect(try s.run(["enqueue", try s.file("acme.yaml", FuqSandbox.interview())]).status == 0)
        let other = FuqSandbox.interview(endingIn: 1).replacingOccurrences(of: "Acme Robotics", with: "Globex")
            .replacingOccurrences(of: "acme.example", with: "globex-international-holdings.example")
        #expect(try s.run(["enqueue", try s.file("globex.yaml", other)]).status == 0)
        let ids = try s.queued().map { $0["id"] as! String }.sorted()
        try s.sql("UPDATE message SET state = 'failed', lastError = '550 5.1.1 <dana.rivera@globex-international-holdings.example>: Recipient address rejected: User unknown in virtual mailbox table' WHERE id = '\(ids[0])'")
        try s.sql("UPDATE message SET state = 'sent', sentAt = '\(FuqSandbox.dbDate(Date().addingTimeInterval(-600)))', serverReply = '250 2.0.0 Ok: queued as 4F3A2' WHERE id = '\(ids[1])'")
        return s
    }

    /// "26 Nov 18:43": the due (or sent) date and time.
    static let dateTime = #"\d{1,2} [A-Z][a-z]{2} \d\d:\d\d"#

    @Test("status at 60, 80 and 120 columns: every line fits; id, state and due time are on each note's line",
          arguments: [60, 80, 120])
    func fits(_ columns: Int) throws {
        let s = try filledQueue()
        s.environment["COLUMNS"] = "\(columns)"
        let rows = try s.queued()
        for args in [["status"], ["status", "--all"]] {
            let result = try s.run(args)
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdout.split(separator: "\n").map(String.init)
            for line in lines { #expect(TextWidth.of(line) <= columns, "\(args) at \(columns): \(line)") }
            for row in rows where args.contains("--all") || !["sent", "cancelled"].contains(row["state"] as! String) {
                let id = row["id"] as! String
                let line = try #require(lines.first { $0.hasPrefix(id) }, "\(id) at \(columns):\n\(result.stdout)")
                #expect(line.contains(" \(row["state"] as! String) "), "\(line)")
                if row["state"] as? String == "scheduled" || row["state"] as? String == "sent" {
                    #expect(line.range(of: Self.dateTime, options: .regularExpression) != nil, "\(line)")
                }
            }
        }
        // Wider terminals show more, never less.
        let table = try s.run(["status"]).stdout
        #expect(table.contains("DUE (your time)") == (columns >= 80))
        #expect(table.contains("SUBJECT") == (columns >= 100))
    }

    @Test("COLUMNS that is not a positive number is ignored; piped output keeps 100 columns")
    func widthSources() throws {
        let s = try filledQueue()
        for value in ["", "0", "-5", "wide", "80x"] {
            s.environment["COLUMNS"] = value
            let lines = try s.run(["status", "--all"]).stdout.split(separator: "\n")
            #expect(lines.allSatisfy { TextWidth.of(String($0)) <= 100 }, "COLUMNS=\(value)")
            #expect(lines.contains { TextWidth.of(String($0)) > 90 }, "COLUMNS=\(value) falls back to 100, not something narrower")
        }
        s.environment["COLUMNS"] = "24"
        #expect(try s.run(["status", "--all"]).stdout.split(separator: "\n").allSatisfy { TextWidth.of(String($0)) <= 24 })
    }

    @Test("colour only at a terminal, and never with NO_COLOR, TERM=dumb or --json", .enabled(if: FuqSandbox.hasScript))
    func colour() throws {
        let s = try filledQueue()
        s.environment["TERM"] = "xterm-256color"
        let failed = try #require(try s.queued().first { $0["state"] as? String == "failed" }?["id"] as? String)

        let piped = try s.run(["status", "--all"])
        #expect(!piped.stdout.contains("\u{1B}"), "piped output has no escape codes")
        #expect(piped.stdout.contains("failed"))

        let tty = try s.runOnTerminal(["status", "--all"])
        #expect(tty.stdout.contains("\u{1B}[31mfailed\u{1B}[0m"), "failed is red at a terminal:\n\(tty.stdout)")
        #expect(tty.stdout.contains("\u{1B}[32msent\u{1B}[0m"), "sent is green")
        let line = try #require(tty.stdout.split(separator: "\n").first { $0.hasPrefix(failed) })
        #expect(line.replacingOccurrences(of: "\u{1B}[31m", with: "").replacingOccurrences(of: "\u{1B}[0m", with: "")
            == piped.stdout.split(separator: "\n").first { $0.hasPrefix(failed) }.map(String.init),
                "colour adds only escape codes, the columns stay where they are")

        for env in [["NO_COLOR": "1"], ["NO_COLOR": "yes please"], ["TERM": "dumb"]] {
            let plain = try s.runOnTerminal(["status", "--all"], environment: env)
            #expect(plain.stdout.contains("failed") && !plain.stdout.contains("\u{1B}"), "\(env)")
        }
        // NO_COLOR set but empty does not count (no-color.org).
        #expect(try s.runOnTerminal(["status", "--all"], environment: ["NO_COLOR": ""]).stdout.contains("\u{1B}[31m"))
        let json = try s.runOnTerminal(["status", "--all", "--json"])
        #expect(!json.stdout.contains("\u{1B}") && json.stdout.contains("\"state\" : \"failed\""))
    }

    @Test("a terminal's own width is used when COLUMNS is not set", .enabled(if: FuqSandbox.hasScript))
    func terminalWidth() throws {
        let s = try filledQueue()
        // `stty cols` sets the pseudo-terminal's size before fuq asks for it (TIOCGWINSZ).
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", "stty cols 64 rows 40; '\(FuqSandbox.binary.path)' status --all", "/dev/null"]
        process.environment = s.environment.merging(["NO_COLOR": "1"]) { $1 }
        process.currentDirectoryURL = s.root
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        process.waitUntilExit()
        let lines = text.split(separator: "\n")
        #expect(lines.count > 4, "\(text)")
        #expect(lines.allSatisfy { TextWidth.of(String($0)) <= 64 }, "\(text)")
        #expect(lines.contains { TextWidth.of(String($0)) > 56 }, "the width is used, not a narrower default:\n\(text)")
    }

    /// The notes `status` lists with these arguments (as `--json`), in the order printed.
    func listed(_ s: FuqSandbox, _ arguments: [String]) throws -> [[String: Any]] {
        let result = try s.run(["status", "--json"] + arguments)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]) ?? []
    }

    @Test("status --state, --since and --limit: only the notes asked for, earliest due first, with --interview too")
    func stateSinceLimit() throws {
        let s = try filledQueue()
        // Due times a day apart, in id order: the filters have clear edges.
        let ids = try s.queued().map { $0["id"] as! String }.sorted()
        let base = Date().addingTimeInterval(86400)
        for (i, id) in ids.enumerated() {
            try s.sql("UPDATE message SET due = '\(FuqSandbox.dbDate(base.addingTimeInterval(Double(i) * 86400)))' WHERE id = '\(id)'")
        }
        // ids[0] failed, ids[1] sent, ids[2] and ids[3] scheduled.
        #expect(try listed(s, ["--state", "failed"]).map { $0["id"] as! String } == [ids[0]])
        #expect(try listed(s, ["--state", "sent"]).map { $0["id"] as! String } == [ids[1]], "a finished state needs no --all")
        #expect(try listed(s, ["--state", "scheduled,failed"]).map { $0["id"] as! String } == [ids[0], ids[2], ids[3]])
        #expect(try listed(s, ["--state", "scheduled", "--state", "sent"]).map { $0["id"] as! String } == [ids[1], ids[2], ids[3]])
        #expect(try listed(s, ["--state", "cancelled"]).isEmpty)

        // --since: from the third note's day on (a date is midnight on the user's clock, TZ=UTC here).
        let third = String(FuqSandbox.dbDate(base.addingTimeInterval(2 * 86400)).prefix(10))
        #expect(try listed(s, ["--all", "--since", third]).map { $0["id"] as! String } == [ids[2], ids[3]])
        #expect(try listed(s, ["--all", "--since", third + "T00:00:00Z"]).map { $0["id"] as! String } == [ids[2], ids[3]])
        #expect(try listed(s, ["--all", "--since", "10000d"]).count == 4, "a duration counts back from now")
        #expect(try listed(s, ["--all", "--since", "2999-01-01"]).isEmpty)

        // --limit: the earliest due first; combined with the other filters.
        #expect(try listed(s, ["--all", "--limit", "2"]).map { $0["id"] as! String } == [ids[0], ids[1]])
        #expect(try listed(s, ["--limit", "1"]).map { $0["id"] as! String } == [ids[0]], "without --all the sent one is not counted")
        #expect(try listed(s, ["--state", "scheduled", "--since", third, "--limit", "1"]).map { $0["id"] as! String } == [ids[2]])
        let interview = try #require(try s.queued().first { $0["id"] as? String == ids[3] }?["interview"] as? String)
        let ofInterview = try listed(s, ["--all", "--interview", interview, "--limit", "1"])
        #expect(ofInterview.count == 1 && ofInterview.allSatisfy { $0["interview"] as? String == interview })

        // The table shows the same selection, and says so when nothing matches.
        let table = try s.run(["status", "--state", "failed"])
        #expect(table.status == 0 && table.stdout.contains(ids[0]) && !table.stdout.contains(ids[2]), "\(table.stdout)")
        let none = try s.run(["status", "--state", "expired"])
        #expect(none.status == 0 && none.stdout.contains("No note matches"), "\(none.stdout)")
    }

    @Test("status: a bad --state, --since or --limit is a usage error (64) that says what is accepted",
          arguments: [(["--state", "snet"], "did you mean sent"), (["--state", "later"], "scheduled, sending, sent"),
                      (["--since", "2026-13-45"], "YYYY-MM-DD"), (["--since", "last week"], "YYYY-MM-DD"),
                      (["--limit", "0"], "1 or more"), (["--limit", "ten"], "limit"), (["--limit", "-3"], "limit")])
    func badFilters(_ arguments: [String], _ hint: String) throws {
        let s = try FuqSandbox()
        try s.writeConfig()
        let result = try s.run(["status"] + arguments)
        #expect(result.status == 64, "\(arguments): \(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains(hint), "\(arguments): \(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("status --interview: one interview's notes by its id or a prefix; --all shows the INTERVIEW column")
    func interviewFilter() throws {
        let s = try filledQueue()
        let rows = try s.queued()
        let globex = try #require(rows.first { ($0["to"] as? String)?.contains("globex") == true }?["interview"] as? String)
        let acme = try #require(rows.first { ($0["to"] as? String)?.contains("@acme") == true }?["interview"] as? String)
        #expect(globex.hasPrefix("globex-") && acme.hasPrefix("acme-"))

        for key in [globex, "globex", String(globex.prefix(3)).uppercased()] {
            let result = try s.run(["status", "--all", "--interview", key, "--json"])
            #expect(result.status == 0, "\(key): \(result.stderr)")
            let shown = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
            #expect(shown.count == 2 && shown.allSatisfy { $0["interview"] as? String == globex }, "\(key)")
        }
        let table = try s.run(["status", "--all", "--interview", acme])
        #expect(table.status == 0)
        let acmeIDs = rows.filter { $0["interview"] as? String == acme }.map { $0["id"] as! String }
        let others = rows.filter { $0["interview"] as? String != acme }.map { $0["id"] as! String }
        #expect(acmeIDs.allSatisfy { table.stdout.contains($0) } && !others.contains { table.stdout.contains($0) }, "\(table.stdout)")

        let all = try s.run(["status", "--all"])
        // The table's header (after the Needs you block, when something waits on you).
        #expect(all.stdout.split(separator: "\n").first { $0.hasPrefix("ID ") }?.contains("INTERVIEW") == true, "\(all.stdout)")
        for row in rows {
            let line = try #require(all.stdout.split(separator: "\n").first { $0.hasPrefix(row["id"] as! String) })
            #expect(line.contains(row["interview"] as! String), "\(line)")
        }

        let unknown = try s.run(["status", "--interview", "initech"])
        #expect(unknown.status == 65)
        #expect(unknown.stderr.contains("no interview initech"), "\(unknown.stderr)")
        try s.sql("INSERT INTO interview (id, company, position, startsAt, endsAt, timezone, source, createdAt) SELECT 'acme-zz99', company, position, startsAt, endsAt, timezone, source, createdAt FROM interview WHERE id = '\(acme)'")
        let ambiguous = try s.run(["status", "--interview", "acme"])
        #expect(ambiguous.status == 65)
        #expect(ambiguous.stderr.contains("matches several interviews") && ambiguous.stderr.contains("acme-zz99"), "\(ambiguous.stderr)")
        #expect(try s.run(["status", "--interview", "a"]).status == 64)
        #expect(try s.run(["status", acmeIDs[0], "--interview", acme]).status == 64)
        let nothing = try s.run(["status", "--interview", "acme-zz99"])
        #expect(nothing.status == 0 && nothing.stdout.contains("has no messages"), "\(nothing.stdout)")

        // cancel --interview takes the same ids and prefixes.
        #expect(try s.run(["cancel", "--interview", "acme"]).status == 65, "ambiguous: nothing cancelled")
        let cancel = try s.run(["cancel", "--interview", "glob"])
        #expect(cancel.status == 0, "\(cancel.stderr)")
        #expect(cancel.stdout.contains("of \(globex)"), "\(cancel.stdout)")
        #expect(try s.queued().filter { $0["interview"] as? String == globex }.allSatisfy { ["cancelled", "sent"].contains($0["state"] as! String) })
        #expect(try s.queued().filter { $0["interview"] as? String == acme }.allSatisfy { $0["state"] as? String != "cancelled" })
        #expect(try s.run(["cancel", "--interview", "g"]).status == 64)
    }
}
