import Foundation
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
}
