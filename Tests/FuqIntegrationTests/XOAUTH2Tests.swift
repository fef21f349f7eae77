import Foundation
import FuqCore
import Testing

/// `imap.token_command` against `Tests/servers/imap_xoauth2.py`, a server that takes only SASL
/// XOAUTH2 after STARTTLS (as Microsoft 365 does): the token goes out as a bearer, never as a
/// password, and a refused token is said to be one.
@Suite("IMAP with an OAuth2 token (XOAUTH2)", .serialized)
struct XOAUTH2Tests {
    final class Server {
        let port: Int
        let log: URL
        private let process: Process

        init(ca: TestCA, user: String, token: String) throws {
            log = FileManager.default.temporaryDirectory.appendingPathComponent("xoauth2-\(UUID().uuidString.prefix(8)).log")
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("servers/imap_xoauth2.py").path
            let log = self.log
            (process, port) = try SMTPSink.start { port in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
                process.arguments = [script, "\(port)", ca.certFile, ca.keyFile, user, token, log.path]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                return process
            }
        }

        deinit {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: log)
        }

        var logins: [String] { ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init) }
    }

    static func config(_ server: Server, ca: TestCA, tokenCommand: String) -> IMAPConfig {
        IMAPConfig(settings: IMAPSettings(url: "imap://127.0.0.1:\(server.port)/INBOX", username: "alex@contoso.example", caFile: ca.caFile,
                                          connectTimeout: 5, commandTimeout: 10),
                   tokenCommand: tokenCommand)
    }

    @Test("the token from imap.token_command logs in with XOAUTH2 after STARTTLS; LIST then finds Sent")
    func tokenAccepted() throws {
        let ca = try TestCA()
        let server = try Server(ca: ca, user: "alex@contoso.example", token: "eyJ0eXAi.good-token")
        let client = try MailboxSession.open(Self.config(server, ca: ca, tokenCommand: "printf 'eyJ0eXAi.good-token\\n'"), smtp: SMTPSettings(),
                                             environment: [:])
        let folders = try client.folders()
        #expect(MailFolder.sent(in: folders)?.name == "Sent")
        #expect(server.logins == ["user=alex@contoso.example|auth=Bearer eyJ0eXAi.good-token||"])
    }

    @Test("an expired token is reported as a refused token, naming imap.token_command, and never shown")
    func tokenRefused() throws {
        let ca = try TestCA()
        let server = try Server(ca: ca, user: "alex@contoso.example", token: "fresh")
        let client = try MailboxSession.open(Self.config(server, ca: ca, tokenCommand: "echo expired-token-xyz"), smtp: SMTPSettings(), environment: [:])
        let error = #expect(throws: MailboxError.self) { try client.folders() }
        guard case .tokenRefused(_, let user, let text) = error else { Issue.record("expected tokenRefused, got \(String(describing: error))"); return }
        #expect(user == "alex@contoso.example")
        #expect(text.contains("AUTHENTICATIONFAILED"))
        #expect(error?.localizedDescription.contains("imap.token_command") == true)
        #expect(error?.localizedDescription.contains("expired-token-xyz") == false)
        #expect(server.logins.count == 1, "one try, no fallback to a password login: \(server.logins)")
    }
}
