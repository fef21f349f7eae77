import Foundation

/// Everything a template may use for one message, stored as JSON with the message so it can be
/// rendered again at the moment of sending ("today" must be true on the day it is read).
public struct MessageContext: Codable, Sendable, Equatable {
    public struct Person: Codable, Sendable, Equatable {
        public var name: String
        public var honorific: String?
        public var callMe: String?
        public var email: String
        public var topic: String
        public var note: String?
        /// `last_name` / `salutation` as given (nil: derived; absent in notes queued before).
        public var lastName: String?
        public var salutation: String?
        /// `clarify:` — a point to add or put right (absent in notes queued before).
        public var clarify: String?

        /// The interviewer these values describe.
        public var interviewer: Interviewer {
            var person = Interviewer(name: name, honorific: honorific, callMe: callMe, email: email, topic: topic, note: note,
                                     lastName: lastName, salutation: salutation)
            person.clarify = clarify
            return person
        }
    }

    public var sender: Sender
    public var company: String
    public var position: String
    public var interviewer: Person
    public var interviewEnd: Date
    /// The recipient's time zone identifier: "today" is judged on their calendar.
    public var recipientZone: String
    /// The interview's own zone (absent in notes queued before): a weekday named in the note is
    /// checked against the interview's day there and on the reader's calendar.
    public var interviewZone: String?
    /// Proofreading rules accepted for this note (`allow:` of the file and the person; absent in
    /// notes queued before).
    public var allow: [String]?
    /// The interview's `pitch:` (absent in notes queued before).
    public var pitch: String?
    /// Which phrasing of each paragraph the built-in template uses (`Phrasing`); fixed when
    /// the note is queued, so it reads the same when rendered again at send time.
    public var phrasing: Int?
    /// A follow-up's number (1, or 2 for the one more note); nil for a thank-you.
    public var nudge: Int?
    /// How the built-in notes speak (absent in notes queued before: standard).
    public var register: Phrasings.Register?
    /// The interviewers' names, for a recruiter's follow-up that names the interview ("I met
    /// Dana Rivera and Kwame Okafor on …"); absent in notes queued before.
    public var panelNames: [String]?
    /// This note goes to the recruiter (`recruiter:`), who was not in the interview.
    public var toRecruiter: Bool?
    /// The recruiter also held a screening call (`screened: true`).
    public var screened: Bool?

    /// - Parameter phrasing: this note's phrasing number; by default the interviewer's place in
    ///   the panel, so no two notes of a panel (up to 25) share more than one paragraph's wording.
    public init(sender: Sender, interview: Interview, interviewer: Interviewer, phrasing: Int? = nil) {
        self.sender = sender
        self.company = interview.company
        self.position = interview.position
        self.interviewer = Person(name: interviewer.name, honorific: interviewer.honorific, callMe: interviewer.callMe,
                                  email: interviewer.email, topic: interviewer.topic, note: interviewer.note,
                                  lastName: interviewer.lastNameGiven, salutation: interviewer.salutationGiven,
                                  clarify: interviewer.clarify)
        self.interviewEnd = interview.end
        self.recipientZone = (interviewer.zone ?? interview.zone).identifier
        self.interviewZone = interview.zone.identifier
        let allow = interview.allow.union(interviewer.allow)
        self.allow = allow.isEmpty ? nil : allow.sorted()
        self.pitch = interview.pitch
        self.phrasing = phrasing ?? Phrasing.number(for: interviewer, in: interview)
        self.register = Phrasings.register(position: interview.position, override: interview.register)
        self.panelNames = interview.interviewers.map(\.name)
        if let recruiter = interview.recruiter, recruiter.email.lowercased() == interviewer.email.lowercased() {
            self.toRecruiter = true
            self.screened = interview.recruiterScreened
        }
    }

    /// "Dana Rivera", "Dana Rivera and Kwame Okafor", "Dana Rivera, Kwame Okafor and Mei Lin",
    /// "Dana Rivera, Kwame Okafor and three colleagues".
    static func names(_ list: [String]) -> String {
        switch list.count {
        case 0: return "the team"
        case 1: return list[0]
        case 2, 3: return list.dropLast().joined(separator: ", ") + " and " + list.last!
        default:
            let words = [4: "two", 5: "three", 6: "four", 7: "five", 8: "six"]
            return "\(list[0]), \(list[1]) and \(words[list.count] ?? "\(list.count - 2)") colleagues"
        }
    }

    /// The dictionary handed to Mustache for a message read at `sendDate`.
    /// - Parameter when: the words for `{{interview.when}}` instead of the day phrase (`fuq edit`
    ///   shows the placeholder itself, also inside the built-in phrasings).
    public func templateValues(sendDate: Date, when: String? = nil) -> [String: Any] {
        let zone = TimeZone(identifier: recipientZone) ?? .gmt
        let person = interviewer.interviewer
        var senderValues: [String: Any] = ["links": sender.links]
        if let name = sender.name { senderValues["name"] = name; senderValues["first_name"] = name.split(separator: " ").first.map(String.init) ?? name }
        if let email = sender.email { senderValues["email"] = email }
        if let phone = sender.phone { senderValues["phone"] = phone }
        var interviewerValues: [String: Any] = [
            "name": person.name, "first_name": person.firstName, "last_name": person.lastName,
            "salutation": person.salutation, "email": person.email, "topic": person.topic,
        ]
        if let honorific = person.honorific { interviewerValues["honorific"] = honorific }
        if let note = person.note { interviewerValues["note"] = note }
        if let clarify = person.clarify { interviewerValues["clarify"] = clarify }
        var values: [String: Any] = [
            "sender": senderValues,
            "company": company,
            "position": position,
            "phrasing": Phrasing.sections(phrasing ?? 0),
            "interviewer": interviewerValues,
            "interview": [
                "when": when ?? RelativeDay.phrase(for: interviewEnd, readAt: sendDate, zone: zone, language: sender.language),
                "date": DateFormatting.longDate(interviewEnd, zone: zone, language: sender.language),
                "names": Self.names(panelNames ?? [person.name]),
            ],
        ]
        if let pitch { values["pitch"] = pitch }
        let isFollowUp = nudge != nil
        values["follow_up"] = ["first": (nudge ?? 1) < 2, "second": (nudge ?? 0) >= 2]
        // The built-in notes' words, chosen for this note (`Phrasings`); user templates may use them too.
        var phrases = Phrasings.rendered(isFollowUp ? "follow_up" : "thank_you", number: phrasing ?? 0, register: register ?? .standard,
                                         values: values, british: BritishSpelling.isBritish(sender.language))
        if pitch == nil { phrases["pitch"] = nil }
        if person.clarify == nil { phrases["clarify"] = nil }
        if isFollowUp {
            let recruiter = toRecruiter == true
            let slot = (nudge ?? 1) >= 2 ? (recruiter ? "nudge_recruiter" : "nudge") : (recruiter ? (screened == true ? "recruiter_screened" : "recruiter") : "lead")
            phrases["body"] = phrases[slot]
        }
        values["phrases"] = phrases
        return values
    }
}

/// "today", "yesterday", "on Friday", "on November 24" — relative to when the note is read.
public enum RelativeDay {
    public static func phrase(for event: Date, readAt: Date, zone: TimeZone, language: String? = nil) -> String {
        switch daysBetween(event, readAt, zone) {
        case ...0: return "today"
        case 1: return "yesterday"
        case 2...6: return "on " + DateFormatting.formatter("EEEE", zone).string(from: event)
        default: return "on " + DateFormatting.dayMonth(event, zone: zone, language: language)
        }
    }

    /// True when `phrase` says the same at both reading times (the delivery loop asks this for
    /// every note, so it compares day counts instead of formatting).
    public static func samePhrase(for event: Date, readAt first: Date, and second: Date, zone: TimeZone) -> Bool {
        func kind(_ days: Int) -> Int { min(max(days, 0), 2) + (days > 6 ? 1 : 0) }
        return kind(daysBetween(event, first, zone)) == kind(daysBetween(event, second, zone))
    }

    /// Calendar days on the reader's clock from `event`'s day to `readAt`'s.
    static func daysBetween(_ event: Date, _ readAt: Date, _ zone: TimeZone) -> Int {
        let clock = ZoneClock.of(zone)
        return clock.dayNumber(readAt) - clock.dayNumber(event)
    }
}
