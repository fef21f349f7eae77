import Foundation

/// Proofreads one rendered note (etiquette.md, "Mistakes to catch before sending"): spelling
/// through hunspell, grammar slips from `GrammarRules`, leftover placeholders, tone and form.
/// Pure apart from the speller, which only reads its dictionary.
public struct Proofreader: Sendable {
    public var speller: Speller?
    /// Words that are right whatever the dictionary says, lowercased: the interview file's own
    /// (names, company, position, topics) and the personal dictionary's.
    public var knownWords: Set<String>
    /// Rule ids the user accepted on purpose (`allow:`).
    public var allow: Set<String>

    public init(speller: Speller?, knownWords: Set<String> = [], allow: Set<String> = []) {
        self.speller = speller
        self.knownWords = knownWords
        self.allow = allow
    }

    /// The words of a text as the spelling check sees them.
    public static func words(in text: String) -> [String] {
        text.matches(of: wordPattern).flatMap { $0.output.split(separator: "-").map(String.init) }
    }

    nonisolated(unsafe) static let wordPattern = /\p{L}[\p{L}\p{M}'’-]*/
    nonisolated(unsafe) static let skipPattern = /(?i)\b(?:https?:\/\/|www\.)\S+|\S+@\S+\.\S+|\b[\w.-]+\.(?:com|org|net|io|dev|ai|co|example)\S*/

    static let placeholderPatterns: [String] = [
        #"(?i)\[(?:your |the |interviewer'?s? |company |hiring manager'?s? |first |last |full |job )*(?:name|company|company name|position|role|title|date|interviewer|hiring manager|insert[^\]]*|topic)\]"#,
        #"\[[A-Z]{2,}(?: [A-Z]{2,})+\]"#, #"\{\{|\}\}"#, #"(?i)<(?:name|company|position|role|interviewer)>"#,
        #"\bTODO:|\[TODO\]|(?m)^\s*TODO\s*$"#, #"\bXXX\b"#, #"(?i)\binsert (?:name|company|position) here\b"#,
    ]
    static let demandingPhrases = [
        "when will i hear", "when can i expect", "i expect to hear", "please respond", "let me know asap",
        "i need an answer", "why haven't", "when will you decide", "please get back to me by", "get back to me with your decision",
        "let me know your decision by", "i need to know by", "respond by",
    ]
    static let legalSuffixes = ["inc", "inc.", "llc", "l.l.c.", "ltd", "ltd.", "limited", "gmbh", "ag", "s.a.", "sa", "plc", "corp",
                                "corp.", "corporation", "co.", "company", "bv", "b.v.", "s.a.s.", "sas", "srl", "pty", "oy", "ab"]

    /// "Acme Robotics, Inc." → "acme robotics".
    static func coreName(_ company: String) -> String {
        var words = company.lowercased().split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        while let last = words.last, words.count > 1, legalSuffixes.contains(last) { words.removeLast() }
        return words.joined(separator: " ")
    }

    public func check(subject: String, body: String, recipient: String, company: String, position: String,
                      senderName: String?, otherNames: [String]) -> [ProofFinding] {
        let note = NoteText(subject: subject, body: body)
        var found: [ProofFinding] = []
        func add(_ rule: String, _ severity: ProofFinding.Severity, _ message: String, at range: Range<String.Index>? = nil, suggestions: [String] = []) {
            let (line, column) = range.map { note.position(of: $0.lowerBound) } ?? (0, 0)
            found.append(ProofFinding(recipient: recipient, severity: severity, rule: rule, message: message,
                                      excerpt: range.map { String(note.text[$0]) } ?? "", line: line, column: column, suggestions: suggestions))
        }
        let text = note.text
        // The body only (the "Subject:" label is fuq's, not the user's).
        let bodyStart = text.index(text.startIndex, offsetBy: 9)

        for pattern in Self.placeholderPatterns {
            if let range = text.range(of: pattern, options: .regularExpression, range: bodyStart..<text.endIndex) {
                add("placeholder", .error, "leftover placeholder \"\(text[range])\"; replace it with the real text", at: range)
            }
        }
        let lower = text.lowercased()
        for phrase in Self.demandingPhrases {
            if let r = lower.range(of: phrase) {
                let range = text.index(text.startIndex, offsetBy: lower.distance(from: lower.startIndex, to: r.lowerBound))
                add("demanding", .warning, "\"\(phrase)\" reads as demanding; prefer \"I look forward to hearing about next steps\"",
                    at: range..<text.index(range, offsetBy: phrase.count))
            }
        }
        for name in otherNames {
            if let range = text.range(of: name, options: .caseInsensitive) {
                add("other-interviewer", .error, "mentions \(name), another interviewer; each note should be about this person only", at: range)
            }
        }
        let exclamations = text.filter { $0 == "!" }.count
        if exclamations > 1 {
            add("exclamation", .warning, "\(exclamations) exclamation marks; keep at most one", at: text.range(of: "!", options: .backwards))
        }
        if let emoji = text.firstIndex(where: { $0.unicodeScalars.contains { $0.properties.isEmojiPresentation } }) {
            add("emoji", .warning, "contains emoji; leave them out of a thank-you note", at: emoji..<text.index(after: emoji))
        }
        let wordCount = body.split(whereSeparator: { $0.isWhitespace }).count
        if wordCount > 250 { add("length", .warning, "\(wordCount) words; keep it to a couple of short paragraphs (under 250 words)") }
        let paragraphs = body.components(separatedBy: "\n\n").filter { $0.split(separator: " ").count > 12 }.count
        if paragraphs > 4 { add("paragraphs", .warning, "\(paragraphs) long paragraphs; three or four at most") }
        let subjectLower = subject.lowercased()
        if !(subjectLower.contains("thank") || subjectLower.contains("interview")) {
            add("subject-vague", .error, "the subject \"\(subject)\" does not say thank you or interview; vague subjects get ignored")
        }
        if let senderName, !subject.localizedCaseInsensitiveContains(senderName) {
            add("subject-name", .warning, "the subject does not carry your name (\(senderName))")
        }
        if !lower.contains(Self.coreName(company)) { add("company", .error, "does not name the company (\(company))") }
        if !lower.contains(position.lowercased()) { add("position", .error, "does not name the position (\(position))") }

        found += grammar(note, recipient: recipient)
        found += spelling(note, recipient: recipient)
        return found.filter { !allow.contains($0.rule) }.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
    }

    /// Each rule with its pattern compiled once (a pattern that does not compile fails the rule's test).
    static let grammar: [(GrammarRule, NSRegularExpression)] = GrammarRules.all.compactMap { rule in
        (try? NSRegularExpression(pattern: rule.pattern, options: rule.caseSensitive ? [] : [.caseInsensitive])).map { (rule, $0) }
    }

    func grammar(_ note: NoteText, recipient: String) -> [ProofFinding] {
        var found: [ProofFinding] = []
        let text = note.text
        for (rule, regex) in Self.grammar {
            for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let range = Range(match.range, in: text), range.lowerBound >= text.index(text.startIndex, offsetBy: 9) else { continue }
                let excerpt = String(text[range])
                if rule.exceptions.contains(where: { excerpt.lowercased().hasPrefix($0) }) { continue }
                let from = text.index(range.lowerBound, offsetBy: -8, limitedBy: text.startIndex) ?? text.startIndex
                let before = text[from..<range.lowerBound]
                if rule.notAfter.contains(where: { before.hasSuffix($0) }) { continue }
                if rule.skipsAcronyms, let word = excerpt.split(separator: " ").last, word.count > 1, word.allSatisfy(\.isUppercase) { continue }
                let (line, column) = note.position(of: range.lowerBound)
                found.append(ProofFinding(recipient: recipient, severity: rule.severity, rule: rule.id,
                                          message: "\"\(excerpt)\": \(rule.message)", excerpt: excerpt, line: line, column: column))
            }
        }
        return found
    }

    func spelling(_ note: NoteText, recipient: String) -> [ProofFinding] {
        guard let speller else { return [] }
        let text = note.text
        let skipped = text.ranges(of: Self.skipPattern)
        var found: [ProofFinding] = []
        var reported: Set<String> = []
        for match in text[text.index(text.startIndex, offsetBy: 9)...].matches(of: Self.wordPattern) {
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
                let suggestions = speller.suggestions(for: word)
                let (line, column) = note.position(of: range.lowerBound)
                // A typo has a dictionary word within two edits ("recieve" → "receive"): an error. A
                // word with none, or one the dictionary would write as two ("roadmap" → "road map"),
                // is more likely a name or a term of the trade: a warning.
                let compound = suggestions.contains { $0.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "-", with: "").lowercased() == word.lowercased() }
                let typo = !compound && suggestions.contains { s in
                    !s.contains(" ") && !s.contains("-") && Spelling.distance(s, word) <= 2
                }
                var message = "\"\(word)\" is not in the \(speller.language) dictionary"
                message += suggestions.isEmpty ? "" : "; did you mean \(suggestions.map { "\"\($0)\"" }.joined(separator: ", "))?"
                message += " (if it is right: fuq check --learn \(word))"
                found.append(ProofFinding(recipient: recipient, severity: typo ? .error : .warning, rule: "spelling", message: message,
                                          excerpt: word, line: line, column: column, suggestions: suggestions))
            }
        }
        return found
    }
}
