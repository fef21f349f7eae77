import Foundation

/// `fuq daemon` running in a sandbox, its stderr in a file.
final class DaemonProcess {
    let process = Process()
    let logURL: URL

    init(_ sandbox: FuqSandbox, environment extra: [String: String] = [:]) throws {
        logURL = sandbox.root.appendingPathComponent("daemon-\(UUID().uuidString.prefix(4)).log")
        FileManager.default.createFile(atPath: logURL.path, contents: nil)
        process.executableURL = FuqSandbox.binary
        process.arguments = ["daemon"]
        process.environment = sandbox.environment.merging(extra) { $1 }
        process.currentDirectoryURL = sandbox.root
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: logURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for the process to end; its exit status, or nil on timeout.
    func waitExit(timeout: TimeInterval) -> Int32? {
        guard waitFor(timeout: timeout, { !self.process.isRunning }) else { return nil }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Waits until the daemon has opened the queue and is looping.
    func waitStarted(timeout: TimeInterval = 15) -> Bool {
        waitFor(timeout: timeout) { self.log.contains("started") || !self.process.isRunning }
    }
}

/// Polls `condition` every 10 ms; true if it held before `timeout`.
@discardableResult
func waitFor(timeout: TimeInterval, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        usleep(10_000)
    }
    return try condition()
}

extension FuqSandbox {
    /// An instant as GRDB stores it in the queue ("2026-11-24 18:23:41.000", UTC).
    static func dbDate(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss.SSS"
        return f.string(from: date)
    }

    /// A zone where it is the middle of the night (01:00–05:59) now and a minute from now, so
    /// no send window is open there.
    static func nightZone() -> String? {
        let zones = ["Pacific/Honolulu", "America/Anchorage", "America/Los_Angeles", "America/Denver", "America/Chicago",
                     "America/New_York", "America/Halifax", "America/Sao_Paulo", "Atlantic/South_Georgia", "Atlantic/Azores",
                     "Europe/London", "Europe/Berlin", "Europe/Athens", "Europe/Moscow", "Asia/Dubai", "Asia/Karachi",
                     "Asia/Dhaka", "Asia/Bangkok", "Asia/Shanghai", "Asia/Tokyo", "Australia/Brisbane", "Pacific/Noumea", "Pacific/Auckland"]
        let calendar = Calendar(identifier: .gregorian)
        return zones.first { name in
            let zone = TimeZone(identifier: name)!
            return [Date(), Date().addingTimeInterval(60)].allSatisfy { (1...5).contains(calendar.dateComponents(in: zone, from: $0).hour!) }
        }
    }

    /// An interview end six days ago, as a wall time ("2026-11-20T15:30"): past, but never so
    /// old that fuq refuses it as a typo in the year, on any day the tests run.
    static var pastEnd: String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd'T'HH:mm"
        return f.string(from: Date().addingTimeInterval(-6 * 86400))
    }

    /// A zone where now (and the next half hour) lies inside the evening window, 18:10–20:30
    /// local: with every day a business day (`allDays`), a note released now goes now there.
    static func windowZone() -> String {
        let zones = ["Pacific/Pago_Pago", "Pacific/Honolulu", "America/Anchorage", "America/Los_Angeles", "America/Denver", "America/Chicago",
                     "America/New_York", "America/Halifax", "America/Sao_Paulo", "Atlantic/South_Georgia", "Atlantic/Azores",
                     "Europe/London", "Europe/Berlin", "Europe/Athens", "Europe/Moscow", "Asia/Dubai", "Asia/Karachi",
                     "Asia/Dhaka", "Asia/Bangkok", "Asia/Shanghai", "Asia/Tokyo", "Australia/Brisbane", "Pacific/Noumea", "Pacific/Auckland",
                     "Pacific/Tongatapu", "Pacific/Kiritimati"]
        let calendar = Calendar(identifier: .gregorian)
        return zones.first { name in
            let c = calendar.dateComponents(in: TimeZone(identifier: name)!, from: Date())
            let minutes = c.hour! * 60 + c.minute!
            return (18 * 60 + 10...20 * 60 + 30).contains(minutes)
        }!
    }

    /// Config lines making every day a business day (with `windowZone`).
    static let allDays = "\npolicy:\n  business_days: [mon, tue, wed, thu, fri, sat, sun]\n"

    /// A panel interview with `count` interviewers, for load tests.
    static func bigPanel(_ count: Int, company: String = "Acme Robotics") -> String {
        var text = "company: \(company)\nposition: Senior Platform Engineer\ninterview:\n  end: \(pastEnd)\n  timezone: America/New_York\ninterviewers:\n"
        for i in 0..<count {
            // Letters, not digits: a name with digits is refused (fuq cannot tell its family name).
            let family = String((0..<4).reversed().map { Character(UnicodeScalar(97 + (i / Int(pow(26.0, Double($0)))) % 26)!) }).capitalized
            text += "  - name: Dana \(family)\n    honorific: Dr.\n    email: p\(i)@acme.example\n    topic: topic \(i)\n"
        }
        return text
    }
}

extension SMTPSink {
    /// The Message-ID of every message received, in no particular order.
    func messageIDs() -> [String] {
        messages().compactMap { text in
            text.split(separator: "\n").first { $0.hasPrefix("Message-ID: ") }.map { String($0.dropFirst(12)).trimmingCharacters(in: .whitespacesAndNewlines) }
        }
    }

    /// The modification times of the dumped messages.
    func arrivalTimes() -> [Date] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dumpDir.path)) ?? []
        return files.compactMap { try? FileManager.default.attributesOfItem(atPath: dumpDir.appendingPathComponent($0).path)[.modificationDate] as? Date }
    }

    var count: Int { ((try? FileManager.default.contentsOfDirectory(atPath: dumpDir.path)) ?? []).count }
}
