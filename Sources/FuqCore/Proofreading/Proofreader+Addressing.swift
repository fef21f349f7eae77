import Foundation

/// Names and facts that must be right — errors, because a wrong name costs the job
/// (etiquette.md, "Greeting and names"): the greeting, the other panelists, the company and
/// the role, the signature, and a day written by hand that will be wrong when the note is read.
extension Proofreader {
    func addressing(_ report: inout Report, context: MessageContext, others: [MessageContext.Person], probeBody: String?) {
        let greetingLine = greeting(&report, person: context.interviewer, others: others)
        otherPeople(&report, context: context, others: others, skipping: greetingLine)
        employer(&report, context: context, others: others)
        role(&report, position: context.position)
        signature(&report, sender: context.sender)
        if let probeBody { handWrittenDays(&report, probeBody: probeBody) }
        emailDomain(&report, email: context.interviewer.email)
        facts(&report, context: context, others: others)
    }

    // MARK: The greeting

    static let honorifics: [String: String] = [
        "mr": "mr", "mister": "mr", "mrs": "mrs", "ms": "ms", "miss": "miss", "mx": "mx", "dr": "dr", "doctor": "dr",
        "prof": "prof", "professor": "prof", "sir": "sir", "dame": "dame", "rev": "rev", "reverend": "rev",
        "herr": "herr", "frau": "frau", "mme": "mme", "madame": "mme", "m": "m", "sr": "sr", "sra": "sra", "dra": "dra",
    ]
    nonisolated(unsafe) static let greetingPattern = /^(?i:dear|hi|hello|hey|good (?:morning|afternoon|evening|day)|greetings|to)\b[ \t]*(.*?)[ \t]*[,:!.—–-]?[ \t]*$/
    nonisolated(unsafe) static let genericPattern = /^(?i:(?:sir|madam|sir or madam|sir\/madam|madam or sir|sirs|all|everyone|team|there|friend|folks|hiring (?:manager|team|committee)|recruiter|recruiting team|interviewer|colleague|whom it may concern|the team)s?)$/

    /// Checks the greeting line; returns its range (nil when the note has none).
    func greeting(_ report: inout Report, person: MessageContext.Person, others: [MessageContext.Person]) -> Range<String.Index>? {
        let text = report.note.text
        let body = text[report.note.bodyStart...]
        guard let lineRange = body.firstRange(of: /[^\n]*\S[^\n]*/) else { return nil }
        let line = String(text[lineRange]).trimmingCharacters(in: .whitespaces)
        let expected = person.interviewer.salutation
        var named: String
        if let match = line.wholeMatch(of: Self.greetingPattern), line.count <= 80 {
            named = String(match.output.1)
        } else if line.hasSuffix(","), line.split(separator: " ").count <= 4 {
            named = String(line.dropLast())     // "Dana," — a greeting without "Dear"
        } else {
            report.add("greeting-missing", .warning, "the note opens without a greeting; start with \"Dear \(expected),\"", at: lineRange)
            return nil
        }
        if named.lowercased().hasPrefix("dear ") { named = String(named.dropFirst(5)) }
        named = named.trimmingCharacters(in: CharacterSet(charactersIn: " ,:!"))
        let written = named.isEmpty ? line : named
        if named.isEmpty || named.wholeMatch(of: Self.genericPattern) != nil || named.lowercased().hasPrefix("to whom") {
            report.add("greeting-generic", .error, "greets \"\(written)\" though you know who reads it; write \"Dear \(expected),\"", at: lineRange)
            return lineRange
        }
        switch judge(named, person: person, others: others) {
        case .right: break
        case .honorific(let wrote):
            let what = wrote.map { "\"\($0)\" is not the honorific the file gives" } ?? "the honorific is missing"
            report.add("greeting-honorific", .error, "greets \"\(named)\": \(what); write \"Dear \(expected),\"", at: lineRange, suggestions: [expected])
        case .firstName:
            report.add("greeting-first-name", .error, "greets \(person.name) by first name, which they did not offer; write \"Dear \(expected),\" — or add `call_me: \(person.interviewer.firstName)` if they asked you to", at: lineRange, suggestions: [expected])
        case .otherPerson(let other):
            report.add("greeting-name", .error, "greets \(other), but this note goes to \(person.name); write \"Dear \(expected),\"", at: lineRange, suggestions: [expected])
        case .misspelled(let wrote, let right):
            // The fix never repeats the slip: a misspelt `salutation:` is corrected, not quoted back.
            let fixed = expected.replacingOccurrences(of: wrote, with: right)
            let fix = person.interviewer.salutationGiven != nil ? "`salutation: \(fixed)`, so the note reads \"Dear \(fixed),\"" : "\"Dear \(fixed),\""
            report.add("greeting-name", .error, "\"\(wrote)\" is not how \(person.name) spells it: \"\(right)\"; write \(fix)", at: lineRange, suggestions: [fixed])
        case .stranger:
            report.add("greeting-name", .error, "greets \"\(named)\", but this note goes to \(person.name); write \"Dear \(expected),\"", at: lineRange, suggestions: [expected])
        }
        return lineRange
    }

    enum Greeting: Equatable {
        case right
        case honorific(String?)
        case firstName
        case otherPerson(String)
        case misspelled(String, String)
        case stranger
    }

    /// Whom "Ms. Rivera" (the words after "Dear") addresses.
    func judge(_ named: String, person: MessageContext.Person, others: [MessageContext.Person]) -> Greeting {
        let me = person.interviewer
        func same(_ a: String, _ b: String?) -> Bool { b.map { a.compare($0, options: [.caseInsensitive]) == .orderedSame } ?? false }
        if same(named, me.salutationGiven) || same(named, me.callMe) || same(named, me.name) {
            // A `salutation:` typed apart from the name can carry a typo of it ("Ms. Riviera").
            if same(named, me.salutationGiven), case .found(let family) = FamilyName.derive(me.name),
               let typo = named.split(separator: " ").map(String.init).first(where: { Self.nearMiss($0, family) }) {
                return .misspelled(typo, family)
            }
            return .right
        }
        var words = named.split(separator: " ").map(String.init)
        var honorific: String?
        if let first = words.first, let known = Self.honorifics[first.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))], words.count > 1 {
            honorific = known
            words.removeFirst()
        }
        let rest = words.joined(separator: " ")
        let expectedHonorific = me.honorific.flatMap { Self.honorifics[$0.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))] }
        if same(rest, me.lastName) || same(rest, me.name) {
            if honorific == expectedHonorific || (honorific != nil && expectedHonorific == nil) || (honorific == nil && same(rest, me.name)) { return .right }
            return .honorific(honorific == nil ? nil : named.split(separator: " ").first.map(String.init))
        }
        if same(rest, me.firstName) { return me.callMe == nil ? .firstName : .misspelled(rest, me.callMe!) }
        for other in others {
            let them = other.interviewer
            if [them.lastName, them.firstName, them.name, them.callMe, them.salutationGiven].contains(where: { same(rest, $0) || same(named, $0) }) {
                return .otherPerson(them.name)
            }
        }
        for right in [me.lastName, me.callMe, me.firstName].compactMap({ $0 }) where Self.nearMiss(rest, right) {
            return .misspelled(rest, right)
        }
        return .stranger
    }

    /// "Riviera" for "Rivera", "Garcia" for "García": the same name, mistyped.
    static func nearMiss(_ written: String, _ right: String) -> Bool {
        guard written.lowercased() != right.lowercased() else { return false }
        let fold = { (s: String) in s.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil) }
        if fold(written) == fold(right) { return true }
        return right.count >= 4 && Spelling.distance(written.lowercased(), right.lowercased()) <= (right.count >= 7 ? 2 : 1)
    }

    // MARK: Other people of the panel, and names spelled wrong

    nonisolated(unsafe) static let titledNamePattern = /\b(?:Mr|Mrs|Ms|Mx|Dr|Prof|Professor|Miss)\.?[ \t]+(\p{Lu}[\p{L}\p{M}'’-]+)/

    func otherPeople(_ report: inout Report, context: MessageContext, others: [MessageContext.Person], skipping greeting: Range<String.Index>?) {
        let text = report.note.text
        let content = report.note.contentStart..<text.endIndex
        let me = context.interviewer.interviewer
        // The reader's own name, yours and the company's may contain a panelist's first name.
        let own = [context.sender.name, me.name, me.salutation, context.company].compactMap { $0 }.filter { !$0.isEmpty }
            .flatMap { text.ranges(of: $0) }
        func free(_ range: Range<String.Index>) -> Bool {
            !(greeting.map { $0.overlaps(range) } ?? false) && !own.contains { $0.overlaps(range) }
        }
        // Only a panelist one of whose names is a word of the note can be named in it.
        let noteWords = Set(Self.words(in: String(text[content])).map { $0.lowercased() })
        people: for other in others {
            let them = other.interviewer
            let theirWords = Self.words(in: [them.name, them.lastName, them.callMe ?? "", them.salutationGiven ?? ""].joined(separator: " "))
            guard theirWords.contains(where: { noteWords.contains($0.lowercased()) }) else { continue }
            var forms: [(text: String, firstName: Bool)] = [(them.name, false)]
            forms += [them.salutationGiven, them.honorific.map { "\($0) \(them.lastName)" }].compactMap { $0 }.map { ($0, false) }
            for title in ["Mr", "Mrs", "Ms", "Mx", "Dr", "Prof", "Professor", "Miss"] {
                forms += [("\(title). \(them.lastName)", false), ("\(title) \(them.lastName)", false)]
            }
            // A first name or call_me name, as a capitalised word — unless this reader shares it.
            for first in Set([them.firstName, them.callMe].compactMap { $0 }) where first != me.firstName && first != me.callMe && first.count > 1 {
                forms.append((first, true))
            }
            for form in forms {
                for range in text[content].ranges(of: form.text) where free(range) && Self.isWholeWord(range, in: text) {
                    // "Will you…" at the start of a sentence is the word, not the name.
                    if form.firstName, Self.startsSentence(range, in: text), let speller, speller.isCorrect(form.text.lowercased()) { continue }
                    report.add("other-interviewer", .error, "names \(them.name) (\"\(text[range])\"), another interviewer of the panel; each note is about this person only — or `allow: [other-interviewer]` under \(me.name) if you mean to", at: range)
                    continue people
                }
            }
        }
        // "Ms. Riviera" in the text when the reader (or a panelist) is Ms. Rivera.
        for match in text[content].matches(of: Self.titledNamePattern) where free(match.range) {
            let written = String(match.output.1)
            let people = [me] + others.map(\.interviewer)
            if people.contains(where: { $0.lastName.compare(written, options: .caseInsensitive) == .orderedSame }) { continue }
            if let meant = people.first(where: { Self.nearMiss(written, $0.lastName) }) {
                report.add("name-spelling", .error, "\"\(written)\" is not how \(meant.name) spells it: \"\(meant.lastName)\"", at: match.range, suggestions: [meant.lastName])
            }
        }
    }

    static func isWholeWord(_ range: Range<String.Index>, in text: String) -> Bool {
        let before = range.lowerBound > text.startIndex ? text[text.index(before: range.lowerBound)] : " "
        let after = range.upperBound < text.endIndex ? text[range.upperBound] : " "
        return !before.isLetter && !before.isNumber && !after.isLetter && !after.isNumber
    }

    static func startsSentence(_ range: Range<String.Index>, in text: String) -> Bool {
        let before = text[..<range.lowerBound].reversed().first { !$0.isWhitespace }
        return before == nil || [".", "!", "?", "\n", ":"].contains(before!) || text[..<range.lowerBound].hasSuffix("\n")
    }

    // MARK: The company and the role

    /// "help the Globex team", "joining Globex", "Globex's mission", "work at Globex": an
    /// organisation named as the employer. After "the" the name may be a team or a place inside
    /// the company ("the Platform team", "the São Paulo team"); without it, it is an employer.
    nonisolated(unsafe) static let employerPatterns: [Regex<(Substring, Substring)>] = [
        /\b(?i:join|joining)[ \t]+(?:the[ \t]+)?(\p{Lu}(?:[\p{L}\p{N}&'’-]|\.(?=[\p{L}\p{N}]))*(?:[ \t]+\p{Lu}(?:[\p{L}\p{N}&'’-]|\.(?=[\p{L}\p{N}]))*){0,3})/,
        /\bthe[ \t]+(\p{Lu}(?:[\p{L}\p{N}&'’-]|\.(?=[\p{L}\p{N}]))*(?:[ \t]+\p{Lu}(?:[\p{L}\p{N}&'’-]|\.(?=[\p{L}\p{N}]))*){0,3})[ \t]+(?:[a-z]+[ \t]+){0,2}(?i:team|family|mission|culture)\b/,
        /\b(?i:help|helping)[ \t]+(\p{Lu}(?:[\p{L}\p{N}&'’-]|\.(?=[\p{L}\p{N}]))*(?:[ \t]+\p{Lu}(?:[\p{L}\p{N}&'’-]|\.(?=[\p{L}\p{N}]))*){0,3})/,
        /\b(\p{Lu}(?:[\p{L}\p{N}&-]|\.(?=[\p{L}\p{N}]))*(?:[ \t]+\p{Lu}(?:[\p{L}\p{N}&-]|\.(?=[\p{L}\p{N}]))*){0,3})['’]s[ \t]+(?i:mission|team|culture|values|customers|product|platform|engineers|growth|future|vision)\b/,
        /\b(?i:(?:to|would|will|could|I'd|I’d)[ \t]+(?:work|start|contribute|grow)|a[ \t]+future|a[ \t]+career|a[ \t]+role|the[ \t]+role|a[ \t]+position|the[ \t]+position|an[ \t]+opportunity|the[ \t]+opportunity)[ \t]+(?i:at|for)[ \t]+(\p{Lu}(?:[\p{L}\p{N}&'’-]|\.(?=[\p{L}\p{N}]))*(?:[ \t]+\p{Lu}(?:[\p{L}\p{N}&'’-]|\.(?=[\p{L}\p{N}]))*){0,3})/,
    ]

    /// Words a department's name is made of ("Platform Engineering", "Data Science").
    static let departmentWords: Set<String> = [
        "engineering", "platform", "infrastructure", "product", "products", "design", "data", "research", "security", "operations",
        "sales", "marketing", "finance", "support", "growth", "mobile", "web", "cloud", "core", "labs", "team", "teams", "group",
        "services", "systems", "science", "analytics", "people", "talent", "legal", "customer", "success", "experience", "developer",
        "quality", "reliability", "payments", "search", "ads", "ml", "ai", "devex", "tools", "tooling", "frontend", "backend", "mission",
    ]

    func employer(_ report: inout Report, context: MessageContext, others: [MessageContext.Person]) {
        let text = report.note.text
        let core = Self.coreName(context.company)
        let coreWords = Set(core.split(separator: " ").map(String.init))
        for pattern in Self.employerPatterns {
            for match in text[report.note.bodyStart...].matches(of: pattern) {
                let name = String(match.output.1).trimmingCharacters(in: CharacterSet(charactersIn: ".'’-"))
                let words = name.lowercased().split(separator: " ").map(String.init)
                if core.contains(name.lowercased()) || name.lowercased().contains(core) || words.allSatisfy(coreWords.contains) { continue }
                // "Before joining Globex, I…": the writer's past, not this application.
                let lead = text[..<match.range.lowerBound].suffix(12).lowercased()
                if ["before ", "since ", "after ", "when ", "until "].contains(where: { lead.hasSuffix($0) }) { continue }
                // "the Platform team", "joining the Data team": maybe a team; "joining Globex": an employer.
                let afterThe = text[..<match.output.1.startIndex].lowercased().hasSuffix("the ")
                let foreign = words.contains { word in
                    // knownWords holds TechWords and the panel's names; not the prose's capitalised words.
                    guard !coreWords.contains(word), !knownWords.contains(word) || proseNames.contains(word) else { return false }
                    if Self.wellKnownEmployers.contains(word) { return true }
                    let original = name.split(separator: " ").first { $0.lowercased() == word }.map(String.init) ?? word
                    if original.count > 1, original.dropFirst().contains(where: \.isUppercase) { return false }   // DevEx, iOS
                    if !afterThe { return !Self.departmentWords.contains(word) }
                    // A place or a word ("the São Paulo team", "the Platform team") is not an organisation.
                    let folded = original.folding(options: .diacriticInsensitive, locale: nil)
                    if let large = evidence().large, large.contains(original) || large.contains(folded) { return false }
                    return !(speller?.isCorrect(word) ?? true)
                }
                guard foreign else { continue }
                report.add("company-other", .error, "names \(name) as if it were the employer; this note is for \(context.company) — or `allow: [company-other]` if you mean \(name)", at: match.range)
            }
        }
    }

    static let wellKnownEmployers: Set<String> = [
        "google", "alphabet", "amazon", "aws", "microsoft", "meta", "facebook", "apple", "netflix", "stripe", "shopify",
        "salesforce", "oracle", "ibm", "intel", "nvidia", "adobe", "uber", "lyft", "airbnb", "spotify", "twitter", "linkedin",
        "atlassian", "deloitte", "accenture", "mckinsey", "goldman", "jpmorgan", "walmart", "target", "tesla", "samsung", "sap",
        "siemens", "cisco", "dropbox", "github", "gitlab", "slack", "zoom", "datadog", "cloudflare", "snowflake", "databricks",
    ]

    nonisolated(unsafe) static let rolePattern = /\bthe[ \t]+((?:\p{Lu}[\p{L}\p{N}+#\/&.-]*[ \t]+){0,5}\p{Lu}[\p{L}\p{N}+#\/&.-]*)[ \t]+(?i:role|position|opening|job|vacancy|post)\b/
    /// "the data analyst position", "the role of product designer": a title in small letters.
    nonisolated(unsafe) static let lowercaseRolePatterns: [Regex<(Substring, Substring)>] = [
        /\bthe[ \t]+((?:[a-z][a-z+#\/&.-]*[ \t]+){0,3}(?:engineer|developer|manager|designer|analyst|scientist|architect|consultant|specialist|coordinator|administrator|director|officer|researcher|writer|editor|marketer|recruiter|accountant|technician|strategist|producer|planner|associate|intern)s?)[ \t]+(?:role|position|opening|job|vacancy|post)\b/,
        /\bthe[ \t]+(?:role|position|job|post)[ \t]+of[ \t]+(?:an?[ \t]+)?((?:[\p{L}+#\/&.-]+[ \t]+){0,3}(?i:engineer|developer|manager|designer|analyst|scientist|architect|consultant|specialist|coordinator|administrator|director|officer|researcher|writer|editor|marketer|recruiter|accountant|technician|strategist|producer|planner|associate|intern|lead)s?)\b/,
    ]

    func role(_ report: inout Report, position: String) {
        let text = report.note.text
        let wanted = position.lowercased()
        let lower = text.lowercased()
        guard ["role", "position", "opening", "job", "vacancy", "post"].contains(where: lower.contains) else { return }
        let positionWords = Set(Self.words(in: wanted).map { $0.hasSuffix("s") ? String($0.dropLast()) : $0 })
        let matches = text[report.note.contentStart...].matches(of: Self.rolePattern).map { ($0.range, $0.output.1) }
            + Self.lowercaseRolePatterns.flatMap { pattern in text[report.note.contentStart...].matches(of: pattern).map { ($0.range, $0.output.1) } }
        var reported: [Range<String.Index>] = []
        for (range, title) in matches where !reported.contains(where: { $0.overlaps(range) }) {
            let named = String(title)
            let lower = named.lowercased()
            // "the SRE role" for Site Reliability Engineer: the initials; "the senior engineer
            // role" for Senior Platform Engineer: its words are the position's.
            let initials = String(position.split(separator: " ").compactMap(\.first)).uppercased()
            if wanted.contains(lower) || lower.contains(wanted) || named == initials { continue }
            if Self.words(in: lower).allSatisfy({ positionWords.contains($0.hasSuffix("s") ? String($0.dropLast()) : $0) }) { continue }
            reported.append(range)
            let match = (range: range, output: (named, named))
            report.add("position-other", .error, "names the role \"\(named)\"; this interview was for \(position)", at: match.range, suggestions: [position])
            _ = match.output
        }
    }

    // MARK: The signature

    func signature(_ report: inout Report, sender: Sender) {
        let body = report.note.body
        let tail = body.split(separator: "\n").suffix(8).joined(separator: "\n")
        if let name = sender.name, !tail.localizedCaseInsensitiveContains(name) {
            let first = name.split(separator: " ").first.map(String.init) ?? name
            let signed = tail.range(of: first).map { _ in " (it is signed \"\(first)\")" } ?? ""
            report.add("signature", .error, "is not signed with your full name, \(name)\(signed); end the note with it on its own line")
        }
        if let phone = sender.phone {
            let digits = phone.filter(\.isNumber)
            if digits.count >= 6, !body.filter(\.isNumber).contains(digits) {
                report.add("signature-phone", .warning, "the signature leaves out your phone number (\(phone), sender.phone); add it under your name")
            }
        }
    }

    // MARK: Days written by hand

    nonisolated(unsafe) static let relativeDayPattern = /(?i)\b(?:today|yesterday|tomorrow|tonight|this (?:morning|afternoon|evening)|last night)(?![\p{L}\p{N}])/

    /// (Swift's `\b` follows Unicode words, in which "morning's" is one: the end is "no letter next".)
    /// "today" in the note rendered for a month later was typed, not rendered by
    /// `{{interview.when}}`: it is wrong on every day but one.
    func handWrittenDays(_ report: inout Report, probeBody: String) {
        let text = report.note.text
        let bodyLines = report.note.body.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, probeLine) in probeBody.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            for match in probeLine.matches(of: Self.relativeDayPattern) {
                let phrase = String(match.output)
                // Where it is in the note as it will be sent: the same line, if the lines line up.
                var range: Range<String.Index>?
                if index < bodyLines.count, let here = bodyLines[index].range(of: phrase, options: .caseInsensitive) {
                    let line = report.note.bodyLineStart(index)
                    let start = text.index(line, offsetBy: bodyLines[index].distance(from: bodyLines[index].startIndex, to: here.lowerBound))
                    range = start..<text.index(start, offsetBy: phrase.count)
                }
                report.add("relative-day", .error, "\"\(phrase)\" is written into the text, and the note may be read on another day; write {{interview.when}}, which fuq fills in on the day it is sent (\"today\", \"yesterday\", \"on Tuesday\"); in a `topic:`, `note:`, `clarify:` or `pitch:` of the interview file, leave the day out — the template says it", at: range, excerpt: phrase)
            }
        }
    }

    // MARK: The address

    static let commonProviders = [
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "yahoo.com", "ymail.com", "icloud.com",
        "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com", "pm.me", "fastmail.com", "hey.com", "zoho.com", "gmx.com",
        "gmx.net", "gmx.de", "web.de", "yandex.ru", "mail.ru", "qq.com", "163.com", "naver.com", "yahoo.co.uk", "hotmail.co.uk",
        "btinternet.com", "comcast.net", "outlook.de", "orange.fr", "free.fr", "libero.it", "t-online.de",
    ]

    /// "gmaill.com": one slip away from a provider — the note would bounce, or reach a stranger.
    func emailDomain(_ report: inout Report, email: String) {
        let domain = EmailAddress.domain(of: email).lowercased()
        guard !Self.commonProviders.contains(domain),
              let meant = Self.commonProviders.first(where: { Spelling.distance($0, domain) == 1 }) else { return }
        report.add("email-domain", .warning, "the address \(email) is at \(domain), one letter away from \(meant); check the address (`email:` in the interview file, or --to)", suggestions: [meant])
    }
}
