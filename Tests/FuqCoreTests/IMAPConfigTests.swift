import Foundation
import Testing
@testable import FuqCore

@Suite("imap: config keys")
struct IMAPConfigTests {
    static func parse(_ imap: String, environment: [String: String] = ["HOME": "/home/alex"]) throws -> FuqConfig {
        try FuqConfig.parse("sender:\n  name: Alex\nimap:\n" + imap, file: "/home/alex/.config/fuq/config.yaml", environment: environment)
    }

    /// The problem a user sees for `imap` (nil when it parses).
    static func problem(_ imap: String) -> YAMLProblem? {
        do { _ = try parse(imap); return nil } catch let problem as YAMLProblem { return problem } catch { return nil }
    }

    @Test("no imap: section, no mailbox; a full one reads every key")
    func fullSection() throws {
        #expect(try FuqConfig.parse("sender:\n  name: Alex\n", file: "c.yaml").imap == nil)
        let config = try Self.parse("""
              url: imaps://imap.fastmail.com:993/INBOX
              username: alex@fastmail.example
              password_file: ~/.config/fuq/imap-password
              folders: [INBOX, Archive]
              sent_folder: Sent Items
              ca_file: ~/ca.pem
              connect_timeout: 5s
              command_timeout: 2m
              check_every: 1h
            """)
        let imap = try #require(config.imap)
        #expect(imap.settings == IMAPSettings(url: "imaps://imap.fastmail.com:993/INBOX", username: "alex@fastmail.example",
                                              caFile: "/home/alex/ca.pem", connectTimeout: 5, commandTimeout: 120))
        #expect(imap.passwordFile == "/home/alex/.config/fuq/imap-password")
        #expect(imap.folders == ["INBOX", "Archive"])
        #expect(imap.sentFolder == "Sent Items")
        #expect(imap.checkEvery == 3600)
        #expect(!imap.isGmail)
    }

    @Test("defaults: folders from the URL's folder (else INBOX), check every 4h; Gmail known by its host")
    func defaults() throws {
        let gmail = try #require(try Self.parse("  url: imaps://imap.gmail.com:993/[Gmail]/All Mail\n  username: alex@gmail.com\n").imap)
        #expect(gmail.folders == ["[Gmail]/All Mail"])
        #expect(gmail.isGmail)
        #expect(gmail.checkEvery == 4 * 3600)
        #expect(gmail.sentFolder == nil)
        let plain = try #require(try Self.parse("  url: imap://mail.example.org\n  username: alex\n").imap)
        #expect(plain.folders == ["INBOX"])
        #expect(!plain.isGmail)
    }

    @Test("mistakes are reported at the line and key, saying what to write instead", arguments: [
        ("  url: https://mail.example.org/INBOX\n  username: a\n", "imap.url", 4, "expected imaps://host:993/INBOX"),
        ("  url: imaps://alex:hunter2@mail.example.org/INBOX\n  username: a\n", "imap.url", 4, "not allowed"),
        ("  url: imaps://mail.example.org\n", "imap.username", 3, "missing; the login name"),
        ("  username: a\n", "imap.url", 3, "missing; write the server and folder"),
        ("  url: imaps://mail.example.org\n  username: a\n  password: hunter2\n", "imap.password", 6, "never stores a password"),
        ("  url: imaps://m.example\n  username: a\n  password_command: pass x\n  password_file: /p\n", "imap.password_file", 7, "not both"),
        ("  url: imaps://m.example\n  username: a\n  password_command: pass x\n  token_command: oauth2 x\n", "imap.token_command", 7, "XOAUTH2"),
        ("  url: imaps://m.example\n  username: a\n  folders: []\n", "imap.folders", 6, "at least one folder"),
        ("  url: imaps://m.example\n  username: a\n  folders: [INBOX, \"\"]\n", "imap.folders[1]", 6, "empty"),
        ("  url: imaps://m.example\n  username: a\n  folders: [\"IN\\nBOX\"]\n", "imap.folders[0]", 6, "line break"),
        ("  url: imaps://m.example\n  username: a\n  check_every: 5m\n", "imap.check_every", 6, "30m"),
        ("  url: imaps://m.example\n  username: a\n  sent_foldr: Sent\n", "imap.sent_foldr", 6, "did you mean `sent_folder`"),
    ])
    func mistakes(yaml: String, key: String, line: Int, says: String) throws {
        let problem = try #require(Self.problem(yaml), "accepted: \(yaml)")
        #expect(problem.key == key)
        #expect(problem.line == line)
        #expect(problem.problem.contains(says), "\(problem)")
        #expect(!problem.description.contains("hunter2"), "the password is never repeated: \(problem)")
    }

    @Test("the password: imap.password_file, the imap-password credential, else the SMTP password; errors name imap.* keys")
    func secrets() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("imap-pw-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let settings = IMAPSettings(url: "imaps://m.example/INBOX", username: "alex")
        let smtp = SMTPSettings(url: "smtps://m.example", username: "alex", passwordCommand: "echo smtp-secret")

        let file = dir.appendingPathComponent("imap-pw").path
        try "imap-secret\n".write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o644)
        #expect(throws: MailboxError.credentials("the password file \(file) (imap.password_file) is readable by others; run `chmod 600 \(file)`")) {
            try MailboxSession.secret(IMAPConfig(settings: settings, passwordFile: file), smtp: smtp, environment: [:])
        }
        chmod(file, 0o600)
        #expect(try MailboxSession.secret(IMAPConfig(settings: settings, passwordFile: file), smtp: smtp, environment: [:]) == .password("imap-secret"))

        // Nothing of its own: the SMTP password, unless systemd gave an imap-password.
        #expect(try MailboxSession.secret(IMAPConfig(settings: settings), smtp: smtp, environment: [:]) == .password("smtp-secret"))
        try "from-systemd\n".write(toFile: dir.appendingPathComponent("imap-password").path, atomically: true, encoding: .utf8)
        #expect(try MailboxSession.secret(IMAPConfig(settings: settings), smtp: smtp, environment: ["CREDENTIALS_DIRECTORY": dir.path])
            == .password("from-systemd"))

        #expect(throws: MailboxError.credentials("imap.password_command exited with status 2; run it by hand to see why")) {
            try MailboxSession.secret(IMAPConfig(settings: settings, passwordCommand: "echo leaked; exit 2"), smtp: smtp, environment: [:])
        }
        #expect(try MailboxSession.secret(IMAPConfig(settings: settings, tokenCommand: "printf 'ya29.token\\n'"), smtp: smtp, environment: [:])
            == .bearer("ya29.token"))
        #expect(throws: MailboxError.credentials("imap.token_command printed nothing")) {
            try MailboxSession.secret(IMAPConfig(settings: settings, tokenCommand: "true"), smtp: smtp, environment: [:])
        }
        let none = try #require(throws: MailboxError.self) {
            try MailboxSession.secret(IMAPConfig(settings: settings), smtp: SMTPSettings(url: "smtps://m.example"), environment: [:])
        }
        #expect(none.errorDescription?.contains("add imap.password_command or imap.password_file") == true)
    }
}
