import Foundation

/// Proofreading before a note is queued (etiquette.md, "Mistakes to catch before sending").
/// Each finding names the recipient and what to change.
public enum EtiquetteCheck {
    public struct Finding: Equatable, Sendable, CustomStringConvertible {
        public var recipient: String
        public var problem: String
        public var description: String { "note to \(recipient): \(problem)" }
    }

    static let placeholderPatterns = [
        #"\[[A-Z][A-Za-z .']{2,40}\]"#,  // [Company Name]
        #"(?i)\byour name\b"#, #"(?i)\binterviewer'?s name\b"#, #"\{\{|\}\}"#, #"\bTODO\b"#, #"\bXXX\b"#, #"(?i)<(name|company|position)>"#,
    ]
    static let demandingPhrases = [
        "when will i hear", "what are the next steps", "when can i expect", "i expect to hear", "please respond",
        "let me know asap", "as soon as possible", "i need an answer", "why haven't", "when will you decide",
    ]

    /// The longest subject fuq queues; longer ones are cut off or refused by mail clients.
    public static let subjectLimit = 250

    /// What would make a note impossible to deliver as written: a subject over `subjectLimit`
    /// characters, control characters anywhere, or a composed header line over RFC 5322's
    /// 998 octets (servers refuse those at send time — too late for the user to notice).
    public static func deliverability(subject: String, body: String, recipientName: String, recipientEmail: String,
                                      sender: Sender, messageID: String) -> [Finding] {
        var problems: [String] = []
        if subject.count > subjectLimit {
            problems.append("the subject is \(subject.count) characters long; keep it under \(subjectLimit) (shorten the position or the template's subject)")
        }
        for (what, text, multiline) in [("the subject", subject, false), ("the recipient's name", recipientName, false), ("the body", body, true)] {
            if let problem = TextSafety.problem(in: text, multiline: multiline) { problems.append("\(what): \(problem)") }
        }
        if problems.isEmpty {
            let data = MIMEComposer.render(OutgoingMessage(
                from: .init(name: sender.name, email: sender.email ?? "a@b.example"), to: .init(name: recipientName, email: recipientEmail),
                replyTo: sender.replyTo, subject: subject, date: Date(timeIntervalSince1970: 0), messageID: messageID, body: body))
            let longest = data.split(separator: UInt8(ascii: "\n")).map(\.count).max() ?? 0
            if longest > 998 {
                problems.append("a line of the composed email is \(longest) octets long; mail servers refuse lines over 998 — shorten the longest word or field")
            }
        }
        return problems.map { Finding(recipient: recipientName, problem: $0) }
    }

    /// Checks one rendered note. `otherNames` are the other interviewers of the same panel.
    public static func check(subject: String, body: String, recipient: String, company: String, position: String,
                             senderName: String?, otherNames: [String]) -> [Finding] {
        var problems: [String] = []
        let text = subject + "\n" + body
        for pattern in placeholderPatterns {
            if let range = text.range(of: pattern, options: .regularExpression) {
                problems.append("leftover placeholder \"\(text[range])\"; replace it with the real text")
            }
        }
        let lower = text.lowercased()
        for phrase in demandingPhrases where lower.contains(phrase) {
            problems.append("\"\(phrase)\" reads as demanding; prefer \"I look forward to hearing about next steps\"")
        }
        for name in otherNames where text.localizedCaseInsensitiveContains(name) {
            problems.append("mentions \(name), another interviewer; each note should be about this person only")
        }
        let exclamations = text.filter { $0 == "!" }.count
        if exclamations > 1 { problems.append("\(exclamations) exclamation marks; keep at most one") }
        if text.unicodeScalars.contains(where: { $0.properties.isEmojiPresentation }) {
            problems.append("contains emoji; leave them out of a thank-you note")
        }
        let words = body.split(whereSeparator: { $0.isWhitespace }).count
        if words > 250 { problems.append("\(words) words; keep it to a couple of short paragraphs (under 250 words)") }
        let paragraphs = body.components(separatedBy: "\n\n").filter { $0.split(separator: " ").count > 12 }.count
        if paragraphs > 4 { problems.append("\(paragraphs) long paragraphs; three or four at most") }
        let subjectLower = subject.lowercased()
        if !(subjectLower.contains("thank") || subjectLower.contains("interview")) {
            problems.append("the subject \"\(subject)\" does not say thank you or interview; vague subjects get ignored")
        }
        if let senderName, !subject.contains(senderName) {
            problems.append("the subject does not carry your name (\(senderName))")
        }
        if !text.contains(company) { problems.append("does not name the company (\(company))") }
        if !text.contains(position) { problems.append("does not name the position (\(position))") }
        return problems.map { Finding(recipient: recipient, problem: $0) }
    }
}
