import Foundation

/// `fuq edit`: a queued note as text a person edits (like `git commit`), and back.
///
/// The note is shown rendered — names, company, topic filled in — except the phrase for when
/// the interview was ("today", "yesterday", "on Friday"), which stays `{{interview.when}}`:
/// it is worded on the day the note is sent, so an edit made today stays true tomorrow. The
/// edited text becomes the note's own template.
public enum NoteEditing {
    public static let whenPlaceholder = "{{interview.when}}"

    /// Why an edit was not stored.
    public enum EditError: LocalizedError, Equatable {
        /// The file was emptied: the user abandoned the edit.
        case emptied
        /// The text does not start with a `Subject:` line followed by a blank line.
        case malformed(String)

        public var errorDescription: String? {
            switch self {
            case .emptied: return "the file was emptied, so the edit was abandoned; nothing changed."
            case .malformed(let problem): return "the edited note cannot be read: \(problem); nothing changed."
            }
        }
    }

    /// The text put in the editor: comment lines, then `Subject: …`, a blank line, the body.
    public static func editableText(_ m: MessageRecord) throws -> String {
        let (subject, body) = try renderForEditing(m)
        return """
            # Editing \(m.id) to \(m.recipientName) <\(m.recipientEmail)>. Lines starting with # are ignored.
            # You may change the Subject line and the body. {{interview.when}} becomes "today",
            # "yesterday" or "on Friday" when the note is sent. Save and quit to store it;
            # quit without changes to keep the note as it is; empty the file to abandon the edit.
            Subject: \(subject)

            \(body)
            """
    }

    /// The note's template after the recipient's name changed: the old full name and greeting
    /// written out in an edited note are replaced by the new ones (a template that still uses
    /// `{{interviewer.…}}` is not affected).
    public static func renamed(_ template: String, from old: MessageContext.Person, to new: MessageContext.Person) -> String {
        let before = old.interviewer, after = new.interviewer
        var text = template
        for (a, b) in [(before.name, after.name), (before.salutation, after.salutation)] where a != b && !a.isEmpty {
            // Whole words only: "Al" must not turn "Also" into "Bobso".
            guard let pattern = try? NSRegularExpression(pattern: "(?<![\\p{L}\\p{N}])" + NSRegularExpression.escapedPattern(for: a) + "(?![\\p{L}\\p{N}])")
            else { continue }
            text = pattern.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text),
                                                    withTemplate: NSRegularExpression.escapedTemplate(for: b))
        }
        return text
    }

    /// The note rendered for editing (everything but `{{interview.when}}` filled in).
    static func renderForEditing(_ m: MessageRecord) throws -> (subject: String, body: String) {
        guard let context = m.decodedContext else { return (m.subject, m.body) }
        let values = context.templateValues(sendDate: m.due, when: whenPlaceholder)
        return try MessageTemplate(name: m.templateName, source: m.template).render(values)
    }

    /// The template a person's edited text stands for; nil when it is unchanged.
    /// - Throws: `EditError.emptied` when nothing but comments and blanks is left.
    public static func template(fromEdited text: String, original: String) throws -> String? {
        /// Only the comment block at the top is dropped: a `#` line in the body is the user's.
        func content(_ text: String) -> [Substring] {
            Array(text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
                .drop { $0.hasPrefix("#") })
        }
        let lines = content(text)
        guard lines.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else { throw EditError.emptied }
        func normalized(_ lines: [Substring]) -> String {
            lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if normalized(lines) == normalized(content(original)) { return nil }
        var rest = lines.drop { $0.trimmingCharacters(in: .whitespaces).isEmpty }
        guard let first = rest.first, first.lowercased().hasPrefix("subject:") else {
            throw EditError.malformed("it must start with a `Subject: …` line")
        }
        let subject = first.dropFirst("subject:".count).trimmingCharacters(in: .whitespaces)
        guard !subject.isEmpty else { throw EditError.malformed("the Subject line is empty") }
        // A lone CR (an editor set to old Mac line ends, a paste) would split the header.
        if let problem = TextSafety.problem(in: subject) { throw EditError.malformed("the Subject line: \(problem); keep it on one line") }
        rest = rest.dropFirst()
        guard rest.first.map({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) ?? false else {
            throw EditError.malformed("put a blank line between the Subject line and the body")
        }
        let body = rest.drop { $0.trimmingCharacters(in: .whitespaces).isEmpty }.joined(separator: "\n")
        guard !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw EditError.malformed("the body is empty") }
        let braces = (subject + "\n" + body).replacingOccurrences(of: whenPlaceholder, with: "")
        if braces.contains("{{") || braces.contains("}}") {
            throw EditError.malformed("only \(whenPlaceholder) may stay in double braces; write the words themselves instead of other {{…}}")
        }
        return "Subject: \(subject)\n\n\(body)\n"
    }
}
