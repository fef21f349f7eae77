import Foundation

/// Facts fuq already knows, checked in every field that reaches the note (issue 24): the
/// interview's day, whose block a `call_me` or `salutation` came from, and links that cannot
/// work. Each is an error: the note would state something false to the person it thanks.
extension Proofreader {
    func facts(_ report: inout Report, context: MessageContext, others: [MessageContext.Person]) {
        interviewDay(&report, context: context)
        nameFields(&report, context: context, others: others)
        links(&report)
    }

    // MARK: The interview's day

    static let weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
    static let months = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]

    /// "on Tuesday", "last Tuesday", "Tuesday's interview".
    nonisolated(unsafe) static let weekdayPattern = /(?i)\b(?:(?:on|last|this past)[ \t]+(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|(monday|tuesday|wednesday|thursday|friday|saturday|sunday)['’]s[ \t]+(?:interview|conversation|call|meeting|chat|discussion|visit|session|panel|onsite|talk|loop))/
    /// "December 8", "Dec. 8th", "8 December", "the 8th of December".
    nonisolated(unsafe) static let datePattern = /(?i)\b(?:(january|february|march|april|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?[ \t]+(\d{1,2})(?:st|nd|rd|th)?\b|(\d{1,2})(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?(january|february|march|april|june|july|august|september|october|november|december)\b)/
    /// A sentence about the interview itself…
    nonisolated(unsafe) static let meetingWords = /(?i)\b(?:interview(?:ed|ing)?|conversations?|chat(?:ted)?|met|meeting|call|talk(?:ed)?|spoke|speaking|discussion|visit(?:ed)?|session|panel|onsite|tour|lunch|coffee|time with|walked me|showing me|hosting|you (?:asked|told|said|mentioned|explained|showed|described|shared|walked|gave|suggested|pointed|raised))\b/
    /// …not about a day to come ("our call on Friday", "next Monday").
    nonisolated(unsafe) static let futureWords = /(?i)\b(?:will|shall|going to|next|upcoming|plan(?:ned|ning)?|schedul\w*|look(?:ing)? forward|hope to|would love|available|free on|until|by then|tomorrow|coming)\b|['’]ll\b/

    /// A weekday or date in a sentence about the interview that is not the interview's day, on
    /// the reader's calendar or the interview's.
    func interviewDay(_ report: inout Report, context: MessageContext) {
        let text = report.note.text
        let lower = text[report.note.bodyStart...].lowercased()
        guard (Self.weekdays + Self.months).contains(where: lower.contains) || lower.contains(/\b(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.? \d/) else { return }
        var calendar = Calendar(identifier: .gregorian)
        var days: Set<String> = []
        var dates: Set<[Int]> = []
        for zone in [context.recipientZone, context.interviewZone].compactMap({ $0 }).compactMap(TimeZone.init(identifier:)) {
            calendar.timeZone = zone
            let parts = calendar.dateComponents([.weekday, .month, .day], from: context.interviewEnd)
            days.insert(Self.weekdays[(parts.weekday ?? 1) - 1])
            dates.insert([parts.month ?? 0, parts.day ?? 0])
        }
        let body = report.note.bodyStart..<text.endIndex
        func aboutTheInterview(_ range: Range<String.Index>) -> Bool {
            let sentence = Self.sentence(around: range, in: text)
            // A day to come is said just before the day ("our call next week on Friday", "I will be free on Friday").
            let before = sentence[sentence.startIndex..<range.lowerBound].suffix(50)
            return sentence.firstMatch(of: Self.meetingWords) != nil && before.firstMatch(of: Self.futureWords) == nil
                && text[range].firstMatch(of: Self.futureWords) == nil
        }
        for match in text[body].matches(of: Self.weekdayPattern) {
            guard let day = (match.output.1 ?? match.output.2).map({ $0.lowercased() }), !days.contains(day), aboutTheInterview(match.range) else { continue }
            let right = days.sorted().map(\.capitalized).joined(separator: " or ")
            report.add("interview-day", .error, "\"\(match.output.0)\": the interview was on \(right), not \(day.capitalized); let the template say the day ({{interview.when}}), or correct it",
                       at: match.range, suggestions: [right])
        }
        for match in text[body].matches(of: Self.datePattern) {
            guard let monthName = (match.output.1 ?? match.output.4).map({ $0.lowercased() }),
                  let day = Int(match.output.2 ?? match.output.3 ?? ""),
                  let month = Self.months.firstIndex(where: { $0.hasPrefix(monthName.prefix(3)) }).map({ $0 + 1 }),
                  !dates.contains([month, day]), (1...31).contains(day), aboutTheInterview(match.range) else { continue }
            guard let interviewDate = dates.first else { continue }
            let right = "\(Self.months[interviewDate[0] - 1].capitalized) \(interviewDate[1])"
            report.add("interview-day", .error, "\"\(match.output.0)\": the interview was on \(right); correct the date, or leave it out",
                       at: match.range, suggestions: [right])
        }
    }

    /// The sentence of `text` that holds `range`.
    static func sentence(around range: Range<String.Index>, in text: String) -> Substring {
        let ends: Set<Character> = [".", "!", "?", "\n"]
        let start = text[..<range.lowerBound].lastIndex(where: { ends.contains($0) }).map { text.index(after: $0) } ?? text.startIndex
        let end = text[range.upperBound...].firstIndex(where: { ends.contains($0) }) ?? text.endIndex
        return text[start..<end]
    }

    // MARK: call_me and salutation from another block

    /// Short forms that share no letters in order with the full name ("Bob" for Robert).
    static let shortForms: [String: [String]] = [
        "bob": ["robert"], "bobby": ["robert"], "rob": ["robert"], "robbie": ["robert"], "bert": ["albert", "robert", "herbert"],
        "bill": ["william"], "billy": ["william"], "will": ["william"], "liam": ["william"], "dick": ["richard"], "rick": ["richard"],
        "ricky": ["richard"], "peggy": ["margaret"], "maggie": ["margaret"], "meg": ["margaret"], "jim": ["james"], "jimmy": ["james"],
        "jack": ["john"], "johnny": ["john"], "ted": ["edward", "theodore"], "ned": ["edward"], "chuck": ["charles"], "hank": ["henry"],
        "harry": ["henry", "harold"], "sasha": ["alexander", "alexandra", "aleksandr", "aleksandra"], "sandy": ["alexandra", "sandra"],
        "mike": ["michael"], "mick": ["michael"], "nick": ["nicholas", "nicolas", "nikolai"], "tony": ["anthony", "antonio"],
        "betty": ["elizabeth"], "betsy": ["elizabeth"], "libby": ["elizabeth"], "kathy": ["katherine", "kathleen"], "kate": ["katherine", "catherine"],
        "katie": ["katherine", "catherine"], "cathy": ["catherine"], "sue": ["susan", "suzanne"], "larry": ["lawrence", "laurence"],
        "jerry": ["gerald", "jerome"], "terry": ["terence", "theresa"], "al": ["albert", "alan", "alfred"], "jake": ["jacob"],
        "drew": ["andrew"], "becky": ["rebecca"], "molly": ["mary"], "polly": ["mary"], "sally": ["sarah"], "nancy": ["ann", "anne"],
        "misha": ["mikhail"], "kolya": ["nikolai"], "dima": ["dmitry", "dmitri"], "vova": ["vladimir"], "pasha": ["pavel"],
        "zhenya": ["yevgeny", "evgeny", "yevgenia", "evgenia"], "lena": ["elena", "yelena"], "masha": ["maria"], "nacho": ["ignacio"],
        "pepe": ["jose", "josé"], "paco": ["francisco"], "chema": ["jose", "josé"], "lupe": ["guadalupe"], "beto": ["alberto", "roberto"],
        "hans": ["johannes"], "sepp": ["josef"], "jo": ["johanna", "joanne", "josephine"], "xander": ["alexander"], "lex": ["alexander"],
    ]

    /// "Tom" for Thomas, "Liz" for Elizabeth, "Alex" for Alexandra, "Bob" for Robert.
    static func isShortForm(_ nick: String, of full: String) -> Bool {
        let fold = { (s: String) in s.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased() }
        let n = fold(nick), f = fold(full)
        if n == f || (n.count >= 3 && f.contains(n)) { return true }
        if shortForms[n]?.contains(f) == true { return true }
        // The nickname's letters in order in the name, from its first ("Tom" in Thomas).
        guard n.first == f.first, n.count >= 2 else { return false }
        var rest = Substring(f)
        for letter in n.dropLast(n.hasSuffix("y") || n.hasSuffix("ie") ? 1 : 0) {
            guard let at = rest.firstIndex(of: letter) else { return false }
            rest = rest[rest.index(after: at)...]
        }
        return true
    }

    /// A `call_me` or `salutation` that names somebody else: a block copied from another
    /// interviewer's. Naming another person of the panel is an error; a `call_me` that is no
    /// form of the name at all, a warning (they may have asked for it).
    func nameFields(_ report: inout Report, context: MessageContext, others: [MessageContext.Person]) {
        let me = context.interviewer.interviewer
        let text = report.note.text
        let nameWords = Self.words(in: [me.name, me.lastNameGiven ?? ""].joined(separator: " "))
        func otherPerson(_ word: String) -> String? {
            others.first { other in
                Self.words(in: [other.name, other.callMe ?? ""].joined(separator: " ")).contains { $0.compare(word, options: [.caseInsensitive, .diacriticInsensitive]) == .orderedSame }
            }?.name
        }
        func place(_ word: String) -> Range<String.Index>? {
            text[report.note.bodyStart...].range(of: word)
        }
        if let callMe = me.callMe {
            for word in Self.words(in: callMe) where Self.honorifics[word.lowercased()] == nil && !nameWords.contains(where: { Self.isShortForm(word, of: $0) }) {
                if let other = otherPerson(word) {
                    report.add("greeting-name", .error, "`call_me: \(callMe)` under \(me.name) names \(other), another interviewer — copied from their block? Write how \(me.name) asked to be called, or remove it",
                               at: place(word), excerpt: word, suggestions: [me.firstName])
                } else {
                    report.add("greeting-name", .warning, "`call_me: \(callMe)` is no form of \(me.name)'s name; if they asked to be called \(word), add `allow: [greeting-name]` under them, otherwise fix it",
                               at: place(word), excerpt: word, suggestions: [me.firstName])
                }
                break
            }
        }
        if let salutation = me.salutationGiven {
            let family = me.lastName
            for word in Self.words(in: salutation) where word.first?.isUppercase == true && Self.honorifics[word.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))] == nil {
                let known = nameWords.contains { Self.isShortForm(word, of: $0) } || (me.callMe.map { Self.words(in: $0).contains(word) } ?? false)
                    || Self.nearMiss(word, family) || ["Professor", "Doctor", "Sir", "Dame", "Madam", "Chair", "Dean", "Captain", "Judge", "Senator", "Lord", "Lady"].contains(word)
                guard !known else { continue }
                let who = otherPerson(word).map { "names \($0), another interviewer" } ?? "names nobody called \(me.name)"
                let fixed = salutation.replacingOccurrences(of: word, with: family)
                report.add("greeting-name", .error, "`salutation: \(salutation)` under \(me.name) \(who) — copied from another block? Write e.g. `salutation: \(fixed)`",
                           at: place(word), excerpt: word, suggestions: [fixed])
                break
            }
        }
    }

    // MARK: Links that cannot work

    /// "https//…", "http:/…", "htps://…", "https;//…", a host with no dot, a space inside.
    nonisolated(unsafe) static let brokenSchemePattern = /(?i)\b(?:https?\/\/|https?:\/(?!\/)|https?;\/\/|https?:\\\\|htps?:\/\/|ht{3,}ps?:\/\/|https?[ \t]*:[ \t]+\/\/|https?:\/\/[ \t])\S*/
    nonisolated(unsafe) static let urlPattern = /(?i)\bhttps?:\/\/([^\s\/?#<>"]*)[^\s<>"]*/
    nonisolated(unsafe) static let wwwPattern = /(?i)\bwww\.(?:[ \t]|[^\s.\/]+(?=[\s,;:)!?]|\.(?:\s|$)|$))\S*/
    nonisolated(unsafe) static let addressPattern = /[\w.+-]+@([\w-]+(?:\.[\w-]*)*)/

    func links(_ report: inout Report) {
        let text = report.note.text
        guard ["http", "htp", "www", "@", "//"].contains(where: text.lowercased().contains) else { return }
        let content = report.note.contentStart..<text.endIndex
        var found: [Range<String.Index>] = []
        func add(_ range: Range<String.Index>, _ why: String) {
            guard !found.contains(where: { $0.overlaps(range) }) else { return }
            found.append(range)
            report.add("broken-link", .error, "\"\(text[range])\" cannot be opened: \(why)", at: range)
        }
        for match in text[content].matches(of: Self.brokenSchemePattern) {
            add(match.range, "write the start as https:// (a colon and two slashes, no space)")
        }
        for match in text[content].matches(of: Self.urlPattern) {
            var host = String(match.output.1).trimmingCharacters(in: CharacterSet(charactersIn: ".,;:!?)"))
            if let port = host.lastIndex(of: ":"), host[host.index(after: port)...].allSatisfy(\.isNumber) { host = String(host[..<port]) }
            if let at = host.lastIndex(of: "@") { host = String(host[host.index(after: at)...]) }
            if host.isEmpty { continue }
            if !host.contains(".") && host.lowercased() != "localhost" {
                add(match.range, "the address \(host) has no dot (example.org); check for a space or a missing part")
            } else if host.contains("..") {
                add(match.range, "the address \(host) has two dots in a row")
            }
        }
        for match in text[content].matches(of: Self.wwwPattern) {
            add(match.range, "a web address needs its ending (www.example.org), with no space after \"www.\"")
        }
        for match in text[content].matches(of: Self.addressPattern) {
            let domain = String(match.output.1).trimmingCharacters(in: CharacterSet(charactersIn: "."))
            if !domain.contains(".") || domain.contains("..") {
                add(match.range, "an email address needs a domain with a dot (name@example.org)")
            }
        }
    }
}
