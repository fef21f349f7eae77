import Foundation

/// When the second follow-up goes out (etiquette.md, "The second follow-up"): after about a
/// week of silence, or two business days after the day they said they would decide —
/// whichever is later — in a business-morning window on the reader's clock. One more short
/// note (`nudges: 2`) waits at least three business days after the first follow-up.
extension SendWindowPolicy {
    /// Silence before the first follow-up.
    public static let followUpSilence: TimeInterval = 7 * 86400
    /// Business days after `decision_by` before the first follow-up.
    public static let followUpAfterDecision = 2
    /// Business days between the first follow-up and the one more note.
    public static let nudgeGap = 3
    /// How long after its due time a follow-up still makes sense (a daemon that was down for
    /// a weekend moves it to the next window; later than this it waits for the user).
    public static let followUpSlack: TimeInterval = 5 * 86400

    /// Schedules a follow-up.
    ///
    /// - Parameters:
    ///   - parentSent: when its parent (the thank-you, or the first follow-up for `nudge` 2)
    ///     was sent — or, while the parent still waits, its due time (`provisional`).
    ///   - nudge: 1 for the first follow-up, 2 for the one more note.
    ///   - decisionBy: the day they said they would decide (midnight starting it), if any.
    ///   - zone: the reader's zone: business days, holidays and the morning are theirs.
    ///   - seed: a stable per-message value for the minute within the window.
    ///   - now: never earlier than this.
    public func followUpSchedule(parentSent: Date, provisional: Bool, nudge: Int, decisionBy: Date?, zone: TimeZone,
                                 seed: UInt64, now: Date) -> SendSchedule {
        let calendar = Calendar.gregorian(in: zone)
        let fmt = DateFormatting.formatter("EEE d MMM", zone)
        let parentWord = nudge >= 2 ? "the first follow-up" : "the thank-you"
        let parentWhen = provisional ? "due \(fmt.string(from: parentSent)); recomputed when it goes out" : "sent \(fmt.string(from: parentSent))"
        var earliest: Date
        var why: String
        if nudge >= 2 {
            earliest = max(parentSent.addingTimeInterval(3 * 86400),
                           addingBusinessDays(Self.nudgeGap, to: calendar.startOfDay(for: parentSent), calendar: calendar))
            why = "\(Self.nudgeGap) business days after \(parentWord) (\(parentWhen))"
        } else {
            earliest = parentSent.addingTimeInterval(Self.followUpSilence)
            why = "a week after \(parentWord) (\(parentWhen))"
            if let decisionBy {
                // The decision day as the reader's calendar names it (read at its midday, so
                // a zone hours away does not move it to the day before).
                let day = calendar.startOfDay(for: decisionBy.addingTimeInterval(12 * 3600))
                let afterDecision = addingBusinessDays(Self.followUpAfterDecision, to: day, calendar: calendar)
                if afterDecision > earliest {
                    earliest = afterDecision
                    why = "\(Self.followUpAfterDecision) business days after the day they said they would decide (\(fmt.string(from: day)))"
                } else {
                    why += ", which is after their decision day \(fmt.string(from: day)) + \(Self.followUpAfterDecision) business days"
                }
            }
        }
        if earliest < now { earliest = now.addingTimeInterval(60) }
        // The first business morning whose usable part lies after `earliest`, outside the quiet
        // weeks and not the business day before one of the reader's holidays.
        var day = calendar.startOfDay(for: earliest)
        var moved: String?
        for _ in 0..<370 {
            if isBusinessDay(day, zone: zone), let quiet = quietReason(day, calendar: calendar) {
                if moved == nil { moved = quiet }
            } else if isBusinessDay(day, zone: zone) {
                let (start, end) = morning.instants(on: day, calendar: calendar)
                let usableStart = max(start, earliest)
                if end.timeIntervalSince(usableStart) >= Self.minimumUsableWindow {
                    let due = jitteredDue(usableStart: usableStart, usableEnd: end, zone: zone, seed: seed)
                    let time = DateFormatting.time(in: zone, seconds: false)
                    let reason = "\(why)\(moved.map { "; moved past \($0)" } ?? ""); in the reader's business morning \(fmt.string(from: start)) "
                        + "\(time.string(from: start))–\(time.string(from: end)) \(zone.identifier); chose \(time.string(from: due))"
                    return SendSchedule(due: due, latest: due.addingTimeInterval(Self.followUpSlack), windowStart: start, windowEnd: end,
                                        windowKind: .morning, reason: reason)
                }
            }
            day = calendar.date(byAdding: .day, value: 1, to: day) ?? day.addingTimeInterval(86400)
        }
        // No business morning within a year (a policy with no business days): the earliest time.
        return SendSchedule(due: earliest, latest: earliest.addingTimeInterval(Self.followUpSlack), windowStart: earliest, windowEnd: earliest,
                            windowKind: .morning, reason: why + "; no business morning found within a year (check policy.business_days)")
    }

    /// Why a follow-up is not planned on `day` (a business day), or nil: the year-end weeks
    /// (24 December to 1 January), when mail waits unread, and the business day before one of
    /// the reader's holidays (a long weekend's eve).
    func quietReason(_ day: Date, calendar: Calendar) -> String? {
        let parts = calendar.dateComponents([.month, .day], from: day)
        let fmt = DateFormatting.formatter("EEE d MMM", calendar.timeZone)
        if (parts.month == 12 && (parts.day ?? 0) >= 24) || (parts.month == 1 && parts.day == 1) {
            return "the year-end quiet weeks (24 Dec–1 Jan: \(fmt.string(from: day)) is in them)"
        }
        // The next day that is no weekend: a holiday there makes `day` its eve.
        var next = calendar.nextDay(after: day)
        for _ in 0..<7 where !businessDays.contains(Weekday(calendarWeekday: calendar.component(.weekday, from: next))) {
            next = calendar.nextDay(after: next)
        }
        if let holiday = holidays.holiday(on: LocalDate(next, calendar: calendar), zone: calendar.timeZone) {
            return "\(fmt.string(from: day)), the business day before \(holiday) on \(fmt.string(from: next))"
        }
        return nil
    }

    /// The start of the day `count` business days after `day` (weekends and holidays skipped).
    func addingBusinessDays(_ count: Int, to day: Date, calendar: Calendar) -> Date {
        var current = calendar.startOfDay(for: day)
        var left = count
        var guardSteps = 0
        while left > 0 && guardSteps < 400 {
            current = calendar.date(byAdding: .day, value: 1, to: current) ?? current.addingTimeInterval(86400)
            current = calendar.startOfDay(for: current)
            if isBusinessDay(current, zone: calendar.timeZone) { left -= 1 }
            guardSteps += 1
        }
        return current
    }
}
