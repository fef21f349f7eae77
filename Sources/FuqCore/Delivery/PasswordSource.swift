import Foundation

/// Finds the SMTP password: `password_command`, else `password_file`, else
/// `$CREDENTIALS_DIRECTORY/smtp-password`. The password lives only in memory.
public enum PasswordSource {
    /// How long `password_command` may take.
    public static let commandTimeout: TimeInterval = 30

    public static func resolve(_ smtp: SMTPSettings, environment: [String: String] = ProcessInfo.processInfo.environment,
                               commandTimeout: TimeInterval = PasswordSource.commandTimeout) throws -> String? {
        if let command = smtp.passwordCommand {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", command]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            do { try process.run() } catch {
                throw DeliveryError.password("smtp.password_command could not be started (\(error.localizedDescription)); run it by hand to check")
            }
            // A command that hangs (a locked keyring waiting for a prompt nobody sees) must not
            // hang delivery with it: read with a deadline, then SIGKILL (not SIGTERM: a child may
            // have been started with SIGTERM blocked). Reading with a deadline also covers a
            // grandchild that keeps the pipe open.
            let (data, finished) = Self.read(out.fileHandleForReading.fileDescriptor, until: Date().addingTimeInterval(commandTimeout))
            if !finished {
                // The shell dies at once; Foundation reaps it. Whatever it started may still hold
                // the pipe, so nothing here waits for it.
                kill(process.processIdentifier, SIGKILL)
                throw DeliveryError.password("smtp.password_command did not finish within \(Int(commandTimeout)) s; run it by hand (is it waiting for input?)")
            }
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw DeliveryError.password("smtp.password_command exited with status \(process.terminationStatus); run it by hand to see why")
            }
            let line = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
            guard !line.isEmpty else { throw DeliveryError.password("smtp.password_command printed nothing") }
            return line
        }
        let credentials = environment["CREDENTIALS_DIRECTORY"].map { $0 + "/smtp-password" }
        if let path = smtp.passwordFile ?? credentials.flatMap({ FileManager.default.fileExists(atPath: $0) ? $0 : nil }) {
            var info = stat()
            guard stat(path, &info) == 0 else { throw DeliveryError.password("cannot read the password file \(path)") }
            if smtp.passwordFile != nil, info.st_mode & 0o077 != 0 {
                throw DeliveryError.password("the password file \(path) is readable by others; run `chmod 600 \(path)`")
            }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw DeliveryError.password("cannot read the password file \(path)")
            }
            let line = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
            guard !line.isEmpty else { throw DeliveryError.password("the password file \(path) is empty") }
            return line
        }
        if smtp.username != nil {
            throw DeliveryError.password("smtp.username is set but no password source is: add smtp.password_command or smtp.password_file, or start fuq with systemd LoadCredential=smtp-password:…")
        }
        return nil
    }
}

extension PasswordSource {
    /// Everything written to `fd` until EOF, and whether EOF came before `deadline`.
    static func read(_ fd: Int32, until deadline: Date) -> (Data, Bool) {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return (data, false) }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, Int32(min(left, 3600) * 1000) + 1)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return (data, true) }
            data.append(contentsOf: buffer[0..<n])
        }
    }
}

/// Why delivery cannot start.
public enum DeliveryError: LocalizedError, Equatable {
    /// No usable password.
    case password(String)
    /// `smtp.url` is missing or not allowed.
    case settings(String)
    /// Another fuq process is delivering from this queue (nil `holder`: not known who).
    case busy(path: String, holder: DeliveryLock.Holder?)

    public var errorDescription: String? {
        switch self {
        case .password(let text): return text
        case .settings(let text): return text
        case .busy(let path, let holder):
            let who = holder.map { $0.isDaemon ? "the fuq daemon (pid \($0.pid))" : "another `fuq \($0.role)` (pid \($0.pid))" }
                ?? "another fuq (the daemon, or a flush)"
            return "\(who) is delivering from \(path); wait for it or stop it first. "
                + "With the daemon running, `fuq send-now ID` hands a note to it."
        }
    }
}
