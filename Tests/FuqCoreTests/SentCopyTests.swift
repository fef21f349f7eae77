import Foundation
import Testing
@testable import FuqCore

@Suite("A copy in Sent, and uncertain notes found there")
struct SentCopyTests {
    static let config = IMAPConfig(settings: IMAPSettings(url: "imaps://imap.example.org/INBOX", username: "alex"))
    static let note = Data("Message-ID: <n1@fuq.example>\r\n\r\nThank you.\r\n".utf8)

    @Test("the copy goes to the folder LIST marks \\Sent, or imap.sent_folder; without either, the error says to set it")
    func sentFolder() throws {
        let mailbox = RecordingMailbox()
        mailbox.listed = [MailFolder(name: "INBOX", attributes: []), MailFolder(name: "Gesendet", attributes: ["\\Sent"])]
        #expect(try SentCopy.append(Self.note, config: Self.config, reader: mailbox) == "Gesendet")
        #expect(mailbox.appended.map(\.folder) == ["Gesendet"])
        #expect(mailbox.appended.first?.message == Self.note)

        var chosen = Self.config
        chosen.sentFolder = "Sent Items"
        #expect(try SentCopy.append(Self.note, config: chosen, reader: mailbox) == "Sent Items")

        let bare = RecordingMailbox()
        bare.listed = [MailFolder(name: "INBOX", attributes: []), MailFolder(name: "Sent Messages", attributes: [])]
        let error = try #require(throws: MailboxError.self) { try SentCopy.append(Self.note, config: Self.config, reader: bare) }
        #expect(error.errorDescription?.contains("set imap.sent_folder") == true)
        #expect(error.errorDescription?.contains("\"Sent Messages\"") == true)
        #expect(bare.appended.isEmpty)
    }

    @Test("Gmail (by host or by its [Gmail] folders) files sent mail itself: nothing is appended", arguments: [
        ("imaps://imap.gmail.com:993/INBOX", [MailFolder(name: "INBOX", attributes: [])]),
        ("imaps://mail.example.org/INBOX", [MailFolder(name: "INBOX", attributes: []), MailFolder(name: "[Gmail]", attributes: ["\\Noselect"]),
                                            MailFolder(name: "[Gmail]/Sent Mail", attributes: ["\\Sent"])]),
        ("imaps://mail.example.org/INBOX", [MailFolder(name: "[Google Mail]/Gesendet", attributes: ["\\Sent"])]),
    ])
    func gmail(url: String, folders: [MailFolder]) throws {
        let mailbox = RecordingMailbox()
        mailbox.listed = folders
        #expect(try SentCopy.append(Self.note, config: IMAPConfig(settings: IMAPSettings(url: url, username: "a")), reader: mailbox) == nil)
        #expect(mailbox.appended.isEmpty)
    }

    @Test("one delivery run opens the mailbox once; a refused login is not retried for each note, and the warning says it WAS sent")
    func copierOpensOnce() throws {
        var opened = 0
        let copier = SentCopier(config: Self.config, smtp: SMTPSettings()) { _, _ in
            opened += 1
            throw MailboxError.loginRefused(host: "imap.example.org:993", username: "alex", serverText: "NO [AUTHENTICATIONFAILED]")
        }
        var m = try samplePlan().messages[0]
        m.state = .sent
        let report = DeliveryReport(message: m, result: DeliveryResult(outcome: .sent, code: 250, text: "250 ok"), data: Self.note)
        let first = try #require(copier.keep(report))
        #expect(first.contains("WAS sent"))
        #expect(first.contains("refused the login"))
        #expect(copier.keep(report) != nil)
        #expect(opened == 1)

        var deferred = report
        deferred.message.state = .deferred
        deferred.data = nil
        let mailbox = RecordingMailbox()
        mailbox.listed = [MailFolder(name: "Sent", attributes: ["\\Sent"])]
        let working = SentCopier(config: Self.config, smtp: SMTPSettings()) { _, _ in mailbox }
        #expect(working.keep(deferred) == nil)
        #expect(working.keep(report) == nil)
        #expect(working.keep(report) == nil)
        #expect(mailbox.appended.count == 2, "only the sent ones")
    }

    @Test("a copy that fails (a server that never answers) is not tried again for the run's other notes: one timeout per run, not one per note")
    func copierGivesUpAfterAFailure() throws {
        let hung = RecordingMailbox()
        hung.foldersError = .unreachable(host: "imap.example.org:993", reason: "Timeout was reached")
        let copier = SentCopier(config: Self.config, smtp: SMTPSettings()) { _, _ in hung }
        var reports: [DeliveryReport] = []
        for m in try samplePlan().messages {
            var sent = m
            sent.state = .sent
            reports.append(DeliveryReport(message: sent, result: DeliveryResult(outcome: .sent, code: 250, text: "250 ok"), data: Self.note))
        }
        let warnings = reports.map { copier.keep($0) }
        #expect(hung.calls.count == 1, "the mailbox was asked once: \(hung.calls)")
        #expect(warnings.allSatisfy { $0?.contains("WAS sent") == true })
        #expect(warnings.dropFirst().allSatisfy { $0?.contains("as for \(reports[0].message.id) earlier in this run") == true }, "\(warnings)")
    }

    @Test("the uncertain search reads Sent (All Mail on Gmail) and imap.folders, and matches the Message-ID exactly")
    func search() throws {
        let mailbox = RecordingMailbox()
        func message(_ uid: UInt32, _ id: String) -> FetchedMessage {
            FetchedMessage(uid: uid, header: Data("Message-ID: \(id)\r\n".utf8))
        }
        mailbox.folderContents = ["Sent": [message(1, "<a@fuq.example>"), message(2, "<ab@fuq.example>")], "INBOX": [message(5, "<b@fuq.example>")]]
        let found = try SentSearch.locate(messageIDs: ["<a@fuq.example>", "<b@fuq.example>", "<c@fuq.example>"], config: Self.config, reader: mailbox)
        #expect(found.map(\.messageID) == ["<a@fuq.example>", "<b@fuq.example>"])
        #expect(found.map(\.folder) == ["Sent", "INBOX"])

        let gmail = IMAPConfig(settings: IMAPSettings(url: "imaps://imap.gmail.com/INBOX", username: "a"))
        let listed = [MailFolder(name: "INBOX", attributes: []), MailFolder(name: "[Gmail]/Alle Nachrichten", attributes: ["\\All"]),
                      MailFolder(name: "[Gmail]/Gesendet", attributes: ["\\Sent"])]
        #expect(SentSearch.folders(gmail, listed: listed) == ["[Gmail]/Alle Nachrichten", "[Gmail]/Gesendet", "INBOX"])
    }

    @Test("an uncertain note found in the mailbox becomes sent, saying where; a scheduled one with that id is left alone")
    func resolve() throws {
        let plan = try samplePlan()
        let store = try QueueStore(path: temporaryQueuePath())
        try store.enqueue(plan.interview, messages: plan.messages)
        let (uncertain, scheduled) = (plan.messages[0], plan.messages[1])
        try store.transaction { db in try db.execute(sql: "UPDATE message SET state = 'uncertain' WHERE id = ?", arguments: [uncertain.id]) }
        let mailbox = RecordingMailbox()
        mailbox.folderContents = ["Sent": [FetchedMessage(uid: 7, internalDate: Date(timeIntervalSince1970: 1_790_000_000),
                                                          header: Data("Message-ID: \(uncertain.messageId)\r\n".utf8))]]
        let now = Date(timeIntervalSince1970: 1_790_000_600)
        let resolved = try SentSearch.resolveUncertain(in: store, config: Self.config, now: now) { mailbox }
        #expect(resolved.map(\.id) == [uncertain.id])
        let after = try store.message(uncertain.id)
        #expect(after.state == .sent)
        #expect(after.sentAt == Date(timeIntervalSince1970: 1_790_000_000))
        #expect(after.serverReply?.contains("folder \"Sent\" on imap.test:993") == true)
        #expect(try store.message(scheduled.id).state == .scheduled)
        // Found once: nothing uncertain is left, so the mailbox is not opened again.
        var opened = false
        #expect(try SentSearch.resolveUncertain(in: store, config: Self.config, now: now) { opened = true; return mailbox }.isEmpty)
        #expect(!opened)
    }
}

@Suite("A mailbox that failed as a whole")
struct OneFailureMailboxTests {
    @Test("after a timeout every later call fails at once (one wait per run); a missing folder does not stick")
    func sticky() throws {
        let inner = RecordingMailbox()
        inner.failing = ["INBOX": .timedOut(host: "imap.test:993", seconds: 10), "Gone": .noSuchFolder(folder: "Gone", serverText: "NO")]
        let box = OneFailureMailbox(inner)
        let missing = RecordingMailbox()
        missing.failing = ["Gone": .noSuchFolder(folder: "Gone", serverText: "NO")]
        let other = OneFailureMailbox(missing)
        #expect(throws: MailboxError.self) { try other.search(.from("x"), in: "Gone") }
        #expect(try other.search(.from("x"), in: "INBOX").isEmpty, "a folder's own error does not break the mailbox")
        for _ in 0..<3 { #expect(throws: MailboxError.timedOut(host: "imap.test:993", seconds: 10)) { try box.search(.from("x"), in: "INBOX") } }
        #expect(throws: MailboxError.self) { try box.folders() }
        #expect(inner.calls.count == 1, "the server was asked once: \(inner.calls)")
    }
}
