import Foundation

/// The rules that decide when a thank-you note may leave (etiquette.md, "When to send").
///
/// Configuration keys (under `policy:` in config.yaml):
/// - `min_delay` (duration, default `1h`): never send sooner than this after the interview ends.
/// - `evening` (`"HH:MM-HH:MM"`, default `"18:00-21:00"`): evening window, recipient-local.
/// - `morning` (`"HH:MM-HH:MM"`, default `"07:30-09:30"`): morning window, recipient-local.
/// - `business_days` (list, default `[mon, tue, wed, thu, fri]`): days whose windows may be used.
/// - `holidays` (default none): dates that are never business days — ISO dates, region codes
///   whose public holidays fuq ships (`US`, `GB-ENG`, …), `auto` (each reader's country from
///   their zone), or a section by zone with `default` (see `HolidayRules`).
/// - `preference` (`first` | `evening` | `morning`, default `first`).
/// - `latest` (duration, default `72h`): hard cap after the interview end. The natural deadline
///   is the end of the first business-morning window on a later day than the interview.
public struct SendWindowPolicy: Sendable, Equatable {
    public var minDelay: TimeInterval
    public var evening: DailyWindow
    public var morning: DailyWindow
    public var businessDays: Set<Weekday>
    public var holidays: HolidayRules
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
        holidays: HolidayRules = [],
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
    case tooLate(latest: Date, zone: String, detail: String, next: Date? = nil, at: String? = nil, now: Date)
    /// The panel is so large that staggering pushes a message out of its window.
    case panelTooLarge(count: Int, window: String)
    /// `--at` named an instant in the past; `example` is a time that would do.
    case atInPast(String, example: String)
    /// `--at` could not be read.
    case badAt(String, example: String)
    /// `--at` names a wall time that does not exist on the reader's clock (a DST gap).
    case atInGap(String, detail: String)
    /// `--at` names a time before the interview has ended.
    case atBeforeEnd(String, end: Date, zone: String)
    /// `--at` is more than a year after the interview (or after now): surely a typo.
    case atTooFar(String)
    /// The interview's end is more than a year away from today: surely a typo in the year.
    case endOutOfRange(end: Date, zone: String, past: Bool)

    public var errorDescription: String? {
        switch self {
        case .tooLate(let latest, let zone, let detail, let next, let at, let now):
            let tz = TimeZone(identifier: zone) ?? .gmt
            var text = "it is too late for a thank-you by the send-window rules: \(detail); "
                + "the latest acceptable time was \(DateFormatting.fullMoment(latest, in: tz, now: now)) (\(zone)). "
            if let at {
                // One time, the one the suggested --at gives (not the reader's own next window,
                // which may differ from the panel's common one).
                text += "To send it anyway at the next sensible time on the reader's clock, add --at \(at) "
                    + "(a wall time, read on each recipient's clock)."
            } else if let next {
                text += "To send it anyway, the next sensible time for the reader is \(DateFormatting.fullMoment(next, in: tz, now: now)) "
                    + "(\(zone)); the panel's time zones share no such time, so queue each person with their own --at."
            } else {
                let example = DateFormatting.formatter("yyyy-MM-dd", tz).string(from: now.addingTimeInterval(86400)) + "T08:15"
                text += "To send it anyway, choose a time in the reader's day with --at (e.g. --at \(example), on their clock)."
            }
            return text
        case .panelTooLarge(let count, let window):
            return "\(count) messages do not fit 3 minutes apart in the send windows of the two weeks after \(window); "
                + "split the panel into two interview files or give some messages --at."
        case .atInPast(let text, let example):
            return "--at \(text) is in the past; give a future time such as --at now, --at +2h "
                + "or --at \(example)."
        case .atInGap(let text, let detail):
            return "--at \(text) is not a time on the reader's clock: \(detail)."
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
        case .badAt(let text, let example):
            return "cannot read --at \(text); use RFC 3339 (\(example):00-05:00 or …Z), "
                + "a local time in the recipient's zone (\(example)), now, or +90s / +30m / +2h."
        }
    }
}

extension SendWindowPolicy {
    /// Schedules one message: a pure function of the interview end, the recipient's zone, this
    /// policy, the current time and a stable jitter seed.
    ///
    /// - Parameters:
    ///   - interviewEnd: the instant the interview ended (or will end).
    ///   - zone: the recipient's time zone; windows, business days and holidays are read on its clock.
    ///   - now: the current instant (injected; never read from the system here).
    ///   - seed: a stable per-message value; the same seed gives the same minute and second.
    ///   - interviewZone: the interview's own zone, in which the reason states its end
    ///     (default: the recipient's).
    ///   - latestOverride: a latest time already decided (a message being moved keeps its own).
    public func schedule(
        interviewEnd: Date,
        zone: TimeZone,
        now: Date,
        seed: UInt64,
        interviewZone: TimeZone? = nil,
        latestOverride: Date? = nil
    ) throws -> SendSchedule {
        let plan = try self.plan(interviewEnd: interviewEnd, zone: zone, now: now, seed: seed,
                                 interviewZone: interviewZone, latestOverride: latestOverride)
        let first = plan.windows[0]
        let due = jitteredDue(usableStart: first.usableStart, usableEnd: first.usableEnd, zone: zone, seed: seed)
        return plan.schedule(due: due, in: first, zone: zone)
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
                guard case .instant(let instant, _) = LocalDateTime.read(text, defaultZone: z) else { return false }
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

    /// A window a message may use, with the part of it that is usable for this message.
    struct Slot {
        var candidate: Candidate
        var usableStart: Date
        var usableEnd: Date
        /// After the message's latest acceptable time (only a panel's overflow goes there).
        var pastDeadline: Bool
    }

    /// Everything `schedule` decides before the minute: the windows in order of use and the
    /// words of the reason.
    struct Plan {
        var windows: [Slot]
        var latest: Date
        var head: String
        var ordinal: String
        var usingFallback: Bool
        var preference: WindowPreference
        var fmt: DateFormatter

        func describe(_ slot: Slot, zone: TimeZone) -> String {
            var text = "\(slot.candidate.label(fmt)) \(DateFormatting.zoneName(zone))"
            if !slot.candidate.skippedDays.isEmpty {
                text += " (skipped \(slot.candidate.skippedDays.joined(separator: ", ")))"
            }
            return text
        }

        /// The schedule for a due time in `slot` (the first window unless a panel spilled over).
        func schedule(due: Date, in slot: Slot, zone: TimeZone, spilled: Int = 0, kept: Bool = false) -> SendSchedule {
            var reason = head
            let first = windows[0]
            if usingFallback {
                reason += "; no \(preference.rawValue) window before the deadline, using \(describe(first, zone: zone))"
            } else {
                reason += "; \(ordinal): \(describe(first, zone: zone))"
            }
            if slot.candidate.start != first.candidate.start {
                reason += " was full with this panel's other notes (\(spilled) before this one, 3 min apart); "
                    + "next window: \(describe(slot, zone: zone))"
            }
            let time = DateFormatting.time(in: zone, seconds: false).string(from: due)
            reason += "; chose \(time)" + (kept ? " (kept 3 min from the panel's other notes)" : "")
            return SendSchedule(
                due: due, latest: slot.pastDeadline ? slot.usableEnd : latest, windowStart: slot.candidate.start,
                windowEnd: slot.candidate.end, windowKind: slot.candidate.window.kind, reason: reason)
        }
    }

    /// The windows a message may use, first choice first, then (for a panel that does not fit)
    /// the following business-day windows up to two weeks on.
    func plan(interviewEnd: Date, zone: TimeZone, now: Date, seed: UInt64, interviewZone: TimeZone?, latestOverride: Date?) throws -> Plan {
        let calendar = Calendar.gregorian(in: zone)
        let minDelayEnd = interviewEnd.addingTimeInterval(minDelay)
        let earliest = max(minDelayEnd, now)
        let latest = latestOverride ?? latestAcceptable(interviewEnd: interviewEnd, calendar: calendar)
        let fmt = DateFormatting.dayTime(in: zone)
        let endZone = interviewZone ?? zone

        var head = "interview ended \(DateFormatting.dayTime(in: endZone).string(from: interviewEnd)) "
            + DateFormatting.abbreviation(endZone, at: interviewEnd)
        head += "; earliest \(fmt.string(from: minDelayEnd))"
        if endZone.identifier != zone.identifier {
            // Two clocks: say which is which.
            head = head.replacingOccurrences(of: "; earliest", with: " (\(DateFormatting.zoneName(endZone))); earliest")
                + " \(DateFormatting.abbreviation(zone, at: minDelayEnd))"
        } else if DateFormatting.abbreviation(zone, at: minDelayEnd) != DateFormatting.abbreviation(endZone, at: interviewEnd) {
            // The clocks went back (or forward) in between: "01:30 CDT; earliest 01:30 CST".
            head += " \(DateFormatting.abbreviation(zone, at: minDelayEnd))"
        }
        let horizon = max(latest, earliest).addingTimeInterval(14 * 86400)
        // "Late" is for a note that missed the window it would have had, not for one queued a
        // little after the earliest time with that window still open.
        let onTime = candidates(from: interviewEnd, until: horizon, earliest: minDelayEnd, calendar: calendar)
            .first { min($0.end, latest).timeIntervalSince(max($0.start, minDelayEnd)) >= Self.minimumUsableWindow }
        let late = now > minDelayEnd && (onTime.map { $0.end.timeIntervalSince(now) < Self.minimumUsableWindow } ?? true)
        if late {
            head += "; enqueued late at \(fmt.string(from: now))"
        } else if now > minDelayEnd {
            head += "; enqueued at \(fmt.string(from: now))"
        }

        let all = candidates(from: interviewEnd, until: horizon, earliest: earliest, calendar: calendar)
        let timely = all.filter { min($0.end, latest).timeIntervalSince(max($0.start, earliest)) >= Self.minimumUsableWindow }
        let preferred = timely.first { preference == .first || $0.window.kind.rawValue == preference.rawValue }
        guard let chosen = preferred ?? timely.first else {
            // What to suggest instead of "--at now" (which may be 1 a.m. for the reader): the
            // next window on their clock, however late for the policy.
            let next = latestOverride == nil ? nextSensible(interviewEnd: interviewEnd, zone: zone, now: now, seed: seed) : nil
            throw SchedulingError.tooLate(
                latest: latest, zone: zone.identifier,
                detail: earliest >= latest
                    ? "it is queued at \(DateFormatting.fullMoment(now, in: zone, now: now)), after its latest acceptable time"
                    : "no \(preferenceLabel) window on a business day between "
                        + "\(DateFormatting.fullMoment(earliest, in: zone, now: now)) and \(DateFormatting.fullMoment(latest, in: zone, now: now))",
                next: next, at: next.map { DateFormatting.formatter("yyyy-MM-dd'T'HH:mm", zone).string(from: $0) },
                now: now
            )
        }
        var windows = [Slot(candidate: chosen, usableStart: max(chosen.start, earliest), usableEnd: min(chosen.end, latest), pastDeadline: false)]
        for later in all where later.start > chosen.start {
            let pastDeadline = later.end > latest
            let end = pastDeadline ? later.end : min(later.end, latest)
            windows.append(Slot(candidate: later, usableStart: max(later.start, earliest), usableEnd: end, pastDeadline: pastDeadline))
        }
        return Plan(windows: windows, latest: latest, head: head,
                    ordinal: late ? "next window" : "first window",
                    usingFallback: preferred == nil && preference != .first, preference: preference, fmt: fmt)
    }

    private var preferenceLabel: String {
        preference == .first ? "evening or morning" : preference.rawValue
    }

    private func isBusinessDay(_ date: Date, calendar: Calendar) -> Bool {
        let weekday = Weekday(calendarWeekday: calendar.component(.weekday, from: date))
        return businessDays.contains(weekday) && holidays.holiday(on: LocalDate(date, calendar: calendar), zone: calendar.timeZone) == nil
    }

    private func latestAcceptable(interviewEnd: Date, calendar: Calendar) -> Date {
        // "The next morning": a morning on a later local day than the interview, so an
        // interview ending at 06:00 is not due by 09:30 the same day. Days off between do not
        // count toward the cap: Diwali on a Friday after a Thursday-evening interview makes
        // Monday's morning the next one, not a refusal (the cap grows by a day per day off).
        var cap = interviewEnd.addingTimeInterval(latestCap)
        var day = calendar.nextDay(after: calendar.startOfDay(for: interviewEnd))
        for _ in 0..<31 {
            if isBusinessDay(day, calendar: calendar) {
                return min(morning.instants(on: day, calendar: calendar).1, cap)
            }
            cap = cap.addingTimeInterval(86400)
            day = calendar.nextDay(after: day)
        }
        return interviewEnd.addingTimeInterval(latestCap)
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

    /// Business-day windows that still leave a usable stretch after `earliest` and before
    /// `until`, in time order. Each remembers which days before it were skipped and why.
    private func candidates(from interviewEnd: Date, until limit: Date, earliest: Date, calendar: Calendar) -> [Candidate] {
        var result: [Candidate] = []
        var skipped: [String] = []
        var day = calendar.startOfDay(for: min(interviewEnd, earliest))
        let windows = [morning, evening].sorted { $0.start < $1.start }
        while day < limit {
            let weekday = Weekday(calendarWeekday: calendar.component(.weekday, from: day))
            let holiday = holidays.holiday(on: LocalDate(day, calendar: calendar), zone: calendar.timeZone)
            let business = businessDays.contains(weekday) && holiday == nil
            var dayHadFutureWindow = false
            for window in windows {
                let (start, end) = window.instants(on: day, calendar: calendar)
                guard min(end, limit).timeIntervalSince(max(start, earliest)) >= Self.minimumUsableWindow else { continue }
                dayHadFutureWindow = true
                if business {
                    result.append(Candidate(window: window, start: start, end: end, skippedDays: skipped))
                    skipped = []
                }
            }
            if !business && dayHadFutureWindow {
                let name = DateFormatting.weekdayName(calendar.timeZone, date: day)
                if let holiday {
                    let date = DateFormatting.formatter("d MMM", calendar.timeZone).string(from: day)
                    skipped.append("\(name) \(date): \(holiday)")
                } else {
                    skipped.append("\(name): not a business day")
                }
            }
            day = calendar.nextDay(after: day)
        }
        return result
    }

    /// A deterministic instant in [usableStart, usableEnd): an offset from the seed, in the
    /// first part of the window (less when a panel of `panelSize` must fit after it).
    func jitteredDue(usableStart: Date, usableEnd: Date, zone: TimeZone, seed: UInt64, panelSize: Int = 1) -> Date {
        let span = usableEnd.timeIntervalSince(usableStart)
        // Spread over the first part of the window, leaving room for a panel and for retries.
        let room = span - Double(panelSize - 1) * (Self.panelGap + 100) - 180
        let spread = max(60, min(span * 0.4, 40 * 60, room))
        let offset = 45 + Double(seed % UInt64(spread))
        return Self.offRoundMinute(usableStart.addingTimeInterval(offset).rounded(), zone: zone, seed: seed)
    }

    /// Never a due time that reads as robotic in a mail client showing minutes: the minute on
    /// the reader's clock is not :00 or :30 (checked in local time — Kathmandu is +5:45).
    static func offRoundMinute(_ date: Date, zone: TimeZone, seed: UInt64) -> Date {
        let calendar = Calendar.gregorian(in: zone)
        let parts = calendar.dateComponents([.minute, .second], from: date)
        guard let minute = parts.minute, let second = parts.second, minute % 30 == 0 else { return date }
        // Into the next minute, at a second of its own.
        return date.addingTimeInterval(Double(60 - second) + Double(3 + seed % 50))
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
