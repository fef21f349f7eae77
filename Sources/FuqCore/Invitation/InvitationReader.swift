import CICal
import Foundation

/// One VEVENT of an invitation, as libical read it: only plain values (nothing points into
/// libical's tree, which is freed before this is returned).
public struct InvitationEvent: Sendable, Equatable {
    public struct Person: Sendable, Equatable {
        /// As the invitation writes it (compare lowercased); nil when it gives none (a room without an address).
        public var email: String?
        /// CN as given (quotes removed, `\,` unescaped); nil when absent.
        public var name: String?
        public var isChair = false
        public var declined = false
        /// PARTSTAT=DELEGATED: someone else goes in their place.
        public var delegated = false
        /// ROLE=NON-PARTICIPANT: a room, an observer, a copy for information.
        public var nonParticipant = false
        /// ROOM, RESOURCE, GROUP, INDIVIDUAL (absent: INDIVIDUAL).
        public var cutype = "INDIVIDUAL"
    }

    /// A DTSTART or DTEND: its wall time and how the file placed it.
    public struct Time: Sendable, Equatable {
        public enum Placement: Sendable, Equatable {
            case utc
            /// No zone at all: the reader's wall time.
            case floating
            /// `TZID=…`: `location` is the IANA name libical knows for it (builtin zones, or a
            /// VTIMEZONE with X-LIC-LOCATION); `instant` is set when libical could place it
            /// (a VTIMEZONE in the file, or a zone it knows).
            case zoned(tzid: String, location: String?, instant: Date?, laterOffset: Int? = nil)
        }
        public var year, month, day, hour, minute, second: Int
        public var placement: Placement

        public var wall: DateComponents {
            DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        }
    }

    public var uid: String
    public var sequence: Int
    public var summary: String?
    public var start: Time
    public var end: Time
    public var allDay: Bool
    public var recurring: Bool
    public var cancelled: Bool
    public var organizer: Person?
    public var attendees: [Person]
}

/// What libical read from one calendar file.
public struct InvitationFile: Sendable, Equatable {
    public var name: String
    public var method: String?
    /// `X-WR-TIMEZONE` (Google's and the ATS's calendar zone), when given.
    public var calendarZone: String?
    public var events: [InvitationEvent]
}

/// Why an invitation cannot be drafted, in the user's words.
public struct InvitationError: LocalizedError, Equatable {
    public var message: String
    /// The file could not be read at all (exit 66), rather than read and refused (65).
    public var unreadable = false
    public init(_ message: String, unreadable: Bool = false) {
        self.message = message
        self.unreadable = unreadable
    }
    public var errorDescription: String? { message }
}

/// Reads iCalendar text with libical.
public enum InvitationReader {
    /// Components may nest this deep (VCALENDAR > VEVENT > VALARM, VTIMEZONE > STANDARD); more
    /// is refused before libical sees it (its free is recursive).
    static let maximumDepth = 8
    /// The calendar text itself, after it was taken out of an email.
    public static let maximumSize = 1 << 20

    public static func read(_ text: String, name: String) throws -> InvitationFile {
        guard text.utf8.count <= maximumSize else {
            throw InvitationError("\(name) holds more than 1 MiB of calendar text; an invitation is a few kilobytes — is it the right file?")
        }
        guard !text.contains("\u{0}") else { throw InvitationError("cannot read \(name): it is not text (it holds NUL bytes)") }
        let upper = text.uppercased()
        guard upper.contains("BEGIN:VCALENDAR") else {
            let yaml = text.contains("interviewers:") ? " — to queue an interview file, use `fuq enqueue`" : ""
            throw InvitationError("\(name) is not an iCalendar invitation (no BEGIN:VCALENDAR); give the .ics file or the .eml that carries it\(yaml)")
        }
        guard upper.contains("END:VCALENDAR") else {
            throw InvitationError("\(name) is cut short (no END:VCALENDAR); save the whole invitation again")
        }
        var depth = 0, deepest = 0
        // Counted on unfolded lines, as libical reads them ("B\r\n EGIN:" is a BEGIN too).
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "").replacingOccurrences(of: "\r\n\t", with: "")
            .replacingOccurrences(of: "\n ", with: "").replacingOccurrences(of: "\n\t", with: "")
        for line in unfolded.split(whereSeparator: \.isNewline) {
            let l = line.uppercased()
            if l.hasPrefix("BEGIN:") { depth += 1; deepest = max(deepest, depth) } else if l.hasPrefix("END:") { depth -= 1 }
            if deepest > maximumDepth {
                throw InvitationError("\(name) nests calendar components more than \(maximumDepth) deep; an invitation needs 3 — not reading it")
            }
        }
        fuq_ical_setup()
        guard let root = icalparser_parse_string(text) else {
            throw InvitationError("\(name) is not an iCalendar invitation libical can read; give the .ics file or the .eml that carries it")
        }
        defer { icalcomponent_free(root) }
        var calendars: [OpaquePointer] = []
        if icalcomponent_isa(root) == ICAL_VCALENDAR_COMPONENT {
            calendars = [root]
        } else {
            var c = icalcomponent_get_first_component(root, ICAL_VCALENDAR_COMPONENT)
            while let found = c {
                calendars.append(found)
                c = icalcomponent_get_next_component(root, ICAL_VCALENDAR_COMPONENT)
            }
        }
        var file = InvitationFile(name: name, method: nil, calendarZone: nil, events: [])
        for calendar in calendars {
            let method = icalcomponent_get_method(calendar)
            if method == ICAL_METHOD_CANCEL { file.method = "CANCEL" } else if file.method == nil, method != ICAL_METHOD_NONE {
                file.method = String(cString: icalproperty_method_to_string(method))
            }
            if let zone = xProperty(calendar, "X-WR-TIMEZONE") { file.calendarZone = zone }
            var vevent = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT)
            var events: [OpaquePointer] = []
            while let e = vevent {
                events.append(e)
                vevent = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)
            }
            for e in events { file.events.append(try event(e, name: name)) }
        }
        guard !file.events.isEmpty else {
            throw InvitationError("\(name) holds no event (VEVENT); is it a task or a free/busy reply?")
        }
        return file
    }

    private static func string(_ pointer: UnsafePointer<CChar>?) -> String? {
        guard let pointer else { return nil }
        let text = String(cString: pointer)
        return text.isEmpty ? nil : text
    }

    private static func xProperty(_ component: OpaquePointer, _ name: String) -> String? {
        var p = icalcomponent_get_first_property(component, ICAL_X_PROPERTY)
        while let property = p {
            if string(icalproperty_get_x_name(property))?.uppercased() == name { return string(icalproperty_get_x(property)) }
            p = icalcomponent_get_next_property(component, ICAL_X_PROPERTY)
        }
        return nil
    }

    private static func event(_ e: OpaquePointer, name: String) throws -> InvitationEvent {
        guard let startProperty = icalcomponent_get_first_property(e, ICAL_DTSTART_PROPERTY) else {
            throw InvitationError("\(name) has an event without a start (DTSTART)")
        }
        let dtstart = icalcomponent_get_dtstart(e)
        guard icaltime_is_null_time(dtstart) == 0 else { throw InvitationError("\(name) has an event whose start (DTSTART) cannot be read") }
        var dtend = icalcomponent_get_dtend(e)
        if icaltime_is_null_time(dtend) != 0 { dtend = dtstart }
        let endProperty = icalcomponent_get_first_property(e, ICAL_DTEND_PROPERTY) ?? startProperty
        let recurring = icalcomponent_get_first_property(e, ICAL_RRULE_PROPERTY) != nil
            || icalcomponent_get_first_property(e, ICAL_RDATE_PROPERTY) != nil
            || icalcomponent_get_first_property(e, ICAL_RECURRENCEID_PROPERTY) != nil
        var organizer: InvitationEvent.Person?
        if let p = icalcomponent_get_first_property(e, ICAL_ORGANIZER_PROPERTY) {
            organizer = person(p, value: string(icalproperty_get_organizer(p)))
        }
        var attendees: [InvitationEvent.Person] = []
        var a = icalcomponent_get_first_property(e, ICAL_ATTENDEE_PROPERTY)
        while let p = a {
            attendees.append(person(p, value: string(icalproperty_get_attendee(p))))
            a = icalcomponent_get_next_property(e, ICAL_ATTENDEE_PROPERTY)
        }
        return InvitationEvent(
            uid: string(icalcomponent_get_uid(e)) ?? "",
            sequence: Int(icalcomponent_get_sequence(e)),
            summary: string(icalcomponent_get_summary(e)).map(unescape),
            start: time(dtstart, property: startProperty),
            end: time(dtend, property: endProperty),
            allDay: dtstart.is_date != 0,
            recurring: recurring,
            cancelled: icalcomponent_get_status(e) == ICAL_STATUS_CANCELLED,
            organizer: organizer,
            attendees: attendees)
    }

    private static func time(_ t: icaltimetype, property: OpaquePointer) -> InvitationEvent.Time {
        var placement: InvitationEvent.Time.Placement
        if icaltime_is_utc(t) != 0 {
            placement = .utc
        } else if let parameter = icalproperty_get_first_parameter(property, ICAL_TZID_PARAMETER),
                  let tzid = string(icalparameter_get_tzid(parameter)) {
            if let zone = t.zone {
                let location = string(icaltimezone_get_location(zone))
                let instant = Date(timeIntervalSince1970: TimeInterval(icaltime_as_timet_with_zone(t, zone)))
                // The zone's offset half a year on, by the file's own rules: a guess from offsets
                // must match its daylight-saving time too.
                var later = icaltime_add(t, icaldurationtype_from_int(182 * 86400))
                later.zone = t.zone
                let laterInstant = TimeInterval(icaltime_as_timet_with_zone(later, zone))
                var c = DateComponents(year: Int(later.year), month: Int(later.month), day: Int(later.day),
                                       hour: Int(later.hour), minute: Int(later.minute), second: Int(later.second))
                c.timeZone = .gmt
                let laterWall = Calendar(identifier: .gregorian).date(from: c)?.timeIntervalSince1970
                let laterOffset = laterWall.map { Int($0 - laterInstant) }
                placement = .zoned(tzid: tzid, location: location, instant: instant, laterOffset: laterOffset)
            } else {
                placement = .zoned(tzid: tzid, location: nil, instant: nil)
            }
        } else {
            placement = .floating
        }
        return InvitationEvent.Time(year: Int(t.year), month: Int(t.month), day: Int(t.day), hour: Int(t.hour), minute: Int(t.minute),
                                    second: Int(t.second), placement: placement)
    }

    private static func person(_ p: OpaquePointer, value: String?) -> InvitationEvent.Person {
        var person = InvitationEvent.Person()
        if let value, value.lowercased().hasPrefix("mailto:") {
            let address = String(value.dropFirst(7)).trimmingCharacters(in: .whitespaces)
            person.email = address.isEmpty ? nil : address
        } else if let email = string(icalproperty_get_parameter_as_string(p, "EMAIL")) {
            person.email = email
        }
        if let c = icalproperty_get_first_parameter(p, ICAL_CN_PARAMETER) { person.name = string(icalparameter_get_cn(c)).map(unescape) }
        if let r = icalproperty_get_first_parameter(p, ICAL_ROLE_PARAMETER) {
            person.isChair = icalparameter_get_role(r) == ICAL_ROLE_CHAIR
            person.nonParticipant = icalparameter_get_role(r) == ICAL_ROLE_NONPARTICIPANT
        }
        if let s = icalproperty_get_first_parameter(p, ICAL_PARTSTAT_PARAMETER) {
            person.declined = icalparameter_get_partstat(s) == ICAL_PARTSTAT_DECLINED
            person.delegated = icalparameter_get_partstat(s) == ICAL_PARTSTAT_DELEGATED
        }
        if let c = icalproperty_get_first_parameter(p, ICAL_CUTYPE_PARAMETER) {
            switch icalparameter_get_cutype(c) {
            case ICAL_CUTYPE_ROOM: person.cutype = "ROOM"
            case ICAL_CUTYPE_RESOURCE: person.cutype = "RESOURCE"
            case ICAL_CUTYPE_GROUP: person.cutype = "GROUP"
            default: person.cutype = "INDIVIDUAL"
            }
        }
        return person
    }

    /// `\,` `\;` `\\` `\n` as RFC 5545 escapes them (libical keeps them in parameters).
    static func unescape(_ text: String) -> String {
        var out = ""
        var escaped = false
        for c in text {
            if escaped {
                out.append(c == "n" || c == "N" ? " " : c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        return out.trimmingCharacters(in: .whitespaces)
    }
}
