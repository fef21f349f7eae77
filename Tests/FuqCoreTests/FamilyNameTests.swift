import Foundation
import Testing
@testable import FuqCore

@Suite("Family names and greetings")
struct FamilyNameTests {
    /// Full name → the family name used after the honorific, or nil: fuq must ask for
    /// `last_name` (never guess).
    @Test("a name → its family name, or a request for last_name", arguments: [
        ("Dana Rivera", "Rivera"), ("Kwame Okafor", "Okafor"), ("José Müller", "Müller"), ("Pat Lee", "Lee"),
        ("María de la Cruz", "de la Cruz"), ("Ludwig van Beethoven", "van Beethoven"), ("Dana van der Berg", "van der Berg"),
        ("Vincent van Gogh", "van Gogh"), ("Ursula von der Leyen", "von der Leyen"), ("Leonardo da Vinci", "da Vinci"),
        ("Giovanni di Lorenzo", "di Lorenzo"), ("Ahmed al-Rashid", "al-Rashid"), ("Mahathir bin Mohamad", "bin Mohamad"),
        ("Jean-Marie Le Pen", "Le Pen"), ("Ana Smith-Jones", "Smith-Jones"), ("Robert Downey III", "Downey"),
        ("Martin Luther King Jr.", nil), ("Sammy Davis, Jr.", "Davis"), ("Jane Smith PhD", "Smith"), ("Jane Smith, Ph.D.", "Smith"),
        ("Gregory House MD", "House"), ("Atticus Finch, Esq.", "Finch"), ("John F. Kennedy", "Kennedy"), ("George W Bush", "Bush"),
        ("Gabriel García Márquez", nil), ("Mary Ann Evans", nil), ("Dana", nil), ("Madonna", nil), ("Kim Min-jun", nil),
        ("Li Wei", nil), ("Nguyen Van An", nil), ("Tanaka Yuki", nil), ("Yuki Tanaka", "Tanaka"), ("李雷", nil), ("김민준", nil),
        ("田中 優希", nil), ("O'Brien-Smith (Ops)", nil), ("Dana Berg, PhD", "Berg"), ("Seo-yeon Park", "Park"),
        ("Bo\u{00A0}Lee", "Lee"), ("Siobhán O'Neill", "O'Neill"), ("Zoë Saldaña", "Saldaña"),
    ] as [(String, String?)])
    func family(_ name: String, _ expected: String?) {
        switch FamilyName.derive(name) {
        case .found(let family): #expect(family == expected, "\(name)")
        case .unsure(let why): #expect(expected == nil, "\(name): \(why)")
        }
    }

    @Test("the greeting: honorific + family name; last_name, salutation and call_me as given")
    func greetings() {
        #expect(Interviewer(name: "María de la Cruz", honorific: "Ms.", email: "m@x.example", topic: "t").salutation == "Ms. de la Cruz")
        #expect(Interviewer(name: "Gabriel García Márquez", honorific: "Mr.", email: "g@x.example", topic: "t", lastName: "García Márquez").salutation
            == "Mr. García Márquez")
        #expect(Interviewer(name: "Kim Min-jun", honorific: "Mr.", email: "k@x.example", topic: "t", lastName: "Kim").salutation == "Mr. Kim")
        #expect(Interviewer(name: "Kwame Okafor", honorific: "Dr.", email: "k@x.example", topic: "t", salutation: "Professor Okafor").salutation
            == "Professor Okafor")
        #expect(Interviewer(name: "Dana", callMe: "Dana", email: "d@x.example", topic: "t").greetingProblem == nil)
        #expect(Interviewer(name: "Dana", honorific: "Ms.", email: "d@x.example", topic: "t").greetingProblem != nil)
    }

    @Test("an interview file with a name fuq cannot split is refused at its line, asking for last_name")
    func refusedInFile() throws {
        let yaml = """
            company: Acme
            position: SRE
            interview:
              end: 2026-11-24T15:30
              timezone: UTC
            interviewers:
              - name: Gabriel García Márquez
                honorific: Mr.
                email: g@acme.example
                topic: error budgets
            """
        #expect(throws: InterviewError.self) { try Interview.parse(yaml, file: "i.yaml") }
        do { _ = try Interview.parse(yaml, file: "i.yaml") } catch {
            let text = (error as? LocalizedError)?.errorDescription ?? ""
            #expect(text.contains("i.yaml:7") && text.contains("last_name: García Márquez"), "\(text)")
        }
        let fixed = try Interview.parse(yaml + "\n    last_name: García Márquez", file: "i.yaml")
        #expect(fixed.interviewers[0].salutation == "Mr. García Márquez")
    }
}
