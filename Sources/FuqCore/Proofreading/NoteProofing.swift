import Foundation

/// The one way fuq proofreads a note, shared by `fuq check`, `fuq enqueue` and `fuq edit`:
/// errors refuse the note, warnings are shown.
public enum NoteProofing {
    /// The words a note may use whatever the dictionary says: everything the interview file and
    /// the sender's config name (names, company, position, topics, notes, links), lowercased.
    public static func knownWords(sender: Sender, company: String, position: String, people: [MessageContext.Person]) -> Set<String> {
        var texts = [sender.name ?? "", company, position] + sender.links
        for person in people {
            texts += [person.name, person.callMe ?? "", person.lastName ?? "", person.salutation ?? "", person.topic, person.note ?? "",
                      person.email, person.honorific ?? ""]
        }
        return Set(texts.flatMap { Proofreader.words(in: $0) }.map { $0.lowercased() })
    }

    /// The personal dictionary's words (missing file: none).
    public static func personalWords(path: String = FuqConfig.personalDictionaryPath()) -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }

    /// A proofreader for one note: the configured language's speller, the known words, the
    /// rules accepted for it.
    public static func proofreader(config: FuqConfig, context: MessageContext, panel: [MessageContext.Person],
                                   personalWords: [String]) throws -> Proofreader {
        let speller = try Speller.shared(config.language)
        var known = knownWords(sender: config.sender, company: context.company, position: context.position, people: panel + [context.interviewer])
        known.formUnion(personalWords.flatMap { Proofreader.words(in: $0) }.map { $0.lowercased() })
        return Proofreader(speller: speller, knownWords: known, allow: Set(context.allow ?? []))
    }

    /// Adds `word` to the personal dictionary (once); returns false when it was there already.
    public static func learn(_ word: String, path: String = FuqConfig.personalDictionaryPath()) throws -> Bool {
        let word = word.trimmingCharacters(in: .whitespaces)
        guard word.count <= 64, word.wholeMatch(of: Proofreader.wordPattern) != nil else { throw LearnError.notAWord(word) }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        // Two `--learn`s at once: each reads the list the other wrote (no word is lost).
        let lock = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        defer { if lock >= 0 { close(lock) } }
        if lock >= 0 { flock(lock, LOCK_EX) }
        if personalWords(path: path).contains(word) { return false }
        var text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "# fuq's personal dictionary: one word a line, accepted by the spelling check\n"
        if !text.isEmpty, !text.hasSuffix("\n") { text += "\n" }
        text += word + "\n"
        // Whole file replaced in one step: a crash leaves the old list or the new one.
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        return true
    }

    public enum LearnError: LocalizedError, Equatable {
        case notAWord(String)
        public var errorDescription: String? {
            switch self {
            case .notAWord(let text):
                return "\"\(TextSafety.printable(text))\" is not one word; --learn takes a single word (letters, an apostrophe or hyphen), e.g. --learn Kubernetes"
            }
        }
    }
}
