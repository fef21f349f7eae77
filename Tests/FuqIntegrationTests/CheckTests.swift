import Foundation
import Testing

/// `fuq check`, and the same checks in `fuq enqueue` and `fuq edit`, through the real binary
/// and the real hunspell dictionaries.
@Suite("fuq check")
struct CheckTests {
    func sandbox(template: String? = nil) throws -> FuqSandbox {
        let s = try FuqSandbox()
        var config = FuqSandbox.standardConfig
        if let template {
            let dir = s.root.appendingPathComponent("templates")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try template.write(to: dir.appendingPathComponent("thank-you.mustache"), atomically: true, encoding: .utf8)
            config += "\ntemplates:\n  dir: \(dir.path)\n"
        }
        try s.writeConfig(config)
        return s
    }

    static let typoTemplate = """
        Subject: Thank you for the {{position}} interview – {{sender.name}}

        Dear {{interviewer.salutation}},

        Thank you for the {{position}} interview at {{company}}. I enjoyed {{interviewer.topic}} and I look forward to hear about the next steps; I was glad to recieve the tour.

        Best regards,
        {{sender.name}}
        """

    @Test("the shipped example passes: no findings, exit 0")
    func cleanExample() throws {
        let s = try sandbox()
        let file = try s.file("iv.yaml", FuqSandbox.interview())
        let r = try s.run(["check", file])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("2 notes, no findings"))
    }

    @Test("Config/examples/interview.yaml draws no finding; the flags form is proofread the same way")
    func shippedExampleAndFlags() throws {
        let s = try sandbox()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let example = try s.run(["check", root.appendingPathComponent("Config/examples/interview.yaml").path])
        #expect(example.status == 0 && example.stdout.contains("2 notes, no findings"), "\(example.stdout)\(example.stderr)")

        let ended = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-7200))
        let flags = ["check", "--to", "dana@gmaill.com", "--name", "Dana Rivera", "--honorific", "Ms.", "--company", "Acme Robotics",
                     "--position", "Senior Platform Engineer", "--ended", ended, "--topic", "recieving feedback on the build farm",
                     "--clarify", "I could of said more about the rollback drills."]
        let r = try s.run(flags)
        #expect(r.status == 65, "\(r.stdout)\(r.stderr)")
        for rule in ["warning[email-domain]", "error[spelling]: \"recieving\"", "error[could-of]"] { #expect(r.stdout.contains(rule), "\(rule): \(r.stdout)") }
        let both = try s.run(["check", "x.yaml", "--to", "a@b.example"])
        #expect(both.status == 64 && both.stderr.contains("not both"))
    }

    @Test("planted slips: located findings, exit 65; --json has the fields; enqueue refuses the same and stores nothing")
    func planted() throws {
        let s = try sandbox(template: Self.typoTemplate)
        let file = try s.file("iv.yaml", FuqSandbox.interview())
        let r = try s.run(["check", file])
        #expect(r.status == 65)
        #expect(r.stdout.contains("note to Dana Rivera <dana.rivera@acme.example>"))
        #expect(r.stdout.contains(#"5:"#) && r.stdout.contains("error[look-forward-to-ing]") && r.stdout.contains("error[spelling]: \"recieve\""), "\(r.stdout)")
        #expect(r.stdout.contains("write \"receive\""))

        let json = try s.run(["check", file, "--json"])
        let findings = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let typo = try #require(findings.first { $0["excerpt"] as? String == "recieve" && $0["recipient"] as? String == "Dana Rivera" })
        for key in ["recipient", "severity", "rule", "message", "excerpt", "line", "column"] { #expect(typo[key] != nil, "\(key)") }
        #expect(typo["line"] as? Int == 5 && typo["severity"] as? String == "error")

        let enqueue = try s.run(["enqueue", file])
        #expect(enqueue.status == 65)
        #expect(enqueue.stderr.contains("error[spelling]") && enqueue.stderr.contains("--learn"), "\(enqueue.stderr)")
        let stored = FileManager.default.fileExists(atPath: s.queuePath) ? try s.queued() : []
        #expect(stored.isEmpty)
    }

    @Test("accepting on purpose: --learn for a word, allow: for a rule; then enqueue queues the notes")
    func accept() throws {
        let s = try sandbox(template: Self.typoTemplate)
        let file = try s.file("iv.yaml", FuqSandbox.interview(extra: "allow: [look-forward-to-ing]"))
        let learned = try s.run(["check", "--learn", "recieve"])
        #expect(learned.status == 0 && learned.stderr.contains("added recieve"))
        let words = try String(contentsOfFile: s.root.appendingPathComponent("config/fuq/words").path, encoding: .utf8)
        #expect(words.contains("\nrecieve\n"))
        #expect(try s.run(["check", file]).status == 0)
        #expect(try s.run(["enqueue", file]).status == 0)
        #expect(try s.run(["check", "--learn", "two words"]).status == 64)
    }

    @Test("a warning (a demanding line) is shown by enqueue, and the notes are queued")
    func warningQueues() throws {
        let s = try sandbox()
        let file = try s.file("iv.yaml", FuqSandbox.interview().replacingOccurrences(of: "    lead: true", with: "    lead: true\n    note: When will I hear back?"))
        let r = try s.run(["enqueue", file])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("warning[demanding]") && r.stderr.contains("allow: [RULE]"), "\(r.stderr)")
        #expect(try s.queued().count == 2)
    }

    @Test("a missing dictionary is a configuration error that names the package to install")
    func noDictionary() throws {
        let s = try FuqSandbox()
        try s.writeConfig(FuqSandbox.standardConfig.replacingOccurrences(of: "  phone:", with: "  language: xx_XX\n  phone:"))
        let r = try s.run(["check", try s.file("iv.yaml", FuqSandbox.interview())])
        #expect(r.status == 78)
        #expect(r.stderr.contains("no spelling dictionary for xx_XX") && r.stderr.contains("hunspell-xx-xx"), "\(r.stderr)")
    }
}
