import Foundation

/// How many terminal columns text takes, and how to make it fit — by grapheme, never splitting
/// one (an emoji with its skin tone, a flag, a letter with its accents stay whole).
///
/// A character is 2 columns wide when it is East Asian Wide or Fullwidth (CJK ideographs, kana,
/// Hangul, fullwidth forms) or presented as an emoji; combining marks and joiners add nothing;
/// everything else is 1. (glibc's `wcwidth` would need a UTF-8 locale, which a daemon or a
/// test runner often does not have.)
public enum TextWidth {
    /// Columns `text` takes on a terminal.
    public static func of(_ text: String) -> Int {
        // Printable ASCII (most ids, addresses): one column a byte.
        if isPrintableASCII(text) { return text.utf8.count }
        // Latin letters and common punctuation (a name with an accent, a subject with a dash):
        // one column a scalar.
        if text.unicodeScalars.allSatisfy(isSimple) { return text.unicodeScalars.count }
        return text.reduce(0) { $0 + of($1) }
    }

    /// A scalar that is always a grapheme of its own and one column wide, however it is
    /// surrounded by other simple scalars: printable ASCII, Latin-1 and Latin Extended letters
    /// (U+00A0–U+02FF, except the soft hyphen), and the dashes, quotes and bullets of General
    /// Punctuation (not its invisible format characters). Combining marks (from U+0300),
    /// emoji, wide and zero-width characters are not simple.
    static func isSimple(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20..<0x7F, 0xA0..<0xAD, 0xAE..<0x300, 0x2010...0x2027, 0x2030...0x203B, 0x203D...0x2048, 0x204A...0x205E: return true
        default: return false
        }
    }

    /// Only U+0020…U+007E: each character one column, one byte, one grapheme.
    static func isPrintableASCII(_ text: String) -> Bool {
        // Over the bytes in place when the string has them contiguous (any native string):
        // a plain loop, not the generic UTF-8 view iterator (`status` asks this of every cell).
        text.utf8.withContiguousStorageIfAvailable { bytes in
            var inRange = true
            for byte in bytes { inRange = inRange && byte &- 0x20 < 0x5F }
            return inRange
        } ?? text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// Columns one grapheme takes: 0, 1 or 2.
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        // An emoji sequence (ZWJ family, flag, keycap, text symbol + U+FE0F) shows as one wide glyph.
        if scalars.contains(where: { $0.properties.isEmojiPresentation }) || scalars.contains("\u{FE0F}") { return 2 }
        if isWide(first) { return 2 }
        if isZeroWidth(first) { return 0 }
        return 1
    }

    static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return true
        default: return scalar.value == 0x200B
        }
    }

    /// East Asian Width W or F (Unicode 15, the blocks that matter for names and subjects).
    static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
             0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
             0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x1B000...0x1B2FF, 0x1F200...0x1F2FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// `text` if it fits in `width` columns; else as many whole graphemes as fit with "…"
    /// (1 column) after them. Never wider than `width`.
    public static func truncate(_ text: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        guard of(text) > width else { return text }
        if text.unicodeScalars.allSatisfy(isSimple) {
            // One column and one grapheme a scalar.
            // Every simple scalar is a grapheme of its own: cut at a scalar boundary, one copy.
            let end = text.unicodeScalars.index(text.unicodeScalars.startIndex, offsetBy: width - 1)
            return String(text[..<end]) + "…"
        }
        var result = ""
        var used = 0
        for character in text {
            let w = of(character)
            if used + w > width - 1 { break }
            result.append(character)
            used += w
        }
        return result + "…"
    }

    /// `text` truncated to `width` and padded with spaces to exactly `width` columns.
    public static func pad(_ text: String, to width: Int) -> String {
        let cut = truncate(text, to: width)
        return cut + String(repeating: " ", count: max(0, width - of(cut)))
    }

    /// Words of `text` in lines of at most `width` columns; a word longer than a line (a long
    /// address) is broken between graphemes.
    public static func wrap(_ text: String, width: Int) -> [String] {
        let width = max(width, 1)
        var lines: [String] = []
        var current = ""
        var used = 0
        for word in text.split(separator: " ") {
            var word = String(word)
            var w = of(word)
            if used > 0, used + 1 + w <= width {
                current += " " + word
                used += 1 + w
                continue
            }
            if used > 0 { lines.append(current) }
            // Too long for any line: cut it into line-sized pieces.
            while w > width {
                var piece = ""
                var pieceWidth = 0
                for character in word {
                    let cw = of(character)
                    if pieceWidth + cw > width, pieceWidth > 0 { break }
                    piece.append(character)
                    pieceWidth += cw
                }
                lines.append(piece)
                word.removeFirst(piece.count)
                w = of(word)
            }
            current = word
            used = w
        }
        if used > 0 || !current.isEmpty { lines.append(current) }
        return lines
    }
}
