import Foundation

/// A wall-clock time of day, e.g. 18:00.
public struct ClockTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var hour: Int
    public var minute: Int

    public init(_ hour: Int, _ minute: Int) {
        self.hour = hour
        self.minute = minute
    }

    /// Reads "HH:MM" (24-hour clock).
    public init?(parsing text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].count == 2,
              let h = Int(parts[0]), let m = Int(parts[1]),
              (0...23).contains(h), (0...59).contains(m)
        else { return nil }
        self.init(h, m)
    }

    public static func < (lhs: ClockTime, rhs: ClockTime) -> Bool {
        (lhs.hour, lhs.minute) < (rhs.hour, rhs.minute)
    }

    public var description: String { String(format: "%02d:%02d", hour, minute) }
}

/// A daily send window in the recipient's wall-clock time.
public struct DailyWindow: Sendable, Hashable {
    public enum Kind: String, Sendable, Codable { case morning, evening }

    public var kind: Kind
    public var start: ClockTime
    public var end: ClockTime

    public init(kind: Kind, start: ClockTime, end: ClockTime) {
        self.kind = kind
        self.start = start
        self.end = end
    }

    /// Reads "HH:MM-HH:MM"; nil when malformed or when the end is not after the start.
    public init?(kind: Kind, parsing text: String) {
        let parts = text.replacingOccurrences(of: "–", with: "-").split(separator: "-")
        guard parts.count == 2,
              let start = ClockTime(parsing: String(parts[0])),
              let end = ClockTime(parsing: String(parts[1])),
              start < end
        else { return nil }
        self.init(kind: kind, start: start, end: end)
    }

    /// The window's instants on the local day that starts at `day`. Wall-clock based, so on a
    /// DST change day the window is still e.g. 18:00–21:00 local time.
    func instants(on day: Date, calendar: Calendar) -> (Date, Date) {
        (calendar.instant(on: day, at: start), calendar.instant(on: day, at: end))
    }

    public var description: String { "\(start)-\(end)" }
}

public enum Weekday: Int, Sendable, CaseIterable, Comparable {
    case sunday = 1, monday, tuesday, wednesday, thursday, friday, saturday

    init(calendarWeekday: Int) { self = Weekday(rawValue: calendarWeekday) ?? .sunday }

    /// Accepts `mon`, `Monday`, `MON`…
    public init?(parsing text: String) {
        let key = text.lowercased().prefix(3)
        guard let day = Weekday.allCases.first(where: { $0.short == key }) else { return nil }
        self = day
    }

    public var short: String {
        ["sun", "mon", "tue", "wed", "thu", "fri", "sat"][rawValue - 1]
    }

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A calendar date without a time (a holiday, for example).
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(_ year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    init(_ date: Date, calendar: Calendar) {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        self.init(c.year!, c.month!, c.day!)
    }

    /// Reads an ISO date, "2026-12-25".
    public init?(parsing text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        var c = DateComponents(year: y, month: m, day: d)
        c.calendar = Calendar.gregorian(in: .gmt)
        guard c.isValidDate else { return nil }
        self.init(y, m, d)
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }
}

extension Calendar {
    static func gregorian(in zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        calendar.locale = Locale(identifier: "en_US_POSIX")
        return calendar
    }

    /// The instant of a wall-clock time on the local day that starts at `day`.
    func instant(on day: Date, at time: ClockTime) -> Date {
        var c = dateComponents([.year, .month, .day], from: day)
        c.hour = time.hour
        c.minute = time.minute
        c.second = 0
        // A wall time skipped by a DST change resolves to the first valid instant after it.
        return date(from: c) ?? day.addingTimeInterval(Double(time.hour * 3600 + time.minute * 60))
    }

    /// The start of the next local day (23, 24 or 25 hours later across DST changes).
    func nextDay(after day: Date) -> Date {
        let noon = day.addingTimeInterval(12 * 3600)
        return startOfDay(for: date(byAdding: .day, value: 1, to: noon)!)
    }
}

/// Formatters used for reason lines and tables; always English, always the given zone.
public enum DateFormatting {
    /// The interview's day as the sender's English writes it, through the locale's own pattern:
    /// "Tuesday, December 8" (en_US, en_CA), "Tuesday 8 December" (en_GB, en_AU), "Tuesday,
    /// 8 December" (en_IN). The only way a note names a date — never a hand-built string.
    public static func longDate(_ date: Date, zone: TimeZone, language: String?) -> String {
        localized("EEEEMMMMd", date, zone: zone, language: language)
    }

    /// "December 8" / "8 December".
    public static func dayMonth(_ date: Date, zone: TimeZone, language: String?) -> String {
        localized("MMMMd", date, zone: zone, language: language)
    }

    static func localized(_ template: String, _ date: Date, zone: TimeZone, language: String?) -> String {
        let key = "\(template)|\(language ?? "en_US")|\(zone.identifier)"
        let formatter = localizedCache.value(for: key) {
            let f = DateFormatter()
            f.locale = Locale(identifier: language ?? "en_US")
            f.timeZone = zone
            f.setLocalizedDateFormatFromTemplate(template)
            return f
        }
        return formatter.string(from: date)
    }

    private static let localizedCache = LockedCache<String, DateFormatter>()

    public static func dayTime(in zone: TimeZone) -> DateFormatter {
        formatter("EEE HH:mm", zone)
    }

    public static func time(in zone: TimeZone, seconds: Bool) -> DateFormatter {
        formatter(seconds ? "HH:mm:ss" : "HH:mm", zone)
    }

    public static func full(in zone: TimeZone) -> DateFormatter {
        formatter("EEE yyyy-MM-dd HH:mm:ss zzz", zone)
    }

    static func weekdayName(_ zone: TimeZone, date: Date) -> String {
        formatter("EEE", zone).string(from: date)
    }

    /// "EST", "JST", "CET", "UTC+5:45"… the tz database's short name of the zone at that instant.
    public static func abbreviation(_ zone: TimeZone, at date: Date) -> String {
        ZoneAbbreviation.name(zone, at: date) ?? ZoneAbbreviation.utcName(zone.secondsFromGMT(for: date))
    }

    /// "Tue 24 Nov 18:05 EST", with the year when it is not `now`'s year ("Tue 4 Jan 2028 07:41 EST").
    public static func fullMoment(_ date: Date, in zone: TimeZone, now: Date) -> String {
        ZoneClock.of(zone).moment(date, now: now)
    }

    /// ISO 8601 with the zone's offset, e.g. 2026-11-24T18:23:41-05:00 ("Z" for UTC).
    public static func iso8601(_ date: Date, in zone: TimeZone) -> String {
        ZoneClock.of(zone).iso8601(date)
    }

    /// A zone's name as fuq shows it: its IANA name, but "UTC" for UTC (Foundation says "GMT",
    /// the tz database "Etc/UTC").
    public static func zoneName(_ zone: TimeZone) -> String {
        ["GMT", "UTC", "Etc/UTC"].contains(zone.identifier) ? "UTC" : zone.identifier
    }

    /// The zone named `identifier` (GMT when the tz database has no such zone), built once.
    public static func zone(_ identifier: String) -> TimeZone {
        zones.value(for: identifier) { TimeZone(identifier: identifier == "UTC" ? "Etc/UTC" : identifier) ?? .gmt }
    }

    private static let zones = LockedCache<String, TimeZone>()

    /// One shared formatter per (format, zone): building one costs far more than using it.
    /// Callers must not change the formatter they get.
    static func formatter(_ format: String, _ zone: TimeZone) -> DateFormatter {
        cache.value(for: "\(format)|\(zone.identifier)") {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = zone
            f.dateFormat = format
            return f
        }
    }

    private static let cache = LockedCache<String, DateFormatter>()
}
