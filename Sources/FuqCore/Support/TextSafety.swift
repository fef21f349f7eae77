import Foundation

/// Characters that must never reach a mail header, the queue or a terminal: C0 and C1 control
/// characters (NUL, BEL, ESC — an escape sequence can retitle or clear the user's terminal when
/// `status` prints it), DEL, the Unicode bidirectional controls (U+202A–U+202E,
/// U+2066–U+2069, and the marks U+200E, U+200F, U+061C) that make text display in a different
/// order than it is stored, and every other invisible character (by Unicode property: format
/// characters and Default_Ignorable_Code_Point), which would sit unseen in a greeting.
public enum TextSafety {
    /// Nil when `text` is safe; else what is wrong, naming the first offending character.
    /// - Parameter multiline: line feeds and tabs are allowed (an extra paragraph).
    public static func problem(in text: String, multiline: Bool = false) -> String? {
        let scalars = Array(text.unicodeScalars)
        for index in scalars.indices where isUnsafe(scalars, at: index, multiline: multiline) {
            return "it contains the invisible control character \(name(of: scalars[index])); retype it without that character"
        }
        return nil
    }

    /// `scalars[index]` in its context: the joiners and variation selectors are judged by
    /// their neighbours (see `isUnsafe(_:multiline:)`).
    static func isUnsafe(_ scalars: [Unicode.Scalar], at index: Int, multiline: Bool) -> Bool {
        let scalar = scalars[index]
        guard isContextual(scalar) else { return isUnsafe(scalar, multiline: multiline) }
        // A zero-width (non-)joiner shapes the letters around it in Persian, Arabic and Indic
        // names ("مهدی‌زاده"); a variation selector follows an emoji or CJK character. Next to
        // ASCII, or alone, it is an invisible stowaway.
        func shapes(_ neighbour: Unicode.Scalar?) -> Bool {
            guard let neighbour, neighbour.value >= 0x0370 else { return false }
            return neighbour.properties.isAlphabetic || neighbour.properties.generalCategory == .nonspacingMark
                || neighbour.properties.isEmoji || neighbour.properties.isIdeographic
        }
        let before = index > 0 ? scalars[index - 1] : nil
        let after = index + 1 < scalars.count ? scalars[index + 1] : nil
        if scalar.value == 0x200C || scalar.value == 0x200D { return !(shapes(before) && shapes(after)) }
        return !shapes(before)
    }

    /// ZWNJ, ZWJ and the variation selectors: safe or not by their neighbours.
    static func isContextual(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value == 0x200C || scalar.value == 0x200D || (0xFE00...0xFE0F).contains(scalar.value)
            || (0xE0100...0xE01EF).contains(scalar.value)
    }

    /// Without context (the joiners and variation selectors count as unsafe here; see
    /// `isUnsafe(_:at:multiline:)`): controls, and whatever Unicode says is invisible —
    /// every Default_Ignorable_Code_Point (zero-width space, soft hyphen, word joiner, byte
    /// order mark, combining grapheme joiner, Hangul fillers, tags) and every format
    /// character (general category Cf: the bidirectional controls U+202A–U+202E,
    /// U+2066–U+2069, U+200E, U+200F, U+061C, the Mongolian vowel separator, …), decided by
    /// property, not by a list.
    static func isUnsafe(_ scalar: Unicode.Scalar, multiline: Bool) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: return !multiline
        case 0x00...0x1F, 0x7F, 0x80...0x9F: return true
        case 0x2028, 0x2029: return !multiline
        case 0x20...0x7E: return false
        default:
            return scalar.properties.isDefaultIgnorableCodePoint || scalar.properties.generalCategory == .format
        }
    }

    /// "U+001B (ESC)".
    static func name(of scalar: Unicode.Scalar) -> String {
        let names: [UInt32: String] = [0x00: "NUL", 0x07: "BEL", 0x09: "TAB", 0x0A: "LF", 0x08: "BS", 0x0D: "CR", 0x1B: "ESC", 0x7F: "DEL",
                                       0x202E: "RIGHT-TO-LEFT OVERRIDE", 0x202D: "LEFT-TO-RIGHT OVERRIDE"]
        let code = String(format: "U+%04X", scalar.value)
        return names[scalar.value].map { "\(code) (\($0))" } ?? code
    }

    /// For display: every unsafe character shown as `\u{…}` so stored text can never drive the
    /// terminal (rows written before fuq refused them, or by hand with sqlite3).
    public static func printable(_ text: String, multiline: Bool = false) -> String {
        if TextWidth.isPrintableASCII(text) { return text }
        let scalars = Array(text.unicodeScalars)
        guard scalars.indices.contains(where: { isUnsafe(scalars, at: $0, multiline: multiline) }) else { return text }
        var out = ""
        for index in scalars.indices {
            if isUnsafe(scalars, at: index, multiline: multiline) {
                out += String(format: "\\u{%X}", scalars[index].value)
            } else {
                out.unicodeScalars.append(scalars[index])
            }
        }
        return out
    }
}
