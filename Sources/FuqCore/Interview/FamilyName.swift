import Foundation

/// The family name inside a full name, for "Dear Ms. de la Cruz," — or the honest answer that
/// it cannot be told (etiquette.md, "Salutation": when a name cannot be split with confidence,
/// ask — never guess).
///
/// Rules, in order:
/// - written in a script where the family name usually comes first (Chinese, Japanese, Korean)
///   → unsure; so is a two-word Latin-script name whose first word is a common East Asian family
///   name ("Kim Min-jun", "Li Wei") or whose last word is a hyphenated given name ("Min-jun");
/// - trailing suffixes are not names: Jr., Sr., II–V, PhD, MD, Esq., … (with or without a comma);
/// - a particle after the first word starts the family name: "María de la Cruz" → "de la Cruz",
///   "Ludwig van Beethoven" → "van Beethoven", "Ahmed al-Rashid" → "al-Rashid";
/// - two words → the second, hyphens kept ("Smith-Jones"); a middle initial is skipped
///   ("John F. Kennedy" → "Kennedy");
/// - one word, or three and more without a particle ("Gabriel García Márquez": a middle name, or
///   a compound family name?) → unsure.
public enum FamilyName: Equatable, Sendable {
    case found(String)
    /// Why it cannot be told; the user gives `last_name` (or `salutation`).
    case unsure(String)

    static let suffixes: Set<String> = ["jr", "sr", "ii", "iii", "iv", "v", "phd", "md", "esq", "dds", "dvm", "mba", "cpa", "pe", "rn", "jd"]
    static let particles: Set<String> = ["de", "del", "della", "der", "den", "da", "di", "du", "dos", "das", "do", "van", "von",
                                          "le", "la", "los", "las", "bin", "binti", "ibn", "ben", "bint", "ter", "ten", "zu", "af", "av"]
    /// Family names that usually come first when these names are written in Latin letters.
    static let familyFirst: Set<String> = [
        "kim", "park", "choi", "jung", "kang", "cho", "yoon", "jang", "lim", "han", "shin", "seo", "kwon", "hwang",
        "wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun", "zhu", "hu", "guo", "lin", "gao", "luo",
        "nguyen", "tran", "pham", "hoang", "huynh", "phan", "vu", "dang", "bui", "ngo", "duong",
        "tanaka", "suzuki", "takahashi", "watanabe", "ito", "yamamoto", "nakamura", "kobayashi", "sato", "kato",
    ]

    public static func derive(_ fullName: String) -> FamilyName {
        let words = fullName.components(separatedBy: CharacterSet.whitespaces.union(CharacterSet(charactersIn: "\u{00A0}\u{202F}")))
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ",")) }
            .filter { !$0.isEmpty }
        if fullName.unicodeScalars.contains(where: isFamilyFirstScript) {
            return .unsure("it is written in a script where the family name usually comes first")
        }
        if let odd = words.first(where: { $0.contains(where: { "()[]{}0123456789@/".contains($0) }) }) {
            return .unsure("\"\(odd)\" does not look like part of a name")
        }
        var rest = words
        while let last = rest.last, rest.count > 1, suffixes.contains(last.lowercased().replacingOccurrences(of: ".", with: "")) {
            rest.removeLast()
        }
        guard rest.count >= 2 else { return .unsure("a single word cannot say which name is the family name") }
        if familyFirst.contains(rest[0].lowercased()) {
            return .unsure("\"\(rest[0])\" is often a family name written first (as in Kim Min-jun)")
        }
        if let index = rest.indices.dropFirst().first(where: { isParticle(rest[$0]) }), index < rest.count - 1 || rest[index].contains("-") {
            return .found(rest[index...].joined(separator: " "))
        }
        let given = rest.dropLast().filter { !isInitial($0) }
        let family = rest[rest.count - 1]
        if given.count == 1 {
            if let hyphen = family.firstIndex(of: "-"), family[family.index(after: hyphen)...].first?.isLowercase == true {
                return .unsure("\"\(family)\" looks like a given name, with the family name first")
            }
            return .found(family)
        }
        return .unsure("with \(rest.count) words it could be a middle name or a compound family name")
    }

    static func isParticle(_ word: String) -> Bool {
        let lower = word.lowercased()
        if particles.contains(lower) { return word.first?.isLowercase == true || ["van", "von", "de", "da", "di", "du", "le", "la", "del"].contains(lower) }
        // al-Rashid, el-Amin, ibn-…
        return ["al-", "el-", "ibn-", "bin-"].contains { lower.hasPrefix($0) } && word.count > 3
    }

    /// "F." or "F".
    static func isInitial(_ word: String) -> Bool {
        let letters = word.filter { $0 != "." }
        return letters.count == 1 && letters.first?.isLetter == true
    }

    static func isFamilyFirstScript(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF,  // CJK ideographs
             0x3040...0x30FF,  // hiragana, katakana
             0xAC00...0xD7AF, 0x1100...0x11FF, 0x3130...0x318F:  // Hangul
            return true
        default: return false
        }
    }
}
