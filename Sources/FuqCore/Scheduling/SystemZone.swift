import Foundation

/// The user's own time zone, as fuq can use it. Foundation quietly turns a `TZ` it cannot
/// read (`America/NewYork`, `Nowhere/Bogus`, `<+0545>-5:45`) into GMT; fuq must not, or an
/// interview's end read on that clock sends a note at 03:52 for a New York reader.
public enum SystemZone: Equatable, Sendable {
    /// A zone fuq knows, by the IANA name fuq writes (`UTC`, never Foundation's `GMT`).
    case zone(TimeZone, name: String)
    /// `TZ` names nothing fuq can use: the text as set.
    case unusable(tz: String)

    /// Reads `TZ` when it is set (an IANA name, with or without glibc's leading `:`, or a path
    /// into the zoneinfo folder), else the system's zone (`/etc/localtime`).
    public static func read(environment: [String: String] = ProcessInfo.processInfo.environment,
                            systemIdentifier: @autoclosure () -> String = TimeZone.current.identifier) -> SystemZone {
        if let tz = environment["TZ"] {
            var name = tz.hasPrefix(":") ? String(tz.dropFirst()) : tz
            // glibc reads an empty TZ as UTC.
            if name.isEmpty { return .zone(TimeZoneName.lookup("UTC")!, name: "UTC") }
            if name.hasPrefix("/"), let range = name.range(of: "/zoneinfo/") { name = String(name[range.upperBound...]) }
            if let zone = TimeZoneName.lookup(name) { return .zone(zone, name: zone.identifier == "Etc/UTC" ? "UTC" : name) }
            return .unusable(tz: tz)
        }
        let identifier = systemIdentifier()
        if ["GMT", "UTC", "Etc/GMT", "Etc/UTC", "Universal", "Zulu", "GMT0"].contains(identifier) {
            return .zone(TimeZoneName.lookup("UTC")!, name: "UTC")
        }
        if let zone = TimeZoneName.lookup(identifier) { return .zone(zone, name: identifier) }
        return .unusable(tz: identifier)
    }

    /// The zone to show the user's own times in: UTC when `TZ` is unusable (said as UTC).
    public var displayZone: TimeZone {
        switch self {
        case .zone(let zone, _): return zone
        case .unusable: return TimeZoneName.lookup("UTC")!
        }
    }

    public var isUsable: Bool {
        if case .zone = self { return true }
        return false
    }
}
