import Foundation
import Testing
@testable import FuqCore

@Suite("proofreading")
struct ProofreadingTests {
    static let speller = try? Speller.shared("en_US")

    static let dana = Interviewer(name: "Dana Rivera", honorific: "Ms.", email: "dana.rivera@acme.example", topic: "the build farm")
    static let sam = Interviewer(name: "Sam Okafor", honorific: "Dr.", email: "sam.okafor@acme.example", topic: "on-call")

    static func context(_ person: Interviewer = dana, company: String = "Acme", position: String = "SRE", phone: String? = nil) -> MessageContext {
        let interview = Interview(company: company, position: position, start: nil, end: Date(), zone: .gmt, interviewers: [person, sam])
        return MessageContext(sender: Sender(name: "Alex Kim", email: "alex@example.com", phone: phone), interview: interview, interviewer: person)
    }

    static func check(_ body: String, subject: String = "Thank you – Alex Kim – SRE interview", known: Set<String> = [],
                      allow: Set<String> = [], greeting: String = "Dear Ms. Rivera,", company: String = "Acme", position: String = "SRE",
                      phone: String? = nil, probe: String? = nil) throws -> [ProofFinding] {
        let proofreader = Proofreader(speller: try #require(speller), knownWords: known, allow: allow)
        let context = context(company: company, position: position, phone: phone)
        return proofreader.check(subject: subject, body: greeting + "\n\n" + body + " The SRE role at Acme.\n\nBest regards,\nAlex Kim",
                                 context: context, others: [MessageContext(sender: context.sender, interview: Interview(company: company, position: position, start: nil, end: Date(), zone: .gmt, interviewers: [sam]), interviewer: sam).interviewer],
                                 probeBody: probe)
    }

    @Test("each phrase rule catches its example and passes its counter-example", arguments: PhraseRules.all.indices)
    func phraseRule(_ index: Int) throws {
        let rule = PhraseRules.all[index]
        let id = rule.id
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
        #expect(try Self.check("Our talk about Traefik was great.", known: ["traefik"]).filter { $0.rule == "spelling" }.isEmpty)
        let unknown = try Self.check("Our talk about Traefik was great.").filter { $0.rule == "spelling" }
        #expect(unknown.map(\.severity) == [.warning])
        #expect(try Self.check("Thanks for the workstream.").filter { $0.rule == "spelling" }.map(\.severity) == [.warning], "work stream is a compound, not a typo")
        #expect(try Self.check("Kubernetes, the repo and the onboarding docs.").filter { $0.rule == "spelling" }.isEmpty, "terms of the trade (TechWords)")
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
        let findings = try Self.check("I enjoyed meeting the team at Acme Robotics.", company: "Acme Robotics, Inc.")
        #expect(!findings.contains { $0.rule == "company" }, "\(findings)")
    }

    @Test("the greeting must address this reader, by the right name and honorific", arguments: [
        ("Dear Ms. Rivera,", nil), ("Dear Dana Rivera,", nil), ("Dear Sir/Madam,", "greeting-generic"), ("To whom it may concern,", "greeting-generic"),
        ("Hello,", "greeting-generic"), ("Dear Dana,", "greeting-first-name"), ("Dear Mr. Rivera,", "greeting-honorific"),
        ("Dear Rivera,", "greeting-honorific"), ("Dear Ms. Riviera,", "greeting-name"), ("Dear Dr. Okafor,", "greeting-name"),
        ("Dear Ms. Smith,", "greeting-name"), ("Hi Sam,", "greeting-name"), ("Dana,", "greeting-first-name"),
        ("Thank you for the talk.", "greeting-missing"),
    ] as [(String, String?)])
    func greeting(_ greeting: String, rule: String?) throws {
        let findings = try Self.check("It was good to talk.", greeting: greeting).filter { $0.rule.hasPrefix("greeting") }
        #expect(findings.map(\.rule) == (rule.map { [$0] } ?? []), "\(greeting): \(findings)")
        if let finding = findings.first, rule != "greeting-missing" { #expect(finding.line == 3 && finding.message.contains("Dear Ms. Rivera,")) }
    }

    @Test("another panelist named by full name, honorific and family name, or first name is an error; the word at a sentence start is not")
    func otherPanelist() throws {
        for text in ["Please thank Sam Okafor for me.", "As Dr. Okafor mentioned, it scales.", "I enjoyed the demo Sam gave."] {
            #expect(try Self.check(text).contains { $0.rule == "other-interviewer" && $0.severity == .error }, "\(text)")
        }
        #expect(try Self.check("It was good to talk.").filter { $0.rule == "other-interviewer" }.isEmpty)
    }

    @Test("a typed 'today' is wrong on other days; the one {{interview.when}} renders is not flagged")
    func relativeDay() throws {
        let flagged = try Self.check("Thank you for meeting me today.", probe: "Dear Ms. Rivera,\n\nThank you for meeting me today.")
        #expect(flagged.contains { $0.rule == "relative-day" && $0.line == 5 })
        let rendered = try Self.check("Thank you for meeting me today.", probe: "Dear Ms. Rivera,\n\nThank you for meeting me on November 24.")
        #expect(!rendered.contains { $0.rule == "relative-day" })
    }

    @Test("the signature carries the full name, and the phone when configured")
    func signature() throws {
        #expect(try Self.check("It was good to talk.", phone: "+1 555 0100").map(\.rule).contains("signature-phone"))
        let proofreader = Proofreader(speller: nil)
        let findings = proofreader.check(subject: "Thank you – Alex Kim – SRE interview", body: "Dear Ms. Rivera,\n\nThe SRE role at Acme.\n\nBest,\nAlex",
                                         context: Self.context(), others: [])
        #expect(findings.contains { $0.rule == "signature" && $0.severity == .error && $0.message.contains("signed \"Alex\"") })
    }

    @Test("notes of a panel that differ only in names and topics are flagged; the built-in phrasings are not")
    func similarity() throws {
        let text = "Thank you for speaking with me about the SRE role at Acme. I enjoyed hearing about TOPIC and it made me keen to join. I look forward to hearing from you.\n\nBest regards,\nAlex Kim"
        let a = NoteSimilarity.Note(recipient: "Dana Rivera", body: "Dear Ms. Rivera,\n\n" + text.replacingOccurrences(of: "TOPIC", with: "the build farm"),
                                    personal: ["Dana Rivera", "Ms. Rivera", "the build farm"])
        let b = NoteSimilarity.Note(recipient: "Sam Okafor", body: "Dear Dr. Okafor,\n\n" + text.replacingOccurrences(of: "TOPIC", with: "on-call"),
                                    personal: ["Sam Okafor", "Dr. Okafor", "on-call"])
        let found = NoteSimilarity.findings([a, b])
        #expect(found.count == 1 && found[0].recipient == "Sam Okafor" && found[0].message.contains("like the note to Dana Rivera") && found[0].message.contains("100%"))
        let c = NoteSimilarity.Note(recipient: "Mei Lin", body: "Dear Ms. Lin,\n\nIt was a pleasure to talk with you about the platform and the roadmap for the portal; I came away excited.\n\nKind regards,\nAlex Kim",
                                    personal: ["Mei Lin", "Ms. Lin"])
        #expect(NoteSimilarity.findings([a, c]).isEmpty)
    }

    @Test("phrasing numbers below 25 share the wording of at most one paragraph; the first five of a panel none")
    func phrasing() {
        for m in 0..<25 {
            for n in 0..<m {
                let same = (0..<4).filter { Phrasing.letter(m, paragraph: $0) == Phrasing.letter(n, paragraph: $0) }.count
                #expect(same <= (m < 5 ? 0 : 1), "\(m) and \(n) share \(same) paragraphs")
            }
        }
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
