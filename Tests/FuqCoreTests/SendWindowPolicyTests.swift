import Foundation
import Testing
@testable import FuqCore

/// Builds a policy from the defaults with a few changes.
func policy(_ change: (inout SendWindowPolicy) -> Void = { _ in }) -> SendWindowPolicy {
    var p = SendWindowPolicy.standard
    change(&p)
    return p
}

let allDays = Set(Weekday.allCases)

func instant(_ text: String, _ zone: String) -> Date {
    LocalDateTime.parse(text, defaultZone: TimeZone(identifier: zone)!)!
}

struct WindowCase: CustomTestStringConvertible, Sendable {
    enum Expect: Sendable { case window(String, DailyWindow.Kind), refused }
    var name: String
    var end: String
    var zone: String = "America/New_York"
    var recipient: String? = nil
    var now: String? = nil
    var policy: SendWindowPolicy = .standard
    var expect: Expect
    var testDescription: String { name }
}

let windowCases: [WindowCase] = [
    // Ordinary weekdays in New York.
    .init(name: "Tue afternoon → same evening", end: "2026-11-24T15:05", expect: .window("2026-11-24", .evening)),
    .init(name: "Tue morning interview → same evening", end: "2026-11-24T10:00", expect: .window("2026-11-24", .evening)),
    .init(name: "ends 06:00 → same morning window", end: "2026-11-24T06:00", expect: .window("2026-11-24", .morning)),
    .init(name: "ends 06:45 → rest of the morning window", end: "2026-11-24T06:45", expect: .window("2026-11-24", .morning)),
    .init(name: "ends 08:00 → 30 min of morning left", end: "2026-11-24T08:00", expect: .window("2026-11-24", .morning)),
    .init(name: "ends 08:20 → 10 min left is too little → evening", end: "2026-11-24T08:20", expect: .window("2026-11-24", .evening)),
    .init(name: "ends 17:00 → evening from 18:00", end: "2026-11-24T17:00", expect: .window("2026-11-24", .evening)),
    .init(name: "ends 17:30 → evening from 18:30", end: "2026-11-24T17:30", expect: .window("2026-11-24", .evening)),
    .init(name: "ends 19:30 → last half hour of evening", end: "2026-11-24T19:30", expect: .window("2026-11-24", .evening)),
    .init(name: "ends 19:50 → next morning", end: "2026-11-24T19:50", expect: .window("2026-11-25", .morning)),
    .init(name: "ends 23:50 → next morning", end: "2026-11-24T23:50", expect: .window("2026-11-25", .morning)),
    .init(name: "ends 05:00 → same morning", end: "2026-11-25T05:00", expect: .window("2026-11-25", .morning)),
    .init(name: "Monday 05:00 → Monday morning", end: "2026-11-23T05:00", expect: .window("2026-11-23", .morning)),
    // The one-hour and usable-window edges, to the second.
    .init(name: "usable evening exactly 15 min → evening", end: "2026-11-24T19:45:00", expect: .window("2026-11-24", .evening)),
    .init(name: "usable evening 14:59 → next morning", end: "2026-11-24T19:45:01", expect: .window("2026-11-25", .morning)),
    .init(name: "window opens 16:00, end 15:05:00 → due ≥ 16:05:00", end: "2026-11-24T15:05:00",
          policy: policy { $0.evening = DailyWindow(kind: .evening, parsing: "16:00-21:00")! }, expect: .window("2026-11-24", .evening)),
    .init(name: "window opens 16:05, end 15:05:01 → due ≥ 16:05:01", end: "2026-11-24T15:05:01",
          policy: policy { $0.evening = DailyWindow(kind: .evening, parsing: "16:05-21:00")! }, expect: .window("2026-11-24", .evening)),
    .init(name: "min_delay 2h pushes into the evening", end: "2026-11-24T16:30", policy: policy { $0.minDelay = 7200 },
          expect: .window("2026-11-24", .evening)),
    // Fridays, weekends, holidays.
    .init(name: "Fri afternoon → Fri evening", end: "2026-11-27T15:00", expect: .window("2026-11-27", .evening)),
    .init(name: "Fri 20:00 → Monday morning", end: "2026-11-27T20:00", expect: .window("2026-11-30", .morning)),
    .init(name: "Fri 23:50 → Monday morning", end: "2026-11-27T23:50", expect: .window("2026-11-30", .morning)),
    .init(name: "Saturday interview → Monday morning", end: "2026-11-28T11:00", expect: .window("2026-11-30", .morning)),
    .init(name: "Sunday interview → Monday morning", end: "2026-11-29T14:00", expect: .window("2026-11-30", .morning)),
    .init(name: "Thanksgiving holiday skipped → Friday morning", end: "2026-11-25T20:30",
          policy: policy { $0.holidays = [LocalDate(2026, 11, 26)] }, expect: .window("2026-11-27", .morning)),
    // Days off do not count toward the 72 hours (issue 20): the next business morning, never a refusal.
    .init(name: "two holidays + weekend → Monday morning (days off do not count toward 72 h)", end: "2026-11-25T20:30",
          policy: policy { $0.holidays = [LocalDate(2026, 11, 26), LocalDate(2026, 11, 27)] }, expect: .window("2026-11-30", .morning)),
    .init(name: "interview on a holiday → next morning", end: "2026-11-25T10:00",
          policy: policy { $0.holidays = [LocalDate(2026, 11, 25)] }, expect: .window("2026-11-26", .morning)),
    .init(name: "Fri late + Monday holiday → Tuesday morning (days off do not count toward 72 h)", end: "2026-11-27T23:50",
          policy: policy { $0.holidays = [LocalDate(2026, 11, 30)] }, expect: .window("2026-12-01", .morning)),
    .init(name: "Sun–Thu business week (Dubai): Thu night → Sunday morning", end: "2026-11-26T20:00", zone: "Asia/Dubai",
          policy: policy { $0.businessDays = [.sunday, .monday, .tuesday, .wednesday, .thursday] }, expect: .window("2026-11-29", .morning)),
    // Preferences.
    .init(name: "prefer evening: early morning end waits for evening", end: "2026-11-24T06:00",
          policy: policy { $0.preference = .evening }, expect: .window("2026-11-24", .evening)),
    .init(name: "prefer morning: afternoon end → next morning", end: "2026-11-24T15:05",
          policy: policy { $0.preference = .morning }, expect: .window("2026-11-25", .morning)),
    .init(name: "prefer morning: 06:00 end → same morning", end: "2026-11-24T06:00",
          policy: policy { $0.preference = .morning }, expect: .window("2026-11-24", .morning)),
    .init(name: "prefer evening but Monday evening is past the deadline → Monday morning", end: "2026-11-27T20:00",
          policy: policy { $0.preference = .evening }, expect: .window("2026-11-30", .morning)),
    // Recipients in other zones, across the date line.
    .init(name: "NY interview, London reader → London morning", end: "2026-11-24T15:30", recipient: "Europe/London",
          expect: .window("2026-11-25", .morning)),
    .init(name: "NY interview, Tokyo reader (already Wed 05:30) → Tokyo Wed morning", end: "2026-11-24T15:30",
          recipient: "Asia/Tokyo", expect: .window("2026-11-25", .morning)),
    .init(name: "LA Friday → Auckland Saturday → Auckland Monday morning", end: "2026-11-27T15:00", zone: "America/Los_Angeles",
          recipient: "Pacific/Auckland", expect: .window("2026-11-30", .morning)),
    .init(name: "Auckland Monday → Pago Pago still Sunday → Pago Pago Monday morning", end: "2026-11-30T10:00",
          zone: "Pacific/Auckland", recipient: "Pacific/Pago_Pago", expect: .window("2026-11-30", .morning)),
    .init(name: "Honolulu Tue → Kiritimati Wed 10:00 → Kiritimati Wed evening", end: "2026-11-24T10:00", zone: "Pacific/Honolulu",
          recipient: "Pacific/Kiritimati", expect: .window("2026-11-25", .evening)),
    .init(name: "Kathmandu +05:45 afternoon → evening", end: "2026-11-24T15:05", zone: "Asia/Kathmandu",
          expect: .window("2026-11-24", .evening)),
    // DST change days (all days business so the Sunday change day counts).
    .init(name: "US spring forward day: evening still 18:00–21:00 EDT", end: "2026-03-08T15:00",
          policy: policy { $0.businessDays = allDays }, expect: .window("2026-03-08", .evening)),
    .init(name: "US spring forward: 01:30 end, morning window after the gap", end: "2026-03-08T01:30",
          policy: policy { $0.businessDays = allDays }, expect: .window("2026-03-08", .morning)),
    .init(name: "US fall back day: evening 18:00–21:00 EST", end: "2026-11-01T15:00",
          policy: policy { $0.businessDays = allDays }, expect: .window("2026-11-01", .evening)),
    .init(name: "US fall back: 00:30 end + 1 h (25-hour day) → morning", end: "2026-11-01T00:30",
          policy: policy { $0.businessDays = allDays }, expect: .window("2026-11-01", .morning)),
    .init(name: "EU spring forward: 05:00 end → 07:30 BST", end: "2026-03-29T05:00", zone: "Europe/London",
          policy: policy { $0.businessDays = allDays }, expect: .window("2026-03-29", .morning)),
    .init(name: "EU fall back: Sat 23:50 → Sunday morning GMT", end: "2026-10-24T23:50", zone: "Europe/London",
          policy: policy { $0.businessDays = allDays }, expect: .window("2026-10-25", .morning)),
    .init(name: "Friday before US spring forward, weekdays only → Monday morning", end: "2026-03-06T20:30",
          expect: .window("2026-03-09", .morning)),
    // Enqueued late, or early.
    .init(name: "enqueued at 19:00 for a morning interview → rest of evening", end: "2026-11-24T10:00", now: "2026-11-24T19:00",
          expect: .window("2026-11-24", .evening)),
    .init(name: "enqueued at 21:30 → next morning", end: "2026-11-24T10:00", now: "2026-11-24T21:30", expect: .window("2026-11-25", .morning)),
    .init(name: "enqueued the next day at 10:00 → past latest → refused", end: "2026-11-24T10:00", now: "2026-11-25T10:00", expect: .refused),
    .init(name: "enqueued the evening before the interview", end: "2026-11-24T15:05", now: "2026-11-23T20:00",
          expect: .window("2026-11-24", .evening)),
    .init(name: "latest cap 12 h trims the morning window", end: "2026-11-24T20:00", policy: policy { $0.latestCap = 12 * 3600 },
          expect: .window("2026-11-25", .morning)),
]

@Suite("Send-window policy")
struct SendWindowPolicyTests {
    @Test("window table", arguments: windowCases)
    func table(_ c: WindowCase) throws {
        let end = instant(c.end, c.zone)
        let zone = TimeZone(identifier: c.recipient ?? c.zone)!
        let now = c.now.map { instant($0, c.zone) } ?? end
        switch c.expect {
        case .refused:
            #expect(throws: SchedulingError.self) {
                try c.policy.schedule(interviewEnd: end, zone: zone, now: now, seed: 42)
            }
        case .window(let day, let kind):
            // Several seeds: the rule must hold wherever the jitter lands.
            for seed: UInt64 in [0, 1, 7, 4242, 99_999, .max] {
                let s = try c.policy.schedule(interviewEnd: end, zone: zone, now: now, seed: seed)
                let calendar = Calendar.gregorian(in: zone)
                let local = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: s.due)
                #expect(String(format: "%04d-%02d-%02d", local.year!, local.month!, local.day!) == day, "\(s.reason)")
                #expect(s.windowKind == kind, "\(s.reason)")
                let window = kind == .evening ? c.policy.evening : c.policy.morning
                let minutes = local.hour! * 60 + local.minute!
                #expect(minutes >= window.start.hour * 60 + window.start.minute, "due before the window opens: \(s.reason)")
                #expect(minutes < window.end.hour * 60 + window.end.minute, "due after the window closes: \(s.reason)")
                #expect(s.due >= end.addingTimeInterval(c.policy.minDelay), "within min_delay of the end: \(s.reason)")
                #expect(s.due >= now)
                #expect(s.due <= s.latest)
                // The cap, lengthened by a day for each day off before the next business morning.
                var daysOff = 0.0
                var day = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: end))!
                while !c.policy.isBusinessDay(day, zone: zone) && daysOff < 31 {
                    daysOff += 1
                    day = calendar.date(byAdding: .day, value: 1, to: day)!
                }
                #expect(s.latest <= end.addingTimeInterval(c.policy.latestCap + daysOff * 86400))
                #expect(!(local.second == 0 && local.minute! % 30 == 0), "exactly on the hour/half hour: \(s.due)")
                #expect(c.policy.isInsideWindow(s.due, zone: zone))
            }
        }
    }

    @Test("the reason line reads like the etiquette example")
    func reasonLine() throws {
        let s = try SendWindowPolicy.standard.schedule(
            interviewEnd: instant("2026-11-24T15:05", "America/New_York"), zone: TimeZone(identifier: "America/New_York")!,
            now: instant("2026-11-24T15:10", "America/New_York"), seed: 5)
        #expect(s.reason.hasPrefix("interview ended Tue 15:05 EST; earliest Tue 16:05; first window: Tue evening 18:00–21:00 America/New_York; chose 18:"))
    }

    @Test("skipped weekend days are named in the reason")
    func reasonSkipped() throws {
        let s = try SendWindowPolicy.standard.schedule(
            interviewEnd: instant("2026-11-27T20:00", "America/New_York"), zone: TimeZone(identifier: "America/New_York")!,
            now: instant("2026-11-27T20:00", "America/New_York"), seed: 5)
        #expect(s.reason.contains("Mon morning 07:30–09:30"))
        #expect(s.reason.contains("skipped Sat: not a business day, Sun: not a business day"))
    }

    @Test("jitter is deterministic per seed and never on the hour or half hour")
    func jitter() throws {
        let end = instant("2026-11-24T15:05", "America/New_York")
        let zone = TimeZone(identifier: "America/New_York")!
        var seen = Set<Date>()
        for seed in 0..<2000 as Range<UInt64> {
            let a = try SendWindowPolicy.standard.schedule(interviewEnd: end, zone: zone, now: end, seed: seed)
            let b = try SendWindowPolicy.standard.schedule(interviewEnd: end, zone: zone, now: end, seed: seed)
            #expect(a.due == b.due)
            #expect(Int(a.due.timeIntervalSince1970) % 1800 != 0)
            seen.insert(a.due)
        }
        #expect(seen.count > 500, "jitter should spread notes over the window, saw \(seen.count) distinct times")
    }

    @Test("a panel leaves at least 3 minutes apart, in every zone mix", arguments: [
        ["America/New_York", "America/New_York", "America/New_York", "America/New_York", "America/New_York"],
        ["America/New_York", "America/Chicago", "America/New_York", "America/Chicago"],
        ["Europe/London", "Europe/Lisbon", "Europe/London"],
    ])
    func panelGap(_ zones: [String]) throws {
        let end = instant("2026-11-24T15:05", "America/New_York")
        let members = zones.enumerated().map { PanelMember(zone: TimeZone(identifier: $1)!, seed: stableHash("p\($0)")) }
        let schedules = try SendWindowPolicy.standard.schedulePanel(interviewEnd: end, members: members, panelSeed: 77, now: end)
        let dues = schedules.map(\.due).sorted()
        for (a, b) in zip(dues, dues.dropFirst()) {
            #expect(b.timeIntervalSince(a) >= 180, "\(a) and \(b) are less than 3 minutes apart")
        }
        for (s, zone) in zip(schedules, zones) {
            #expect(SendWindowPolicy.standard.isInsideWindow(s.due, zone: TimeZone(identifier: zone)!), "\(s.reason)")
        }
    }
}

@Suite("A panel across zones where one reader is too late")
struct PanelLateReaderTests {
    /// Days off no longer make a reader late (they do not count toward the 72 hours), but a
    /// panel queued late still can: the interview ends Tue 15:00 in Los Angeles, 23:00 in
    /// London, and is queued Wed 12:00 London time. London's latest time, its Wednesday
    /// morning, has passed; Los Angeles's Wednesday morning is still ahead.
    static let end = instant("2026-11-24T15:00", "America/Los_Angeles")
    static let now = instant("2026-11-25T12:00", "Europe/London")
    static let zones = ["America/Los_Angeles", "Europe/London", "America/Los_Angeles"]
    static let policy = SendWindowPolicy()

    @Test("only the London note moves (to London's next sensible time, said in its reason); Los Angeles's keep their morning")
    func onlyTheLateReaderMoves() throws {
        let members = Self.zones.enumerated().map { PanelMember(zone: TimeZone(identifier: $1)!, seed: stableHash("late\($0)")) }
        let schedules = try Self.policy.schedulePanel(interviewEnd: Self.end, members: members, panelSeed: 3, now: Self.now)
        let la = TimeZone(identifier: "America/Los_Angeles")!, london = TimeZone(identifier: "Europe/London")!
        for (s, zone) in zip(schedules, Self.zones) where zone == "America/Los_Angeles" {
            #expect(!s.reason.hasPrefix(SendWindowPolicy.movedLatePrefix), "\(s.reason)")
            #expect(s.due < instant("2026-11-25T09:30", "America/Los_Angeles") && Self.policy.isInsideWindow(s.due, zone: la))
        }
        let moved = schedules[1]
        #expect(moved.reason.hasPrefix(SendWindowPolicy.movedLatePrefix), "\(moved.reason)")
        #expect(moved.reason.contains("the rest of the panel keeps its own"))
        #expect(Self.policy.isInsideWindow(moved.due, zone: london), "never at night: \(moved.reason)")
        #expect(moved.due > Self.now)
        #expect(moved.latest > moved.due)
        // Issue 25's adversarial pass (F14): not a fortnight of grace — its own window only.
        #expect(moved.latest == moved.windowEnd && moved.latest < moved.due.addingTimeInterval(6 * 3600), "latest \(moved.latest), due \(moved.due)")
    }

    @Test("when every reader is too late, the interview is refused as before (one --at then suits all)")
    func everyoneLate() {
        let members = [PanelMember(zone: TimeZone(identifier: "Europe/London")!, seed: 1), PanelMember(zone: TimeZone(identifier: "Europe/London")!, seed: 2)]
        #expect(throws: SchedulingError.self) {
            try Self.policy.schedulePanel(interviewEnd: Self.end, members: members, panelSeed: 3, now: Self.now)
        }
    }
}

@Suite("--at times")
struct AtTimeTests {
    let zone = TimeZone(identifier: "America/New_York")!
    let now = instant("2026-11-24T12:00:00", "America/New_York")

    static let acceptedForms: [(String, Double)] = [
        ("now", 0), ("+90s", 90), ("+2h", 7200), ("+1h30m", 5400), ("+1d", 86400),
        ("2026-11-24T18:30:00-05:00", 23400), ("2026-11-24T23:30:00Z", 23400), ("2026-11-24T18:30", 23400),
        ("2026-11-24 18:30:15", 23415),
    ]

    @Test("accepted forms", arguments: acceptedForms)
    func accepted(_ text: String, _ offset: Double) throws {
        #expect(try AtTime.parse(text, zone: zone, now: now) == now.addingTimeInterval(offset))
    }

    @Test("refused forms", arguments: ["2026-11-23T18:30", "yesterday", "+5x", "18:30", "2026-13-01T10:00", ""])
    func refused(_ text: String) {
        #expect(throws: SchedulingError.self) { try AtTime.parse(text, zone: zone, now: now) }
    }

    @Test("a past --at says it is in the past")
    func pastMessage() {
        do {
            _ = try AtTime.parse("2026-11-23T18:30", zone: zone, now: now)
            Issue.record("accepted a past time")
        } catch {
            #expect((error as? LocalizedError)?.errorDescription?.contains("is in the past") == true)
        }
    }
}

/// Timing found wrong in the coach's review (issue 20). Dates are computed from now or read
/// from the generated holiday data, so nothing here passes with the calendar.
@Suite("Timing: regions, days off, clock changes, quiet weeks")
struct TimingReviewTests {
    static let london = TimeZone(identifier: "Europe/London")!

    /// The next `weekday` (1 = Sunday) at `hour`:`minute` in `zone`, at least two days from now.
    static func next(_ weekday: Int, hour: Int, minute: Int = 0, in zone: TimeZone, after: Date = Date()) -> Date {
        let calendar = Calendar.gregorian(in: zone)
        var day = calendar.startOfDay(for: after.addingTimeInterval(2 * 86400))
        while calendar.component(.weekday, from: day) != weekday { day = calendar.date(byAdding: .day, value: 1, to: day)! }
        return calendar.date(bySettingHour: hour, minute: minute, second: 0, of: day)!
    }

    @Test("holidays: auto reads Europe/London as England: its bank holidays the UK-wide list lacks are days off")
    func england() throws {
        #expect(HolidayCalendar.country(ofZone: "Europe/London") == "GB-ENG")
        let english = HolidayCalendar.days(of: "GB-ENG"), ukWide = HolidayCalendar.days(of: "GB")
        let only = try #require(english.keys.filter { ukWide[$0] == nil }.min(), "England has days the UK-wide list lacks")
        let rules = HolidayRules(fallback: .init(regions: ["auto"]))
        #expect(rules.holiday(on: only, zone: Self.london)?.contains("GB-ENG") == true)
        #expect(rules.describe(zone: Self.london) == "England (GB-ENG), picked from the reader's zone Europe/London", "fuq show says whose holidays")
    }

    @Test("a holiday next to the weekend does not refuse the note: days off do not count toward the 72 hours")
    func longWeekend() throws {
        let india = TimeZone(identifier: "Asia/Kolkata")!
        let end = Self.next(5, hour: 20, in: india)                       // a Thursday, 20:00
        let friday = LocalDate(end.addingTimeInterval(86400), calendar: .gregorian(in: india))
        let policy = SendWindowPolicy(holidays: HolidayRules(fallback: .init(dates: [friday])))
        let s = try policy.schedule(interviewEnd: end, zone: india, now: end.addingTimeInterval(600), seed: 7)
        let calendar = Calendar.gregorian(in: india)
        #expect(calendar.component(.weekday, from: s.due) == 2, "Monday's morning: \(s.reason)")
        #expect(s.due.timeIntervalSince(end) > 72 * 3600 && s.latest >= s.due)
    }

    @Test("a note queued after its latest time says so without a backwards range")
    func queuedAfterLatest() throws {
        let zone = TimeZone(identifier: "America/New_York")!
        let end = Self.next(3, hour: 15, in: zone)
        let error = try #require(throws: SchedulingError.self) {
            try SendWindowPolicy().schedule(interviewEnd: end, zone: zone, now: end.addingTimeInterval(8 * 86400), seed: 1)
        }
        let text = error.errorDescription ?? ""
        #expect(text.contains("after its latest acceptable time") && !text.contains(" between "), "\(text)")
    }

    @Test("on the night the clocks go back, the earliest time carries its own zone abbreviation")
    func fallBack() throws {
        let zone = TimeZone(identifier: "America/Chicago")!
        // The first Sunday of November after now, 01:30 before the change (CDT).
        var calendar = Calendar.gregorian(in: zone)
        calendar.timeZone = zone
        var year = calendar.component(.year, from: Date())
        if calendar.component(.month, from: Date()) >= 11 { year += 1 }
        var day = calendar.date(from: DateComponents(year: year, month: 11, day: 1))!
        while calendar.component(.weekday, from: day) != 1 { day = calendar.date(byAdding: .day, value: 1, to: day)! }
        let end = zone.nextDaylightSavingTimeTransition(after: day)!.addingTimeInterval(-1800)   // 01:30 CDT
        let s = try SendWindowPolicy().schedule(interviewEnd: end, zone: zone, now: end, seed: 3)
        #expect(s.reason.contains("01:30 CDT; earliest") && s.reason.contains("01:30 CST"), "\(s.reason)")
    }

    @Test("queued half an hour after the earliest time, with the window still open, is not 'late'")
    func notLate() throws {
        let zone = TimeZone(identifier: "America/New_York")!
        let end = Self.next(3, hour: 17, in: zone)                          // Wednesday 17:00: the evening opens at 18:00
        let s = try SendWindowPolicy().schedule(interviewEnd: end, zone: zone, now: end.addingTimeInterval(5400), seed: 5)
        #expect(!s.reason.contains("late"), "\(s.reason)")
        let late = try SendWindowPolicy().schedule(interviewEnd: end, zone: zone, now: end.addingTimeInterval(6 * 3600), seed: 5)
        #expect(late.reason.contains("enqueued late"), "\(late.reason)")
    }

    @Test("a follow-up is never planned in the year-end weeks nor on the eve of the reader's holiday; the why says so")
    func quietWeeks() throws {
        let zone = TimeZone(identifier: "America/New_York")!
        let calendar = Calendar.gregorian(in: zone)
        var year = calendar.component(.year, from: Date())
        if calendar.component(.month, from: Date()) == 12 && calendar.component(.day, from: Date()) > 17 { year += 1 }
        let sent = calendar.date(from: DateComponents(year: year, month: 12, day: 18, hour: 10))!
        let policy = SendWindowPolicy()
        let s = policy.followUpSchedule(parentSent: sent, provisional: false, nudge: 1, decisionBy: nil, zone: zone, seed: 9, now: sent)
        let parts = calendar.dateComponents([.month, .day], from: s.due)
        #expect(!(parts.month == 12 && parts.day! >= 24) && !(parts.month == 1 && parts.day == 1), "\(s.due): \(s.reason)")
        #expect(s.due > sent.addingTimeInterval(7 * 86400) && s.reason.contains("quiet weeks"), "\(s.reason)")

        // A Tuesday holiday: the Monday before is its eve, the follow-up goes after it.
        let monday = Self.next(2, hour: 10, in: zone)
        let tuesday = LocalDate(monday.addingTimeInterval(86400), calendar: calendar)
        let eve = SendWindowPolicy(holidays: HolidayRules(fallback: .init(dates: [tuesday])))
        let f = eve.followUpSchedule(parentSent: monday.addingTimeInterval(-7 * 86400), provisional: false, nudge: 1, decisionBy: nil,
                                     zone: zone, seed: 9, now: monday.addingTimeInterval(-7 * 86400))
        #expect(calendar.component(.weekday, from: f.due) == 4, "Wednesday, after the holiday and its eve: \(f.reason)")
        #expect(f.reason.contains("the business day before"), "\(f.reason)")
    }
}
