import Foundation
import GRDB
import Testing
@testable import FuqCore

/// `status` writes its times without Foundation's formatters (see `ZoneClock`); these must be
/// the very texts the formatters give, across offsets, DST changes and odd zones.
@Suite("Zone clock")
struct ZoneClockTests {
    static let zones = ["UTC", "America/New_York", "Europe/London", "Asia/Kathmandu", "Australia/Lord_Howe", "America/St_Johns",
                        "Pacific/Chatham", "Asia/Tokyo", "America/Sao_Paulo", "Africa/Casablanca"]

    @Test("ISO 8601 and the table's moment match Foundation's formatters", arguments: zones)
    func matchesFoundation(identifier: String) throws {
        let zone = try #require(TimeZone(identifier: identifier))
        let iso = ISO8601DateFormatter()
        iso.timeZone = zone
        iso.formatOptions = [.withInternetDateTime]
        let wall = DateFormatter()
        wall.locale = Locale(identifier: "en_US_POSIX")
        wall.timeZone = zone
        wall.dateFormat = "EEE d MMM yyyy HH:mm"
        var rng = SeededGenerator(state: 20261124)
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        // Random instants from 1990 to 2060 (fractions of a second included), in a random order
        // so the clock's span cache is also hit from both sides.
        for _ in 0..<3000 {
            let date = Date(timeIntervalSince1970: Double.random(in: 631_152_000...2_840_140_800, using: &rng).rounded(.down) + 0.999 * Double.random(in: 0...1, using: &rng))
            #expect(DateFormatting.iso8601(date, in: zone) == iso.string(from: date), "\(identifier) \(date.timeIntervalSince1970)")
            let expected = wall.string(from: date) + " " + DateFormatting.abbreviation(zone, at: date)
            let moment = ZoneClock.of(zone).moment(date, now: date.addingTimeInterval(400 * 86400))
            #expect(moment == expected, "\(identifier) \(date.timeIntervalSince1970)")
        }
        // Around every transition of the next years: a second before, at, and after.
        var cursor = now
        for _ in 0..<12 {
            guard let transition = zone.nextDaylightSavingTimeTransition(after: cursor) else { break }
            for delta in [-1.0, 0, 1, -3600, 3600] {
                let date = transition.addingTimeInterval(delta)
                #expect(DateFormatting.iso8601(date, in: zone) == iso.string(from: date), "\(identifier) \(date.timeIntervalSince1970)")
            }
            cursor = transition
        }
    }

    @Test("the year appears only when it is not now's year on that clock")
    func yearOnlyWhenDifferent() throws {
        let zone = try #require(TimeZone(identifier: "Asia/Tokyo"))
        let date = Date(timeIntervalSince1970: 1_798_729_200)  // 2027-01-01 00:00 JST = 2026-12-31 15:00 UTC
        #expect(DateFormatting.fullMoment(date, in: zone, now: date) == "Fri 1 Jan 00:00 JST")
        #expect(DateFormatting.fullMoment(date, in: zone, now: date.addingTimeInterval(-86400)) == "Fri 1 Jan 2027 00:00 JST")
    }

    @Test("the Date header matches Foundation's RFC 5322 format", arguments: zones)
    func rfc5322MatchesFoundation(identifier: String) throws {
        let zone = try #require(TimeZone(identifier: identifier))
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        var rng = SeededGenerator(state: 20261126)
        for _ in 0..<2000 {
            let date = Date(timeIntervalSince1970: Double.random(in: 631_152_000...2_840_140_800, using: &rng))
            #expect(MIMEComposer.rfc5322Date(date, zone: zone) == formatter.string(from: date), "\(identifier) \(date.timeIntervalSince1970)")
        }
    }

    @Test("a stored date is the text GRDB writes for it, to the millisecond")
    func storedDateMatchesGRDB() {
        var rng = SeededGenerator(state: 7)
        for _ in 0..<5000 {
            let date = Date(timeIntervalSince1970: Double.random(in: 0...4_102_444_800, using: &rng))
            #expect(StoredDate.text(date) == String.fromDatabaseValue(date.databaseValue), "\(date.timeIntervalSince1970)")
        }
        #expect(StoredDate.text(Date(timeIntervalSince1970: 0)) == "1970-01-01 00:00:00.000")
        #expect(StoredDate.text(Date(timeIntervalSince1970: 1_795_000_000.25)) == "2026-11-18 11:06:40.250")
    }

    @Test("whether the day's wording still holds agrees with the wording itself", arguments: zones)
    func samePhraseAgreesWithPhrase(identifier: String) throws {
        let zone = try #require(TimeZone(identifier: identifier))
        var rng = SeededGenerator(state: 11)
        for _ in 0..<1500 {
            let event = Date(timeIntervalSince1970: Double.random(in: 1_700_000_000...1_900_000_000, using: &rng))
            let first = event.addingTimeInterval(Double.random(in: -3600...(12 * 86400), using: &rng))
            let second = first.addingTimeInterval(Double.random(in: 0...(3 * 86400), using: &rng))
            let calendar = Calendar.gregorian(in: zone)
            let days = calendar.dateComponents([.day], from: calendar.startOfDay(for: event), to: calendar.startOfDay(for: first)).day
            #expect(RelativeDay.daysBetween(event, first, zone) == days, "\(identifier) \(event) \(first)")
            let same = RelativeDay.phrase(for: event, readAt: first, zone: zone) == RelativeDay.phrase(for: event, readAt: second, zone: zone)
            #expect(RelativeDay.samePhrase(for: event, readAt: first, and: second, zone: zone) == same, "\(identifier) \(event) \(first) \(second)")
        }
    }
}
