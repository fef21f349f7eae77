import Foundation

/// One interview as written in an interview file (or given with `enqueue` flags).
///
/// ```yaml
/// company: Acme Robotics
/// position: Senior Platform Engineer
/// interview:
///   start: 2026-11-24T14:00          # wall time in `timezone`, or with an explicit offset
///   end: 2026-11-24T15:30
///   timezone: America/New_York       # IANA name
/// interviewers:
///   - name: Dana Rivera
///     honorific: Ms.                 # or `call_me: Dana`
///     email: dana.rivera@acme.example
///     topic: moving the build farm to Kubernetes
///     lead: true
///     timezone: Europe/London        # optional: the recipient's own zone
///     note: A sentence or two more… # optional extra paragraph for this person only
///     clarify: A point to add or put right from your talk with this person (optional)
/// pitch: One sentence on what you bring to this role (optional; in every note)
/// decision_by: 2026-12-04            # optional: the day they said they would decide
/// follow_up: true                    # optional (default: config `follow_up.enabled`, true)
/// follow_up_to: lead                 # or `recruiter` (then `recruiter:` is required)
/// nudges: 1                          # 2 allows one more short note ≥ 3 business days later
/// recruiter:                         # optional: name, email, honorific / call_me / last_name / salutation, timezone
///   name: Sam Lee
///   honorific: Mx.
///   email: sam.lee@acme.example
/// ```
public struct Interview: Sendable, Equatable {
    public var company: String
    public var position: String
    public var start: Date?
    public var end: Date
    public var zone: TimeZone
    public var interviewers: [Interviewer]
    /// Things the user should know about how the file was read (a wall time that happens twice).
    public var notes: [String] = []
    /// Proofreading rules accepted on purpose for every note of this file (`allow:`).
    public var allow: Set<String> = []
    /// One sentence on what you bring to this role (`pitch:`); every note of the panel carries it.
    public var pitch: String?
    /// The day they said they would decide (`decision_by`), as the midnight starting it on the
    /// interview's clock.
    public var decisionBy: Date?
    /// The recruiter who arranged the interview (`recruiter:`); gets no thank-you.
    public var recruiter: Interviewer?
    /// Who gets the follow-up (`follow_up_to`).
    public var followUpTo: FollowUpTarget = .lead
    /// `follow_up: false` plans none; nil: the config decides (`follow_up.enabled`).
    public var followUp: Bool?
    /// `nudges: 2`: one more short note after the first follow-up; nil: the config decides.
    public var nudges: Int?
    /// `register: senior` or `standard`: how the built-in notes speak; nil: from the position
    /// (Director, VP, Head of, Chief, Principal are senior — `Phrasings.register`).
    public var register: Phrasings.Register?
    /// `screened: true` under `recruiter:`: they also held a screening call with you, so their
    /// follow-up may mention it. Without it, it never claims a conversation with them.
    public var recruiterScreened = false
    /// The calendar invitation this file was drafted from (`invitation:`, written by `fuq new`):
    /// its UID(s), space-separated for a loop, and its SEQUENCE. Kept with the interview, so
    /// an updated invitation is recognised.
    public var invitationUID: String?
    public var invitationSequence: Int?

    /// Who gets the follow-up letter.
    public enum FollowUpTarget: String, Sendable, Equatable {
        case lead, recruiter
    }

    /// The person the follow-up goes to: the lead (or the first interviewer), or the recruiter.
    public var followUpRecipient: Interviewer? { followUpTo == .recruiter ? recruiter : lead }

    public init(company: String, position: String, start: Date?, end: Date, zone: TimeZone, interviewers: [Interviewer]) {
        self.company = company
        self.position = position
        self.start = start
        self.end = end
        self.zone = zone
        self.interviewers = interviewers
    }

    /// The lead interviewer (who later gets the second follow-up): the one marked `lead`, else the first.
    public var lead: Interviewer? { interviewers.first(where: \.lead) ?? interviewers.first }
}

public struct Interviewer: Sendable, Equatable {
    public var name: String
    public var honorific: String?
    public var callMe: String?
    /// The family name as the user gave it (`last_name`); else derived (`FamilyName`).
    public var lastNameGiven: String?
    /// The whole greeting as the user gave it (`salutation: Professor Okafor`).
    public var salutationGiven: String?
    public var email: String
    public var zone: TimeZone?
    public var topic: String
    public var note: String?
    /// A point to add or put right from the conversation with this person (`clarify:`).
    public var clarify: String?
    public var lead: Bool
    /// Proofreading rules accepted on purpose for this person's note (`allow:`).
    public var allow: Set<String> = []

    public init(name: String, honorific: String? = nil, callMe: String? = nil, email: String,
                zone: TimeZone? = nil, topic: String, note: String? = nil, lead: Bool = false,
                lastName: String? = nil, salutation: String? = nil) {
        self.name = name
        self.honorific = honorific
        self.callMe = callMe
        self.lastNameGiven = lastName
        self.salutationGiven = salutation
        self.email = email
        self.zone = zone
        self.topic = topic
        self.note = note
        self.lead = lead
    }

    /// The family name: as given, or derived from the full name (or why it cannot be).
    public var family: FamilyName { lastNameGiven.map { .found($0) } ?? FamilyName.derive(name) }

    /// The family name; the full name when it cannot be told (the interview file is then
    /// refused unless `salutation` or `call_me` makes it unnecessary).
    public var lastName: String {
        if case .found(let family) = family { return family }
        return name
    }
    public var firstName: String { name.split(separator: " ").first.map(String.init) ?? name }

    /// Why no greeting can be written with confidence, or nil when one can.
    public var greetingProblem: String? {
        guard salutationGiven == nil, callMe == nil, case .unsure(let why) = family else { return nil }
        return why
    }

    /// "Ms. de la Cruz", the first name they asked to be called by, or the greeting as given.
    public var salutation: String {
        if let salutationGiven { return salutationGiven }
        if let callMe { return callMe }
        return [honorific, lastName].compactMap { $0 }.joined(separator: " ")
    }
}

/// Why an interview file or the enqueue flags cannot be used.
public enum InterviewError: LocalizedError, Equatable {
    /// A mistake at a known line and key of the interview file.
    case invalid(YAMLProblem)
    /// The interview file cannot be read.
    case unreadable(path: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .invalid(let problem): return "\(problem)"
        case .unreadable(let path, let reason): return "cannot read the interview file \(path): \(reason)"
        }
    }
}

extension Interview {
    /// Parses an interview file. `file` is only used to name the file in errors.
    public static func parse(_ text: String, file: String) throws -> Interview {
        do {
            return try parseYAML(text, file: file)
        } catch let problem as YAMLProblem {
            throw InterviewError.invalid(problem)
        }
    }

    private static func parseYAML(_ text: String, file: String) throws -> Interview {
        let document = try YAMLValue.document(text, file: file)
        // A draft from `fuq new` is not a note to send until every TODO is written.
        if let todo = document.firstScalar(equalTo: InvitationDraft.todo) {
            throw todo.fail("still TODO (left by `fuq new`); write it — every TODO in the file must be filled before fuq checks or queues it")
        }
        let root = try document.mapping(allowed: [
            "company", "position", "interview", "interviewers", "allow", "pitch", "decision_by", "follow_up", "follow_up_to", "nudges", "recruiter", "register",
            "invitation",
        ])
        var invitationUID: String?
        var invitationSequence: Int?
        if let invitation = root["invitation"] {
            // Which calendar invitation this file came from (`fuq new`): kept for spotting an
            // updated invitation.
            let m = try invitation.mapping(allowed: ["uid", "sequence"])
            invitationUID = try m["uid"]?.line("invitation.uid", limit: 2000)
            if let value = m["sequence"] {
                let text = try value.line("invitation.sequence", limit: 10)
                guard let n = Int(text), n >= 0 else { throw value.fail("expected a whole number (the invitation's SEQUENCE), got \(text)") }
                invitationSequence = n
            }
        }
        let company = try root.require("company", hint: "add `company: Acme Robotics`").line("company", limit: 120)
        let position = try root.require("position", hint: "add `position: Senior Platform Engineer`").line("position", limit: 120)
        let block = try root.require("interview", hint: "add an `interview:` section with start, end and timezone")
            .mapping(allowed: ["start", "end", "timezone"])
        let zoneValue = try block.require("timezone", hint: "add `timezone: America/New_York` (an IANA zone name)")
        let zone = try Self.zone(zoneValue)
        let endValue = try block.require("end", hint: "add `end: YYYY-MM-DDTHH:MM` (when the interview ended, on its clock)")
        var notes: [String] = []
        let end = try Self.dateTime(endValue, zone: zone, notes: &notes)
        var start: Date?
        if let startValue = block["start"] {
            start = try Self.dateTime(startValue, zone: zone, notes: &notes)
            if let start, end <= start {
                throw endValue.fail("the interview ends before it starts (start \(try startValue.string()), end \(try endValue.string())); check the times")
            }
        }
        let list = try root.require("interviewers", hint: "add an `interviewers:` list with name, honorific, email and topic for each person").list()
        guard !list.isEmpty else { throw YAMLProblem(file: file, line: nil, key: "interviewers", problem: "the list is empty; add at least one interviewer") }
        var people: [Interviewer] = []
        for item in list {
            let m = try item.mapping(allowed: ["name", "honorific", "call_me", "last_name", "salutation", "email", "timezone", "topic", "note", "clarify", "lead", "allow"])
            let greeting = try greetedPerson(m)
            let (name, honorific, callMe) = (greeting.name, greeting.honorific, greeting.callMe)
            let (lastName, salutation) = (greeting.lastNameGiven, greeting.salutationGiven)
            let emailValue = try m.require("email", hint: "add `email: dana.rivera@acme.example`")
            let email = try EmailAddress.validated(emailValue.line("email"), field: emailValue)
            if let other = people.first(where: { $0.email.lowercased() == email.lowercased() }) {
                throw emailValue.fail("\(email) is also \(other.name)'s address; each interviewer gets their own note at their own address")
            }
            let topicValue = try m.require("topic", hint: "add `topic:` — what you discussed with \(name); it makes the note personal")
            let topic = try topicValue.line("topic", limit: 300)
            if let other = people.first(where: { $0.topic.lowercased() == topic.lowercased() }) {
                throw topicValue.fail("\(name) has the same topic as \(other.name); a panel gets a different, personal note for each person — name something you discussed with \(name)")
            }
            let personZone = try m["timezone"].map { try Self.zone($0) }
            let note = try m["note"]?.paragraph("note")
            let lead = try m["lead"]?.bool() ?? false
            var person = Interviewer(name: name, honorific: honorific, callMe: callMe, email: email, zone: personZone,
                                     topic: topic, note: note?.isEmpty == true ? nil : note, lead: lead,
                                     lastName: lastName, salutation: salutation)
            person.allow = try Self.allowList(m["allow"])
            person.clarify = try m["clarify"]?.paragraph("clarify", limit: 600).nilIfEmpty
            people.append(person)
        }
        if people.filter(\.lead).count > 1 {
            throw YAMLProblem(file: file, line: list.first?.line, key: "interviewers", problem: "more than one interviewer has `lead: true`; mark only the lead interviewer")
        }
        var interview = Interview(company: company, position: position, start: start, end: end, zone: zone, interviewers: people)
        interview.invitationUID = invitationUID
        interview.invitationSequence = invitationSequence
        interview.notes = notes
        interview.allow = try Self.allowList(root["allow"])
        interview.pitch = try root["pitch"]?.paragraph("pitch", limit: 400).nilIfEmpty
        try Self.readFollowUp(root, into: &interview, file: file)
        return interview
    }

    /// `decision_by`, `follow_up`, `follow_up_to`, `nudges` and `recruiter`.
    private static func readFollowUp(_ root: YAMLMapping, into interview: inout Interview, file: String) throws {
        if let value = root["decision_by"] {
            let text = try value.line("decision_by", limit: 40)
            if text.count > 10, Self.day(String(text.prefix(10)), zone: interview.zone) != nil {
                throw value.fail("\(text) has a time; decision_by is the day they said they would decide (the follow-up waits until "
                    + "two business days after it, whatever the hour): write \(text.prefix(10))")
            }
            guard let day = Self.day(text, zone: interview.zone) else {
                throw value.fail("cannot read \(text) as a day; write the date they said they would decide as YYYY-MM-DD")
            }
            let calendar = Calendar.gregorian(in: interview.zone)
            if day < calendar.startOfDay(for: interview.end) {
                throw value.fail("\(text) is before the interview; write the day they said they would decide, on or after the interview day")
            }
            if day > interview.end.addingTimeInterval(366 * 86400) {
                throw value.fail("\(text) is more than a year after the interview; check the year")
            }
            interview.decisionBy = day
        }
        interview.followUp = try root["follow_up"]?.bool()
        if let value = root["nudges"] {
            // Read whole, however long: "18446744073709551616" is a number too big, not a text too long.
            let text = try value.line("nudges", limit: 4096)
            guard text.count <= 3, let n = Int(text), (1...2).contains(n) else {
                let shown = text.count > 24 ? text.prefix(20) + "…" : Substring(text)
                throw value.fail("\(shown) is not a number of follow-ups fuq sends; write 1 (one follow-up) or 2 (one more short note a few days later): at most 2, never more")
            }
            interview.nudges = n
        }
        if let value = root["recruiter"] {
            let m = try value.mapping(allowed: ["name", "honorific", "call_me", "last_name", "salutation", "email", "timezone", "screened"])
            var person = try greetedPerson(m)
            interview.recruiterScreened = try m["screened"]?.bool() ?? false
            let emailValue = try m.require("email", hint: "add the recruiter's `email:`")
            person.email = try EmailAddress.validated(emailValue.line("email"), field: emailValue)
            if let other = interview.interviewers.first(where: { $0.email.lowercased() == person.email.lowercased() }) {
                throw emailValue.fail("\(person.email) is also \(other.name)'s address among the interviewers; give the recruiter's own address, or leave `recruiter:` out")
            }
            person.zone = try m["timezone"].map { try Self.zone($0) }
            person.topic = interview.position
            interview.recruiter = person
        }
        if let value = root["register"] {
            let text = try value.line("register", limit: 40)
            guard let register = Phrasings.Register(rawValue: text.lowercased()) else {
                throw value.fail("register is \(text); write `senior` (a peer's register: Director, VP, Head of, Chief, Principal) or `standard`")
            }
            interview.register = register
        }
        if let value = root["follow_up_to"] {
            let text = try value.line("follow_up_to", limit: 200)
            guard let target = FollowUpTarget(rawValue: text.lowercased()) else {
                throw value.fail("follow_up_to is \(text); write `lead` (the lead interviewer) or `recruiter`")
            }
            if target == .recruiter && interview.recruiter == nil {
                throw value.fail("follow_up_to is recruiter, but the file has no `recruiter:`; add one with name, honorific and email")
            }
            interview.followUpTo = target
        }
    }

    /// A day written YYYY-MM-DD (or a date and time, whose day counts), as the midnight starting it in `zone`.
    static func day(_ text: String, zone: TimeZone) -> Date? {
        let calendar = Calendar.gregorian(in: zone)
        let parts = text.prefix(10).split(separator: "-")
        guard text.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let mo = Int(parts[1]), let d = Int(parts[2]),
              let date = calendar.date(from: DateComponents(year: y, month: mo, day: d)),
              calendar.component(.month, from: date) == mo, calendar.component(.day, from: date) == d
        else { return nil }
        return calendar.startOfDay(for: date)
    }

    /// The name and greeting fields of a person (`name`, `honorific`, `call_me`, `last_name`,
    /// `salutation`): refused unless a greeting can be written with confidence.
    static func greetedPerson(_ m: YAMLMapping) throws -> Interviewer {
        let nameValue = try m.require("name", hint: "add `name: Dana Rivera`")
        let name = try nameValue.line("name", limit: 100)
        var honorific = try m["honorific"]?.line("honorific", limit: 20)
        let callMe = try m["call_me"]?.line("call_me", limit: 60)
        let lastName = try m["last_name"]?.line("last_name", limit: 100)
        var salutation = try m["salutation"]?.line("salutation", limit: 100)
        if let given = honorific, let value = m["honorific"] {
            honorific = try Self.honorific(given, name: name, value: value)
            // Sir and Dame go with the given name: "Dear Sir Alex,", never "Dear Sir Rivera,".
            if let title = honorific, ["sir", "dame"].contains(title.lowercased()), salutation == nil, callMe == nil {
                let words = name.split(whereSeparator: { $0.isWhitespace })
                guard words.count >= 2, let first = words.first else {
                    throw value.fail("\(title) goes with the given name (\"Dear \(title) Alex,\"), and fuq cannot tell it in \"\(name)\"; "
                        + "write the whole greeting, e.g. `salutation: \(title) \(name)`")
                }
                salutation = "\(title) \(first)"
            }
        }
        let greeting = Interviewer(name: name, honorific: honorific, callMe: callMe, email: "", topic: "", lastName: lastName, salutation: salutation)
        if honorific == nil, callMe == nil, salutation == nil {
            let example = greeting.greetingProblem == nil ? "Dear Ms. \(greeting.lastName)," : "Dear Ms. Rivera,"
            throw nameValue.fail("\(name) needs `honorific:` (Ms., Mr., Mx., Dr.…) for \"\(example)\", `call_me:` if they asked to be called by first name, or `salutation:` for the whole greeting")
        }
        if let why = greeting.greetingProblem {
            let example = Self.lastNameExample(name).map { " (e.g. `last_name: \($0)`)" } ?? ""
            throw nameValue.fail("fuq cannot tell the family name in \"\(name)\": \(why). A wrong name in the greeting costs the job, so "
                + "add `last_name:`\(example), or `salutation:` for the whole greeting, or `call_me:`")
        }
        return greeting
    }

    /// `honorific:` as it is greeted: a usual one in its usual case ("ms." → "Ms.", "DR" → "Dr";
    /// the dot is kept or left out as written, for British "Ms"), anything else as written.
    /// - Throws: for two honorifics at once ("Ms. Dr."): one message saying which to keep.
    static func honorific(_ text: String, name: String, value: YAMLValue) throws -> String {
        let words = text.split(whereSeparator: { $0.isWhitespace })
        func isKnown(_ word: Substring) -> Bool {
            Proofreader.honorifics[word.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))] != nil
        }
        if words.count > 1, words.filter(isKnown).count > 1 {
            let family = name.split(whereSeparator: { $0.isWhitespace }).last.map(String.init) ?? name
            throw value.fail("\"\(text)\" is two honorifics, and a greeting takes one: a doctor is \"Dear Dr. \(family),\" (write `honorific: Dr.`); "
                + "otherwise write Ms., Mr. or Mx. alone")
        }
        guard words.count == 1, let word = words.first, isKnown(word) else { return text }
        return word.prefix(1).uppercased() + word.dropFirst().lowercased()
    }

    /// A plausible `last_name` to show in the hint — only where one reading is likely: the
    /// family name written first ("Kim Min-jun" → "Kim", "李雷" → "李"), or a compound family name
    /// after one given name ("Gabriel García Márquez" → "García Márquez").
    static func lastNameExample(_ name: String) -> String? {
        if let first = name.unicodeScalars.first, FamilyName.isFamilyFirstScript(first) { return String(name.prefix(1)) }
        let words = name.split(whereSeparator: { $0.isWhitespace })
        if words.count == 2, FamilyName.familyFirst.contains(words[0].lowercased()) { return String(words[0]) }
        return words.count == 3 ? words.dropFirst().joined(separator: " ") : nil
    }

    /// `allow: [spelling, demanding]`: rule ids, each one fuq knows.
    static func allowList(_ value: YAMLValue?) throws -> Set<String> {
        guard let value else { return [] }
        var rules: Set<String> = []
        for item in value.isScalar ? [value] : try value.list() {
            let id = try item.line("rule", limit: 40)
            guard ProofFinding.ruleIDs.contains(id) else {
                let guess = closest(id, in: ProofFinding.ruleIDs).map { "did you mean \($0)? " } ?? ""
                throw item.fail("unknown proofreading rule \(id); \(guess)the rules are \(ProofFinding.ruleIDs.joined(separator: ", "))")
            }
            rules.insert(id)
        }
        return rules
    }

    static func zone(_ value: YAMLValue) throws -> TimeZone {
        let text = try value.line("timezone")
        guard let zone = TimeZoneName.lookup(text) else {
            var message = "unknown time zone \(text); use an IANA name such as America/New_York or Europe/London"
            if let guess = TimeZoneName.suggestion(for: text) { message += " (did you mean \(guess)?)" }
            throw value.fail(message)
        }
        return zone
    }

    static func dateTime(_ value: YAMLValue, zone: TimeZone, notes: inout [String]) throws -> Date {
        let text = try value.line()
        switch LocalDateTime.read(text, defaultZone: zone) {
        case .instant(let date, let note):
            if let note { notes.append("\(value.path): \(note)") }
            return date
        case .gap(let detail):
            throw value.fail(detail)
        case .unreadable:
            throw value.fail("cannot read \(text) as a date and time; write YYYY-MM-DDTHH:MM (on the interview's clock, in `timezone`) "
                + "or with an offset, YYYY-MM-DDTHH:MM±HH:MM")
        }
    }
}

/// IANA zone names only: abbreviations such as "EST" are ambiguous and are refused.
public enum TimeZoneName {
    /// Every Area/Location name the system's tz database has — `Asia/Kolkata`, and the old
    /// names it keeps as links (`US/Eastern`, `Asia/Saigon`, `Etc/GMT+5`) — but no bare
    /// abbreviation ("EST", "IST"), which may mean several zones. (Foundation's
    /// `knownTimeZoneIdentifiers` on Linux lacks some real zones, India's among them.)
    public static func lookup(_ name: String) -> TimeZone? {
        // Foundation calls TimeZone(identifier: "UTC") "GMT"; Etc/UTC keeps its name and says UTC.
        if name == "UTC" || name == "Etc/UTC" { return TimeZone(identifier: "Etc/UTC") }
        // GMT is in the tz database too (a link to Etc/GMT): one offset all year, no summer time.
        // (Its other links, too: GMT0, GMT+0, UCT, Universal, Zulu, Greenwich.)
        if ["GMT", "Etc/GMT", "GMT0", "GMT+0", "GMT-0", "Etc/GMT0", "Etc/GMT+0", "Etc/GMT-0", "Greenwich", "Etc/Greenwich"].contains(name) {
            return TimeZone(identifier: "Etc/GMT")
        }
        if ["UCT", "Etc/UCT", "Universal", "Etc/Universal", "Zulu", "Etc/Zulu"].contains(name) { return TimeZone(identifier: "Etc/UTC") }
        guard name.contains("/"), !name.hasPrefix("/"), !name.contains(".."), name.count <= 64 else { return nil }
        return TimeZone(identifier: name)
    }

    public static func suggestion(for name: String) -> String? {
        let lower = name.lowercased().replacingOccurrences(of: " ", with: "_")
        let known = TimeZone.knownTimeZoneIdentifiers
        // Never the name as written: "did you mean GMT?" for GMT says nothing.
        if let match = known.first(where: { ($0.lowercased() == lower || $0.lowercased().hasSuffix("/" + lower)) && $0 != name }) { return match }
        let abbreviations = ["est": "America/New_York", "edt": "America/New_York", "cst": "America/Chicago", "cdt": "America/Chicago",
                             "mst": "America/Denver", "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
                             "gmt": "Europe/London", "bst": "Europe/London", "cet": "Europe/Berlin", "ist": "Asia/Kolkata", "jst": "Asia/Tokyo"]
        return abbreviations[lower]
    }
}

extension String {
    /// nil for an empty (or all-blank) text: an optional field written but left empty.
    var nilIfEmpty: String? { trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : self }
}
