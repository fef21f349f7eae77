import Foundation

/// Characters that must never reach a mail header, the queue or a terminal: C0 and C1 control
/// characters (NUL, BEL, ESC — an escape sequence can retitle or clear the user's terminal when
/// `status` prints it), DEL, and the Unicode bidirectional controls (U+202A–U+202E,
/// U+2066–U+2069, and the marks U+200E, U+200F, U+061C) that make text display in a different
/// order than it is stored.
public enum TextSafety {
    /// Nil when `text` is safe; else what is wrong, naming the first offending character.
    /// - Parameter multiline: line feeds and tabs are allowed (an extra paragraph).
    public static func problem(in text: String, multiline: Bool = false) -> String? {
        for scalar in text.unicodeScalars where isUnsafe(scalar, multiline: multiline) {
            return "it contains the invisible control character \(name(of: scalar)); retype it without that character"
        }
        return nil
    }

    static func isUnsafe(_ scalar: Unicode.Scalar, multiline: Bool) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: return !multiline
        case 0x00...0x1F, 0x7F, 0x80...0x9F: return true
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: return true
        // Invisible characters with no place in a name or header: zero-width space, word
        // joiner, byte order mark. (Zero-width (non-)joiners stay: Persian and Indic names use them.)
        case 0x200B, 0x2060, 0xFEFF: return true
        case 0x2028, 0x2029: return !multiline
        default: return false
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
        guard text.unicodeScalars.contains(where: { isUnsafe($0, multiline: multiline) }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar, multiline: multiline) {
                out += String(format: "\\u{%X}", scalar.value)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
