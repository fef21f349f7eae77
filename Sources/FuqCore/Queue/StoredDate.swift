import Foundation

/// A date as the queue stores it: "2026-11-24 18:23:41.123", UTC — the text GRDB writes for a
/// `Date` (rounded to the millisecond, as its formatter does), built without a `DateFormatter`:
/// the delivery loop writes several per note, and formatting through ICU was a tenth of its time.
enum StoredDate {
    static func text(_ date: Date) -> String {
        let ms = Int((date.timeIntervalSince1970 * 1000).rounded())
        let days = ZoneClock.floorDiv(ms, 86_400_000)
        let inDay = ms - days * 86_400_000
        let (y, m, d) = ZoneClock.civil(days)
        var text = ""
        text.reserveCapacity(23)
        ZoneClock.appendDay(&text, y, m, d)
        text += " "
        ZoneClock.appendTime(&text, inDay / 3_600_000, inDay / 60_000 % 60, inDay / 1000 % 60)
        text += "."
        ZoneClock.append(&text, inDay % 1000, 3)
        return text
    }

    static func text(_ date: Date?) -> String? { date.map { text($0) } }
}
