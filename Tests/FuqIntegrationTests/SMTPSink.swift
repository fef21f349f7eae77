import Foundation

/// Postfix's smtp-sink on a free loopback port, dumping each message to a file.
final class SMTPSink {
    let port: Int
    let dumpDir: URL
    private let process: Process

    /// - Parameter faults: smtp-sink options such as ["-r", "RCPT"] (4xx) or ["-f", "RCPT"] (5xx).
    init(faults: [String] = []) throws {
        let dumpDir = FileManager.default.temporaryDirectory.appendingPathComponent("sink-\(UUID().uuidString.prefix(8))")
        self.dumpDir = dumpDir
        try FileManager.default.createDirectory(at: dumpDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o777])
        (process, port) = try SMTPSink.start { port in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/smtp-sink")
            var args = faults + ["-d", dumpDir.path + "/"]
            if getuid() == 0 { args = ["-u", "postfix"] + args }
            process.arguments = args + ["127.0.0.1:\(port)", "64"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            return process
        }
    }

    /// Starts a server on a free port and waits until *it* listens there. Another test may take
    /// the same free port between the probe and the server's bind (the server then exits), and
    /// a loaded machine may take seconds to start it: a new port is tried, up to four times.
    static func start(_ make: (Int) -> Process) throws -> (Process, Int) {
        var last = "no attempt"
        for _ in 0..<4 {
            let port = try freePort()
            let process = make(port)
            try process.run()
            if waitFor(timeout: 15, { !process.isRunning || listening(port) }) && process.isRunning {
                usleep(20_000)
                if process.isRunning { return (process, port) }
            }
            last = process.isRunning ? "nothing listened on \(port) within 15 s" : "it exited (port \(port) taken?)"
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        throw ServerStartError(problem: last)
    }

    struct ServerStartError: Error, CustomStringConvertible {
        var problem: String
        var description: String { "the test server did not start: \(problem)" }
    }

    static func listening(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } } == 0
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


}
