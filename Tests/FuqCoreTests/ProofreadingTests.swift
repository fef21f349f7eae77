import Foundation
import Testing
@testable import FuqCore

@Suite("proofreading")
struct ProofreadingTests {
    static let speller = try? Speller.shared("en_US")

    static func check(_ body: String, subject: String = "Thank you – Alex Kim – SRE interview", known: Set<String> = [],
                      allow: Set<String> = []) throws -> [ProofFinding] {
        let proofreader = Proofreader(speller: try #require(speller), knownWords: known, allow: allow)
        return proofreader.check(subject: subject, body: "Dear Ms. Rivera,\n\n" + body + " The SRE role at Acme.\n\nBest regards,\nAlex Kim",
                                 recipient: "Dana Rivera", company: "Acme", position: "SRE", senderName: "Alex Kim", otherNames: ["Sam Okafor"])
    }

    @Test("each grammar rule catches its example and passes its counter-example", arguments: GrammarRules.all.map(\.id))
    func grammarRule(_ id: String) throws {
        let rule = try #require(GrammarRules.all.first { $0.id == id })
        #expect(try Self.check(rule.caught).contains { $0.rule == id }, "\(id) missed: \(rule.caught)")
        let passed = try Self.check(rule.passed).filter { $0.rule == id }
        #expect(passed.isEmpty, "\(id) flagged \(passed.map(\.excerpt)) in: \(rule.passed)")
    }

    @Test("spelling through hunspell: a typo is an error with suggestions, at its line and column")
    func typo() throws {
        let findings = try Self.check("I was glad to recieve the tour.").filter { $0.rule == "spelling" }
        let finding = try #require(findings.first)
        #expect(finding.severity == .error && finding.excerpt == "recieve" && finding.suggestions.first == "receive")
        // Line 1 Subject, 2 blank, 3 greeting, 4 blank, 5 this paragraph; "recieve" starts at column 15.
        #expect(finding.line == 5 && finding.column == 15, "\(finding)")
    }

    @Test("names, the file's words and the personal dictionary are known; a term with no near word is only a warning")
    func knownWords() throws {
        #expect(try Self.check("Our talk about Kubernetes was great.", known: ["kubernetes"]).filter { $0.rule == "spelling" }.isEmpty)
        let unknown = try Self.check("Our talk about Kubernetes was great.").filter { $0.rule == "spelling" }
        #expect(unknown.map(\.severity) == [.warning])
        #expect(try Self.check("Thanks for the roadmap.").filter { $0.rule == "spelling" }.map(\.severity) == [.warning], "road map is a compound, not a typo")
        let links = try Self.check("See https://example.com/recieve, www.exmaple.org/x and me@exmaple.com, a GitHub page and CI/CD.").filter { $0.rule == "spelling" }
        #expect(links.isEmpty, "\(links)")
    }

    @Test("clean notes that used to be refused are not", arguments: [
        "It was a pleasure to put a face to your name.", "I enjoyed the talk about TODO comments in the codebase.",
        "I attached my portfolio [PDF] as discussed.", "I would be glad to start as soon as possible.",
    ])
    func noFalseAlarm(_ body: String) throws {
        let errors = try Self.check(body, known: ["codebase"]).filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors)")
    }

    @Test("the company is recognised without its legal suffix")
    func companySuffix() throws {
        let proofreader = Proofreader(speller: nil)
        let findings = proofreader.check(subject: "Thank you – Alex Kim", body: "The SRE role at Acme Robotics.", recipient: "Dana",
                                         company: "Acme Robotics, Inc.", position: "SRE", senderName: "Alex Kim", otherNames: [])
        #expect(!findings.contains { $0.rule == "company" })
    }

    @Test("allow: accepts a rule on purpose")
    func allow() throws {
        #expect(try Self.check("I look forward to hear from you.", allow: ["look-forward-to-ing"]).filter { $0.rule == "look-forward-to-ing" }.isEmpty)
    }

    @Test("an unknown rule in allow: is refused with a suggestion")
    func unknownAllow() {
        let file = """
            company: Acme
            position: SRE
            allow: [speling]
            interview: {end: 2026-11-24T15:30, timezone: America/New_York}
            interviewers:
              - {name: Dana Rivera, honorific: Ms., email: dana@acme.example, topic: on-call}
            """
        #expect { try Interview.parse(file, file: "i.yaml") } throws: { "\($0)".contains("did you mean spelling?") && "\($0)".contains("i.yaml:3") }
    }

    @Test("the personal dictionary: --learn adds a word once, refuses what is not a word")
    func learn() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fuq-words-\(UUID().uuidString)/words").path
        #expect(try NoteProofing.learn("Kubernetes", path: path))
        #expect(try !NoteProofing.learn("Kubernetes", path: path))
        #expect(NoteProofing.personalWords(path: path) == ["Kubernetes"])
        for bad in ["two words", "", "a\u{202E}b", "#x", String(repeating: "a", count: 65)] {
            #expect(throws: NoteProofing.LearnError.self) { try NoteProofing.learn(bad, path: path) }
        }
    }
}
