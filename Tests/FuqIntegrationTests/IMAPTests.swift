import Foundation
import FuqCore
import Testing

/// `CurlIMAPClient` against a real Dovecot started by the test: search, header fetch without
/// `\Seen`, LIST special-use, APPEND, and the errors a user can act on.
@Suite("IMAP through libcurl against Dovecot", .serialized)
struct IMAPTests {
    static let headerFields = ["From", "Subject", "Message-ID", "In-Reply-To", "References"]

    static func client(_ server: Dovecot, ca: TestCA, scheme: String = "imap", folder: String = "INBOX",
                       password: String? = nil, commandTimeout: TimeInterval = 10) throws -> CurlIMAPClient {
        try CurlIMAPClient(settings: IMAPSettings(url: server.url(scheme, folder: folder), username: Dovecot.user, caFile: ca.caFile,
                                                  connectTimeout: 5, commandTimeout: commandTimeout),
                           password: password ?? server.password)
    }

    static func message(from: String, subject: String, id: String, extra: String = "", body: String = "Hello.\n") -> String {
        "From: \(from)\nTo: Alex Kim <alex@example.org>\nSubject: \(subject)\nDate: Tue, 1 Dec 2026 10:00:00 -0500\nMessage-ID: <\(id)>\n\(extra)\n\(body)"
    }

    @Test("UID SEARCH by In-Reply-To finds the reply over STARTTLS; its headers come back and it stays unread")
    func searchAndPeek() throws {
        let ca = try TestCA()
        let server = try Dovecot(.tls(ca))
        let reply = try server.deliver(Self.message(from: "\"Rivera, Dana\" <dana.rivera@acme.example>", subject: "Re: Thank you – Platform Engineer interview",
                                                    id: "r1@acme.example", extra: "In-Reply-To: <ty-1@fuq.example.org>\nReferences: <ty-1@fuq.example.org>"))
        let other = try server.deliver(Self.message(from: "news@shop.example", subject: "Sale", id: "n1@shop.example"))
        let imap = try Self.client(server, ca: ca)

        let uids = try imap.search(.header(field: "In-Reply-To", contains: "<ty-1@fuq.example.org>"), in: "INBOX")
        #expect(uids.count == 1)
        let fetched = try imap.fetch(uids: uids, in: "INBOX", headerFields: Self.headerFields, bodyPrefix: nil)
        #expect(fetched.count == 1)
        let headers = try #require(fetched.first).headers
        #expect(headers.fromAddress == "dana.rivera@acme.example")
        #expect(headers.subject == "Re: Thank you – Platform Engineer interview")
        #expect(headers.referencedMessageIDs == ["ty-1@fuq.example.org", "ty-1@fuq.example.org"])
        #expect(fetched.first?.flags.contains("\\Seen") == false)
        #expect(fetched.first?.internalDate != nil)
        #expect(try imap.search(.header(field: "In-Reply-To", contains: "<nobody@nowhere.example>"), in: "INBOX").isEmpty)
        // Searching and peeking left the user's mail unread (the maildir file names carry no S).
        #expect(server.flags(of: reply) == "")
        #expect(server.flags(of: other) == "")
    }

    @Test("a Message-ID with %, quotes and a backslash is searched for exactly (libcurl would decode %41 to A)")
    func awkwardMessageID() throws {
        let ca = try TestCA()
        let server = try Dovecot(.tls(ca))
        try server.deliver(Self.message(from: "dana@acme.example", subject: "Re: hi", id: "r2@acme.example", extra: "References: <a%41b\"q\\z@fuq.example>"))
        try server.deliver(Self.message(from: "dana@acme.example", subject: "Re: hi", id: "r3@acme.example", extra: "References: <aAb\"q\\z@fuq.example>"))
        let imap = try Self.client(server, ca: ca)
        let uids = try imap.search(.header(field: "References", contains: "<a%41b\"q\\z@fuq.example>"), in: "INBOX")
        let fetched = try imap.fetch(uids: uids, in: "INBOX", headerFields: ["Message-ID"], bodyPrefix: nil)
        #expect(fetched.map { $0.headers["Message-ID"] } == ["<r2@acme.example>"])
    }

    @Test("a line break in a search value is refused before anything is sent")
    func lineBreakRefused() throws {
        let ca = try TestCA()
        let server = try Dovecot(.tls(ca))
        let imap = try Self.client(server, ca: ca)
        #expect(throws: MailboxError.self) { try imap.search(.from("x@y.example\r\nA999 DELETE INBOX"), in: "INBOX") }
        #expect(throws: MailboxError.self) { try imap.search(.all([]), in: "INBOX\r\nA999 LOGOUT") }
        #expect(!server.log.contains("DELETE"))
    }

    @Test("over imaps://, LIST finds the \\Sent folder; APPEND puts the note there, read, and only there")
    func appendToSent() throws {
        let ca = try TestCA()
        let server = try Dovecot(.tls(ca), folders: [("Sent", "\\Sent"), ("Drafts", "\\Drafts"), ("Archive/2026", nil)])
        let imap = try Self.client(server, ca: ca, scheme: "imaps")
        let folders = try imap.folders()
        #expect(Set(folders.map(\.name)).isSuperset(of: ["INBOX", "Sent", "Drafts", "Archive/2026"]))
        let sent = try #require(MailFolder.sent(in: folders))
        #expect(sent.name == "Sent")

        let note = "From: Alex Kim <alex@example.org>\r\nTo: dana.rivera@acme.example\r\nSubject: Thank you\r\nMessage-ID: <ty-9@fuq.example.org>\r\n\r\nThank you.\r\n"
        let uid = try imap.append(Data(note.utf8), to: sent.name)
        #expect(uid != nil)
        #expect(server.messages(in: "Sent") == [note.replacingOccurrences(of: "\r\n", with: "\n")])  // maildir stores LF
        #expect(server.messages(in: "INBOX").isEmpty)
        let found = try imap.search(.header(field: "Message-ID", contains: "<ty-9@fuq.example.org>"), in: sent.name)
        #expect(found == [try #require(uid)])
        let fetched = try imap.fetch(uids: found, in: sent.name, headerFields: ["Message-ID"], bodyPrefix: nil)
        #expect(fetched.first?.flags.contains("\\Seen") == true)
    }

    @Test("a folder with a space and brackets ([Gmail]/All Mail) is selected and searched")
    func gmailStyleFolder() throws {
        let ca = try TestCA()
        let server = try Dovecot(.tls(ca), folders: [("[Gmail]/All Mail", "\\All"), ("[Gmail]/Sent Mail", "\\Sent")])
        try server.deliver(Self.message(from: "dana@acme.example", subject: "Re: x", id: "g1@acme.example", extra: "In-Reply-To: <ty-2@fuq.example.org>"),
                           to: "[Gmail]/All Mail")
        let imap = try Self.client(server, ca: ca)
        #expect(MailFolder.sent(in: try imap.folders())?.name == "[Gmail]/Sent Mail")
        #expect(try imap.search(.header(field: "In-Reply-To", contains: "ty-2@fuq.example.org"), in: "[Gmail]/All Mail").count == 1)
    }

    @Test("a wrong password is a typed error naming the user, never the password")
    func wrongPassword() throws {
        let ca = try TestCA()
        let server = try Dovecot(.tls(ca))
        let wrong = "wrong-Pa55word-%-secret"
        let imap = try Self.client(server, ca: ca, password: wrong)
        let error = #expect(throws: MailboxError.self) { try imap.search(.all([]), in: "INBOX") }
        guard case .loginRefused(let host, let user, let text) = error else {
            Issue.record("expected loginRefused, got \(String(describing: error))")
            return
        }
        #expect(host == "127.0.0.1:\(server.imapPort)")
        #expect(user == Dovecot.user)
        #expect(text.contains("AUTHENTICATIONFAILED"))
        let description = error?.localizedDescription ?? ""
        #expect(description.contains("refused the login for alex"))
        #expect(!description.contains(wrong) && !description.contains(server.password))
    }

    @Test("a folder that does not exist is named as such, not as a login failure")
    func missingFolder() throws {
        let ca = try TestCA()
        let server = try Dovecot(.tls(ca))
        let imap = try Self.client(server, ca: ca)
        let selectError = #expect(throws: MailboxError.self) { try imap.search(.all([]), in: "Nope") }
        guard case .noSuchFolder(let folder, let text) = selectError else { Issue.record("expected noSuchFolder, got \(String(describing: selectError))"); return }
        #expect(folder == "Nope" && text.contains("Mailbox doesn't exist"))
        #expect(selectError?.localizedDescription.hasPrefix("the mailbox has no folder \"Nope\"") == true)
        let error = #expect(throws: MailboxError.self) { try imap.append(Data("Subject: x\r\n\r\nx\r\n".utf8), to: "Nope") }
        guard case .noSuchFolder = error else { Issue.record("expected noSuchFolder, got \(String(describing: error))"); return }
    }

    @Test("no server listening: unreachable, said plainly")
    func serverDown() throws {
        let ca = try TestCA()
        let port = try SMTPSink.freePort()
        let imap = try CurlIMAPClient(settings: IMAPSettings(url: "imap://127.0.0.1:\(port)/INBOX", username: "alex", caFile: ca.caFile,
                                                             connectTimeout: 3, commandTimeout: 5), password: "pw")
        let error = #expect(throws: MailboxError.self) { try imap.search(.all([]), in: "INBOX") }
        guard case .unreachable(let host, _) = error else { Issue.record("expected unreachable, got \(String(describing: error))"); return }
        #expect(host == "127.0.0.1:\(port)")
        #expect(error?.localizedDescription.contains("cannot reach the IMAP server 127.0.0.1:\(port)") == true)
    }

    @Test("a server without STARTTLS is refused before the password is sent")
    func startTLSRequired() throws {
        let ca = try TestCA()
        let server = try Dovecot(.withoutTLS)
        let imap = try Self.client(server, ca: ca)
        #expect(throws: MailboxError.startTLSUnavailable(host: "127.0.0.1:\(server.imapPort)")) { try imap.search(.all([]), in: "INBOX") }
        // Dovecot logs every login attempt; there was none.
        #expect(!server.log.contains("user=<alex>"))
    }

    @Test("a certificate from an unknown CA fails TLS")
    func untrustedCertificate() throws {
        let ca = try TestCA()
        let otherCA = try TestCA()
        let server = try Dovecot(.tls(ca))
        let imap = try Self.client(server, ca: otherCA, scheme: "imaps")
        let error = #expect(throws: MailboxError.self) { try imap.folders() }
        guard case .tls = error else { Issue.record("expected tls, got \(String(describing: error))"); return }
    }

    @Test("a settings URL with a password or another scheme is refused")
    func badSettings() {
        #expect(throws: MailboxError.self) { try CurlIMAPClient(settings: IMAPSettings(url: "imaps://alex:pw@imap.example.com/INBOX", username: "alex"), password: nil) }
        #expect(throws: MailboxError.self) { try CurlIMAPClient(settings: IMAPSettings(url: "https://imap.example.com/INBOX", username: "alex"), password: nil) }
    }
}
