import Foundation

/// A throw-away certificate authority and a server certificate for 127.0.0.1 / localhost,
/// made with openssl for one test.
final class TestCA {
    let dir: URL
    var caFile: String { dir.appendingPathComponent("ca.pem").path }
    var certFile: String { dir.appendingPathComponent("server.pem").path }
    var keyFile: String { dir.appendingPathComponent("server.key").path }

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("ca-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\n".write(to: dir.appendingPathComponent("san.ext"), atomically: true, encoding: .utf8)
        try openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=fuq test CA"])
        try openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"])
        try openssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                     "-out", "server.pem", "-days", "2", "-extfile", "san.ext"])
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    private func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.currentDirectoryURL = dir
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
    }
}

/// `Tests/servers/smtpd.py` on a free loopback port: aiosmtpd with STARTTLS + AUTH required,
/// or a server that accepts connections and never answers.
final class PythonSMTPServer {
    enum Mode {
        case tlsAuth(ca: TestCA, user: String, password: String)
        /// TLS from the first byte (port-465 style), then AUTH.
        case smtpsAuth(ca: TestCA, user: String, password: String)
        case silent
        /// Reads a whole message, then hangs up without answering it.
        case hangup
        /// Answers until `stage` ("greeting", "rcpt", "data"), then says nothing more and keeps
        /// the connection open (`messagesRead` counts the messages read to their final dot).
        case stall(String)
        /// Answers each message's end only after `delay` seconds (files: N.started, N.eml).
        case slow(delay: Double)
    }

    let port: Int
    let dumpDir: URL
    private let process: Process

    init(_ mode: Mode) throws {
        let dumpDir = FileManager.default.temporaryDirectory.appendingPathComponent("pysmtp-\(UUID().uuidString.prefix(8))")
        self.dumpDir = dumpDir
        try FileManager.default.createDirectory(at: dumpDir, withIntermediateDirectories: true)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("servers/smtpd.py").path
        (process, port) = try SMTPSink.start { port in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            switch mode {
            case .tlsAuth(let ca, let user, let password):
                process.arguments = [script, "tls", "\(port)", dumpDir.path, ca.certFile, ca.keyFile, user, password]
            case .smtpsAuth(let ca, let user, let password):
                process.arguments = [script, "smtps", "\(port)", dumpDir.path, ca.certFile, ca.keyFile, user, password]
            case .silent:
                process.arguments = [script, "silent", "\(port)"]
            case .hangup:
                process.arguments = [script, "hangup", "\(port)"]
            case .stall(let stage):
                process.arguments = [script, "stall", "\(port)", stage]
            case .slow(let delay):
                process.arguments = [script, "slow", "\(port)", dumpDir.path, "\(delay)"]
            }
            process.currentDirectoryURL = dumpDir
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            return process
        }
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: dumpDir)
    }

    struct Received {
        var bytes: Data
        var mailFrom: String
        var recipients: [String]
        /// The client's source port: messages with the same one came over one connection.
        var peerPort: Int
        var login: String?
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    /// The messages received so far, in order.
    func messages() -> [Received] {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: dumpDir.path)) ?? []).filter { $0.hasSuffix(".eml") }.sorted()
        return files.compactMap { name in
            let base = dumpDir.appendingPathComponent(String(name.dropLast(4)))
            guard let bytes = try? Data(contentsOf: base.appendingPathExtension("eml")),
                  let meta = try? JSONSerialization.jsonObject(with: Data(contentsOf: base.appendingPathExtension("json"))) as? [String: Any]
            else { return nil }
            return Received(bytes: bytes, mailFrom: meta["mail_from"] as? String ?? "", recipients: meta["rcpt_tos"] as? [String] ?? [],
                            peerPort: meta["peer_port"] as? Int ?? 0, login: meta["login"] as? String)
        }
    }

    /// How many whole messages the hang-up (or stalling) server read.
    var messagesRead: Int {
        ((try? String(contentsOf: dumpDir.appendingPathComponent("\(port).count"), encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    /// Files the slow server wrote with this extension (`started`, `eml`).
    func files(_ ext: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dumpDir.path)) ?? []).filter { $0.hasSuffix("." + ext) }.sorted()
    }

    /// How many logins the server refused.
    var authFailures: Int {
        (try? String(contentsOf: dumpDir.appendingPathComponent("auth-failures"), encoding: .utf8)).flatMap { Int($0) } ?? 0
    }
}
