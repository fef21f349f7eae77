import Foundation
import Testing
@testable import FuqCore

/// The structure of the built-in notes' phrasings (issue 20): what each slot may contain, the
/// recruiter's follow-up that never claims a conversation, the senior register, dates in the
/// sender's English, and panels whose notes differ.
@Suite("Phrasings of the built-in notes")
struct PhrasingsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let allowed: Set<String> = ["interview.when", "interview.date", "interview.names", "position", "company", "interviewer.topic", "pitch", "interviewer.clarify"]
    static let slots: [(String, String)] = Phrasings.thankYouSlots.map { ("thank_you", $0) } + Phrasings.followUpSlots.filter { $0 != "sign_off" }.map { ("follow_up", $0) }

    static func all(_ section: String, _ slot: String) -> [String] {
        Phrasings.Register.allCases.flatMap { Phrasings.alternatives(section, slot, $0) }
    }

    @Test("the embedded phrasings are Config/phrasings.yaml (scripts/gen-phrasings)")
    func embedded() throws {
        let file = try String(contentsOf: Self.root.appendingPathComponent("Config/phrasings.yaml"), encoding: .utf8)
        #expect(BuiltInPhrasings.yaml + "\n" == file)
    }

    @Test("every slot has at least 6 alternatives in each register, using only the note's own values", arguments: slots.map { "\($0.0).\($0.1)" })
    func slot(_ name: String) {
        let (section, slot) = (String(name.split(separator: ".")[0]), String(name.split(separator: ".")[1]))
        for register in Phrasings.Register.allCases {
            let list = Phrasings.alternatives(section, slot, register)
            #expect(list.count >= 6, "\(name) \(register): \(list.count)")
            #expect(Set(list).count == list.count, "\(name) \(register): no alternative twice")
            for text in list {
                let used = Set(text.matches(of: /\{\{\s*([^}]+?)\s*\}\}/).map { String($0.output.1) })
                #expect(used.isSubset(of: Self.allowed), "\(name): \(used.subtracting(Self.allowed)) in \(text)")
                #expect(text.firstMatch(of: /\bon \{\{interview\.when\}\}/) == nil && !text.contains("!"), "\(text)")
                #expect(text.firstMatch(of: /(?i)\b(today|yesterday|tomorrow|monday|tuesday|wednesday|thursday|friday)\b/) == nil, "a day by hand: \(text)")
            }
        }
    }

    @Test("the opening names the role, the company and this person's topic; the pitch is tied to the topic and ends with it; clarify ends with the point")
    func thankYouSlots() {
        for text in Self.all("thank_you", "opening") {
            for variable in ["{{position}}", "{{company}}", "{{interviewer.topic}}", "{{interview.when}}"] { #expect(text.contains(variable), "\(variable): \(text)") }
        }
        for text in Self.all("thank_you", "pitch") {
            #expect(text.hasSuffix("{{pitch}}") && text.count > "{{pitch}}".count + 20, "the pitch comes with a sentence that leads to it: \(text)")
        }
        for text in Self.all("thank_you", "clarify") { #expect(text.hasSuffix("{{interviewer.clarify}}"), "\(text)") }
        for text in Self.all("thank_you", "close") {
            #expect(text.firstMatch(of: /(?i)staying in touch|keep in touch|at your convenience|goodbye/) == nil, "a close, not a goodbye: \(text)")
        }
    }

    @Test("the senior register has no eager, excited or thrilled, and offers no 'examples or references'")
    func senior() {
        for (section, slot) in Self.slots {
            for text in Phrasings.alternatives(section, slot, .senior) {
                #expect(text.firstMatch(of: /(?i)\b(eager|excited|thrilled|enthusiastic|passionate|dream|references)\b/) == nil, "\(section).\(slot): \(text)")
            }
        }
        #expect(Phrasings.register(position: "VP of Engineering", override: nil) == .senior)
        #expect(Phrasings.register(position: "Head of Data", override: nil) == .senior)
        #expect(Phrasings.register(position: "Principal Engineer", override: nil) == .senior)
        #expect(Phrasings.register(position: "Director, Platform", override: nil) == .senior)
        #expect(Phrasings.register(position: "Senior Platform Engineer", override: nil) == .standard)
        #expect(Phrasings.register(position: "Data Engineer", override: .senior) == .senior)
    }

    @Test("the recruiter's follow-up never claims a conversation with them, and names the interview; screened may mention the call")
    func recruiter() {
        for slot in ["recruiter", "nudge_recruiter"] {
            for text in Self.all("follow_up", slot) {
                #expect(text.firstMatch(of: /(?i)\b(our|we|us)\b|conversation|discuss|spoke|speak|talk|you and I/) == nil, "\(slot): \(text)")
            }
        }
        for text in Self.all("follow_up", "recruiter") {
            #expect(text.contains("{{interview.names}}") && text.contains("{{interview.date}}"), "\(text)")
        }
        for text in Self.all("follow_up", "recruiter_screened") {
            #expect(text.contains("{{interview.names}}"), "\(text)")
            #expect(!text.contains("our conversation on {{interview.date}}"), "the screening call was not on the interview's day: \(text)")
        }
    }

    static func context(language: String?, position: String = "Senior Platform Engineer", toRecruiter: Bool = false, screened: Bool = false) throws -> MessageContext {
        var interview = sampleInterview()
        interview.position = position
        interview.pitch = "I have run build farms for five years."
        var sender = sampleConfig.sender
        sender.language = language
        var context = MessageContext(sender: sender, interview: interview, interviewer: interview.interviewers[0])
        context.nudge = 1
        if toRecruiter { context.toRecruiter = true; context.screened = screened }
        return context
    }

    @Test("dates in the sender's English: Tuesday 8 December for en_GB and en_AU, Tuesday, December 8 for en_US", arguments: [
        ("en_US", "Tuesday, November 24"), ("en_GB", "Tuesday 24 November"), ("en_AU", "Tuesday 24 November"), ("en_CA", "Tuesday, November 24"),
    ])
    func dates(language: String, expected: String) throws {
        let end = instant("2026-11-24T15:30", "America/New_York")
        #expect(DateFormatting.longDate(end, zone: TimeZone(identifier: "America/New_York")!, language: language) == expected)
        let values = try Self.context(language: language).templateValues(sendDate: end.addingTimeInterval(8 * 86400))
        #expect((values["interview"] as? [String: Any])?["date"] as? String == expected)
        let note = try MessageTemplate.load("follow-up", directory: nil).render(values)
        if note.body.contains("November") { #expect(note.body.contains(expected), "\(note.body)") }
    }

    @Test("British spelling of fuq's own words for an en_GB sender, never of the user's")
    func british() {
        #expect(BritishSpelling.apply("I would be glad to organize a call and prioritize it.") == "I would be glad to organise a call and prioritise it.")
        #expect(BritishSpelling.isBritish("en_GB") && !BritishSpelling.isBritish("en_US") && !BritishSpelling.isBritish(nil))
    }

    @Test("a follow-up to the recruiter is built from the recruiter's phrasings, the lead's from the lead's")
    func followUpBodies() throws {
        let lead = try Self.context(language: nil)
        let leadBody = try MessageTemplate.load("follow-up", directory: nil).render(lead.templateValues(sendDate: Date())).body
        #expect(leadBody.contains("our conversation") || leadBody.contains("Our conversation"), "\(leadBody)")
        for screened in [false, true] {
            let recruiter = try Self.context(language: nil, toRecruiter: true, screened: screened)
            let body = try MessageTemplate.load("follow-up", directory: nil).render(recruiter.templateValues(sendDate: Date())).body
            #expect(body.contains("Dana Rivera"), "names the interview: \(body)")
            if !screened { #expect(!body.lowercased().contains("conversation"), "\(body)") }
        }
    }

    @Test("the notes of a panel of five share little wording (difflib-style word ratio under 0.6), in both registers",
          arguments: ["Senior Platform Engineer", "VP of Engineering"])
    func panelSimilarity(position: String) throws {
        var interview = sampleInterview()
        interview.position = position
        interview.pitch = "I have run build farms for five years."
        let names = ["Dana Rivera", "Kwame Okafor", "Mei Lin", "Sam Patel", "Ana Souza"]
        interview.interviewers = names.enumerated().map { i, name in
            Interviewer(name: name, honorific: "Ms.", email: "p\(i)@acme.example", topic: "the build farm", lead: i == 0)
        }
        let template = try MessageTemplate.load("thank-you", directory: nil)
        let bodies = try interview.interviewers.map { person in
            try template.render(MessageContext(sender: sampleConfig.sender, interview: interview, interviewer: person)
                .templateValues(sendDate: interview.end.addingTimeInterval(7200))).body
        }
        var worst = 0.0
        for i in bodies.indices { for j in bodies.indices where j > i { worst = max(worst, Self.ratio(bodies[i], bodies[j])) } }
        #expect(worst < 0.6, "the most alike pair of the panel: \(worst)")
    }

    /// Python difflib's SequenceMatcher.ratio over words (2·matches / total), by longest common subsequence.
    static func ratio(_ a: String, _ b: String) -> Double {
        let x = a.lowercased().split(whereSeparator: { $0.isWhitespace }), y = b.lowercased().split(whereSeparator: { $0.isWhitespace })
        var table = Array(repeating: Array(repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 1...max(x.count, 1) where i <= x.count {
            for j in 1...max(y.count, 1) where j <= y.count {
                table[i][j] = x[i - 1] == y[j - 1] ? table[i - 1][j - 1] + 1 : max(table[i - 1][j], table[i][j - 1])
            }
        }
        return 2.0 * Double(table[x.count][y.count]) / Double(max(x.count + y.count, 1))
    }
}

@Suite("The sender's English")
struct SenderEnglishTests {
    @Test("en_AU without its dictionary is checked against en_GB, with one notice; en_CA against en_US; en_US and en_GB as they are")
    func fallback() throws {
        for (language, nearest) in [("en_AU", "en_GB"), ("en_CA", "en_US")] {
            let speller = try Speller.forSender(language)
            if (try? Speller(language: language)) != nil {
                #expect(speller.language == language)
            } else {
                #expect(speller.language == nearest)
                let notice = Speller.fallbackNotice(language)
                #expect(notice?.contains("hunspell-\(language.lowercased().replacingOccurrences(of: "_", with: "-"))") == true)
                #expect(Speller.fallbackNotice(language) == nil, "said once")
            }
        }
        #expect(try Speller.forSender("en_GB").language == "en_GB")
        #expect(throws: SpellingError.self) { try Speller.forSender("de_DE_x") }
    }
}
