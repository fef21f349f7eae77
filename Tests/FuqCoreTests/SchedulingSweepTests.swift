import Foundation
import Testing
@testable import FuqCore

/// Panels of every size, times in every zone, holidays, abbreviations and DST edges.
@Suite("scheduling sweeps")
struct SchedulingSweepTests {
    static func localMinute(_ date: Date, _ zone: TimeZone) -> Int {
        Calendar.gregorian(in: zone).component(.minute, from: date)
    }

    /// Checks what a reader and their mail server would notice about a panel's schedule.
    static func checkPanel(_ schedules: [SendSchedule], zones: [TimeZone], end: Date, context: String) {
        let policy = SendWindowPolicy.standard
        let dues = schedules.map(\.due).sorted()
        for (a, b) in zip(dues, dues.dropFirst()) where b.timeIntervalSince(a) < 180 {
            Issue.record("\(context): \(a) and \(b) are less than 3 minutes apart")
            return
        }
        for (s, zone) in zip(schedules, zones) {
            guard policy.isInsideWindow(s.due, zone: zone), s.due >= end.addingTimeInterval(3600), s.due < s.latest,
                  ![0, 30].contains(localMinute(s.due, zone)) else {
                Issue.record("\(context): \(s.due) in \(zone.identifier) is outside a window, too early, past its latest or on :00/:30 — \(s.reason)")
                return
            }
        }
    }

    @Test("panels of 2–60 ending at every quarter hour of an afternoon and evening are all scheduled inside windows, 3 min apart",
          arguments: [["America/New_York"], ["America/New_York", "Europe/London", "Asia/Kathmandu"]])
    func panelsAlwaysFit(_ zoneNames: [String]) throws {
        let home = TimeZone(identifier: "America/New_York")!
        // A Tuesday: the evening, the next morning and the following days' windows are all business days.
        let day = instant("2026-11-24T00:00", "America/New_York")
        for quarter in (14 * 4)..<(24 * 4) {
            let end = day.addingTimeInterval(Double(quarter) * 900)
            for size in 2...60 {
                let zones = (0..<size).map { TimeZone(identifier: zoneNames[$0 % zoneNames.count])! }
                let members = zones.enumerated().map { PanelMember(zone: $1, seed: stableHash("person-\($0)@\(size)")) }
                let context = "panel of \(size) ending \(DateFormatting.fullMoment(end, in: home, now: end))"
                let schedules = try SendWindowPolicy.standard.schedulePanel(
                    interviewEnd: end, members: members, panelSeed: stableHash(context), now: end, interviewZone: home)
                #expect(schedules.count == size)
                Self.checkPanel(schedules, zones: zones, end: end, context: context)
            }
        }
    }

    @Test("a note that does not fit its first window goes to the next one, and says so")
    func overflowIsExplained() throws {
        let zone = TimeZone(identifier: "America/New_York")!
        let end = instant("2026-11-24T19:00", "America/New_York")
        let members = (0..<30).map { PanelMember(zone: zone, seed: stableHash("m\($0)")) }
        let schedules = try SendWindowPolicy.standard.schedulePanel(interviewEnd: end, members: members, panelSeed: 5, now: end)
        let evening = schedules.filter { $0.windowKind == .evening }
        let spilled = schedules.filter { $0.windowKind == .morning }
        #expect(!evening.isEmpty && !spilled.isEmpty, "the evening holds 20:00–21:00 only, about 19 notes")
        for s in spilled {
            #expect(s.reason.contains("was full with this panel's other notes"), "\(s.reason)")
            #expect(s.reason.contains("next window: Wed morning 07:30–09:30"), "\(s.reason)")
        }
    }

    @Test("no due minute is :00 or :30 on the reader's clock, over 10,000 seeded schedules in every zone")
    func neverOnTheHalfHour() throws {
        var rng = SeededGenerator(state: 20261126)
        let zones = TimeZone.knownTimeZoneIdentifiers.compactMap(TimeZone.init(identifier:))
            + ["Asia/Kathmandu", "Asia/Kolkata", "Australia/Eucla", "Pacific/Chatham"].compactMap(TimeZone.init(identifier:))
        let base = instant("2026-11-24T00:00", "UTC")
        var checked = 0
        for _ in 0..<10_000 {
            let zone = zones[Int.random(in: 0..<zones.count, using: &rng)]
            let end = base.addingTimeInterval(Double(Int.random(in: 0..<(366 * 86400), using: &rng)))
            let seed = rng.next()
            guard let s = try? SendWindowPolicy.standard.schedule(interviewEnd: end, zone: zone, now: end, seed: seed) else { continue }
            checked += 1
            let minute = Self.localMinute(s.due, zone)
            #expect(minute != 0 && minute != 30, "\(s.due) is minute \(minute) in \(zone.identifier): \(s.reason)")
            if minute == 0 || minute == 30 { return }
        }
        // Weekends and long holidays refuse some; most are scheduled.
        #expect(checked > 7_000)
    }

    @Test("abbreviations come from the tz database, the same in every line", arguments: [
        ("Asia/Tokyo", "2026-11-24T12:00", "JST"), ("Asia/Kolkata", "2026-11-24T12:00", "IST"),
        ("Europe/Berlin", "2026-11-24T12:00", "CET"), ("Europe/Berlin", "2026-07-01T12:00", "CEST"),
        ("America/New_York", "2026-07-01T12:00", "EDT"), ("Australia/Sydney", "2026-12-01T12:00", "AEDT"),
        ("Asia/Kathmandu", "2026-11-24T12:00", "UTC+5:45"), ("America/Sao_Paulo", "2026-11-24T12:00", "UTC-3"),
        ("US/Eastern", "2026-11-24T12:00", "EST"),
    ])
    func abbreviations(_ zoneName: String, _ when: String, _ expected: String) {
        let zone = TimeZone(identifier: zoneName)!
        #expect(DateFormatting.abbreviation(zone, at: instant(when, zoneName)) == expected)
    }

    @Test("a reader in Tokyo of a New York interview: the end on the interview's clock, the rest on theirs")
    func twoClocksInOneReason() throws {
        let end = instant("2026-11-23T15:30", "America/New_York")
        let tokyo = TimeZone(identifier: "Asia/Tokyo")!
        let s = try SendWindowPolicy.standard.schedule(interviewEnd: end, zone: tokyo, now: end, seed: 1,
                                                       interviewZone: TimeZone(identifier: "America/New_York")!)
        #expect(s.reason.hasPrefix("interview ended Mon 15:30 EST (America/New_York); earliest Tue 06:30 JST; first window: Tue morning"), "\(s.reason)")
        #expect(!s.reason.contains("GMT"))
    }
}

@Suite("holidays")
struct HolidayTests {
    static func config(_ holidays: String) throws -> FuqConfig {
        try FuqConfig.parse("policy:\n  holidays: \(holidays)\n", file: "config.yaml")
    }

    @Test("holidays: US — no note on Thanksgiving morning for a US reader; the reason names the day")
    func thanksgiving() throws {
        let policy = try Self.config("US").policy
        let zone = TimeZone(identifier: "America/New_York")!
        // Wednesday evening before Thanksgiving 2026, too late for the evening window.
        let end = instant("2026-11-25T20:30", "America/New_York")
        let s = try policy.schedule(interviewEnd: end, zone: zone, now: end, seed: 3)
        #expect(LocalDate(s.due, calendar: .gregorian(in: zone)) == LocalDate(2026, 11, 27))
        #expect(s.reason.contains("skipped Thu 26 Nov: Thanksgiving Day (US)"), "\(s.reason)")
        // Without the opt-in, Thursday morning is a business day.
        let plain = try SendWindowPolicy.standard.schedule(interviewEnd: end, zone: zone, now: end, seed: 3)
        #expect(LocalDate(plain.due, calendar: .gregorian(in: zone)) == LocalDate(2026, 11, 26))
    }

    @Test("holidays per zone: a section by time zone with default; auto takes the reader's country")
    func perZone() throws {
        let rules = try Self.config("{default: [US, 2026-12-24], Europe/London: GB-ENG, Asia/Kolkata: auto}").policy.holidays
        let ny = TimeZone(identifier: "America/New_York")!, london = TimeZone(identifier: "Europe/London")!
        let kolkata = TimeZone(identifier: "Asia/Kolkata")!, tokyo = TimeZone(identifier: "Asia/Tokyo")!
        #expect(rules.holiday(on: LocalDate(2026, 11, 26), zone: ny) == "Thanksgiving Day (US)")
        #expect(rules.holiday(on: LocalDate(2026, 12, 24), zone: ny) == "holiday")
        #expect(rules.holiday(on: LocalDate(2026, 11, 26), zone: london) == nil)
        #expect(rules.holiday(on: LocalDate(2026, 12, 28), zone: london) != nil, "Boxing Day (observed) in England")
        #expect(rules.holiday(on: LocalDate(2027, 1, 26), zone: kolkata)?.hasPrefix("Republic Day") == true)
        #expect(rules.holiday(on: LocalDate(2026, 11, 26), zone: tokyo) == "Thanksgiving Day (US)", "default applies elsewhere")
        let auto = try Self.config("auto").policy.holidays
        #expect(auto.holiday(on: LocalDate(2026, 11, 26), zone: TimeZone(identifier: "US/Pacific")!) == "Thanksgiving Day (US)")
        #expect(auto.holiday(on: LocalDate(2026, 11, 26), zone: london) == nil)
    }

    @Test("unknown regions and zones are refused at their line with the known ones", arguments: [
        ("XX", "known regions"), ("us-ny", "known regions"), ("2026-13-01", "ISO date"), ("{Mars/Base: US}", "unknown time zone Mars/Base"),
    ])
    func refused(_ text: String, _ expected: String) {
        #expect {
            try Self.config(text)
        } throws: { error in
            "\(error)".contains("config.yaml:2") && "\(error)".contains(expected)
        }
    }

    @Test("every shipped region has holidays in every year of the data")
    func dataCoversItsYears() {
        for region in HolidayCalendar.regions {
            let years = Set(HolidayCalendar.days(of: region).keys.map(\.year))
            #expect(years == Set(HolidayCalendar.years), "\(region): \(years.sorted())")
        }
        for required in ["US", "GB", "CA", "DE", "FR", "IN", "AU"] {
            #expect(HolidayCalendar.name(of: required) != nil)
        }
    }
}

@Suite("daylight saving edges")
struct DaylightSavingTests {
    /// The next spring-forward and fall-back nights in New York, from now (nothing rots).
    static func transitions() -> (gap: Date, back: Date) {
        let ny = TimeZone(identifier: "America/New_York")!
        var gap: Date?, back: Date?
        var from = Date()
        while gap == nil || back == nil {
            let t = ny.nextDaylightSavingTimeTransition(after: from)!
            if ny.isDaylightSavingTime(for: t) { gap = gap ?? t } else { back = back ?? t }
            from = t
        }
        return (gap!, back!)
    }

    @Test("a wall time in the spring-forward gap gets its own message, in a file and in --at")
    func gap() throws {
        let ny = TimeZone(identifier: "America/New_York")!
        let (gap, _) = Self.transitions()
        let text = DateFormatting.formatter("yyyy-MM-dd", ny).string(from: gap) + "T02:30"
        guard case .gap(let detail) = LocalDateTime.read(text, defaultZone: ny) else {
            Issue.record("\(text) was read as an instant")
            return
        }
        #expect(detail.contains("\(text) is skipped in America/New_York: the clocks jump from 02:00 to 03:00 that night (EST to EDT)"), "\(detail)")
        #expect {
            try AtTime.parse(text, zone: ny, now: gap.addingTimeInterval(-86400 * 3))
        } throws: { error in
            (error as? SchedulingError)?.errorDescription?.contains("is not a time on the reader's clock: \(text) is skipped in America/New_York") == true
        }
    }

    @Test("a wall time that happens twice says which one fuq took")
    func ambiguous() throws {
        let ny = TimeZone(identifier: "America/New_York")!
        let (_, back) = Self.transitions()
        let text = DateFormatting.formatter("yyyy-MM-dd", ny).string(from: back) + "T01:30"
        guard case .instant(let date, let note?) = LocalDateTime.read(text, defaultZone: ny) else {
            Issue.record("\(text) gave no note")
            return
        }
        #expect(ny.isDaylightSavingTime(for: date), "the first 01:30 is the EDT one")
        #expect(note.contains("happens twice") && note.contains("fuq took the first, EDT (-04:00)") && note.contains("\(text)-05:00"), "\(note)")
        // A time the clocks do not touch has no note.
        let plain = DateFormatting.formatter("yyyy-MM-dd", ny).string(from: back) + "T12:30"
        #expect(LocalDateTime.read(plain, defaultZone: ny) == .instant(instant(plain, "America/New_York"), note: nil))
    }

    @Test("RFC 3339 without seconds, with an offset, is accepted", arguments: ["T08:00+02:00", "T08:00Z", "T08:00-0500"])
    func noSeconds(_ suffix: String) {
        let day = DateFormatting.formatter("yyyy-MM-dd", .gmt).string(from: Date().addingTimeInterval(86400))
        #expect(LocalDateTime.parse(day + suffix, defaultZone: .gmt) != nil, "\(day + suffix)")
    }
}
