import Foundation

/// One thing proofreading found in a rendered note, located like a compiler's message. The
/// note is read as `fuq edit` shows it: line 1 `Subject: …`, line 2 blank, the body from line 3.
public struct ProofFinding: Equatable, Sendable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable {
        /// Refuses the note (until fixed, or accepted with `allow:` / the personal dictionary).
        case error
        /// Shown; the note is queued.
        case warning
    }

    public var recipient: String
    public var severity: Severity
    public var rule: String
    public var message: String
    public var excerpt: String
    public var line: Int
    public var column: Int
    public var suggestions: [String]

    public init(recipient: String, severity: Severity, rule: String, message: String, excerpt: String = "",
                line: Int = 0, column: Int = 0, suggestions: [String] = []) {
        self.recipient = recipient
        self.severity = severity
        self.rule = rule
        self.message = message
        self.excerpt = excerpt
        self.line = line
        self.column = column
        self.suggestions = suggestions
    }

    /// A whole-note problem (deliverability), without a place.
    public init(recipient: String, problem: String) {
        self.init(recipient: recipient, severity: .error, rule: "deliverability", message: problem)
    }

    /// "note to Dana Rivera:3:14: error[spelling]: …".
    public var description: String {
        let place = line > 0 ? ":\(line):\(column)" : ""
        return "note to \(recipient)\(place): \(severity.rawValue)[\(rule)]: \(message)"
    }

    /// Every rule id, for `allow:` (a typo there is refused with a suggestion).
    public static let ruleIDs: [String] = Set(PhraseRules.all.map(\.id) + [
        "spelling", "placeholder", "other-interviewer", "exclamation", "emoji", "length", "paragraphs", "thanks",
        "subject-vague", "subject-name", "company", "company-other", "position", "position-other", "deliverability",
        "greeting-name", "greeting-honorific", "greeting-first-name", "greeting-generic", "greeting-missing", "name-spelling",
        "signature", "signature-phone", "relative-day", "email-domain", "similar",
    ]).sorted()
}

/// Maps offsets in a rendered note to lines and columns.
struct NoteText {
    let text: String
    let subject: String
    let body: String

    init(subject: String, body: String) {
        self.subject = subject
        self.body = body
        text = "Subject: \(subject)\n\n\(body)"
        contentStart = text.index(text.startIndex, offsetBy: 9)
        bodyStart = text.index(contentStart, offsetBy: subject.count + 2)
    }

    /// Where the user's words start (after fuq's "Subject: " label).
    let contentStart: String.Index
    /// Where the body starts.
    let bodyStart: String.Index

    /// Where line `n` (0-based) of the body starts.
    func bodyLineStart(_ n: Int) -> String.Index {
        var index = bodyStart
        for _ in 0..<n { index = text[index...].firstIndex(of: "\n").map { text.index(after: $0) } ?? text.endIndex }
        return index
    }

    /// 1-based line and column (in characters) of `index`.
    func position(of index: String.Index) -> (line: Int, column: Int) {
        let before = text[..<index]
        let line = before.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
        let lineStart = before.lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
        return (line, text[lineStart..<index].count + 1)
    }
}
