import Foundation

/// Address checks for recipients and the sender: a plain `local@domain` (no display name, no
/// comments), ASCII, with a dotted domain, plus a check for common misspelled mail domains.
public enum EmailAddress {
    /// Returns nil when the address is fine, otherwise what is wrong with it.
    public static func problem(with address: String) -> String? {
        if address.hasLineBreak { return "it contains a line break" }
        if let problem = TextSafety.problem(in: address) { return problem }
        if address.utf8.count > 254 { return "it is \(address.utf8.count) characters long; an address has at most 254" }
        if address.contains(where: { $0 == " " || $0 == "\t" }) { return "it contains a space" }
        if address.contains(where: { $0 == "<" || $0 == ">" || $0 == "," || $0 == ";" }) {
            return "give just the address (name@example.com), without <>, commas or a display name"
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return "an address has exactly one @" }
        let local = parts[0], domain = parts[1].lowercased()
        guard !local.isEmpty, local.utf8.count <= 64 else { return "the part before @ is empty or too long" }
        let localAllowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "!#$%&'*+-/=?^_`{|}~."))
        guard local.unicodeScalars.allSatisfy({ $0.isASCII && localAllowed.contains($0) }),
              !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..")
        else { return "the part before @ has characters mail servers refuse" }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return "the domain \(domain) has no dot (e.g. acme.example)" }
        let labelAllowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789-")
        for label in labels {
            guard !label.isEmpty, label.count <= 63, !label.hasPrefix("-"), !label.hasSuffix("-"),
                  label.unicodeScalars.allSatisfy({ labelAllowed.contains($0) })
            else { return "the domain \(domain) is not a valid host name" }
        }
        if let fix = misspelledDomains[domain] { return "\(domain) looks misspelled; did you mean \(local)@\(fix)?" }
        return nil
    }

    /// Common typos of big mail providers' domains.
    static let misspelledDomains: [String: String] = [
        "gmial.com": "gmail.com", "gmai.com": "gmail.com", "gamil.com": "gmail.com", "gmail.co": "gmail.com",
        "gmail.con": "gmail.com", "gnail.com": "gmail.com", "hotmial.com": "hotmail.com", "hotmail.con": "hotmail.com",
        "outlok.com": "outlook.com", "outlook.con": "outlook.com", "yahoo.con": "yahoo.com", "yaho.com": "yahoo.com",
        "iclod.com": "icloud.com", "icloud.con": "icloud.com",
    ]

    /// Whether fuq could send to `address` (what an interview file would accept).
    public static func isUsable(_ address: String) -> Bool { problem(with: address) == nil }

    static func validated(_ address: String, field: YAMLValue) throws -> String {
        if let problem = problem(with: address) { throw field.fail("\(address) is not a usable address: \(problem)") }
        return address
    }

    /// The domain part, for Message-IDs.
    public static func domain(of address: String) -> String {
        address.split(separator: "@").last.map(String.init) ?? "localhost"
    }
}

extension String {
    /// True if any CR, LF or other line separator is present. (Checks scalars: in Swift "\r\n"
    /// is one Character, equal to neither "\r" nor "\n".)
    public var hasLineBreak: Bool {
        unicodeScalars.contains { CharacterSet.newlines.contains($0) }
    }
}
