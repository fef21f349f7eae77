import Foundation

/// Postfix's smtp-sink on a free loopback port, dumping each message to a file.
final class SMTPSink {
    let port: Int
    let dumpDir: URL
    private let process: Process

    /// - Parameter faults: smtp-sink options such as ["-r", "RCPT"] (4xx) or ["-f", "RCPT"] (5xx).
    init(faults: [String] = []) throws {
        port = try SMTPSink.freePort()
        dumpDir = FileManager.default.temporaryDirectory.appendingPathComponent("sink-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dumpDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o777])
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/smtp-sink")
        var args = faults + ["-d", dumpDir.path + "/"]
        if getuid() == 0 { args = ["-u", "postfix"] + args }
        process.arguments = args + ["127.0.0.1:\(port)", "64"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        try SMTPSink.waitForListener(port: port)
    }

    deinit {
        // The test runner spawns children with SIGTERM blocked (its worker threads block it), so
        // smtp-sink would not stop on SIGTERM; it keeps nothing worth a clean exit.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: dumpDir)
    }

    /// The messages received so far, as written by smtp-sink.
    func messages() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dumpDir.path)) ?? []
        return files.sorted().compactMap { try? String(contentsOfFile: dumpDir.appendingPathComponent($0).path, encoding: .utf8) }
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    static func waitForListener(port: Int) throws {
        for _ in 0..<100 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            addr.sin_port = UInt16(port).bigEndian
            let ok = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            close(fd)
            if ok == 0 { return }
            usleep(50_000)
        }
        throw CocoaError(.fileNoSuchFile)
    }
}
