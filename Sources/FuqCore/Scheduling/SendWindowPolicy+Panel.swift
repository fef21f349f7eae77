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
    /// at least `panelGap` apart so a panel does not receive its notes in the same second.
    ///
    /// The panel shares one base offset (from `panelSeed`); member *i* leaves after member
    /// *i − 1* by the gap plus up to 100 s of its own jitter.
    public func schedulePanel(
        interviewEnd: Date, members: [PanelMember], panelSeed: UInt64, now: Date
    ) throws -> [SendSchedule] {
        var extra: TimeInterval = 0
        var schedules: [SendSchedule] = []
        for (index, member) in members.enumerated() {
            if index > 0 { extra += Self.panelGap + Double(member.seed % 100) }
            schedules.append(try schedule(
                interviewEnd: interviewEnd, zone: member.zone, now: now, seed: panelSeed, extraOffset: extra))
        }
        // Recipients in other zones may land near each other: enforce the gap across the panel.
        let order = schedules.indices.sorted { schedules[$0].due < schedules[$1].due }
        for (previous, current) in zip(order, order.dropFirst()) {
            let floor = schedules[previous].due.addingTimeInterval(Self.panelGap)
            guard schedules[current].due < floor else { continue }
            var due = floor
            if Int(due.timeIntervalSince1970) % 1800 == 0 { due.addTimeInterval(17) }
            let limit = min(schedules[current].windowEnd, schedules[current].latest)
            guard due < limit else {
                throw SchedulingError.panelTooLarge(count: members.count, window: schedules[current].windowKind.rawValue)
            }
            schedules[current].due = due
            schedules[current].reason = Self.replaceChosenTime(in: schedules[current].reason, with: due, zone: members[current].zone)
        }
        return schedules
    }

    static func replaceChosenTime(in reason: String, with due: Date, zone: TimeZone) -> String {
        guard let range = reason.range(of: "; chose ", options: .backwards) else { return reason }
        let time = DateFormatting.time(in: zone, seconds: false).string(from: due)
        return reason[..<range.upperBound] + time + " (kept 3 min from the panel's other notes)"
    }

    /// A schedule for a time the user chose with `--at`: the policy is overridden for this
    /// message, which stays timely for 24 hours after that time.
    public func scheduleExplicit(at: Date, zone: TimeZone, interviewEnd: Date, atText: String) -> SendSchedule {
        let fmt = DateFormatting.dayTime(in: zone)
        var reason = "you chose --at \(atText): \(fmt.string(from: at)) \(zone.identifier)"
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
        guard trimmed.count <= 64 else { throw SchedulingError.badAt(String(text.prefix(64)) + "…") }
        let date: Date
        if trimmed.lowercased() == "now" {
            date = now
        } else if trimmed.hasPrefix("+") {
            guard let seconds = DurationText.parse(String(trimmed.dropFirst())) else {
                throw SchedulingError.badAt(text)
            }
            guard seconds <= horizon else { throw SchedulingError.atTooFar(text) }
            date = now.addingTimeInterval(seconds)
        } else if let parsed = LocalDateTime.parse(trimmed, defaultZone: zone) {
            date = parsed
        } else {
            throw SchedulingError.badAt(text)
        }
        // A second of slack: "now" typed a moment ago is still now.
        guard date >= now.addingTimeInterval(-1) else { throw SchedulingError.atInPast(text) }
        let chosen = max(date, now)
        if chosen.timeIntervalSince(max(interviewEnd ?? now, now)) > horizon { throw SchedulingError.atTooFar(text) }
        if let interviewEnd, chosen < interviewEnd {
            throw SchedulingError.atBeforeEnd(text, end: interviewEnd, zone: zone.identifier)
        }
        return chosen
    }

    /// The furthest a chosen time may lie after the interview: a year.
    public static let horizon: TimeInterval = 366 * 86400
}

/// Date-times in interview files and `--at`: RFC 3339 with an offset, or a wall time in a zone.
public enum LocalDateTime {
    public static func parse(_ text: String, defaultZone: TimeZone) -> Date? {
        var text = text.replacingOccurrences(of: " ", with: "T")
        // An offset must be a real one (±14:00 at most, minutes < 60): Foundation would read
        // "+25:00" or "+99:99" as some other time.
        guard text.unicodeScalars.allSatisfy(\.isASCII) else { return nil }
        if let range = text.range(of: #"[+-][0-9][0-9]:?[0-9][0-9]$"#, options: .regularExpression), text[..<range.lowerBound].contains("T") {
            let digits = text[range].filter { $0.isASCII && $0.isNumber }
            guard let hours = Int(digits.prefix(2)), let minutes = Int(digits.suffix(2)), hours <= 14, minutes < 60 else { return nil }
        }
        // "…T12:00Z" / "…T12:00+01:00" without seconds: RFC 3339 wants them; people leave them out.
        if let range = text.range(of: #"T[0-9][0-9]:[0-9][0-9](?=Z$|[+-][0-9][0-9]:[0-9][0-9]$)"#, options: .regularExpression) {
            text.insert(contentsOf: ":00", at: range.upperBound)
        }
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime]
        if let d = iso.date(from: text) { return d }
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = iso.date(from: text) { return d }
        for format in ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm"] {
            let f = DateFormatting.formatter(format, defaultZone)
            f.isLenient = false
            if let d = f.date(from: text) { return d }
        }
        return nil
    }
}

/// Durations written as `90s`, `30m`, `1h`, `1h30m`, `2d`.
public enum DurationText {
    public static func parse(_ text: String) -> TimeInterval? {
        let text = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !text.isEmpty else { return nil }
        var total: TimeInterval = 0
        var number = ""
        var sawUnit = false
        for ch in text {
            if ch.isNumber {
                number.append(ch)
                continue
            }
            // At most 9 digits: bigger numbers are typos, and would overflow later arithmetic.
            guard number.count <= 9, let value = Double(number) else { return nil }
            switch ch {
            case "s": total += value
            case "m": total += value * 60
            case "h": total += value * 3600
            case "d": total += value * 86400
            default: return nil
            }
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
