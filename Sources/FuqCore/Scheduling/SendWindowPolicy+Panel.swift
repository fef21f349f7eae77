import Foundation

/// One recipient of a panel as the scheduler needs it.
public struct PanelMember: Sendable {
    public var zone: TimeZone
    /// Stable per-message seed (see `stableHash`).
    public var seed: UInt64

    public init(zone: TimeZone, seed: UInt64) {
        self.zone = zone
        self.seed = seed
    }
}

extension SendWindowPolicy {
    /// Schedules every message of one interview: each in its recipient's window, all of them
    /// at least `panelGap` apart (across zones too) so a panel does not receive its notes in
    /// the same minute. A note that does not fit in what is left of its first window goes to
    /// that reader's next window, and its reason says so: a panel is never refused for its size.
    ///
    /// The panel shares one base offset (from `panelSeed`); a note that would land within the
    /// gap of another leaves after it by the gap plus up to a minute of its own jitter.
    public func schedulePanel(
        interviewEnd: Date, members: [PanelMember], panelSeed: UInt64, now: Date, interviewZone: TimeZone? = nil
    ) throws -> [SendSchedule] {
        var taken: [Date] = []
        var schedules: [SendSchedule] = []
        var plans: [String: Plan] = [:]
        // A reader whose windows have all closed by the rule (a New Year's Eve panel: London's
        // evening is over and its next business morning is days away) does not refuse the
        // others' notes: theirs alone moves to that reader's next sensible time, and says so.
        // Only when every reader is too late is the interview refused (one --at then suits all).
        var late: [String: String] = [:]
        for member in members where plans[member.zone.identifier] == nil && late[member.zone.identifier] == nil {
            do {
                plans[member.zone.identifier] = try plan(interviewEnd: interviewEnd, zone: member.zone, now: now, seed: panelSeed,
                                                         interviewZone: interviewZone, latestOverride: nil)
            } catch SchedulingError.tooLate(_, _, let detail, _, _, _) {
                late[member.zone.identifier] = detail
            }
        }
        if plans.isEmpty, let first = members.first {
            _ = try plan(interviewEnd: interviewEnd, zone: first.zone, now: now, seed: panelSeed, interviewZone: interviewZone, latestOverride: nil)
        }
        for member in members where plans[member.zone.identifier] == nil {
            let override = max(now, interviewEnd.addingTimeInterval(minDelay)).addingTimeInterval(14 * 86400)
            plans[member.zone.identifier] = try plan(interviewEnd: interviewEnd, zone: member.zone, now: now, seed: panelSeed,
                                                     interviewZone: interviewZone, latestOverride: override)
        }
        for member in members {
            let plan = plans[member.zone.identifier]!
            var placed: SendSchedule?
            for slot in plan.windows {
                let base = jitteredDue(usableStart: slot.usableStart, usableEnd: slot.usableEnd, zone: member.zone,
                                       seed: panelSeed, panelSize: members.count)
                guard let due = Self.firstFree(from: base, before: slot.usableEnd, taken: taken, zone: member.zone, seed: member.seed) else { continue }
                let spilled = taken.filter { $0 >= plan.windows[0].usableStart && $0 < plan.windows[0].usableEnd }.count
                placed = plan.schedule(due: due, in: slot, zone: member.zone, spilled: spilled, kept: due != base)
                break
            }
            guard var placed else {
                throw SchedulingError.panelTooLarge(count: members.count, window: DateFormatting.fullMoment(interviewEnd, in: member.zone, now: now))
            }
            if let detail = late[member.zone.identifier] {
                placed.reason = "\(Self.movedLatePrefix) on this reader's clock (\(detail)), so this note alone goes at their next "
                    + "sensible time; the rest of the panel keeps its own. " + placed.reason
                // That time only: the search reached two weeks out, but a note that misses this
                // window too (the machine was off) expires and waits for you, as its panel's do —
                // it never goes a fortnight after the interview on its own.
                placed.latest = placed.windowEnd
            }
            taken.append(placed.due)
            schedules.append(placed)
        }
        return schedules
    }

    /// How the reason of a panel note moved past the rule's deadline begins.
    public static let movedLatePrefix = "too late by the send-window rules"

    /// The first instant from `start` on, before `end`, that is `panelGap` from every `taken`
    /// one and not in minute :00 or :30 on the reader's clock.
    static func firstFree(from start: Date, before end: Date, taken: [Date], zone: TimeZone, seed: UInt64) -> Date? {
        var due = start
        while due < end {
            if let clash = taken.filter({ abs($0.timeIntervalSince(due)) < panelGap }).max() {
                due = offRoundMinute(clash.addingTimeInterval(panelGap + Double(seed % 60)), zone: zone, seed: seed)
                continue
            }
            return due
        }
        return nil
    }

    /// A schedule for a time the user chose with `--at`: the policy is overridden for this
    /// message, which stays timely for 24 hours after that time.
    public func scheduleExplicit(at: Date, zone: TimeZone, interviewEnd: Date, atText: String) -> SendSchedule {
        let fmt = DateFormatting.dayTime(in: zone)
        var reason = "you chose --at \(atText): \(fmt.string(from: at)) \(zone.identifier)"
        if case .instant(_, let note?) = LocalDateTime.read(atText, defaultZone: zone) { reason += " (\(note))" }
        if at < interviewEnd.addingTimeInterval(minDelay) {
            reason += " (note: sooner than \(DurationText.format(minDelay)) after the interview)"
        } else if !isInsideWindow(at, zone: zone) {
            reason += " (outside the usual send windows)"
        }
        let at = at.rounded()
        return SendSchedule(
            due: at, latest: at.addingTimeInterval(24 * 3600), windowStart: at,
            windowEnd: at.addingTimeInterval(24 * 3600), windowKind: .evening, reason: reason)
    }
}

/// Reads the times `--at` accepts.
public enum AtTime {
    /// - `now`; `+90s`, `+30m`, `+2h`, `+1d` (also combined, `+1h30m`);
    /// - RFC 3339 with an offset or `Z`: `2026-11-24T18:30:00-05:00`;
    /// - a local time in `zone`: `2026-11-24T18:30` or `2026-11-24 18:30[:ss]`.
    /// Refuses instants in the past, before `interviewEnd` (a thank-you goes after the
    /// interview), and more than `horizon` after the interview (or now, if later): every
    /// accepted time can be stored and read back.
    public static func parse(_ text: String, zone: TimeZone, now: Date, interviewEnd: Date? = nil) throws -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.count <= 64 else { throw SchedulingError.badAt(String(text.prefix(64)) + "…", example: example(now, zone)) }
        let date: Date
        if trimmed.lowercased() == "now" {
            date = now
        } else if trimmed.hasPrefix("+") {
            guard let seconds = DurationText.parse(String(trimmed.dropFirst())) else {
                throw SchedulingError.badAt(text, example: example(now, zone))
            }
            guard seconds <= horizon else { throw SchedulingError.atTooFar(text) }
            date = now.addingTimeInterval(seconds)
        } else {
            switch LocalDateTime.read(trimmed, defaultZone: zone) {
            case .instant(let parsed, _): date = parsed
            case .gap(let detail): throw SchedulingError.atInGap(text, detail: detail)
            case .unreadable: throw SchedulingError.badAt(text, example: example(now, zone))
            }
        }
        // A second of slack: "now" typed a moment ago is still now.
        guard date >= now.addingTimeInterval(-1) else { throw SchedulingError.atInPast(text, example: example(now, zone)) }
        let chosen = max(date, now)
        if chosen.timeIntervalSince(max(interviewEnd ?? now, now)) > horizon { throw SchedulingError.atTooFar(text) }
        if let interviewEnd, chosen < interviewEnd {
            throw SchedulingError.atBeforeEnd(text, end: interviewEnd, zone: zone.identifier)
        }
        return chosen
    }

    /// "2026-11-27T18:30": tomorrow evening on `zone`'s clock, for examples in messages.
    static func example(_ now: Date, _ zone: TimeZone) -> String {
        DateFormatting.formatter("yyyy-MM-dd", zone).string(from: now.addingTimeInterval(86400)) + "T18:30"
    }

    /// The furthest a chosen time may lie after the interview: a year.
    public static let horizon: TimeInterval = 366 * 86400
}

/// Date-times in interview files and `--at`: RFC 3339 with an offset, or a wall time in a zone.
public enum LocalDateTime {
    /// What a date-time text means.
    public enum Reading: Equatable {
        /// One instant; `note` says which of two was taken when the wall time happens twice.
        case instant(Date, note: String?)
        /// A wall time the clocks skip (spring forward): what happens that night.
        case gap(String)
        case unreadable
    }

    public static func parse(_ text: String, defaultZone: TimeZone) -> Date? {
        guard case .instant(let date, _) = read(text, defaultZone: defaultZone) else { return nil }
        return date
    }

    public static func read(_ text: String, defaultZone zone: TimeZone) -> Reading {
        var text = text.replacingOccurrences(of: " ", with: "T")
        // An offset must be a real one (±14:00 at most, minutes < 60): Foundation would read
        // "+25:00" or "+99:99" as some other time.
        guard text.unicodeScalars.allSatisfy(\.isASCII) else { return .unreadable }
        if let range = text.range(of: #"[+-][0-9][0-9]:?[0-9][0-9]$"#, options: .regularExpression), text[..<range.lowerBound].contains("T") {
            let digits = text[range].filter { $0.isASCII && $0.isNumber }
            guard let hours = Int(digits.prefix(2)), let minutes = Int(digits.suffix(2)), hours <= 14, minutes < 60 else { return .unreadable }
        }
        // "…T12:00Z" / "…T12:00+01:00" without seconds: RFC 3339 wants them; people leave them out.
        if let range = text.range(of: #"T[0-9][0-9]:[0-9][0-9](?=Z$|[+-][0-9][0-9]:?[0-9][0-9]$)"#, options: .regularExpression) {
            text.insert(contentsOf: ":00", at: range.upperBound)
        }
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime]
        if let d = iso.date(from: text) { return .instant(d, note: nil) }
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = iso.date(from: text) { return .instant(d, note: nil) }
        return wallTime(text, zone: zone)
    }

    /// `yyyy-MM-ddTHH:mm[:ss]` on `zone`'s clock, which may not exist (a DST gap) or exist twice.
    static func wallTime(_ text: String, zone: TimeZone) -> Reading {
        guard text.wholeMatch(of: /[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?/) != nil else { return .unreadable }
        let numbers = text.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        let wall = DateComponents(year: numbers[0], month: numbers[1], day: numbers[2], hour: numbers[3], minute: numbers[4],
                                  second: numbers.count > 5 ? numbers[5] : 0)
        guard (1...12).contains(wall.month!), (1...31).contains(wall.day!), (0...23).contains(wall.hour!),
              (0...59).contains(wall.minute!), (0...59).contains(wall.second!) else { return .unreadable }
        let calendar = Calendar.gregorian(in: zone)
        guard let first = calendar.date(from: wall) else { return .unreadable }
        func wallOf(_ date: Date) -> DateComponents {
            calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        }
        let same = { (d: Date) in
            let w = wallOf(d)
            return (w.year, w.month, w.day, w.hour, w.minute, w.second) == (wall.year, wall.month, wall.day, wall.hour, wall.minute, wall.second)
        }
        // 31 February and friends.
        guard let day = calendar.date(from: DateComponents(year: wall.year, month: wall.month, day: wall.day)),
              calendar.component(.day, from: day) == wall.day else { return .unreadable }
        guard same(first) else { return .gap(gapDetail(text, near: first, zone: zone)) }
        // Ambiguous when the same wall time also happens an hour (or half an hour) later.
        let other = [3600.0, 1800, -3600, -1800].map { first.addingTimeInterval($0) }.first(where: same)
        guard let other else { return .instant(first, note: nil) }
        let earlier = min(first, other), later = max(first, other)
        let shown = String(text.prefix(16))
        let note = "\(shown) happens twice in \(zone.identifier) (the clocks go back that night); fuq took the first, "
            + "\(DateFormatting.abbreviation(zone, at: earlier)) (\(offsetText(zone.secondsFromGMT(for: earlier)))); "
            + "for the second write \(shown)\(offsetText(zone.secondsFromGMT(for: later)))"
        return .instant(earlier, note: note)
    }

    /// "the clocks jump from 02:00 to 03:00 that night (EST to EDT); 02:30 does not happen — use 03:30".
    static func gapDetail(_ text: String, near date: Date, zone: TimeZone) -> String {
        let shown = String(text.prefix(16))
        guard let change = zone.nextDaylightSavingTimeTransition(after: date.addingTimeInterval(-86400)) else {
            return "\(shown) does not exist in \(zone.identifier); choose another time"
        }
        let before = zone.secondsFromGMT(for: change.addingTimeInterval(-1)), after = zone.secondsFromGMT(for: change)
        let fmt = { (offset: Int) in DateFormatting.formatter("HH:mm", TimeZone(secondsFromGMT: offset) ?? zone).string(from: change) }
        let suggestion = DateFormatting.formatter("yyyy-MM-dd'T'HH:mm", zone).string(from: date)
        return "\(shown) is skipped in \(zone.identifier): the clocks jump from \(fmt(before)) to \(fmt(after)) that night "
            + "(\(DateFormatting.abbreviation(zone, at: change.addingTimeInterval(-1))) to \(DateFormatting.abbreviation(zone, at: change))); "
            + "use a time outside the gap, such as \(suggestion)"
    }

    /// "-04:00".
    static func offsetText(_ seconds: Int) -> String {
        String(format: "%@%02d:%02d", seconds < 0 ? "-" : "+", abs(seconds) / 3600, abs(seconds) % 3600 / 60)
    }
}

/// Durations written as `90s`, `30m`, `1h`, `1h30m`, `2d`: each unit at most once, largest
/// first (`1h1h` and `30m1h` are typos, not 2 h and 90 min).
public enum DurationText {
    public static func parse(_ text: String) -> TimeInterval? {
        let text = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !text.isEmpty else { return nil }
        let units: [Character: (rank: Int, seconds: TimeInterval)] = ["d": (0, 86400), "h": (1, 3600), "m": (2, 60), "s": (3, 1)]
        var total: TimeInterval = 0
        var number = ""
        var sawUnit = false
        var lastRank = -1
        for ch in text {
            if ch.isASCII && ch.isNumber {
                number.append(ch)
                continue
            }
            // At most 9 digits: bigger numbers are typos, and would overflow later arithmetic.
            guard number.count <= 9, let value = Double(number), let unit = units[ch], unit.rank > lastRank else { return nil }
            total += value * unit.seconds
            lastRank = unit.rank
            number = ""
            sawUnit = true
        }
        guard number.isEmpty, sawUnit else { return nil }
        return total
    }

    /// "1 h", "1 h 30 min", "45 min", "20 s".
    public static func format(_ seconds: TimeInterval) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s) s" }
        let days = s / 86400, hours = (s % 86400) / 3600, minutes = (s % 3600) / 60
        var parts: [String] = []
        if days > 0 { parts.append("\(days) d") }
        if hours > 0 { parts.append("\(hours) h") }
        if minutes > 0 && days == 0 { parts.append("\(minutes) min") }
        return parts.joined(separator: " ")
    }
}
