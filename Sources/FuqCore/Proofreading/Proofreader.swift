import Foundation

/// Proofreads one rendered note (etiquette.md, "Mistakes to catch before sending"): spelling
/// through hunspell, phrase rules (`GrammarRules`, `ToneRules`), leftover placeholders, the
/// greeting and the names (`Proofreader+Addressing`), tone and form. Pure apart from the
/// speller, which only reads its dictionary.
public struct Proofreader: Sendable {
    public var speller: Speller?
    /// Words that are right whatever the dictionary says, lowercased: the interview file's own
    /// (names, company, position, topics), the personal dictionary's and `TechWords`.
    public var knownWords: Set<String>
    /// Rule ids the user accepted on purpose (`allow:`).
    public var allow: Set<String>
    /// Capitalised words that the interview file's prose (topics, notes, pitch) gave, lowercased:
    /// known to the spelling check, but no proof that an organisation named as the employer is
    /// this one ("joining Globex" in a `note:` copied from another application).
    public var proseNames: Set<String> = []
    /// The word lists that decide how sure a spelling finding is, read when first needed (a
    /// note whose every word hunspell knows never reads them).
    public var evidence: @Sendable () -> SpellingEvidence

    public init(speller: Speller?, knownWords: Set<String> = [], allow: Set<String> = [], evidence: (@Sendable () -> SpellingEvidence)? = nil) {
        self.speller = speller
        self.knownWords = knownWords.union(TechWords.all)
        self.allow = allow
        let language = speller?.language ?? "en_US"
        self.evidence = evidence ?? { SpellingEvidence.shared(language) }
    }

    /// The words of a text as the spelling check sees them.
    public static func words(in text: String) -> [String] {
        text.matches(of: wordPattern).flatMap { $0.output.split(separator: "-").map(String.init) }
    }

    nonisolated(unsafe) static let wordPattern = /\p{L}[\p{L}\p{M}'’-]*/
    nonisolated(unsafe) static let skipPattern = /(?i)\b(?:https?:\/\/|www\.)\S+|\S+@\S+\.\S+|\b[\w.-]+\.(?:com|org|net|io|dev|ai|co|example)\S*/

    /// Shapes of a template slot left unfilled — not idioms ("put a face to your name", "TODO
    /// comments" and "[PDF]" are fine).
    static let placeholderPatterns: [NSRegularExpression] = [
        // [Your Name], [Interviewer’s name], [insert topic], [Company Name]
        #"(?i)\[(?:your|insert|add|enter|interviewer|interviewers|company|recipient|hiring|first|last|full|job|position|role|title|date|name|topic|specific|something|mention|team)\b[^\]\n]{0,40}\]"#,
        #"\[[A-Z]{2,}(?: [A-Z]{2,})+\]"#,
        #"\{\{[^}\n]{0,40}\}\}|\{\{|\}\}"#,
        #"(?i)<(?:name|your name|first name|last name|company|position|role|interviewer|date|topic)>"#,
        #"(?m)^[ \t]*(?:\[?[Yy]our (?:[Ff]ull )?[Nn]ame\]?|YOUR NAME|[Nn]ame [Hh]ere)[ \t]*$"#,
        #"\bTODO:|\[TODO\]|(?m)^\s*TODO\s*$|\bXXX\b|\bFIXME\b"#,
        #"(?i)\binsert (?:\w+ ){0,2}here\b"#,
    ].map { try! NSRegularExpression(pattern: $0) }

    static let legalSuffixes = ["inc", "inc.", "llc", "l.l.c.", "ltd", "ltd.", "limited", "gmbh", "ag", "s.a.", "sa", "plc", "corp",
                                "corp.", "corporation", "co.", "company", "bv", "b.v.", "s.a.s.", "sas", "srl", "pty", "oy", "ab"]

    /// "Acme Robotics, Inc." → "acme robotics".
    static func coreName(_ company: String) -> String {
        var words = company.lowercased().split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        while let last = words.last, words.count > 1, legalSuffixes.contains(last) { words.removeLast() }
        return words.joined(separator: " ")
    }

    /// Proofreads the note rendered for `context`.
    /// - Parameters:
    ///   - others: the other people of the panel (their names must not appear in this note).
    ///   - probeBody: the same note rendered as if read a month later: a "today" or "yesterday"
    ///     still in it was written by hand and will be wrong on some day.
    public func check(subject: String, body: String, context: MessageContext, others: [MessageContext.Person],
                      probeBody: String? = nil) -> [ProofFinding] {
        var report = Report(note: NoteText(subject: subject, body: body), recipient: context.interviewer.name)
        let text = report.note.text
        let bodyStart = report.note.bodyStart
        let contentStart = report.note.contentStart

        // Several shapes can match one placeholder ("[COMPANY NAME]"): each is reported once.
        var placeholders: [Range<String.Index>] = []
        for regex in Self.placeholderPatterns {
            for match in regex.matches(in: text, range: NSRange(contentStart..., in: text)) {
                guard let range = Range(match.range, in: text), !placeholders.contains(where: { $0.overlaps(range) }) else { continue }
                placeholders.append(range)
                report.add("placeholder", .error, "leftover placeholder \"\(text[range])\"; replace it with the real text", at: range)
            }
        }
        let exclamations = body.filter { $0 == "!" }.count
        if exclamations > 1 {
            report.add("exclamation", .warning, "\(exclamations) exclamation marks; keep at most one", at: text.range(of: "!", options: .backwards))
        }
        emoji(&report)
        let wordCount = body.split(whereSeparator: { $0.isWhitespace }).count
        if wordCount > 250 { report.add("length", .warning, "\(wordCount) words; keep it to a couple of short paragraphs (under 250 words)") }
        let paragraphs = body.components(separatedBy: "\n\n").filter { $0.split(separator: " ").count > 12 }.count
        if paragraphs > 4 { report.add("paragraphs", .warning, "\(paragraphs) long paragraphs; three or four at most") }
        let thanks = body.ranges(of: Self.thanksPattern)
        if thanks.count > 2, let last = thanks.last {
            report.add("thanks", .warning, "says thank you \(thanks.count) times; twice at most reads warmer (once at the start, once at the end)",
                       at: text.index(bodyStart, offsetBy: body.distance(from: body.startIndex, to: last.lowerBound))..<text.index(bodyStart, offsetBy: body.distance(from: body.startIndex, to: last.upperBound)))
        }
        let subjectLower = subject.lowercased()
        if !subjectLower.contains("interview") && !subjectLower.contains(context.position.lowercased()) {
            report.add("subject-vague", .warning, "the subject \"\(subject)\" names neither the position nor the interview; vague subjects get overlooked (e.g. \"Thank you – \(context.sender.name ?? "Your Name") – \(context.position) interview\")")
        }
        if let senderName = context.sender.name, !subject.localizedCaseInsensitiveContains(senderName) {
            report.add("subject-name", .warning, "the subject does not carry your name (\(senderName)); with it, the note is easy to find among the candidates'")
        }
        if !text[contentStart...].lowercased().contains(Self.coreName(context.company)) {
            report.add("company", .error, "does not name the company (\(context.company))")
        }
        if !text[contentStart...].lowercased().contains(context.position.lowercased()) {
            report.add("position", .error, "does not name the position (\(context.position))")
        }
        addressing(&report, context: context, others: others, probeBody: probeBody)
        phraseRules(&report)
        spelling(&report)
        return report.found.filter { !allow.contains($0.rule) }.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
    }

    nonisolated(unsafe) static let thanksPattern = /(?i)\bthank(?:s| you)\b/

    func emoji(_ report: inout Report) {
        let text = report.note.text
        let pictograph = text[report.note.contentStart...].firstIndex { character in
            character.unicodeScalars.contains { $0.properties.isEmojiPresentation || $0.value == 0xFE0F || (0x1F000...0x1FAFF).contains($0.value) }
        }
        if let pictograph {
            report.add("emoji", .warning, "contains emoji (\(text[pictograph])); leave them out of a thank-you note", at: pictograph..<text.index(after: pictograph))
        } else if let smiley = text[report.note.contentStart...].firstMatch(of: Self.emoticonPattern) {
            report.add("emoji", .warning, "contains a smiley (\(smiley.output.1)); leave it out of a thank-you note", at: smiley.output.1.startIndex..<smiley.output.1.endIndex)
        }
    }

    nonisolated(unsafe) static let emoticonPattern = /(?:^|[\s(])([:;=]-?[)(DPp])(?!\w)/

    /// Each phrase rule with its pattern compiled once (a pattern that does not compile fails the rule's test).
    static let phraseRules: [(PhraseRule, NSRegularExpression)] = PhraseRules.all.compactMap { rule in
        (try? NSRegularExpression(pattern: rule.pattern, options: rule.caseSensitive ? [] : [.caseInsensitive])).map { (rule, $0) }
    }

    func phraseRules(_ report: inout Report) {
        let text = report.note.text
        let lower = text.lowercased()
        for (rule, regex) in Self.phraseRules where rule.needs.isEmpty || rule.needs.contains(where: lower.contains) {
            for match in regex.matches(in: text, range: NSRange(report.note.contentStart..., in: text)) {
                guard let range = Range(match.range, in: text) else { continue }
                let excerpt = String(text[range])
                if rule.exceptions.contains(where: { excerpt.lowercased().hasPrefix($0) }) { continue }
                let from = text.index(range.lowerBound, offsetBy: -8, limitedBy: text.startIndex) ?? text.startIndex
                let before = text[from..<range.lowerBound]
                if rule.notAfter.contains(where: { before.hasSuffix($0) }) { continue }
                if rule.skipsAcronyms, let word = excerpt.split(separator: " ").last, word.count > 1, word.allSatisfy(\.isUppercase) { continue }
                report.add(rule.id, rule.severity, "\"\(excerpt)\": \(rule.message)", at: range)
            }
        }
    }

    func spelling(_ report: inout Report) {
        guard let speller else { return }
        let text = report.note.text
        let skipped = text.ranges(of: Self.skipPattern)
        var reported: Set<String> = []
        for match in text[report.note.contentStart...].matches(of: Self.wordPattern) {
            guard !skipped.contains(where: { $0.overlaps(match.range) }) else { continue }
            var offset = match.range.lowerBound
            for part in match.output.split(separator: "-", omittingEmptySubsequences: false) {
                defer { offset = text.index(offset, offsetBy: part.count + 1, limitedBy: text.endIndex) ?? text.endIndex }
                var word = String(part)
                while let last = word.last, last == "'" || last == "’" { word.removeLast() }
                if word.hasSuffix("'s") || word.hasSuffix("’s") { word.removeLast(2) }
                guard word.count > 1, !reported.contains(word) else { continue }
                // Acronyms and brand spellings (SRE, GitHub, iOS) are the writer's own.
                if word.dropFirst().contains(where: \.isUppercase) { continue }
                if knownWords.contains(word.lowercased()) || speller.isCorrect(word) { continue }
                reported.insert(word)
                let range = offset..<text.index(offset, offsetBy: word.count)
                guard let (severity, suggestions) = judgeSpelling(word, speller: speller) else { continue }
                let quoted = suggestions.map { "\"\($0)\"" }.joined(separator: " or ")
                var message: String
                if evidence().misspellings?.fixes(for: word) != nil {
                    message = "\"\(word)\" is a common misspelling; write \(quoted)"
                } else {
                    message = "\"\(word)\" is not in the \(speller.language) dictionary"
                    message += suggestions.isEmpty ? "" : "; did you mean \(suggestions.map { "\"\($0)\"" }.joined(separator: ", "))?"
                }
                message += " (if it is right: fuq check --learn \(word))"
                report.add("spelling", severity, message, at: range, excerpt: word, suggestions: suggestions)
            }
        }
    }

    /// How sure fuq is that `word`, unknown to hunspell, is wrong — by evidence, not by how near
    /// a dictionary word is (docs/proofreading.md, "Errors and warnings"):
    /// - on codespell's list of common misspellings ("occured"): an error, with its fixes;
    /// - in SCOWL's largest list ("shader", "queueing"), or hunspell's word with its accents
    ///   ("résumé", "naïve"): nothing to say;
    /// - two common words run together, as hunspell would split it ("bitrate", "dataframe"): a
    ///   warning — a term of the trade more often than a slip;
    /// - one slip (a letter added, dropped, changed or two swapped, not the first) from a
    ///   common word, in a word of five letters or more ("servise", "intervew"): an error;
    /// - anything else ("etcd", "Snakemake"): a warning, with `--learn` offered.
    /// Without the lists, hunspell's suggestions alone decide, as before issue 24.
    /// - Returns: nil when the word is right.
    func judgeSpelling(_ word: String, speller: Speller) -> (ProofFinding.Severity, [String])? {
        let evidence = evidence()
        if let fixes = evidence.misspellings?.fixes(for: word) { return (.error, fixes) }
        if evidence.large?.contains(word) == true { return nil }
        let folded = word.folding(options: .diacriticInsensitive, locale: nil)
        if folded != word, speller.isCorrect(folded) || evidence.large?.contains(folded) == true { return nil }
        let all = speller.suggestions(for: word, limit: 10)
        let suggestions = Array(all.prefix(3))
        let single = all.filter { !$0.contains(" ") && !$0.contains("-") }
        guard let common = evidence.common, evidence.large != nil else {
            // hunspell alone: a word it would write as two ("roadmap" → "road map") is a term;
            // one within two edits of a dictionary word is a typo.
            let compound = all.contains { $0.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "-", with: "").lowercased() == word.lowercased() }
            let typo = !compound && single.contains { Spelling.distance($0, word) <= 2 }
            return (typo ? .error : .warning, suggestions)
        }
        let runTogether = all.contains { suggestion in
            let parts = suggestion.split(whereSeparator: { $0 == " " || $0 == "-" }).map(String.init)
            return parts.count == 2 && parts.joined().lowercased() == word.lowercased() && parts.allSatisfy { $0.count >= 2 && common.contains($0) }
        }
        if runTogether { return (.warning, suggestions) }
        let slip = word.count >= 5 && single.contains { suggestion in
            Spelling.distance(suggestion, word) == 1 && common.contains(suggestion)
                && suggestion.first?.lowercased() == word.first?.lowercased()
        }
        return (slip ? .error : .warning, suggestions)
    }

    /// Collects the findings of one note.
    struct Report {
        let note: NoteText
        let recipient: String
        var found: [ProofFinding] = []

        mutating func add(_ rule: String, _ severity: ProofFinding.Severity, _ message: String, at range: Range<String.Index>? = nil,
                          excerpt: String? = nil, suggestions: [String] = []) {
            let (line, column) = range.map { note.position(of: $0.lowerBound) } ?? (0, 0)
            found.append(ProofFinding(recipient: recipient, severity: severity, rule: rule, message: message,
                                      excerpt: excerpt ?? range.map { String(note.text[$0]) } ?? "", line: line, column: column,
                                      suggestions: suggestions))
        }
    }
}
