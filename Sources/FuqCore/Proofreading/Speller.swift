import CHunspell
import Foundation

/// Spelling through libhunspell with the system's dictionaries (Debian: `hunspell-en-us`,
/// `hunspell-en-gb` in /usr/share/hunspell). One speller per language is loaded once per process.
public final class Speller: @unchecked Sendable {
    public let language: String
    /// Hunspell's handle is not thread-safe: every call holds `lock`.
    private let handle: OpaquePointer
    private let lock = NSLock()

    /// Where dictionaries are looked for, in order (`FUQ_DICTIONARY_PATH` first, `:`-separated).
    public static var folders: [String] {
        let extra = ProcessInfo.processInfo.environment["FUQ_DICTIONARY_PATH"].map { $0.split(separator: ":").map(String.init) } ?? []
        return extra + ["/usr/share/hunspell", "/usr/share/myspell", "/usr/share/myspell/dicts"]
    }

    public init(language: String) throws {
        guard language.wholeMatch(of: /[a-z]{2,3}(_[A-Z]{2})?/) != nil else { throw SpellingError.badLanguage(language) }
        guard let folder = Self.folders.first(where: { FileManager.default.fileExists(atPath: "\($0)/\(language).dic") }),
              FileManager.default.fileExists(atPath: "\(folder)/\(language).aff"),
              let handle = Hunspell_create("\(folder)/\(language).aff", "\(folder)/\(language).dic") else {
            throw SpellingError.noDictionary(language, searched: Self.folders)
        }
        self.language = language
        self.handle = handle
    }

    deinit { Hunspell_destroy(handle) }

    /// The speller for `language`, loaded on first use.
    public static func shared(_ language: String) throws -> Speller {
        try cache.value(for: language) { try Speller(language: language) }
    }

    /// The speller for a sender's English: its own dictionary when the system has it (Debian
    /// `hunspell-en-au`, `-en-ca`, …), else the nearest one fuq can count on — en_GB for
    /// Australia, India, New Zealand, Ireland and South Africa, en_US for Canada — with one
    /// notice (`fallbackNotice`). Other languages must have their own.
    public static func forSender(_ language: String) throws -> Speller {
        do {
            return try shared(language)
        } catch SpellingError.noDictionary(let missing, _) where missing.hasPrefix("en_") && missing != "en_US" && missing != "en_GB" {
            let nearest = missing == "en_CA" ? "en_US" : "en_GB"
            _ = fallbacks.value(for: missing) { nearest }
            return try shared(nearest)
        }
    }

    private static let fallbacks = LockedCache<String, String>()

    /// Once per run: "no en_AU dictionary; spelling is checked against en_GB".
    public static func fallbackNotice(_ language: String) -> String? {
        guard let nearest = fallbacks.peek(language) else { return nil }
        var first = false
        _ = told.value(for: language) { first = true; return true }
        guard first else { return nil }
        let package = "hunspell-" + language.lowercased().replacingOccurrences(of: "_", with: "-")
        return "notice: no \(language) spelling dictionary on this system, so spelling is checked against \(nearest) (install \(package) for \(language)'s own); dates and fuq's words still follow \(language)"
    }

    private static let told = LockedCache<String, Bool>()

    private static let cache = LockedCache<String, Speller>()

    public func isCorrect(_ word: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return Hunspell_spell(handle, word) != 0
    }

    /// Hunspell's suggestions, best first.
    public func suggestions(for word: String, limit: Int = 3) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        var list: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        let count = Hunspell_suggest(handle, &list, word)
        defer { if count > 0 { Hunspell_free_list(handle, &list, count) } }
        guard count > 0, let list else { return [] }
        return (0..<Int(count)).prefix(limit).compactMap { list[$0].map { String(cString: $0) } }
    }

    /// Accepts `word` for the rest of this process (names, the personal dictionary).
    public func learn(_ word: String) {
        lock.lock()
        defer { lock.unlock() }
        _ = Hunspell_add(handle, word)
    }
}

public enum SpellingError: LocalizedError, Equatable {
    case noDictionary(String, searched: [String])
    case badLanguage(String)

    public var errorDescription: String? {
        switch self {
        case .noDictionary(let language, let searched):
            let package = "hunspell-" + language.lowercased().replacingOccurrences(of: "_", with: "-")
            return "no spelling dictionary for \(language) (looked for \(language).aff and \(language).dic in \(searched.joined(separator: ", "))); "
                + "install it (Debian: sudo apt-get install \(package)), or set sender.language to one you have (en_US, en_GB)"
        case .badLanguage(let text):
            return "sender.language \(text) is not a language code; write it like en_US or en_GB"
        }
    }
}
