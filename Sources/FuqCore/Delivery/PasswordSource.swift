import Foundation

/// Finds the SMTP password: `password_command`, else `password_file`, else
/// `$CREDENTIALS_DIRECTORY/smtp-password`. The password lives only in memory.
public enum PasswordSource {
    public static func resolve(_ smtp: SMTPSettings, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
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
            let data = out.fileHandleForReading.readDataToEndOfFile()
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

/// Why delivery cannot start.
public enum DeliveryError: LocalizedError, Equatable {
    /// No usable password.
    case password(String)
    /// `smtp.url` is missing or not allowed.
    case settings(String)
    /// Another fuq process is delivering from this queue (`holder`: "daemon 1234", "flush 5678").
    case busy(path: String, holder: String?)

    public var errorDescription: String? {
        switch self {
        case .password(let text): return text
        case .settings(let text): return text
        case .busy(let path, let holder):
            let who = holder.map { h -> String in
                let parts = h.split(separator: " ")
                return parts.first == "daemon" ? "the fuq daemon (pid \(parts.last ?? "?"))" : "another `fuq \(parts.first ?? "flush")` (pid \(parts.last ?? "?"))"
            } ?? "another fuq (the daemon, or a flush)"
            return "\(who) is delivering from \(path); wait for it or stop it first. "
                + "With the daemon running, `fuq send-now ID` hands a note to it."
        }
    }
}
