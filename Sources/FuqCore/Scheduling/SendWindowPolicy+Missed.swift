import Foundation

/// What to do with a message whose due time passed while nothing was running
/// (etiquette.md rule 7: a missed window is not sent at 3 a.m.).
public enum CatchUp: Equatable, Sendable {
    /// It is on time, or now is still inside a valid window before its latest time: send.
    case sendNow
    /// Move it to the next valid window, still before its latest time.
    case move(due: Date, reason: String)
    /// No valid window is left before its latest time: it waits for the user.
    case expire(reason: String)
}

extension SendWindowPolicy {
    /// A message due more than this long ago was missed (fuq was not running, or the machine
    /// slept), rather than merely picked up a little late.
    public static let missedGrace: TimeInterval = 60

    /// When a note the user released (`fuq retry`) goes: now if now lies inside a send window
    /// on the reader's clock, else at their next window — never at night for them.
    public func releaseTime(now: Date, zone: TimeZone, interviewEnd: Date, seed: UInt64) -> Date {
        if isInsideWindow(now, zone: zone) { return now }
        return nextSensible(interviewEnd: interviewEnd, zone: zone, now: now, seed: seed) ?? now
    }

    /// Decides a due message's fate: a pure function of its due and latest times, the
    /// interview end, the recipient's zone, this policy, a stable seed and now.
    public func catchUp(due: Date, latest: Date, interviewEnd: Date, zone: TimeZone, now: Date, seed: UInt64) -> CatchUp {
        guard now.timeIntervalSince(due) > Self.missedGrace else { return .sendNow }
        let fmt = DateFormatting.dayTime(in: zone)
        let missed = "missed \(fmt.string(from: due)) \(DateFormatting.abbreviation(zone, at: due)) while fuq was not sending (stopped, asleep or paused)"
        let latestText = DateFormatting.fullMoment(latest, in: zone, now: now)
        if now >= latest {
            return .expire(reason: "\(missed); its latest acceptable time \(latestText) has passed")
        }
        if isInsideWindow(now, zone: zone) { return .sendNow }
        guard let next = try? schedule(interviewEnd: interviewEnd, zone: zone, now: now, seed: seed, latestOverride: latest),
              next.due <= latest else {
            return .expire(reason: "\(missed); no send window is left before its latest acceptable time \(latestText)")
        }
        let time = DateFormatting.time(in: zone, seconds: false)
        return .move(due: next.due, reason: "\(missed); moved to the next window, \(next.windowKind.rawValue) "
            + "\(fmt.string(from: next.windowStart))–\(time.string(from: next.windowEnd)) \(zone.identifier); chose \(time.string(from: next.due))")
    }
}
