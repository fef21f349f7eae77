import Foundation
import Testing
@testable import FuqCore

/// etiquette.md rule 7: a missed window is not sent at 3 a.m. The decision is a pure function
/// of (due, latest, interview end, zone, policy, now).
@Suite("Missed windows")
struct MissedWindowTests {
    struct Case: CustomTestStringConvertible, Sendable {
        enum Expect: Sendable, Equatable { case sendNow, moved(day: String, kind: DailyWindow.Kind), expired }
        var name: String
        var end = "2026-11-24T15:00"      // a Tuesday, New York
        var due = "2026-11-24T18:23"
        var latest = "2026-11-25T09:30"
        var now: String
        var expect: Expect
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        .init(name: "picked up 30 s late → on time, send", now: "2026-11-24T18:23:30", expect: .sendNow),
        .init(name: "missed by an hour, still inside the evening window → send", now: "2026-11-24T19:30", expect: .sendNow),
        .init(name: "machine back at 02:00 → next morning window, not now", now: "2026-11-25T02:00", expect: .moved(day: "2026-11-25", kind: .morning)),
        .init(name: "back at 21:30, after the evening window → next morning", now: "2026-11-24T21:30", expect: .moved(day: "2026-11-25", kind: .morning)),
        .init(name: "back at 09:20, inside the last morning window before latest → send", now: "2026-11-25T09:20", expect: .sendNow),
        .init(name: "back at 10:00, after latest → expired", now: "2026-11-25T10:00", expect: .expired),
        .init(name: "back at 09:00 with latest already at 08:00 → expired", latest: "2026-11-25T08:00", now: "2026-11-25T09:00", expect: .expired),
        .init(name: "Friday evening missed, back Saturday morning → Monday morning",
              end: "2026-11-27T15:00", due: "2026-11-27T18:40", latest: "2026-11-30T09:30", now: "2026-11-28T08:00",
              expect: .moved(day: "2026-11-30", kind: .morning)),
        .init(name: "Friday evening missed, back Saturday morning, latest Saturday → expired, never a weekend",
              end: "2026-11-27T15:00", due: "2026-11-27T18:40", latest: "2026-11-28T12:00", now: "2026-11-28T08:00",
              expect: .expired),
    ]

    @Test("missed-window decisions", arguments: cases)
    func decide(_ c: Case) throws {
        let zone = TimeZone(identifier: "America/New_York")!
        let now = instant(c.now, zone.identifier)
        let result = SendWindowPolicy.standard.catchUp(
            due: instant(c.due, zone.identifier), latest: instant(c.latest, zone.identifier),
            interviewEnd: instant(c.end, zone.identifier), zone: zone, now: now, seed: 42)
        switch (c.expect, result) {
        case (.sendNow, .sendNow): break
        case (.expired, .expire(let reason)):
            #expect(reason.contains("missed"))
        case (.moved(let day, let kind), .move(let due, let reason)):
            #expect(due > now)
            #expect(due <= instant(c.latest, zone.identifier))
            #expect(SendWindowPolicy.standard.isInsideWindow(due, zone: zone), "moved into a window")
            let f = DateFormatting.formatter("yyyy-MM-dd", zone)
            #expect(f.string(from: due) == day)
            #expect(reason.contains("missed") && reason.contains(kind.rawValue), "\(reason)")
        default:
            Issue.record("expected \(c.expect), got \(result)")
        }
    }
}
