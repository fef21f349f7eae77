import Foundation

/// Proofreading before a note is queued (etiquette.md, "Mistakes to catch before sending").
/// Each finding names the recipient and what to change.
public enum EtiquetteCheck {
    public typealias Finding = ProofFinding

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
}
