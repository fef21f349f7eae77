import Foundation

/// An interview file drafted from one or more invitations (`fuq new`): what the invitation
/// says, what fuq guessed (always marked), and a TODO wherever only the user can know. A pure
/// function of the files read, the user's addresses, their zone and the time.
public struct InvitationDraft: Sendable, Equatable {
    public struct Person: Sendable, Equatable {
        /// nil: a TODO (no usable name in the invitation).
        public var name: String?
        public var email: String
        public var lead = false
        /// Why the name is a TODO, or what was done to it ("turned round").
        public var note: String?
    }

    public struct LeftOut: Sendable, Equatable {
        public var who: String
        public var why: String
    }

    public var sources: [String]
    public var uids: [String]
    public var sequence: Int
    public var company: String?
    public var companyFrom: String
    public var position: String?
    public var positionFrom: String
    public var start: Date
    public var end: Date
    public var zone: TimeZone
    public var zoneFrom: String
    public var interviewers: [Person]
    public var recruiter: Person?
    public var recruiterNote: String?
    public var leftOut: [LeftOut]

    /// Addresses of meeting-room calendars (Google Workspace), and local parts that name a room.
    static let roomDomains = ["resource.calendar.google.com"]
    static let noReply = ["no-reply", "noreply", "donotreply", "do-not-reply", "calendar-notification", "notifications"]
    /// Domains of mail, calendar and scheduling services: never the employer.
    static let serviceDomains: Set<String> = ["google.com", "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "office365.com",
                                              "microsoft.com", "icloud.com", "me.com", "yahoo.com", "zoom.us", "greenhouse.io", "lever.co",
                                              "goodtime.io", "calendly.com", "teams.microsoft.com", "resource.calendar.google.com"]
    /// Words of an event title that describe the interview, not the role.
    static let interviewWords = ["interview", "onsite", "on-site", "loop", "round", "technical", "hiring manager", "chat", "final", "screen",
                                 "call", "invitation", "updated invitation", "gespräch", "entretien", "lunch", "debrief", "panel"]
    /// Single words of a title that describe the meeting (in the languages the tools write).
    static let meetingWords = ["interview", "interviews", "onsite", "on-site", "loop", "round", "technical", "technisches", "technique", "chat",
                               "final", "screen", "screening", "call", "invitation", "updated", "gespräch", "vorstellungsgespräch", "entretien",
                               "lunch", "debrief", "panel", "first", "second", "third", "virtual", "video", "phone", "with", "for", "and", "the"]
    static let roleWords = ["engineer", "developer", "sre", "reliability", "manager", "designer", "scientist", "analyst", "architect", "lead",
                            "director", "administrator", "consultant", "specialist", "researcher", "programmer", "devops", "product", "head"]

    /// - Parameters:
    ///   - me: the user's addresses (`sender.email` and `sender.aliases`), lowercased.
    ///   - myName: `sender.name`, left out of the title when guessing the position.
    public static func make(_ files: [InvitationFile], me: Set<String>, myName: String?, userZone: TimeZone, now: Date) throws -> InvitationDraft {
        let names = files.map(\.name).joined(separator: ", ")
        let count = files.map(\.events.count).reduce(0, +)
        if count > 24 {
            throw InvitationError("\(names) holds \(count) events; an interview loop has a few — is it a whole calendar export? Export the interview's events only")
        }
        for file in files {
            if file.method == "REPLY" {
                throw InvitationError("\(file.name) is someone's answer to an invitation (METHOD:REPLY), not the invitation; give the invitation itself")
            }
            if file.method == "CANCEL" || file.events.contains(where: \.cancelled) {
                throw InvitationError("\(file.name) is a cancellation (METHOD:CANCEL), not an invitation; nothing to draft. "
                    + "If its interview is queued, `fuq cancel --interview ID` drops its notes")
            }
            if file.events.contains(where: \.recurring) {
                throw InvitationError("\(file.name) is a repeating event (RRULE), not one interview; fuq drafts one interview at a time — "
                    + "export the single occurrence, or write the file by hand (Config/examples/interview.yaml)")
            }
            if file.events.contains(where: \.allDay) {
                throw InvitationError("\(file.name) is an all-day event; an interview needs start and end times")
            }
        }
        // The latest version of each event (an updated invitation resends it, SEQUENCE higher).
        var byUID: [String: InvitationEvent] = [:]
        var order: [String] = []
        for file in files {
            for (n, event) in file.events.enumerated() {
                let key = event.uid.isEmpty ? "\(file.name)#\(n)" : event.uid
                if let seen = byUID[key] {
                    if event.sequence >= seen.sequence { byUID[key] = event }
                } else {
                    byUID[key] = event
                    order.append(key)
                }
            }
        }
        let events = order.compactMap { byUID[$0] }
        let calendarZone = files.compactMap(\.calendarZone).first
        // The zone: from the first event's start.
        let (zone, zoneFrom) = try resolveZone(events[0].start, calendarZone: calendarZone, userZone: userZone, file: names)
        var slots: [(start: Date, end: Date)] = []
        for event in events {
            let start = try instant(event.start, zone: zone, calendarZone: calendarZone, userZone: userZone, file: names)
            let end = try instant(event.end, zone: zone, calendarZone: calendarZone, userZone: userZone, file: names)
            slots.append((start, max(start, end)))
        }
        for (slot, event) in zip(slots, events) where slot.end <= slot.start {
            throw InvitationError("\(names) has an event\(event.summary.map { " (\"\(InvitationDraft.oneLine($0))\")" } ?? "") that ends when or before it starts; "
                + "check the invitation's times (a start in a daylight-saving gap does this too)")
        }
        let start = slots.map(\.start).min()!
        let end = slots.map(\.end).max()!
        // Several files: one interview only if they look like one (same organizer's domain, one
        // day or so); otherwise they are drafted one at a time.
        if files.count > 1 {
            let domains = Set(events.compactMap { $0.organizer?.email?.lowercased().split(separator: "@").last.map(String.init) })
            if domains.count > 1 || end.timeIntervalSince(start) > 36 * 3600 {
                throw InvitationError("\(names) look like different interviews (\(domains.count > 1 ? "organizers at \(domains.sorted().joined(separator: " and "))" : "spread over several days")); "
                    + "fuq new drafts one interview at a time — give the files of one interview together, or each on its own")
            }
        }
        let day = DateFormatting.formatter("EEE d MMM yyyy", zone)
        if start > now.addingTimeInterval(366 * 86400) {
            throw InvitationError("\(names) starts on \(day.string(from: start)), more than a year away; check the invitation (fuq plans notes for interviews that happen soon)")
        }
        if end < now.addingTimeInterval(-30 * 86400) {
            throw InvitationError("\(names) ended on \(day.string(from: end)), long past; a thank-you now would be late — write the file by hand if you still want one")
        }

        // People, in order of first appearance.
        var leftOut: [LeftOut] = []
        var seen = Set<String>()
        var candidates: [(person: InvitationEvent.Person, declinedEverywhere: Bool)] = []
        var declinedIn: [String: (declined: Int, total: Int)] = [:]
        for event in events {
            for a in event.attendees {
                guard let email = a.email?.lowercased() else { continue }
                var d = declinedIn[email] ?? (0, 0)
                d.total += 1
                if a.declined || a.delegated { d.declined += 1 }
                declinedIn[email] = d
            }
        }
        let organizer = events.compactMap(\.organizer).first.flatMap { o -> InvitationEvent.Person? in
            guard let email = o.email else { return o }
            return EmailAddress.isUsable(email) ? o : nil
        }
        for event in events {
            for a in event.attendees {
                let label = a.email ?? a.name ?? "an attendee without an address"
                guard !seen.contains(label.lowercased()) else {
                    // A CHAIR in a later slot still makes them the lead.
                    if a.isChair, let i = candidates.firstIndex(where: { $0.person.email?.lowercased() == a.email?.lowercased() }) { candidates[i].person.isChair = true }
                    continue
                }
                seen.insert(label.lowercased())
                if let email = a.email, isMe(email, me) { leftOut.append(.init(who: email, why: "you")); continue }
                if let myName, let cn = a.name, cn.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")).caseInsensitiveCompare(myName) == .orderedSame {
                    leftOut.append(.init(who: a.email ?? cn, why: "you, by name (an address of yours? add it to sender.aliases)")); continue
                }
                if a.cutype == "ROOM" || a.cutype == "RESOURCE" || (a.email.map(isRoomAddress) ?? false) || isRoomName(a.name) {
                    leftOut.append(.init(who: a.name.map { "\($0)" } ?? label, why: "a room")); continue
                }
                guard let address = a.email else {
                    leftOut.append(.init(who: a.name ?? label, why: "no email address in the invitation")); continue
                }
                if let problem = EmailAddress.problem(with: address) {
                    leftOut.append(.init(who: a.name ?? label, why: "an address fuq cannot use: \(problem); add them by hand if they interviewed you")); continue
                }
                if a.nonParticipant { leftOut.append(.init(who: label, why: "a non-participant (a room or an observer)")); continue }
                if a.cutype == "GROUP" { leftOut.append(.init(who: label, why: "a group")); continue }
                if isNoReply(a.email!) { leftOut.append(.init(who: label, why: "a no-reply address")); continue }
                let d = declinedIn[a.email!.lowercased()] ?? (0, 1)
                candidates.append((a, d.declined == d.total))
            }
        }
        var people = candidates.filter { !$0.declinedEverywhere }.map(\.person)
        for c in candidates where c.declinedEverywhere { leftOut.append(.init(who: c.person.email ?? "?", why: c.person.delegated ? "delegated" : "declined")) }
        // The organizer: the recruiter, unless they are in the interview (CHAIR) or alone.
        var recruiter: Person?
        var recruiterNote: String?
        if let organizer, let email = organizer.email?.lowercased(), !isMe(email, me), !isNoReply(email) {
            let asAttendee = people.first { $0.email?.lowercased() == email }
            let others = people.filter { $0.email?.lowercased() != email }
            if asAttendee?.isChair == true || others.isEmpty {
                // Alone with you: the one who interviews you, so the lead.
                if asAttendee == nil {
                    var alone = organizer
                    alone.isChair = alone.isChair || others.isEmpty
                    people.insert(alone, at: 0)
                }
            } else {
                people.removeAll { $0.email?.lowercased() == email }
                recruiter = person(asAttendee ?? organizer)
                recruiterNote = "organized the invitation; move them to interviewers if they interviewed you"
            }
        } else if let organizer, let email = organizer.email, isNoReply(email) {
            leftOut.append(.init(who: email, why: "the organizer, a no-reply address"))
        }
        guard people.count <= 40 else {
            throw InvitationError("\(names) invites \(people.count) people; fuq drafts an interview, not an all-hands — check the file")
        }
        var interviewers = people.map(person)
        if let chair = people.firstIndex(where: \.isChair) { interviewers[chair].lead = true }

        // Company and position: guesses, always marked.
        let mine = Set(me.compactMap { $0.split(separator: "@").last.map(String.init) })
        var company: String?
        var companyFrom = "nothing in the invitation names it"
        func label(_ domain: String) -> String? {
            let parts = domain.split(separator: ".")
            guard parts.count >= 2 else { return nil }
            let second = parts.count >= 3 && ["co", "com", "ac", "org"].contains(parts[parts.count - 2]) ? parts[parts.count - 3] : parts[parts.count - 2]
            return second.prefix(1).uppercased() + second.dropFirst()
        }
        func usable(_ domain: String) -> Bool { !serviceDomains.contains(domain) && !mine.contains(domain) && !domain.hasSuffix(".google.com") }
        if let email = organizer?.email?.lowercased(), let domain = email.split(separator: "@").last.map(String.init), usable(domain), let name = label(domain) {
            company = name
            companyFrom = "the organizer's domain \(domain)"
        } else {
            let domains = (interviewers.map(\.email) + [recruiter?.email].compactMap { $0 }).compactMap { $0.lowercased().split(separator: "@").last.map(String.init) }.filter(usable)
            let counts = Dictionary(domains.map { ($0, 1) }, uniquingKeysWith: +)
            if let best = domains.max(by: { counts[$0]! < counts[$1]! }), let name = label(best) {
                company = name
                companyFrom = "the interviewers' domain \(best)"
            }
        }
        let summary = events.compactMap(\.summary).first ?? ""
        let parts = summary.components(separatedBy: CharacterSet(charactersIn: "–—|:/")).flatMap { $0.components(separatedBy: " - ") }
            .flatMap { $0.components(separatedBy: "<>") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let company, let match = parts.first(where: { $0.caseInsensitiveCompare(company) == .orderedSame || $0.lowercased().hasPrefix(company.lowercased() + " ") }) {
            companyFrom += " and the title \"\(match)\""
        }
        var position: String?
        var positionFrom = "the title \"\(summary)\" names no role"
        let lowerMe = myName?.lowercased()
        // Each part of the title without the words that describe the meeting ("Technisches
        // Interview", "(1/4)", "Hiring manager chat"); what is left must name a role.
        let roleParts: [String] = parts.compactMap { part in
            let l = part.lowercased()
            if l == lowerMe || l == company?.lowercased() { return nil }
            var words = part.replacingOccurrences(of: #"\(\d+/\d+\)"#, with: "", options: .regularExpression)
                .split(separator: " ").map(String.init)
            let meeting = Set(meetingWords)
            if l.contains("hiring manager") {
                // "Hiring manager chat/interview" is a meeting; the manager is a person, not the role.
                let joined = words.joined(separator: " ").replacingOccurrences(of: "hiring manager", with: "", options: .caseInsensitive)
                words = joined.split(separator: " ").map(String.init)
            }
            words.removeAll { meeting.contains($0.lowercased().trimmingCharacters(in: .punctuationCharacters)) }
            var rest = words.joined(separator: " ")
            // Never the candidate's own name, the company or a bracketed remark in the position.
            rest = rest.replacingOccurrences(of: #"\([^)]*\)"#, with: "", options: .regularExpression)
            for name in [myName, company].compactMap({ $0 }) where !name.isEmpty {
                rest = rest.replacingOccurrences(of: name, with: "", options: .caseInsensitive)
            }
            rest = rest.split(separator: " ").joined(separator: " ").trimmingCharacters(in: .whitespaces)
            let restLower = rest.lowercased()
            guard !rest.isEmpty, roleWords.contains(where: { restLower.range(of: "\\b\($0)\\b", options: .regularExpression) != nil }) else { return nil }
            return rest
        }
        if let best = roleParts.max(by: { $0.count < $1.count }) {
            position = best
            positionFrom = "the title \"\(summary)\""
        }
        if summary.isEmpty { positionFrom = "the invitation has no title" }
        return InvitationDraft(sources: files.map(\.name), uids: order.filter { !$0.contains("#") }, sequence: events.map(\.sequence).max() ?? 0,
                               company: company, companyFrom: companyFrom, position: position, positionFrom: positionFrom,
                               start: start, end: end, zone: zone, zoneFrom: zoneFrom, interviewers: interviewers,
                               recruiter: recruiter, recruiterNote: recruiterNote, leftOut: leftOut)
    }

    /// Whether `email` is one of the user's: `+tag` and a trailing dot do not hide it.
    static func isMe(_ email: String, _ me: Set<String>) -> Bool {
        func plain(_ address: String) -> String {
            var a = address.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ". "))
            if let at = a.firstIndex(of: "@") {
                var local = String(a[..<at])
                if let plus = local.firstIndex(of: "+") { local = String(local[..<plus]) }
                a = local + a[at...]
            }
            return a
        }
        let mine = Set(me.map(plain))
        return mine.contains(plain(email))
    }

    /// A display name that names a meeting room ("Conf Room 4B", "Zoom Room NYC").
    static func isRoomName(_ name: String?) -> Bool {
        guard let name = name?.lowercased() else { return false }
        let words = Set(name.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init))
        return !words.isDisjoint(with: ["room", "rooms", "conf", "conference", "boardroom", "meetingroom", "huddle"])
    }

    static func isRoomAddress(_ address: String) -> Bool {
        let email = address.lowercased()
        let domain = email.split(separator: "@").last.map(String.init) ?? ""
        let local = email.split(separator: "@").first.map(String.init) ?? ""
        _ = local
        return roomDomains.contains(where: { domain == $0 || domain.hasSuffix("." + $0) }) || domain.hasPrefix("rooms.") || domain.hasPrefix("resources.")
    }

    static func isNoReply(_ email: String) -> Bool {
        let local = (email.split(separator: "@").first.map(String.init) ?? "").lowercased()
        return noReply.contains(local)
    }

    /// The interviewer as the draft writes them: a name a person would write, or a TODO.
    static func person(_ p: InvitationEvent.Person) -> Person {
        let email = p.email ?? ""
        guard var name = p.name?.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")), !name.isEmpty else {
            return Person(name: nil, email: email, note: "the invitation gives only the address")
        }
        if name.lowercased() == email.lowercased() || name.contains("@") { return Person(name: nil, email: email, note: "the invitation gives only the address") }
        let team = ["via", "team", "recruiting", "recruitment", "calendar", "talent", "hiring", "scheduling", "careers", "hr"]
        let words = Set(name.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init))
        if !words.isDisjoint(with: team) {
            return Person(name: nil, email: email, note: "\"\(name)\" names a team, not a person")
        }
        var note: String?
        if let paren = name.range(of: #"\s*\([^)]*\)\s*$"#, options: .regularExpression) {
            name.removeSubrange(paren)
        }
        // "Jordan Blake, PhD": a degree or suffix after the comma, not a family name before it.
        let suffixes: Set<String> = ["phd", "ph.d.", "md", "m.d.", "mba", "jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "esq", "esq.", "msc", "m.sc.", "cpa", "pe"]
        var commaParts = name.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        while commaParts.count > 1, suffixes.contains(commaParts.last!.lowercased()) {
            commaParts.removeLast()
            name = commaParts.joined(separator: ", ")
            note = "a degree or suffix after the name left out"
        }
        if commaParts.count == 2, !commaParts[0].isEmpty, !commaParts[1].isEmpty {
            name = "\(commaParts[1]) \(commaParts[0])"
            note = "\"\(p.name ?? "")\" turned round"
        }
        return Person(name: name, email: email, note: note)
    }

    /// The IANA zone the draft writes, and where it came from.
    static func resolveZone(_ time: InvitationEvent.Time, calendarZone: String?, userZone: TimeZone, file: String) throws -> (TimeZone, String) {
        switch time.placement {
        case .utc, .floating:
            let what = time.placement == .utc ? "gives UTC times only" : "gives floating times (no zone)"
            if let calendarZone, let zone = TimeZone(identifier: calendarZone) {
                return (zone, "the calendar's X-WR-TIMEZONE (the invitation \(what))")
            }
            return (userZone, "your zone: the invitation \(what)")
        case .zoned(let tzid, let location, let instant, let laterOffset):
            if let zone = iana(tzid) { return (zone, "the invitation's TZID") }
            if let location, let zone = iana(location) { return (zone, "the invitation's time zone \"\(tzid)\" (\(location))") }
            if let name = WindowsZones.iana(for: tzid), let zone = TimeZone(identifier: name) {
                return (zone, "the Windows zone \"\(tzid)\", by CLDR's windowsZones")
            }
            if let instant, let wall = Calendar(identifier: .gregorian).date(from: time.wallComponentsUTC) {
                // Only the file's own VTIMEZONE: the offset it gives at the start.
                let offset = Int(wall.timeIntervalSince(instant))
                let sign = offset < 0 ? "-" : "+"
                let text = String(format: "UTC%@%02d:%02d", sign, abs(offset) / 3600, abs(offset) % 3600 / 60)
                // The same offset now and half a year on (its daylight-saving time, or none);
                // failing that, the same offset now.
                let later = instant.addingTimeInterval(182 * 86400)
                let candidates = [userZone] + WindowsZones.zonesInOrder().compactMap(TimeZone.init(identifier:))
                if let zone = candidates.first(where: { z in z.secondsFromGMT(for: instant) == offset && (laterOffset.map { z.secondsFromGMT(for: later) == $0 } ?? true) }) {
                    let mine = zone == userZone ? "your zone, which matches" : "guessed from"
                    return (zone, "\(mine) the offsets of the invitation's own time zone \"\(tzid)\" (\(text) at the start, its daylight-saving time alike); check it")
                }
                if let zone = candidates.first(where: { $0.secondsFromGMT(for: instant) == offset }) {
                    return (zone, "guessed from the offset of the invitation's own time zone \"\(tzid)\" (\(text)) at the start only — no zone fuq knows shares its daylight-saving rules; check it")
                }
                throw InvitationError("\(file) uses its own time zone \"\(tzid)\" (\(text)), and fuq knows no zone with that offset; write the file by hand")
            }
            let hint = WindowsZones.isAvailable ? "" : " (Windows zone names need Debian's unicode-cldr-core)"
            throw InvitationError("\(file) uses the time zone \"\(tzid)\", which is neither an IANA name nor a Windows zone fuq knows, and has no VTIMEZONE for it\(hint)")
        }
    }

    /// An IANA zone for a TZID as calendars write it (quoted, or with a `/vendor/` prefix).
    static func iana(_ tzid: String) -> TimeZone? {
        var name = tzid.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        if name.hasPrefix("/") {
            let parts = name.split(separator: "/")
            // "/freeassociation.sourceforge.net/Tzfile/Europe/Berlin": the last two (or three) parts.
            for n in [3, 2] where parts.count >= n {
                if let zone = TimeZone(identifier: parts.suffix(n).joined(separator: "/")), zone.identifier.contains("/") { return zone }
            }
            name = String(parts.last ?? "")
        }
        guard name.contains("/") || name == "UTC" else { return nil }
        return TimeZone(identifier: name)
    }

    /// The instant of `time`, in the draft's zone when it has no placement of its own.
    static func instant(_ time: InvitationEvent.Time, zone: TimeZone, calendarZone: String?, userZone: TimeZone, file: String) throws -> Date {
        var calendar = Calendar(identifier: .gregorian)
        switch time.placement {
        case .utc:
            calendar.timeZone = .gmt
        case .floating:
            calendar.timeZone = calendarZone.flatMap(TimeZone.init(identifier:)) ?? userZone
        case .zoned(let tzid, let location, let instant, _):
            if let own = iana(tzid) ?? location.flatMap(iana) ?? WindowsZones.iana(for: tzid).flatMap(TimeZone.init(identifier:)) {
                calendar.timeZone = own
            } else if let instant {
                return instant
            } else {
                calendar.timeZone = zone
            }
        }
        guard let date = calendar.date(from: time.wall) else { throw InvitationError("\(file) has a time that does not exist") }
        return date
    }
}

extension InvitationEvent.Time {
    var wallComponentsUTC: DateComponents {
        var c = wall
        c.timeZone = .gmt
        return c
    }
}
