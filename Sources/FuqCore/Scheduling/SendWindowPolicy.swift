import Foundation

/// The rules that decide when a thank-you note may leave (etiquette.md, "When to send").
///
/// Configuration keys (under `policy:` in config.yaml):
/// - `min_delay` (duration, default `1h`): never send sooner than this after the interview ends.
/// - `evening` (`"HH:MM-HH:MM"`, default `"18:00-21:00"`): evening window, recipient-local.
/// - `morning` (`"HH:MM-HH:MM"`, default `"07:30-09:30"`): morning window, recipient-local.
/// - `business_days` (list, default `[mon, tue, wed, thu, fri]`): days whose windows may be used.
/// - `holidays` (list of ISO dates, default `[]`): dates that are never business days.
/// - `preference` (`first` | `evening` | `morning`, default `first`).
/// - `latest` (duration, default `72h`): hard cap after the interview end. The natural deadline
///   is the end of the first business-morning window on a later day than the interview.
public struct SendWindowPolicy: Sendable, Equatable {
    public var minDelay: TimeInterval
    public var evening: DailyWindow
    public var morning: DailyWindow
    public var businessDays: Set<Weekday>
    public var holidays: Set<LocalDate>
    public var preference: WindowPreference
    public var latestCap: TimeInterval

    /// A window is only worth using if at least this much of it is left after the earliest time.
    public static let minimumUsableWindow: TimeInterval = 15 * 60
    /// Messages of one interview leave at least this far apart.
    public static let panelGap: TimeInterval = 3 * 60

    public init(
        minDelay: TimeInterval = 3600,
        evening: DailyWindow = DailyWindow(kind: .evening, start: ClockTime(18, 0), end: ClockTime(21, 0)),
        morning: DailyWindow = DailyWindow(kind: .morning, start: ClockTime(7, 30), end: ClockTime(9, 30)),
        businessDays: Set<Weekday> = [.monday, .tuesday, .wednesday, .thursday, .friday],
        holidays: Set<LocalDate> = [],
        preference: WindowPreference = .first,
        latestCap: TimeInterval = 72 * 3600
    ) {
        self.minDelay = minDelay
        self.evening = evening
        self.morning = morning
        self.businessDays = businessDays
        self.holidays = holidays
        self.preference = preference
        self.latestCap = latestCap
    }

    /// The default policy of etiquette.md.
    public static let standard = SendWindowPolicy()
}

/// Which window the user would rather use.
public enum WindowPreference: String, Sendable, CaseIterable, Codable {
    /// Whichever of evening/morning opens first after the minimum delay.
    case first
    case evening
    case morning
}

/// The outcome of scheduling one message.
public struct SendSchedule: Sendable, Equatable {
    /// When the message should leave.
    public var due: Date
    /// After this instant the message is no longer timely; it waits for the user instead.
    public var latest: Date
    /// The window the due time lies in (absolute instants).
    public var windowStart: Date
    public var windowEnd: Date
    public var windowKind: DailyWindow.Kind
    /// One line a person can read, e.g. "interview ended Tue 15:05 EST; earliest Tue 16:05; …".
    public var reason: String
}

/// Why a message cannot be scheduled by the policy.
public enum SchedulingError: LocalizedError, Equatable {
    /// No send window opens before the message's latest acceptable time. `next` is the next
    /// sensible time on the reader's clock (the next window, ignoring the deadline), if any;
    /// `at` the `--at` text that means it for every recipient (nil: no single one does).
    case tooLate(latest: Date, zone: String, detail: String, next: Date? = nil, at: String? = nil)
    /// The panel is so large that staggering pushes a message out of its window.
    case panelTooLarge(count: Int, window: String)
    /// `--at` named an instant in the past.
    case atInPast(String)
    /// `--at` could not be read.
    case badAt(String)
    /// `--at` names a time before the interview has ended.
    case atBeforeEnd(String, end: Date, zone: String)
    /// `--at` is more than a year after the interview (or after now): surely a typo.
    case atTooFar(String)
    /// The interview's end is more than a year away from today: surely a typo in the year.
    case endOutOfRange(end: Date, zone: String, past: Bool)

    public var errorDescription: String? {
        switch self {
        case .tooLate(let latest, let zone, let detail, let next, let at):
            let tz = TimeZone(identifier: zone) ?? .gmt
            let f = DateFormatting.dayTime(in: tz)
            var text = "it is too late for a thank-you by the send-window rules: \(detail); "
                + "the latest acceptable time was \(f.string(from: latest)) \(zone). "
            if let next {
                let full = DateFormatting.formatter("EEE d MMM yyyy HH:mm", tz).string(from: next)
                text += "To send it anyway, the next sensible time for the reader is \(full) \(DateFormatting.abbreviation(tz, at: next)) "
                    + "(\(zone))"
                text += at.map { ": add --at \($0) (a wall time, read on each recipient's clock)." }
                    ?? "; the panel's time zones share no such time, so queue each person with their own --at."
            } else {
                text += "To send it anyway, choose a time in the reader's day with --at (e.g. --at 2026-11-24T08:15, on their clock)."
            }
            return text
        case .panelTooLarge(let count, let window):
            return "\(count) messages do not fit 3 minutes apart in the \(window) window; "
                + "split the panel into two interview files or give some messages --at."
        case .atInPast(let text):
            return "--at \(text) is in the past; give a future time such as --at now, --at +2h "
                + "or --at 2026-11-24T18:30."
        case .atBeforeEnd(let text, let end, let zone):
            let tz = TimeZone(identifier: zone) ?? .gmt
            let full = DateFormatting.formatter("EEE d MMM yyyy HH:mm", tz).string(from: end)
            return "--at \(text) is before the interview ends (\(full) \(DateFormatting.abbreviation(tz, at: end)), \(zone)); "
                + "a thank-you goes after the interview. Leave out --at to let the policy choose, or give a later time."
        case .atTooFar(let text):
            return "--at \(text) is more than a year after the interview; check the date (a thank-you goes within days)."
        case .endOutOfRange(let end, let zone, let past):
            let tz = TimeZone(identifier: zone) ?? .gmt
            let full = DateFormatting.formatter("d MMM yyyy HH:mm", tz).string(from: end)
            return "the interview's end, \(full) \(zone), is more than a year \(past ? "ago" : "away"); "
                + (past ? "that is too late for a thank-you note. " : "") + "Check the year in `end:` (or --ended)."
        case .badAt(let text):
            return "cannot read --at \(text); use RFC 3339 (2026-11-24T18:30:00-05:00 or …Z), "
                + "a local time in the recipient's zone (2026-11-24T18:30), now, or +90s / +30m / +2h."
        }
    }
}

extension SendWindowPolicy {
    /// Schedules one message: a pure function of the interview end, the recipient's zone, this
    /// policy, the current time and a stable jitter seed.
    ///
    /// - Parameters:
    ///   - interviewEnd: the instant the interview ended (or will end).
    ///   - zone: the recipient's time zone; windows and business days are read on its clock.
    ///   - now: the current instant (injected; never read from the system here).
    ///   - seed: a stable per-message value; the same seed gives the same minute and second.
    ///   - extraOffset: added to the jittered offset (used to stagger a panel).
    ///   - latestOverride: a latest time already decided (a message being moved keeps its own).
    public func schedule(
        interviewEnd: Date,
        zone: TimeZone,
        now: Date,
        seed: UInt64,
        extraOffset: TimeInterval = 0,
        latestOverride: Date? = nil
    ) throws -> SendSchedule {
        let calendar = Calendar.gregorian(in: zone)
        let minDelayEnd = interviewEnd.addingTimeInterval(minDelay)
        let earliest = max(minDelayEnd, now)
        let latest = latestOverride ?? latestAcceptable(interviewEnd: interviewEnd, calendar: calendar)
        let fmt = DateFormatting.dayTime(in: zone)
        let zoneAbbrev = DateFormatting.abbreviation(zone, at: interviewEnd)

        var head = "interview ended \(fmt.string(from: interviewEnd)) \(zoneAbbrev); "
            + "earliest \(fmt.string(from: minDelayEnd))"
        if now > minDelayEnd {
            head += "; enqueued late at \(fmt.string(from: now))"
        }

        let candidates = self.candidates(from: interviewEnd, until: latest, earliest: earliest, calendar: calendar)
        let preferred = candidates.first { preference == .first || $0.window.kind.rawValue == preference.rawValue }
        guard let chosen = preferred ?? candidates.first else {
            // What to suggest instead of "--at now" (which may be 1 a.m. for the reader): the
            // next window on their clock, however late for the policy.
            let next = latestOverride == nil ? nextSensible(interviewEnd: interviewEnd, zone: zone, now: now, seed: seed) : nil
            throw SchedulingError.tooLate(
                latest: latest, zone: zone.identifier,
                detail: "no \(preferenceLabel) window on a business day between "
                    + "\(fmt.string(from: earliest)) and \(fmt.string(from: latest))",
                next: next, at: next.map { DateFormatting.formatter("yyyy-MM-dd'T'HH:mm", zone).string(from: $0) }
            )
        }

        let usableStart = max(chosen.start, earliest)
        let usableEnd = min(chosen.end, latest)
        let due = jitteredDue(usableStart: usableStart, usableEnd: usableEnd, seed: seed, extraOffset: extraOffset)
        guard due < usableEnd else {
            throw SchedulingError.panelTooLarge(count: Int(extraOffset / Self.panelGap) + 1, window: chosen.label(fmt))
        }

        var reason = head
        let skipped = chosen.skippedDays
        let ordinal = now > minDelayEnd ? "next window" : "first window"
        if preferred == nil, preference != .first {
            reason += "; no \(preference.rawValue) window before the deadline, using"
            reason += " \(chosen.label(fmt)) \(zone.identifier)"
        } else {
            reason += "; \(ordinal): \(chosen.label(fmt)) \(zone.identifier)"
        }
        if !skipped.isEmpty {
            reason += " (skipped \(skipped.joined(separator: ", ")))"
        }
        reason += "; chose \(DateFormatting.time(in: zone, seconds: false).string(from: due))"
        return SendSchedule(
            due: due, latest: latest, windowStart: chosen.start, windowEnd: chosen.end,
            windowKind: chosen.window.kind, reason: reason
        )
    }

    /// The next time inside a send window on the reader's clock, however late for the policy
    /// (what to suggest instead of "--at now", which may be 1 a.m. for them).
    public func nextSensible(interviewEnd: Date, zone: TimeZone, now: Date, seed: UInt64) -> Date? {
        try? schedule(interviewEnd: interviewEnd, zone: zone, now: now, seed: seed,
                      latestOverride: max(now, interviewEnd.addingTimeInterval(minDelay)).addingTimeInterval(14 * 86400)).due
    }

    /// A wall time (`yyyy-MM-ddTHH:mm`) that, read on each of `zones`' clocks, is in the future
    /// and inside a send window for all of them: one `--at` that suits a whole panel. Tried at
    /// each candidate's own wall time, latest first.
    public func commonWallTime(candidates: [(Date, TimeZone)], zones: [TimeZone], now: Date) -> String? {
        for (date, zone) in candidates.sorted(by: { $0.0 > $1.0 }) {
            let text = DateFormatting.formatter("yyyy-MM-dd'T'HH:mm", zone).string(from: date)
            let fits = zones.allSatisfy { z in
                guard let instant = LocalDateTime.parse(text, defaultZone: z) else { return false }
                return instant > now.addingTimeInterval(60) && isInsideWindow(instant, zone: z)
            }
            if fits { return text }
        }
        return nil
    }

    /// The latest acceptable instant: the end of the first business-morning window on a day
    /// after the interview's (recipient-local) day, capped at `latest` after the end.
    public func latestAcceptable(interviewEnd: Date, zone: TimeZone) -> Date {
        latestAcceptable(interviewEnd: interviewEnd, calendar: .gregorian(in: zone))
    }

    /// True when `instant` lies inside a send window on a business day in `zone`.
    public func isInsideWindow(_ instant: Date, zone: TimeZone) -> Bool {
        let calendar = Calendar.gregorian(in: zone)
        let day = calendar.startOfDay(for: instant)
        guard isBusinessDay(day, calendar: calendar) else { return false }
        return [morning, evening].contains { window in
            let (start, end) = window.instants(on: day, calendar: calendar)
            return instant >= start && instant < end
        }
    }

    public func isBusinessDay(_ date: Date, zone: TimeZone) -> Bool {
        isBusinessDay(date, calendar: .gregorian(in: zone))
    }

    // MARK: - Internals

    private var preferenceLabel: String {
        preference == .first ? "evening or morning" : preference.rawValue
    }

    private func isBusinessDay(_ date: Date, calendar: Calendar) -> Bool {
        let weekday = Weekday(calendarWeekday: calendar.component(.weekday, from: date))
        return businessDays.contains(weekday) && !holidays.contains(LocalDate(date, calendar: calendar))
    }

    private func latestAcceptable(interviewEnd: Date, calendar: Calendar) -> Date {
        let cap = interviewEnd.addingTimeInterval(latestCap)
        // "The next morning": a morning on a later local day than the interview, so an
        // interview ending at 06:00 is not due by 09:30 the same day.
        var day = calendar.nextDay(after: calendar.startOfDay(for: interviewEnd))
        for _ in 0..<31 {
            if isBusinessDay(day, calendar: calendar) {
                return min(morning.instants(on: day, calendar: calendar).1, cap)
            }
            day = calendar.nextDay(after: day)
        }
        return cap
    }

    struct Candidate {
        var window: DailyWindow
        var start: Date
        var end: Date
        var skippedDays: [String]

        func label(_ fmt: DateFormatter) -> String {
            let day = DateFormatting.weekdayName(fmt.timeZone, date: start)
            return "\(day) \(window.kind.rawValue) \(window.start)–\(window.end)"
        }
    }

    /// Business-day windows that still leave a usable stretch after `earliest` and before `latest`,
    /// in time order. Each remembers which days before it were skipped and why.
    private func candidates(from interviewEnd: Date, until latest: Date, earliest: Date, calendar: Calendar) -> [Candidate] {
        var result: [Candidate] = []
        var skipped: [String] = []
        var day = calendar.startOfDay(for: min(interviewEnd, earliest))
        let windows = [morning, evening].sorted { $0.start < $1.start }
        while day < latest {
            let business = isBusinessDay(day, calendar: calendar)
            var dayHadFutureWindow = false
            for window in windows {
                let (start, end) = window.instants(on: day, calendar: calendar)
                let usableStart = max(start, earliest)
                let usableEnd = min(end, latest)
                guard usableEnd.timeIntervalSince(usableStart) >= Self.minimumUsableWindow else { continue }
                dayHadFutureWindow = true
                if business {
                    result.append(Candidate(window: window, start: start, end: end, skippedDays: skipped))
                }
            }
            if !business && dayHadFutureWindow {
                let name = DateFormatting.weekdayName(calendar.timeZone, date: day)
                let isHoliday = holidays.contains(LocalDate(day, calendar: calendar))
                skipped.append(isHoliday ? "\(name) \(LocalDate(day, calendar: calendar)): holiday" : "\(name): not a business day")
            }
            day = calendar.nextDay(after: day)
        }
        return result
    }

    /// A deterministic instant in [usableStart, usableEnd): an offset from the seed, never exactly
    /// on the hour or half hour.
    private func jitteredDue(usableStart: Date, usableEnd: Date, seed: UInt64, extraOffset: TimeInterval) -> Date {
        let span = usableEnd.timeIntervalSince(usableStart)
        // Spread over the first part of the window, leaving room for a panel and for retries.
        let spread = max(60, min(span * 0.4, 40 * 60))
        let offset = 45 + Double(seed % UInt64(spread))
        var due = usableStart.addingTimeInterval(offset + extraOffset)
        let secondsIntoHalfHour = Int(due.timeIntervalSince1970.rounded(.down)) % 1800
        if secondsIntoHalfHour == 0 { due.addTimeInterval(17) }
        return due.rounded()
    }
}

extension Date {
    /// Rounded down to a whole second (stored and shown times never carry fractions).
    func rounded() -> Date {
        Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down))
    }
}

/// A stable 64-bit hash (FNV-1a) so jitter is the same on every run and machine.
public func stableHash(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01b3
    }
    return hash
}
