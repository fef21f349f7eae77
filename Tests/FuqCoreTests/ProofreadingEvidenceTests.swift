import Foundation
import Testing
@testable import FuqCore

/// Issue 24: spelling severity by evidence (codespell, SCOWL), facts fuq knows, honest fixes.
@Suite("proofreading by evidence")
struct ProofreadingEvidenceTests {
    static func spelling(_ sentence: String, evidence: SpellingEvidence? = nil) throws -> [String: ProofFinding.Severity] {
        let speller = try #require(ProofreadingTests.speller)
        var proofreader = Proofreader(speller: speller)
        if let evidence { proofreader.evidence = { evidence } }
        let context = ProofreadingTests.context()
        let body = "Dear Ms. Rivera,\n\n\(sentence) The SRE role at Acme.\n\nBest regards,\nAlex Kim"
        let found = proofreader.check(subject: "Thank you – Alex Kim – SRE interview", body: body, context: context, others: [])
        return Dictionary(found.filter { $0.rule == "spelling" }.map { ($0.excerpt, $0.severity) }, uniquingKeysWith: { a, _ in a })
    }

    @Test("the lists are on this machine (scripts/install-deps), so the checks below test them")
    func listsPresent() {
        let evidence = SpellingEvidence.shared("en_US")
        #expect(evidence.missing.isEmpty, "\(evidence.missing)")
        #expect(evidence.misspellings?.fixes(for: "recieve") == ["receive"])
        #expect(evidence.misspellings?.fixes(for: "Occured") == ["Occurred"])
        #expect(evidence.large?.contains("shader") == true && evidence.large?.contains("Paulo") == true && evidence.large?.contains("etcd") == false)
    }

    @Test("a word of the large list is no finding; a term in no list a warning; a known misspelling or one slip from a common word an error")
    func severities() throws {
        let found = try Self.spelling("""
            We talked about shader caches, queueing theory, idempotency and backfills; the résumé, the café and a naïve plan. \
            Our etcd cluster, the bitrate of transcoding jobs and Snakemake pipelines. \
            It occured to me that I would recieve the servise report and the intervew notes, and seperate the enviroment.
            """)
        for word in ["shader", "queueing", "idempotency", "backfills", "résumé", "café", "naïve"] { #expect(found[word] == nil, "\(word): \(String(describing: found[word]))") }
        for word in ["etcd", "bitrate", "transcoding", "Snakemake"] { #expect(found[word] == .warning, "\(word): \(String(describing: found[word]))") }
        for word in ["occured", "recieve", "servise", "intervew", "seperate", "enviroment"] { #expect(found[word] == .error, "\(word): \(String(describing: found[word]))") }
    }

    @Test("a known misspelling says so and offers codespell's fix, even when hunspell would split the word")
    func knownMisspelling() throws {
        let speller = try #require(ProofreadingTests.speller)
        let finding = try #require(ProofreadingTests.check("It occured to me.").first { $0.rule == "spelling" })
        #expect(finding.severity == .error && finding.suggestions == ["occurred"] && finding.message.contains("common misspelling"))
        #expect(speller.suggestions(for: "occured", limit: 10).contains("occur ed"))
    }

    @Test("without the lists, spelling falls back to hunspell alone and says so once")
    func degraded() throws {
        let found = try Self.spelling("I would recieve the shader report.", evidence: SpellingEvidence(missing: ["codespell"]))
        #expect(found["recieve"] == .error)
        #expect(found["shader"] == .error)   // hunspell alone: one edit from "shared"
        #expect(SpellingEvidence(missing: ["codespell's list"]).notice?.contains("hunspell alone") == true)
        #expect(SpellingEvidence().notice == nil)
    }

    // MARK: Facts

    static var weekday: String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        return Proofreader.weekdays[calendar.component(.weekday, from: Date()) - 1].capitalized
    }

    static var otherWeekday: String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        return Proofreader.weekdays[(calendar.component(.weekday, from: Date()) + 2) % 7].capitalized
    }

    @Test("a weekday or date about the interview that is not its day is an error; the right day and days to come are not")
    func interviewDay() throws {
        let wrong = try ProofreadingTests.check("Meeting the team on \(Self.otherWeekday) showed me how you work.").filter { $0.rule == "interview-day" }
        #expect(wrong.count == 1 && wrong.first?.severity == .error && wrong.first?.message.contains(Self.weekday) == true)
        #expect(try ProofreadingTests.check("Thank you for our talk last \(Self.otherWeekday).").contains { $0.rule == "interview-day" })
        #expect(try ProofreadingTests.check("Meeting the team on \(Self.weekday) showed me how you work.").allSatisfy { $0.rule != "interview-day" })
        #expect(try ProofreadingTests.check("I look forward to our call on \(Self.otherWeekday).").allSatisfy { $0.rule != "interview-day" })
        #expect(try ProofreadingTests.check("The release on \(Self.otherWeekday) went well for my old team.").allSatisfy { $0.rule != "interview-day" })
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = .gmt
        format.dateFormat = "MMMM d"
        let later = format.string(from: Date().addingTimeInterval(9 * 86_400))
        #expect(try ProofreadingTests.check("Thank you for the interview on \(later).").contains { $0.rule == "interview-day" })
        #expect(try ProofreadingTests.check("Thank you for the interview on \(format.string(from: Date())).").allSatisfy { $0.rule != "interview-day" })
    }

    static func note(for person: Interviewer, panel: [Interviewer]) throws -> [ProofFinding] {
        let interview = Interview(company: "Acme", position: "SRE", start: nil, end: Date(), zone: .gmt, interviewers: panel)
        let context = MessageContext(sender: Sender(name: "Alex Kim", email: "alex@example.com"), interview: interview, interviewer: person)
        let others = panel.filter { $0.email != person.email }.map { MessageContext(sender: context.sender, interview: interview, interviewer: $0).interviewer }
        let body = "Dear \(person.salutation),\n\nThank you for the talk about the SRE role at Acme.\n\nBest regards,\nAlex Kim"
        return Proofreader(speller: try #require(ProofreadingTests.speller), knownWords: ["rivera", "okafor", "priya", "robert", "bob", "smith", "elizabeth", "liz"])
            .check(subject: "Thank you – Alex Kim – SRE interview", body: body, context: context, others: others)
    }

    @Test("a call_me or salutation copied from another block is caught; a real short form is not")
    func copiedBlock() throws {
        let priya = Interviewer(name: "Priya Okafor", email: "priya@acme.example", topic: "x")
        let copied = Interviewer(name: "Dana Rivera", callMe: "Priya", email: "dana@acme.example", topic: "y")
        let finding = try #require(try Self.note(for: copied, panel: [copied, priya]).first { $0.rule == "greeting-name" })
        #expect(finding.severity == .error && finding.message.contains("Priya Okafor") && finding.excerpt == "Priya")
        let stranger = Interviewer(name: "Dana Rivera", callMe: "Jenny", email: "dana@acme.example", topic: "y")
        #expect(try Self.note(for: stranger, panel: [stranger]).contains { $0.rule == "greeting-name" && $0.severity == .warning })
        for (name, nick) in [("Robert Smith", "Bob"), ("Elizabeth Smith", "Liz"), ("Dana Rivera", "Dana"), ("Thomas Smith", "Tom"), ("Katherine Smith", "Kate")] {
            let person = Interviewer(name: name, callMe: nick, email: "p@acme.example", topic: "z")
            #expect(try Self.note(for: person, panel: [person]).allSatisfy { $0.rule != "greeting-name" }, "\(nick) for \(name)")
        }
        let salutation = Interviewer(name: "Dana Rivera", email: "dana@acme.example", topic: "y", salutation: "Dr. Okafor")
        let wrong = try #require(try Self.note(for: salutation, panel: [salutation, priya]).first { $0.rule == "greeting-name" })
        #expect(wrong.severity == .error && wrong.suggestions == ["Dr. Rivera"])
    }

    @Test("a misspelt salutation is answered with the right spelling, never the slip again")
    func honestSuggestion() throws {
        let person = Interviewer(name: "Chidi Okonkwo", email: "c@acme.example", topic: "y", salutation: "Professor Okonkow")
        let finding = try #require(try Self.note(for: person, panel: [person]).first { $0.rule == "greeting-name" })
        #expect(finding.suggestions == ["Professor Okonkwo"])
        #expect(!finding.message.contains("write \"Dear Professor Okonkow") && !finding.message.contains("salutation: Professor Okonkow`"))
    }

    @Test("a link or address that cannot work is an error; working ones are not")
    func links() throws {
        for broken in ["https//example.org/work", "http:/example.org", "htps://example.org", "https://portfolio/alex", "https://example. org/x",
                       "www.example", "alex@examplecom", "https: //example.org"] {
            #expect(try ProofreadingTests.check("My work is at \(broken) for you.").contains { $0.rule == "broken-link" }, "\(broken)")
        }
        for fine in ["https://example.org/work.", "http://localhost:8080/x", "www.example.org", "alex@example.org", "(https://example.org/a-b?c=1)"] {
            #expect(try ProofreadingTests.check("My work is at \(fine) for you.").allSatisfy { $0.rule != "broken-link" }, "\(fine)")
        }
    }

    @Test("another employer in the prose is caught; a team, a city or a past employer is not")
    func employer() throws {
        for slip in ["I would love to help the Globex team.", "I am excited about joining Initech.", "Hooli's mission inspires me.",
                     "I would be proud to work at Tellurian.", "I look forward to joining Corvid Systems."] {
            #expect(try ProofreadingTests.check(slip).contains { $0.rule == "company-other" }, "\(slip)")
        }
        for fine in ["I enjoyed meeting the São Paulo team.", "The Platform team's plans are clear.", "Before joining Initech, I ran builds.",
                     "I would be glad to join the Platform Engineering group.", "Dana's team ships weekly."] {
            #expect(try ProofreadingTests.check(fine, known: ["dana"]).allSatisfy { $0.rule != "company-other" }, "\(fine)")
        }
    }

    @Test("a company whose name ends with a full stop, at a sentence's end in the built-in note, gets one stop (no double-period of fuq's own)")
    func companyWithStop() throws {
        var interview = sampleInterview()
        interview.company = "ACME Robotics, Inc."
        interview.followUp = false
        for person in interview.interviewers {
            for phrasing in 0..<6 {
                let context = MessageContext(sender: sampleConfig.sender, interview: interview, interviewer: person, phrasing: phrasing)
                let note = try MessageTemplate.load("thank-you", directory: nil).render(context.templateValues(sendDate: interview.end.addingTimeInterval(7200)))
                #expect(!note.body.contains("Inc..") && !note.subject.contains("Inc.."), "\(note.body)")
            }
        }
    }

    @Test("fuq's own greetings with particles draw no sentence-capital warning; an abbreviation before a small letter is fine")
    func particles() throws {
        for greeting in ["Dear Ms. de la Fuente,", "Dear Mr. van der Meer,", "Dear Mr. al-Rashid,", "Dear Dr. da Silva,"] {
            let found = try ProofreadingTests.check("I hold an M.Sc. in physics and a Ph.D. in maths.", greeting: greeting)
            #expect(found.allSatisfy { $0.rule != "sentence-capital" && $0.rule != "a-an" }, "\(greeting): \(found)")
        }
    }
}
