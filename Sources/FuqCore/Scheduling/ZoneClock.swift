import Foundation

/// Wall-clock text for one time zone without a `DateFormatter` per call.
///
/// `fuq status` prints a time or two per note, 10,000 notes and more; Foundation's formatters
/// (ICU underneath) cost tens of microseconds per call, and building one far more. A zone's
/// offset only changes at its transitions, so each span between two transitions is looked up
/// once (offset and tz abbreviation) and every date inside it is plain arithmetic. Rows come
/// sorted by due time, so nearly every date falls in the span looked up last.
final class ZoneClock: @unchecked Sendable {
    /// A stretch of time with one UTC offset and abbreviation: [start, end) in seconds since 1970.
    struct Span {
        var start: Double
        var end: Double
        var offset: Int
        var abbreviation: String
    }

    /// A date on this zone's clock.
    struct Wall {
        var year: Int
        var month: Int  // 1...12
        var day: Int
        var weekday: Int  // 0 = Sunday
        var hour: Int
        var minute: Int
        var second: Int
        var offset: Int
        var abbreviation: String
    }

    let zone: TimeZone
    private var spans: [Span] = []
    private var last = 0
    private let lock = NSLock()

    private init(_ zone: TimeZone) { self.zone = zone }

    private static let clocks = LockedCache<String, ZoneClock>()

    static func of(_ zone: TimeZone) -> ZoneClock {
        clocks.value(for: zone.identifier) { ZoneClock(zone) }
    }

    func span(at date: Date) -> Span {
        let t = date.timeIntervalSince1970
        lock.lock()
        defer { lock.unlock() }
        if last < spans.count, spans[last].start <= t, t < spans[last].end { return spans[last] }
        if let i = spans.firstIndex(where: { $0.start <= t && t < $0.end }) {
            last = i
            return spans[i]
        }
        let offset = zone.secondsFromGMT(for: date)
        let end = zone.nextDaylightSavingTimeTransition(after: date)?.timeIntervalSince1970 ?? .infinity
        // Same next transition: no change in between, so the known span reaches back to `t`.
        if let i = spans.firstIndex(where: { $0.end == end && $0.offset == offset }) {
            spans[i].start = min(spans[i].start, t)
            last = i
            return spans[i]
        }
        let abbreviation = ZoneAbbreviation.name(zone, at: date) ?? ZoneAbbreviation.utcName(offset)
        if spans.count >= 256 { spans.removeFirst(spans.count / 2) }
        spans.append(Span(start: t, end: end, offset: offset, abbreviation: abbreviation))
        last = spans.count - 1
        return spans[last]
    }

    func wall(_ date: Date) -> Wall {
        let span = span(at: date)
        // Whole seconds, rounded down like Foundation's formatters.
        let local = Int(date.timeIntervalSince1970.rounded(.down)) + span.offset
        let days = Self.floorDiv(local, 86400)
        let seconds = local - days * 86400
        let (y, m, d) = Self.civil(days)
        let weekday = ((days % 7) + 11) % 7  // 1970-01-01 was a Thursday (4)
        return Wall(year: y, month: m, day: d, weekday: weekday, hour: seconds / 3600, minute: seconds % 3600 / 60,
                    second: seconds % 60, offset: span.offset, abbreviation: span.abbreviation)
    }

    /// Days since 1970-01-01 on this clock: two moments on the same local day share it.
    func dayNumber(_ date: Date) -> Int {
        Self.floorDiv(Int(date.timeIntervalSince1970.rounded(.down)) + span(at: date).offset, 86400)
    }

    static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }

    /// Year, month, day of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`).
    static func civil(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    private static let twoDigits = (0..<100).map { ($0 < 10 ? "0" : "") + String($0) }
    private static let oneDigit = (0..<10).map { String($0) }

    static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// "2026-11-24T18:23:41-05:00" ("Z" for a zero offset), as `ISO8601DateFormatter` writes it.
    func iso8601(_ date: Date) -> String {
        let w = wall(date)
        var text = ""
        text.reserveCapacity(25)
        Self.appendDay(&text, w.year, w.month, w.day)
        text += "T"
        Self.appendTime(&text, w.hour, w.minute, w.second)
        if w.offset == 0 {
            text += "Z"
        } else {
            text += w.offset < 0 ? "-" : "+"
            let minutes = abs(w.offset) / 60
            Self.append(&text, minutes / 60, 2)
            text += ":"
            Self.append(&text, minutes % 60, 2)
        }
        return text
    }

    /// "Tue, 24 Nov 2026 18:23:41 -0500" (RFC 5322's date-time, English names whatever the locale).
    func rfc5322(_ date: Date) -> String {
        let w = wall(date)
        var text = Self.weekdays[w.weekday] + ", "
        text.reserveCapacity(31)
        Self.append(&text, w.day, 2)
        text += " " + Self.months[w.month - 1] + " "
        Self.append(&text, w.year, 4)
        text += " "
        Self.appendTime(&text, w.hour, w.minute, w.second)
        text += w.offset < 0 ? " -" : " +"
        let minutes = abs(w.offset) / 60
        Self.append(&text, minutes / 60, 2)
        Self.append(&text, minutes % 60, 2)
        return text
    }

    /// "Tue 24 Nov 18:05 EST", with the year when it is not `now`'s year on this clock.
    func moment(_ date: Date, now: Date) -> String {
        let w = wall(date)
        var text = Self.weekdays[w.weekday] + " "
        Self.append(&text, w.day, 1)
        text += " " + Self.months[w.month - 1] + " "
        if w.year != wall(now).year {
            Self.append(&text, w.year, 4)
            text += " "
        }
        Self.append(&text, w.hour, 2)
        text += ":"
        Self.append(&text, w.minute, 2)
        return text + " " + w.abbreviation
    }

    /// "2026-11-24".
    static func appendDay(_ text: inout String, _ year: Int, _ month: Int, _ day: Int) {
        append(&text, year, 4)
        text += "-"
        append(&text, month, 2)
        text += "-"
        append(&text, day, 2)
    }

    /// "18:23:41".
    static func appendTime(_ text: inout String, _ hour: Int, _ minute: Int, _ second: Int) {
        append(&text, hour, 2)
        text += ":"
        append(&text, minute, 2)
        text += ":"
        append(&text, second, 2)
    }

    /// Decimal digits of a non-negative `value`, zero-padded to `width`.
    static func append(_ text: inout String, _ value: Int, _ width: Int) {
        if value >= 0 && value < 100 && width <= 2 {
            text += width == 2 || value >= 10 ? twoDigits[value] : oneDigit[value]
            return
        }
        var digits: [UInt8] = []
        var v = abs(value)
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(v % 10))
            v /= 10
        } while v > 0
        while digits.count < width { digits.append(UInt8(ascii: "0")) }
        if value < 0 { digits.append(UInt8(ascii: "-")) }
        text += String(decoding: digits.reversed(), as: UTF8.self)
    }
}
