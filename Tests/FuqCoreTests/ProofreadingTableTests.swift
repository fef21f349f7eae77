import Foundation
import Testing
@testable import FuqCore

/// The proofreading table (issue 12): planted mistakes, one per file, each of which must be
/// caught under its rule; and clean notes in varied styles, none of which may draw a finding.
/// Cases are data under ProofreadingCases/:
/// - `*.mustache`: a user template, rendered for the panel of `panel.yaml`;
/// - `*.yaml`: an interview file, rendered with the built-in template.
/// A planted case names its rule on its first line (`{{! expect: RULE }}` or `# expect: RULE`).
/// `END` in a YAML file is replaced by a time two hours ago: nothing here depends on the date.
@Suite("proofreading table")
struct ProofreadingTableTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("ProofreadingCases")

    static func cases(_ kind: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(kind).path)) ?? []
        return names.filter { $0.hasSuffix(".mustache") || $0.hasSuffix(".yaml") }.sorted()
    }

    static let config: FuqConfig = {
        var config = FuqConfig()
        config.sender = Sender(name: "Alex Kim", email: "alex.kim@example.com", phone: "+1 555 0100", links: ["https://example.org/alex"])
        return config
    }()

    static func interview(_ text: String) throws -> Interview {
        let end = Date().addingTimeInterval(-7200)
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(identifier: "America/New_York")
        format.dateFormat = "yyyy-MM-dd'T'HH:mm"
        return try Interview.parse(text.replacingOccurrences(of: "END", with: format.string(from: end)), file: "case")
    }

    /// What `fuq check` finds for one case file.
    static func findings(_ kind: String, _ name: String) throws -> [ProofFinding] {
        let text = try String(contentsOf: folder.appendingPathComponent(kind).appendingPathComponent(name), encoding: .utf8)
        let interview: Interview
        let template: MessageTemplate
        if name.hasSuffix(".yaml") {
            interview = try Self.interview(text)
            template = try MessageTemplate.load("thank-you", directory: nil)
        } else {
            interview = try Self.interview(try String(contentsOf: folder.appendingPathComponent("panel.yaml"), encoding: .utf8))
            // The first line says what the case plants; the template starts after it.
            template = MessageTemplate(name: "thank-you", source: text.hasPrefix("{{!") ? String(text.drop { $0 != "\n" }.dropFirst()) : text)
        }
        return try proofread(interview, template: template, config: config)
    }

    /// What `fuq check` finds in the notes `template` makes for `interview`, read the day after its minimum delay.
    static func proofread(_ interview: Interview, template: MessageTemplate, config: FuqConfig) throws -> [ProofFinding] {
        let sendDate = interview.end.addingTimeInterval(config.policy.minDelay)
        let drafts = try interview.interviewers.map { person in
            let context = MessageContext(sender: config.sender, interview: interview, interviewer: person)
            let output = try template.render(context.templateValues(sendDate: sendDate))
            return NoteProofing.Draft(context: context, subject: output.subject, body: output.body, recipientEmail: person.email,
                                      messageID: "<x@example.com>", template: template, sendDate: sendDate)
        }
        return try NoteProofing.proofread(drafts, config: config, personalWords: [])
    }

    static func expectedRule(_ kind: String, _ name: String) throws -> String {
        let text = try String(contentsOf: folder.appendingPathComponent(kind).appendingPathComponent(name), encoding: .utf8)
        let first = text.prefix { $0 != "\n" }
        let match = try #require(first.firstMatch(of: /expect: ([a-z'-]+)/), "\(name) does not say which rule it plants")
        return String(match.output.1)
    }

    @Test("there are at least 40 planted mistakes and 20 clean notes, every rule id planted is a real one")
    func sizes() throws {
        #expect(Self.cases("planted").count >= 40)
        #expect(Self.cases("clean").count >= 20)
        for name in Self.cases("planted") { #expect(ProofFinding.ruleIDs.contains(try Self.expectedRule("planted", name)), "\(name)") }
    }

    @Test("each planted mistake is caught under its rule", arguments: cases("planted"))
    func planted(_ name: String) throws {
        let rule = try Self.expectedRule("planted", name)
        let findings = try Self.findings("planted", name)
        #expect(findings.contains { $0.rule == rule }, "\(name): expected \(rule), found \(findings.map(\.description))")
    }

    @Test("no clean note draws a finding", arguments: cases("clean"))
    func clean(_ name: String) throws {
        let findings = try Self.findings("clean", name)
        #expect(findings.isEmpty, "\(name): \(findings.map(\.description).joined(separator: "\n"))")
    }
}
