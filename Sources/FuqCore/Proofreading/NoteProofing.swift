import Foundation

/// The one way fuq proofreads a note, shared by `fuq check`, `fuq enqueue` and `fuq edit`:
/// errors refuse the note, warnings are shown.
public enum NoteProofing {
    /// The words a note may use whatever the dictionary says, lowercased: every word of the
    /// names, company, position, addresses and links the interview file and the config give, and
    /// the capitalised words (proper names: "Kubernetes", "Zürich") of the topics, notes and
    /// pitch. Their other words are prose and are spell-checked like the template's: a typo in
    /// a topic ends up in the note.
    public static func knownWords(sender: Sender, company: String, position: String, people: [MessageContext.Person],
                                  prose: [String] = []) -> Set<String> {
        var names = [sender.name ?? "", company, position] + sender.links
        var texts = prose
        for person in people {
            names += [person.name, person.callMe ?? "", person.lastName ?? "", person.salutation ?? "", person.email, person.honorific ?? ""]
            texts += [person.topic, person.note ?? "", person.clarify ?? ""]
        }
        let proper = texts.flatMap { Proofreader.words(in: $0) }.filter { $0.first?.isUppercase == true }
        return Set((names.flatMap { Proofreader.words(in: $0) } + proper).map { $0.lowercased() })
    }

    /// The capitalised words of the prose (topics, notes, clarify, pitch) that no name, the
    /// company or the position also holds, lowercased: known to the spelling check, but not
    /// proof that an organisation named in them is this employer.
    public static func proseNames(sender: Sender, company: String, position: String, people: [MessageContext.Person], prose: [String] = []) -> Set<String> {
        let all = knownWords(sender: sender, company: company, position: position, people: people, prose: prose)
        let names = knownWords(sender: sender, company: company, position: position,
                               people: people.map { var person = $0; person.topic = ""; person.note = nil; person.clarify = nil; return person })
        return all.subtracting(names)
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
        let speller = try Speller.forSender(config.language)
        var known = knownWords(sender: context.sender, company: context.company, position: context.position, people: panel + [context.interviewer],
                               prose: [context.pitch ?? ""])
        known.formUnion(knownWords(sender: config.sender, company: "", position: "", people: []))
        let personal = Set(personalWords.flatMap { Proofreader.words(in: $0) }.map { $0.lowercased() })
        known.formUnion(personal)
        var proofreader = Proofreader(speller: speller, knownWords: known, allow: Set(context.allow ?? []))
        proofreader.proseNames = proseNames(sender: context.sender, company: context.company, position: context.position,
                                            people: panel + [context.interviewer], prose: [context.pitch ?? ""]).subtracting(personal)
        return proofreader
    }

    /// One note as it will be sent, ready to proofread.
    public struct Draft {
        public var context: MessageContext
        public var subject: String
        public var body: String
        public var recipientEmail: String
        public var messageID: String
        /// The note's template, rendered again as if read weeks later to find a "today" typed
        /// by hand (nil: that check is skipped).
        public var template: MessageTemplate?
        public var sendDate: Date

        public init(context: MessageContext, subject: String, body: String, recipientEmail: String, messageID: String,
                    template: MessageTemplate?, sendDate: Date) {
            self.context = context
            self.subject = subject
            self.body = body
            self.recipientEmail = recipientEmail
            self.messageID = messageID
            self.template = template
            self.sendDate = sendDate
        }
    }

    /// Everything `fuq check`, `fuq enqueue` and `fuq edit` find in `drafts`: each note's own
    /// findings (spelling, phrases, names, deliverability) and the pairs of the panel that read
    /// alike. `neighbours` are the panel's other notes, named and compared with but not checked.
    public static func proofread(_ drafts: [Draft], neighbours: [Draft] = [], config: FuqConfig, personalWords: [String]) throws -> [ProofFinding] {
        let everyone = drafts + neighbours
        let panel = everyone.map(\.context.interviewer)
        var found: [ProofFinding] = []
        // The panel's words are the same for every note: gathered once.
        var shared: Proofreader?
        for draft in drafts {
            let person = draft.context.interviewer
            let others = everyone.filter { $0.context.interviewer.email.lowercased() != person.email.lowercased() }.map(\.context.interviewer)
            var proofreader = try shared ?? proofreader(config: config, context: draft.context, panel: panel, personalWords: personalWords)
            shared = proofreader
            proofreader.allow = Set(draft.context.allow ?? [])
            let probe = try draft.template?.render(draft.context.templateValues(sendDate: draft.sendDate.addingTimeInterval(40 * 86_400))).body
            found += proofreader.check(subject: draft.subject, body: draft.body, context: draft.context, others: others, probeBody: probe)
            found += EtiquetteCheck.deliverability(subject: draft.subject, body: draft.body, recipientName: person.name,
                                                   recipientEmail: draft.recipientEmail, sender: draft.context.sender, messageID: draft.messageID)
        }
        let notes = { (list: [Draft]) in list.map { NoteSimilarity.Note(recipient: $0.context.interviewer.name, body: $0.body, person: $0.context.interviewer) } }
        found += NoteSimilarity.findings(notes(drafts), neighbours: notes(neighbours)).filter { finding in
            !(drafts.first { $0.context.interviewer.name == finding.recipient }?.context.allow ?? []).contains("similar")
        }
        return found
    }

    /// Adds `word` to the personal dictionary (once); returns false when it was there already.
    public static func learn(_ word: String, path: String = FuqConfig.personalDictionaryPath()) throws -> Bool {
        let word = word.trimmingCharacters(in: .whitespaces)
        guard word.count <= 64, word.wholeMatch(of: Proofreader.wordPattern) != nil else { throw LearnError.notAWord(word) }
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw LearnError.cannotWrite(path: path, reason: "its folder \(folder) cannot be created (\(Self.writeProblem(folder)))")
        }

        // Two `--learn`s at once: each reads the list the other wrote (no word is lost).
        let lock = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        defer { if lock >= 0 { close(lock) } }
        if lock >= 0 { flock(lock, LOCK_EX) }
        if personalWords(path: path).contains(word) { return false }
        if access(folder, W_OK) != 0 {
            throw LearnError.cannotWrite(path: path, reason: "its folder \(folder) is not writable (\(Self.writeProblem(folder)))")
        }
        var text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "# fuq's personal dictionary: one word a line, accepted by the spelling check\n"
        if !text.isEmpty, !text.hasSuffix("\n") { text += "\n" }
        text += word + "\n"
        // Whole file replaced in one step: a crash leaves the old list or the new one.
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw LearnError.cannotWrite(path: path, reason: "writing it failed (\(Self.writeProblem(folder)))")
        }
        return true
    }

    /// Why `folder` cannot be written to, in words: "a read-only file system", "permission denied".
    static func writeProblem(_ folder: String) -> String {
        var probe = (folder as NSString).appendingPathComponent(".")
        while !FileManager.default.fileExists(atPath: probe) { probe = ((probe as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent }
        if access(probe, W_OK) == 0 { return "an I/O error" }
        return errno == EROFS ? "a read-only file system" : String(cString: strerror(errno)).lowercased()
    }

    public enum LearnError: LocalizedError, Equatable {
        case notAWord(String)
        /// The personal dictionary cannot be written.
        case cannotWrite(path: String, reason: String)
        public var errorDescription: String? {
            switch self {
            case .cannotWrite(let path, let reason):
                return "cannot add the word to your personal dictionary \(path): \(reason); nothing was changed. "
                    + "Make the folder writable, or set XDG_CONFIG_HOME to a writable folder"
            case .notAWord(let text):
                return "\"\(TextSafety.printable(text))\" is not one word; --learn takes a single word (letters, an apostrophe or hyphen), e.g. --learn Kubernetes"
            }
        }
    }
}
