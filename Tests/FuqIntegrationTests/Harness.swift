import Foundation
import Testing

/// Runs the real `fuq` binary in a private HOME, like a user at a terminal.
final class FuqSandbox {
    let root: URL
    var environment: [String: String]

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("fuq-test-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        environment = [
            "HOME": root.path, "XDG_CONFIG_HOME": root.appendingPathComponent("config").path,
            "XDG_DATA_HOME": root.appendingPathComponent("data").path, "PATH": "/usr/bin:/bin", "TZ": "UTC",
        ]
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    var queuePath: String { root.appendingPathComponent("data/fuq/queue.sqlite").path }

    /// Writes the user's config (the example's sender, unless given).
    func writeConfig(_ text: String = FuqSandbox.standardConfig) throws {
        let dir = root.appendingPathComponent("config/fuq")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try text.write(to: dir.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)
    }

    /// The thank-you tests count and send thank-yous only: the follow-up each interview would
    /// also plan is switched off here (`FollowUpCLITests` switch it on).
    static let standardConfig = """
        follow_up:
          enabled: false
        sender:
          name: Alex Kim
          email: alex.kim@example.com
          phone: +1 555 0100
          links: [https://www.linkedin.com/in/alex-kim-example]
        """

    func file(_ name: String, _ text: String) throws -> String {
        let url = root.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    @discardableResult
    func run(_ arguments: [String], stdin: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = FuqSandbox.binary
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = root
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Changes the queue behind fuq's back, as a crash or an old due time would leave it.
    func sql(_ statement: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [queuePath, statement]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    /// The queue as `fuq status --all --json` reports it.
    func queued() throws -> [[String: Any]] {
        let result = try run(["status", "--all", "--json"])
        guard result.status == 0 else { return [] }
        return (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]) ?? []
    }

    static let binary: URL = {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [here, here.deletingLastPathComponent(), here.deletingLastPathComponent().deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("fuq")
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), !isDir.boolValue { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug/fuq")
    }()

    /// The example interview from Config/examples, moved to a date relative to now so the
    /// tests never go stale.
    static func interview(endingIn hours: Double = 2, zone: String = "America/New_York", extra: String = "") -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: zone)
        f.dateFormat = "yyyy-MM-dd'T'HH:mm"
        let end = Date().addingTimeInterval(hours * 3600)
        return """
            company: Acme Robotics
            position: Senior Platform Engineer
            interview:
              start: \(f.string(from: end.addingTimeInterval(-5400)))
              end: \(f.string(from: end))
              timezone: \(zone)
            interviewers:
              - name: Dana Rivera
                honorific: Ms.
                email: dana.rivera@acme.example
                topic: moving the build farm to Kubernetes
                lead: true
              - name: Kwame Okafor
                honorific: Dr.
                email: k.okafor@acme.example
                timezone: Europe/London
                topic: on-call load and how the team measures toil
            \(extra)
            """
    }
}
