import Foundation

/// Windows time zone names (Outlook, Exchange, Teams write them as TZIDs) to IANA names, from
/// CLDR's windowsZones.xml (Debian `unicode-cldr-core`), read once, lazily. CLDR keeps some old
/// IANA names (Asia/Calcutta); the tz database's links (`tzdata.zi`) give today's.
public enum WindowsZones {
    public static let defaultPath = "/usr/share/unicode/cldr/common/supplemental/windowsZones.xml"
    static let tzdataPath = "/usr/share/zoneinfo/tzdata.zi"

    /// Windows name (and the display names in CLDR's comments, "(UTC-05:00) Eastern Time (US &
    /// Canada)", which Outlook 2007 wrote as TZIDs), lowercased, to an IANA name.
    nonisolated(unsafe) private static var table: [String: String]?
    /// The IANA names in CLDR's order (for a guess from offsets: the first that fits).
    nonisolated(unsafe) private static var order: [String] = []
    private static let lock = NSLock()

    /// The IANA name for a Windows zone name, or nil (unknown, or the CLDR file is missing).
    public static func iana(for windowsName: String, path: String = ProcessInfo.processInfo.environment["FUQ_WINDOWS_ZONES"] ?? defaultPath) -> String? {
        lock.withLock {
            if table == nil { (table, order) = load(path) }
            return table?[normalised(windowsName)]
        }
    }

    /// Every IANA name CLDR maps a Windows zone to, in the file's order.
    public static func zonesInOrder(path: String = ProcessInfo.processInfo.environment["FUQ_WINDOWS_ZONES"] ?? defaultPath) -> [String] {
        lock.withLock {
            if table == nil { (table, order) = load(path) }
            return order
        }
    }

    /// Whether the CLDR data is there (`fuq doctor`, and the refusal's hint).
    public static var isAvailable: Bool { FileManager.default.isReadableFile(atPath: ProcessInfo.processInfo.environment["FUQ_WINDOWS_ZONES"] ?? defaultPath) }

    static func normalised(_ name: String) -> String {
        name.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")).lowercased()
    }

    static func load(_ path: String) -> ([String: String], [String]) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return ([:], []) }
        var order: [String] = []
        let links = tzLinks()
        var map: [String: String] = [:]
        var display: String?
        for line in text.split(separator: "\n") {
            let l = line.trimmingCharacters(in: .whitespaces)
            if l.hasPrefix("<!--"), l.hasSuffix("-->") {
                display = String(l.dropFirst(4).dropLast(3)).trimmingCharacters(in: .whitespaces)
                    .replacingOccurrences(of: "&amp;", with: "&")
                continue
            }
            guard l.hasPrefix("<mapZone"), l.contains("territory=\"001\""),
                  let other = attribute("other", in: l), let type = attribute("type", in: l),
                  let first = type.split(separator: " ").first else { continue }
            let zone = links[String(first)] ?? String(first)
            map[normalised(other)] = zone
            if let display { map[normalised(display)] = zone }
            if !order.contains(zone) { order.append(zone) }
        }
        return (map, order)
    }

    private static func attribute(_ name: String, in line: String) -> String? {
        guard let start = line.range(of: "\(name)=\"") else { return nil }
        let rest = line[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end]).replacingOccurrences(of: "&amp;", with: "&")
    }

    /// Old name → current name, from the tz database's `L CURRENT OLD` lines.
    static func tzLinks() -> [String: String] {
        guard let text = try? String(contentsOfFile: tzdataPath, encoding: .utf8) else { return [:] }
        var links: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("L ") {
            let parts = line.split(separator: " ")
            if parts.count == 3 { links[String(parts[2])] = String(parts[1]) }
        }
        return links
    }
}
