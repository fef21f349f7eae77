import Foundation

/// One `UID SEARCH` criterion (RFC 3501 §6.4.4), built as a tree and rendered to the exact text
/// the server gets. Only what the reply check needs; every value is sent as a quoted string.
public indirect enum SearchCriterion: Sendable, Equatable {
    /// Messages that arrived on or after this day (the server's internal date; day granularity).
    case since(day: IMAPDay)
    /// The header field contains the text (case-insensitive substring, as IMAP defines it).
    case header(field: String, contains: String)
    /// The From header contains the text.
    case from(String)
    /// The body contains the text.
    case body(String)
    /// Every criterion matches.
    case all([SearchCriterion])
    /// Either matches.
    case or(SearchCriterion, SearchCriterion)
    case not(SearchCriterion)

    /// One criterion that matches when any of `criteria` does: a balanced tree of `OR`s (so a
    /// long list does not nest deeper than log2 n). Nil for an empty list.
    public static func anyOf(_ criteria: [SearchCriterion]) -> SearchCriterion? {
        switch criteria.count {
        case 0: return nil
        case 1: return criteria[0]
        default:
            let middle = criteria.count / 2
            return .or(anyOf(Array(criteria[..<middle]))!, anyOf(Array(criteria[middle...]))!)
        }
    }

    /// The text after `UID SEARCH `.
    /// - Throws: `MailboxError.invalidInput` for a value IMAP cannot carry in a quoted string.
    public func imapText() throws -> String {
        switch self {
        case .since(let day): return "SINCE \(day.imapText)"
        case .header(let field, let text):
            guard !field.isEmpty, field.unicodeScalars.allSatisfy(IMAPString.isHeaderNameCharacter) else {
                throw MailboxError.invalidInput(what: "the header \(field.debugDescription)", problem: "a header name is letters, digits and dashes")
            }
            return "HEADER \(field) \(try IMAPString.quoted(text, what: field))"
        case .from(let text): return "FROM \(try IMAPString.quoted(text, what: "the sender \(text.debugDescription)"))"
        case .body(let text): return "BODY \(try IMAPString.quoted(text, what: "the text \(text.debugDescription)"))"
        case .all(let criteria):
            guard !criteria.isEmpty else { return "ALL" }
            let parts = try criteria.map { try $0.imapText() }
            return parts.count == 1 ? parts[0] : "(" + parts.joined(separator: " ") + ")"
        case .or(let a, let b): return "OR \(try a.imapText()) \(try b.imapText())"
        case .not(let a): return "NOT \(try a.imapText())"
        }
    }
}

/// A calendar day as IMAP's SEARCH wants it: `1-Feb-2025`.
public struct IMAPDay: Sendable, Equatable, Comparable {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The day before `date`'s UTC day: SINCE compares the server's internal date in the
    /// server's own time zone, so one day of margin never misses a message; the classifier
    /// then compares exact times.
    public static func onOrBefore(_ date: Date) -> IMAPDay {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: date.addingTimeInterval(-86_400))
        return IMAPDay(year: parts.year!, month: parts.month!, day: parts.day!)
    }

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    public var imapText: String { "\(day)-\(Self.months[month - 1])-\(year)" }

    public static func < (a: IMAPDay, b: IMAPDay) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }
}

/// IMAP strings (RFC 3501 §4.3).
public enum IMAPString {
    /// `text` as a quoted string: `"` and `\` escaped.
    /// - Throws: `MailboxError.invalidInput` for CR, LF, NUL or other control characters (they
    ///   would end or corrupt the command) and for non-ASCII text (a quoted string is 7-bit;
    ///   a literal cannot be sent through libcurl's custom request).
    public static func quoted(_ text: String, what: String) throws -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0D, 0x0A: throw MailboxError.invalidInput(what: what, problem: "it contains a line break")
            case 0x00..<0x20, 0x7F: throw MailboxError.invalidInput(what: what, problem: "it contains the control character \(String(format: "U+%04X", scalar.value))")
            case 0x80...: throw MailboxError.invalidInput(what: what, problem: "it contains the non-ASCII character \(Character(scalar)); IMAP search strings are ASCII here")
            case 0x22, 0x5C: out += "\\"; out.unicodeScalars.append(scalar)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
