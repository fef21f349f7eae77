import Foundation
import Testing
@testable import FuqCore

@Suite("Password sources")
struct PasswordSourceTests {
    func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pw-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("password_command: its first output line; a failure or a hang is an error that never shows the output")
    func command() throws {
        #expect(try PasswordSource.resolve(SMTPSettings(username: "a", passwordCommand: "printf 's3cret\\nignored\\n'")) == "s3cret")
        #expect(throws: DeliveryError.password("smtp.password_command exited with status 3; run it by hand to see why")) {
            try PasswordSource.resolve(SMTPSettings(username: "a", passwordCommand: "echo leaked; exit 3"))
        }
        let started = Date()
        #expect(throws: DeliveryError.password("smtp.password_command did not finish within 1 s; run it by hand (is it waiting for input?)")) {
            try PasswordSource.resolve(SMTPSettings(username: "a", passwordCommand: "sleep 30; echo late"), commandTimeout: 1)
        }
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test("password_file must not be readable by others; $CREDENTIALS_DIRECTORY/smtp-password is the fallback")
    func files() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("pw").path
        try "from-file\n".write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o644)
        #expect(throws: DeliveryError.password("the password file \(file) (smtp.password_file) is readable by others; run `chmod 600 \(file)`")) {
            try PasswordSource.resolve(SMTPSettings(username: "a", passwordFile: file))
        }
        chmod(file, 0o600)
        #expect(try PasswordSource.resolve(SMTPSettings(username: "a", passwordFile: file)) == "from-file")

        try "from-systemd\n".write(toFile: dir.appendingPathComponent("smtp-password").path, atomically: true, encoding: .utf8)
        #expect(try PasswordSource.resolve(SMTPSettings(username: "a"), environment: ["CREDENTIALS_DIRECTORY": dir.path]) == "from-systemd")
        #expect(throws: DeliveryError.self) { try PasswordSource.resolve(SMTPSettings(username: "a"), environment: [:]) }
        #expect(try PasswordSource.resolve(SMTPSettings(), environment: [:]) == nil, "no user name, no password needed")
    }

    @Test("a folder, a named pipe, a link to a device or a file of megabytes is no password file: said so, never 'run chmod', never sent")
    func notAPasswordFile() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let device = dir.appendingPathComponent("zero").path
        #expect(symlink("/dev/zero", device) == 0)
        let huge = dir.appendingPathComponent("huge").path
        try String(repeating: "x", count: 3_000_000).write(toFile: huge, atomically: true, encoding: .utf8)
        chmod(huge, 0o600)
        for (path, says) in [(dir.path, "a folder"), (fifo, "a named pipe"), (device, "not a regular file"), (huge, "far more than a password")] {
            let error = try #require(throws: DeliveryError.self) { try PasswordSource.resolve(SMTPSettings(username: "a", passwordFile: path)) }
            let text = error.errorDescription ?? ""
            #expect(text.contains(says) && !text.contains("chmod"), "\(path): \(text)")
        }
    }

    @Test("a line end written by Windows (CR LF) is not part of the password, in a file or a command's output",
          arguments: ["s3cret\r\n", "s3cret\r\nsecond line\r\n", "s3cret\n", "s3cret"])
    func lineEnds(_ text: String) throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("pw").path
        #expect(FileManager.default.createFile(atPath: file, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]))
        #expect(try PasswordSource.resolve(SMTPSettings(username: "a", passwordFile: file)) == "s3cret")
        #expect(try PasswordSource.resolve(SMTPSettings(username: "a", passwordCommand: "cat '\(file)'")) == "s3cret")
    }

    @Test("a blank first line is reported as such (fuq reads the first line), not as an empty file")
    func blankFirstLine() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("pw").path
        #expect(FileManager.default.createFile(atPath: file, contents: Data("\r\ns3cret\n".utf8), attributes: [.posixPermissions: 0o600]))
        #expect(throws: DeliveryError.password("the first line of the password file \(file) (smtp.password_file) is blank, and fuq reads only the first line; put the password on it")) {
            try PasswordSource.resolve(SMTPSettings(username: "a", passwordFile: file))
        }
        #expect(throws: DeliveryError.password("smtp.password_command printed a blank first line, and fuq reads only the first line; make it print the password first")) {
            try PasswordSource.resolve(SMTPSettings(username: "a", passwordCommand: "cat '\(file)'"))
        }
        #expect(FileManager.default.createFile(atPath: file, contents: Data(), attributes: [.posixPermissions: 0o600]))
        #expect(throws: DeliveryError.password("the password file \(file) (smtp.password_file) is empty; write the password on its first line")) {
            try PasswordSource.resolve(SMTPSettings(username: "a", passwordFile: file))
        }
        #expect(throws: DeliveryError.password("smtp.password_command printed nothing")) {
            try PasswordSource.resolve(SMTPSettings(username: "a", passwordCommand: "true"))
        }
    }
}
