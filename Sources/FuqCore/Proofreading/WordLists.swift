import Foundation

/// A word list read from the system (one word a line, as SCOWL's `/usr/share/dict` files are),
/// kept as a set of 64-bit hashes of its lines: loading 650,000 words takes a few milliseconds
/// and no strings. A hash collision could accept one unknown word in billions; no list here
/// ever refuses one.
public final class WordList: @unchecked Sendable {
    public let path: String
    private let hashes: Set<UInt64>

    init?(path: String) {
        guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else { return nil }
        var set = Set<UInt64>(minimumCapacity: data.count / 9)
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var hash = Self.seed
            var length = 0
            for byte in raw {
                if byte == 0x0A || byte == 0x0D {
                    if length > 0 { set.insert(hash) }
                    hash = Self.seed
                    length = 0
                } else {
                    hash = (hash ^ UInt64(byte)) &* Self.prime
                    length += 1
                }
            }
            if length > 0 { set.insert(hash) }
        }
        self.path = path
        hashes = set
    }

    static let seed: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x100_0000_01b3

    static func hash(_ word: String) -> UInt64 {
        var hash = seed
        for byte in word.utf8 { hash = (hash ^ UInt64(byte)) &* prime }
        return hash
    }

    /// The word as written, in small letters, or with a capital first (lists hold "Paulo", "shader").
    public func contains(_ word: String) -> Bool {
        let lower = word.lowercased()
        return hashes.contains(Self.hash(word)) || hashes.contains(Self.hash(lower))
            || hashes.contains(Self.hash(lower.prefix(1).uppercased() + lower.dropFirst()))
    }
}

/// Codespell's list of common misspellings (`recieve->receive`): a word on it is a typo.
public final class MisspellingList: @unchecked Sendable {
    public let path: String
    private let fixes: [String: [String]]

    init?(path: String) {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else { return nil }
        var fixes: [String: [String]] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            guard let arrow = line.range(of: "->") else { continue }
            let wrong = line[..<arrow.lowerBound].trimmingCharacters(in: .whitespaces)
            var parts = line[arrow.upperBound...].split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            // "clas->class, disabled because of name clash in c++": an entry codespell itself turns off.
            if parts.count > 1, let last = parts.last, !last.isEmpty { continue }
            parts.removeAll { $0.isEmpty }
            guard !wrong.isEmpty, !parts.isEmpty else { continue }
            fixes[wrong] = parts
        }
        guard !fixes.isEmpty else { return nil }
        self.path = path
        self.fixes = fixes
    }

    /// The right spellings of `word` when it is a known misspelling (nil otherwise), cased like it.
    public func fixes(for word: String) -> [String]? {
        guard let list = fixes[word.lowercased()] else { return nil }
        if word.first?.isUppercase == true { return list.map { $0.prefix(1).uppercased() + $0.dropFirst() } }
        return list
    }
}

/// The evidence that decides how sure the spelling check is (issue 24): codespell's misspellings
/// say a word is a typo, SCOWL's largest list that it is a word (shader, queueing), SCOWL's
/// medium list which words are common enough that one slip away from one is a typo. All are
/// read from the system when first needed; a missing list leaves the check as hunspell alone
/// would judge, and says so once (`notice`).
public struct SpellingEvidence: Sendable {
    public var misspellings: MisspellingList?
    /// Words, however rare (SCOWL size 95): not a finding.
    public var large: WordList?
    /// Common words (SCOWL size 50).
    public var common: WordList?
    /// What could not be found, for one line of notice (empty: everything is there).
    public var missing: [String] = []

    public init(misspellings: MisspellingList? = nil, large: WordList? = nil, common: WordList? = nil, missing: [String] = []) {
        self.misspellings = misspellings
        self.large = large
        self.common = common
        self.missing = missing
    }

    /// `FUQ_WORD_LISTS`: `:`-separated folders to read every list from instead of the system's
    /// (SCOWL's files by their Debian names, codespell's as `dictionary.txt`).
    static var override: [String]? {
        ProcessInfo.processInfo.environment["FUQ_WORD_LISTS"].map { $0.split(separator: ":").map(String.init) }
    }

    /// Where the word lists are looked for.
    public static var folders: [String] { override ?? ["/usr/share/dict"] }

    /// Where codespell's data may be (Debian's python3 package, pip's).
    public static var codespellFiles: [String] {
        if let override { return override.map { "\($0)/dictionary.txt" } }
        var files = ["/usr/lib/python3/dist-packages/codespell_lib/data/dictionary.txt"]
        for root in ["/usr/lib", "/usr/local/lib"] {
            let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).filter { $0.hasPrefix("python3") }.sorted()
            for version in versions {
                files += ["dist-packages", "site-packages"].map { "\(root)/\(version)/\($0)/codespell_lib/data/dictionary.txt" }
            }
        }
        return files
    }

    /// The lists for `language` (en_GB, en_AU, … read the British lists; en_US and others the American).
    public static func load(language: String) -> SpellingEvidence {
        let british = language.hasPrefix("en_") && language != "en_US"
        let (first, second) = british ? ("british-english", "american-english") : ("american-english", "british-english")
        func list(_ names: [String]) -> WordList? {
            for name in names {
                for folder in folders where FileManager.default.fileExists(atPath: "\(folder)/\(name)") {
                    if let list = WordList(path: "\(folder)/\(name)") { return list }
                }
            }
            return nil
        }
        var evidence = SpellingEvidence()
        evidence.misspellings = codespellFiles.lazy.compactMap { FileManager.default.fileExists(atPath: $0) ? MisspellingList(path: $0) : nil }.first
        evidence.large = list(["\(first)-insane", "\(first)-huge", "\(second)-insane"])
        evidence.common = list([first, second])
        if evidence.misspellings == nil { evidence.missing.append("codespell's list of common misspellings (Debian: codespell)") }
        if evidence.large == nil { evidence.missing.append("the large word list /usr/share/dict/\(first)-insane (Debian: \(british ? "wbritish" : "wamerican")-insane)") }
        if evidence.common == nil { evidence.missing.append("the word list /usr/share/dict/\(first) (Debian: \(british ? "wbritish" : "wamerican"))") }
        return evidence
    }

    /// The lists for `language`, read once per process.
    public static func shared(_ language: String) -> SpellingEvidence {
        cache.value(for: language) { load(language: language) }
    }

    private static let cache = LockedCache<String, SpellingEvidence>()
    private static let told = LockedCache<String, Bool>()

    /// The notice of the lists read so far, once per process (nil: nothing to say, or said).
    public static func pendingNotice(_ language: String) -> String? {
        guard let notice = cache.peek(language)?.notice else { return nil }
        var first = false
        _ = told.value(for: notice) { first = true; return true }
        return first ? notice : nil
    }

    /// One line for the user when a list is missing (nil when all are there).
    public var notice: String? {
        guard !missing.isEmpty else { return nil }
        return "notice: spelling is checked by hunspell alone, without " + missing.joined(separator: ", ")
            + "; scripts/install-deps installs them (a misspelling may then be only a warning, a rare word an error)"
    }
}
