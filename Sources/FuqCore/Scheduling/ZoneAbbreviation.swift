import Foundation

/// The short names of the tz database ("JST", "IST", "CET", "AEDT"), the ones `date +%Z`
/// prints. Foundation on Linux knows only a few ("EST") and prints "GMT+9" for the rest, so
/// one reason line could say "GMT+9" where the next says "JST". Read from the zone's TZif file.
enum ZoneAbbreviation {
    /// The abbreviation in force at `date`; a numeric one ("+0545", "-03") is written
    /// "UTC+5:45", "UTC-3"; nil when the tz database has no file for the zone.
    static func name(_ zone: TimeZone, at date: Date) -> String? {
        let offset = zone.secondsFromGMT(for: date)
        // Foundation names UTC "GMT"; the user wrote UTC (or TZ=UTC), and UTC it stays.
        if DateFormatting.zoneName(zone) == "UTC" { return "UTC" }
        let dst = zone.isDaylightSavingTime(for: date)
        guard let table = tables.value(for: zone.identifier, make: { load(zone.identifier) }) else { return nil }
        // The latest type with this offset and DST flag (an abbreviation can change over the
        // years: the newest one is the one in use).
        let match = table.last { $0.offset == offset && $0.isDST == dst } ?? table.last { $0.offset == offset }
        guard let name = match?.name, !name.isEmpty else { return nil }
        return name.first == "+" || name.first == "-" ? utcName(offset) : name
    }

    /// "UTC+5:45", "UTC-3", "UTC".
    static func utcName(_ offset: Int) -> String {
        guard offset != 0 else { return "UTC" }
        let sign = offset < 0 ? "-" : "+"
        let hours = abs(offset) / 3600, minutes = abs(offset) % 3600 / 60
        return "UTC\(sign)\(hours)" + (minutes == 0 ? "" : String(format: ":%02d", minutes))
    }

    struct LocalType: Equatable {
        var offset: Int
        var isDST: Bool
        var name: String
    }

    private static let tables = LockedCache<String, [LocalType]?>()

    /// Local time types in the order of their last use (TZif v2+, RFC 8536).
    private static func load(_ identifier: String) -> [LocalType]? {
        let folder = ProcessInfo.processInfo.environment["TZDIR"] ?? "/usr/share/zoneinfo"
        guard !identifier.contains(".."), let data = FileManager.default.contents(atPath: folder + "/" + identifier) else { return nil }
        let bytes = [UInt8](data)
        func u32(_ at: Int) -> Int? {
            guard at + 4 <= bytes.count else { return nil }
            return Int(UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3]))
        }
        func header(_ at: Int) -> (isut: Int, isstd: Int, leap: Int, time: Int, type: Int, char: Int)? {
            guard bytes.count >= at + 44, bytes[at..<at + 4].elementsEqual("TZif".utf8),
                  let a = u32(at + 20), let b = u32(at + 24), let c = u32(at + 28),
                  let d = u32(at + 32), let e = u32(at + 36), let f = u32(at + 40) else { return nil }
            return (a, b, c, d, e, f)
        }
        guard let v1 = header(0) else { return nil }
        var start = 0, timeSize = 4, counts = v1
        if bytes[4] >= UInt8(ascii: "2") {
            // Skip the 32-bit block to the 64-bit one.
            let v1Size = v1.time * 5 + v1.type * 6 + v1.char + v1.leap * 8 + v1.isstd + v1.isut
            guard let v2 = header(44 + v1Size) else { return nil }
            start = 44 + v1Size
            timeSize = 8
            counts = v2
        }
        let transitions = start + 44
        let indices = transitions + counts.time * timeSize
        let types = indices + counts.time
        let chars = types + counts.type * 6
        guard counts.type > 0, chars + counts.char <= bytes.count else { return nil }
        var all: [LocalType] = []
        for i in 0..<counts.type {
            let at = types + i * 6
            guard let raw = u32(at) else { return nil }
            let offset = Int(Int32(bitPattern: UInt32(raw)))
            let nameStart = chars + Int(bytes[at + 5])
            guard nameStart < chars + counts.char else { return nil }
            let nameEnd = bytes[nameStart..<(chars + counts.char)].firstIndex(of: 0) ?? chars + counts.char
            all.append(LocalType(offset: offset, isDST: bytes[at + 4] != 0, name: String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self)))
        }
        // Order by last use: types used by later transitions come last.
        var order: [Int] = []
        for t in 0..<counts.time {
            let index = Int(bytes[indices + t])
            guard index < all.count else { return nil }
            order.removeAll { $0 == index }
            order.append(index)
        }
        let unused = all.indices.filter { !order.contains($0) }
        return (unused + order).map { all[$0] }
    }
}
