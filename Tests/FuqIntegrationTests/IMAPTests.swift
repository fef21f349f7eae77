import Foundation
import FuqCore
import Testing

/// `CurlIMAPClient` against a real Dovecot started by the test: search, header fetch without
/// `\Seen`, LIST special-use, APPEND, and the errors a user can act on.
@Suite("IMAP through libcurl against Dovecot", .serialized)
struct IMAPTests {
    static let headerFields = ["From", "Subject", "Message-ID", "In-Reply-To", "References"]

    static func client(_ server: Dovecot, ca: TestCA, scheme: String = "imap", folder: String = "INBOX",
                       password: String? = nil, connectTimeout: TimeInterval = 5, commandTimeout: TimeInterval = 10) throws -> CurlIMAPClient {
        try CurlIMAPClient(settings: IMAPSettings(url: server.url(scheme, folder: folder), username: Dovecot.user, caFile: ca.caFile,
                                                  connectTimeout: connectTimeout, commandTimeout: commandTimeout),
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

    @Test("non-ASCII folders (Ärger/Ünter, Ünïcödé) are listed by their names, selected, searched and appended to; the folder in imap.url too")
    func nonASCIIFolders() throws {
        let ca = try TestCA()
        let server = try Dovecot(.tls(ca), folders: [("Ünïcödé", "\\Sent"), ("Ärger/Ünter", nil)])
        try server.deliver(Self.message(from: "dana.rivera@acme.example", subject: "Re: Thank you", id: "u1@acme.example",
                                        extra: "In-Reply-To: <ty-dana@fuq.example.org>"), to: "Ärger/Ünter")
        let imap = try Self.client(server, ca: ca, folder: "Ärger/Ünter")
        #expect(imap.defaultFolder == "Ärger/Ünter")
        let folders = try imap.folders()
        #expect(Set(folders.map(\.name)).isSuperset(of: ["INBOX", "Ünïcödé", "Ärger/Ünter"]), "\(folders.map(\.name))")
        let sent = try #require(MailFolder.sent(in: folders))
        #expect(sent.name == "Ünïcödé")

        #expect(try imap.search(.header(field: "In-Reply-To", contains: "ty-dana@fuq.example.org"), in: imap.defaultFolder).count == 1)
        let report = try MailboxCheck.run(Self.watch, folders: ["INBOX", "Ärger/Ünter"], reader: imap, now: Self.now)
        guard case .replied(let by, _, _) = report.verdict else { Issue.record("expected a reply, got \(report.verdict)"); return }
        #expect(by == "dana.rivera@acme.example")

        let note = "From: Alex Kim <alex@example.org>\r\nSubject: Thank you\r\nMessage-ID: <ty-u@fuq.example.org>\r\n\r\nThank you.\r\n"
        try imap.append(Data(note.utf8), to: sent.name)
        #expect(server.messages(in: "Ünïcödé").count == 1)
        #expect(!server.log.contains("8bit data"), "\(server.log)")
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

    @Test("a refused password with a short connect timeout is a refused login, not an unreachable server (Dovecot answers a failed login after 2 s)",
          arguments: ["imap", "imaps"])
    func wrongPasswordShortConnectTimeout(scheme: String) throws {
        let ca = try TestCA()
        let server = try Dovecot(.tls(ca))
        let imap = try Self.client(server, ca: ca, scheme: scheme, password: "wrong-Pa55word", connectTimeout: 0.5)
        let started = ContinuousClock.now
        let error = #expect(throws: MailboxError.self) { try imap.folders() }
        guard case .loginRefused(_, let user, let text) = error else {
            Issue.record("expected loginRefused, got \(String(describing: error))")
            return
        }
        #expect(user == Dovecot.user && text.contains("AUTHENTICATIONFAILED"))
        #expect(ContinuousClock.now - started >= .milliseconds(500), "the refusal came after the connect timeout, and still counted")
        // The right password with the same short timeout still logs in.
        let good = try Self.client(server, ca: ca, scheme: scheme, connectTimeout: 0.5)
        #expect(try good.folders().contains { $0.name == "INBOX" })
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

    // MARK: the reply check through the real server

    static let now = Date()
    static let watch = ReplyWatch(thankYouMessageIDs: ["ty-dana@fuq.example.org", "ty-kwame@fuq.example.org", "ty-lee@fuq.example.org"],
                                  interviewerAddresses: ["dana.rivera@acme.example", "k.okafor@acme.example", "lee@acme.example"],
                                  companyDomain: "acme.example", ownAddresses: ["alex@example.org"],
                                  interviewEnded: now.addingTimeInterval(-3 * 86_400), thankYouSent: now.addingTimeInterval(-3 * 86_400 + 3 * 3600))

    static let bounce = """
        From: Mail Delivery System <MAILER-DAEMON@mx.example.org>
        To: alex@example.org
        Subject: Undelivered Mail Returned to Sender
        Date: Fri, 4 Dec 2026 09:00:00 +0000
        Message-ID: <bounce-1@mx.example.org>
        Auto-Submitted: auto-replied
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status;
         boundary="BOUNDARY"

        --BOUNDARY
        Content-Type: text/plain

        Your message could not be delivered to lee@acme.example: user unknown.

        --BOUNDARY
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx.example.org
        Final-Recipient: rfc822; lee@acme.example
        Action: failed
        Status: 5.1.1

        --BOUNDARY
        Content-Type: text/rfc822-headers

        From: Alex Kim <alex@example.org>
        To: lee@acme.example
        Subject: Thank you
        Message-ID: <ty-lee@fuq.example.org>

        --BOUNDARY--

        """

    @Test("every kind found through Dovecot: replies (In-Reply-To, References only, new thread), auto-reply, colleague, bounce; all mail stays as unread as it was")
    func checkFindsEveryKind() throws {
        let ca = try TestCA()
        let server = try Dovecot(.tls(ca))
        let day = 86_400.0
        var bases: [String: String] = [:]
        func put(_ key: String, _ text: String, flags: String = "", daysAgo: Double = 1) throws {
            bases[key] = try server.deliver(text, flags: flags, received: Self.now.addingTimeInterval(-daysAgo * day))
        }
        try put("threaded", Self.message(from: "Dana Rivera <dana.rivera@acme.example>", subject: "Re: Thank you", id: "r-dana@acme.example",
                                         extra: "In-Reply-To: <ty-dana@fuq.example.org>\nReferences: <ty-dana@fuq.example.org>"))
        try put("referencesOnly", Self.message(from: "Lee <lee.private@home.example>", subject: "Re: Thank you", id: "r-lee@home.example",
                                               extra: "References: <ty-lee@fuq.example.org>"), daysAgo: 0.5)
        try put("newThread", Self.message(from: "k.okafor@acme.example", subject: "Next steps", id: "r-kwame@acme.example"), flags: "S")
        try put("away", Self.message(from: "k.okafor@acme.example", subject: "Automatic reply: Thank you", id: "oof@acme.example",
                                     extra: "In-Reply-To: <ty-kwame@fuq.example.org>\nAuto-Submitted: auto-replied"), daysAgo: 2.8)
        try put("colleague", Self.message(from: "Pat <recruiting@acme.example>", subject: "Scheduling", id: "c-pat@acme.example"))
        try put("bounce", Self.bounce, daysAgo: 2.8)
        try put("unrelated", Self.message(from: "news@shop.example", subject: "Sale", id: "n@shop.example"))
        try put("beforeInterview", Self.message(from: "dana.rivera@acme.example", subject: "Invitation", id: "inv@acme.example"), daysAgo: 10)
        let flagsBefore = bases.mapValues { server.flags(of: $0) }

        let imap = try Self.client(server, ca: ca)
        let report = try MailboxCheck.run(Self.watch, folders: ["INBOX"], reader: imap, now: Self.now)
        let byID = Dictionary(uniqueKeysWithValues: report.findings.map { ($0.messageID ?? "?", $0.classification) })
        func kind(_ id: String) -> String {
            switch byID[id] {
            case .replied(let by, _, _): return "replied by \(by)"
            case .colleagueWrote(let address, _, _): return "colleague \(address)"
            case .autoReply: return "auto-reply"
            case .bounce(let of, _): return "bounce of \(of)"
            case .irrelevant, nil: return "-"
            }
        }
        #expect(kind("r-dana@acme.example") == "replied by dana.rivera@acme.example")
        #expect(kind("r-lee@home.example") == "replied by lee.private@home.example")
        #expect(kind("r-kwame@acme.example") == "replied by k.okafor@acme.example")
        #expect(kind("oof@acme.example") == "auto-reply")
        #expect(kind("c-pat@acme.example") == "colleague recruiting@acme.example")
        #expect(kind("bounce-1@mx.example.org") == "bounce of ty-lee@fuq.example.org")
        #expect(report.findings.count == 6)
        #expect(report.bouncedMessageIDs == ["ty-lee@fuq.example.org"])
        // The earliest answer wins; received times come from the server (INTERNALDATE).
        guard case .replied(let by, let at, let subject) = report.verdict else { Issue.record("\(report.verdict)"); return }
        #expect(by == "dana.rivera@acme.example" && subject == "Re: Thank you")
        #expect(abs(at.timeIntervalSince(Self.now.addingTimeInterval(-day))) < 2)

        // Nothing the check did marked anything read (or changed any flag).
        #expect(bases.mapValues { server.flags(of: $0) } == flagsBefore)
        #expect(flagsBefore["threaded"] == "" && flagsBefore["newThread"] == "S")
    }

    @Test("an out-of-office answer alone leaves silence (the follow-up may go); a recruiter alone holds it", arguments: [false, true])
    func verdicts(recruiterWrote: Bool) throws {
        let ca = try TestCA()
        let server = try Dovecot(.tls(ca))
        let away = try server.deliver(Self.message(from: "dana.rivera@acme.example", subject: "Out of Office: Thank you", id: "oof2@acme.example",
                                                   extra: "In-Reply-To: <ty-dana@fuq.example.org>\nX-Autoreply: yes"))
        if recruiterWrote {
            try server.deliver(Self.message(from: "recruiting@acme.example", subject: "Your application", id: "c2@acme.example"))
        }
        let imap = try Self.client(server, ca: ca, scheme: "imaps")
        let report = try MailboxCheck.run(Self.watch, folders: ["INBOX"], reader: imap, now: Self.now)
        if recruiterWrote {
            guard case .hold(let address, _, let subject) = report.verdict else { Issue.record("\(report.verdict)"); return }
            #expect(address == "recruiting@acme.example" && subject == "Your application")
        } else {
            #expect(report.verdict == .silence)
        }
        #expect(report.autoReplies == 1)
        #expect(server.flags(of: away) == "")
    }

    @Test("Gmail-style: the reply in INBOX and All Mail counts once; a missing folder fails the whole check")
    func severalFolders() throws {
        let ca = try TestCA()
        let server = try Dovecot(.tls(ca), folders: [("[Gmail]/All Mail", "\\All"), ("[Gmail]/Sent Mail", "\\Sent")])
        let reply = Self.message(from: "dana.rivera@acme.example", subject: "Re: Thank you", id: "r3@acme.example",
                                 extra: "In-Reply-To: <ty-dana@fuq.example.org>")
        try server.deliver(reply)
        try server.deliver(reply, to: "[Gmail]/All Mail")
        let imap = try Self.client(server, ca: ca)
        let report = try MailboxCheck.run(Self.watch, folders: ["INBOX", "[Gmail]/All Mail"], reader: imap, now: Self.now)
        #expect(report.findings.count == 1)
        #expect(throws: MailboxError.self) { try MailboxCheck.run(Self.watch, folders: ["INBOX", "Archive"], reader: imap, now: Self.now) }
    }
}
