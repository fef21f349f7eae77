import Foundation
import Testing
@testable import FuqCore

/// A `MailboxReader` that answers from canned folders and records every call.
final class RecordingMailbox: MailboxReader {
    let host = "imap.test:993"
    /// Folder → its messages. `search` returns every UID in the folder (the server's filtering
    /// is Dovecot's business, proven in the integration tests); the classifier must cope.
    var folderContents: [String: [FetchedMessage]] = [:]
    var failing: [String: MailboxError] = [:]
    var appended: [(folder: String, message: Data)] = []
    enum Call: Equatable {
        case search(folder: String, criteria: String)
        case fetch(folder: String, uids: [UInt32], fields: [String], bodyPrefix: Int?)
        case folders
        case append(folder: String)
    }
    var calls: [Call] = []
    /// What LIST answers; nil: the folders of `folderContents`, "Sent" marked `\Sent`.
    var listed: [MailFolder]?

    func search(_ criterion: SearchCriterion, in folder: String) throws -> [UInt32] {
        calls.append(.search(folder: folder, criteria: try criterion.imapText()))
        if let error = failing[folder] { throw error }
        return (folderContents[folder] ?? []).map(\.uid)
    }

    func fetch(uids: [UInt32], in folder: String, headerFields: [String], bodyPrefix: Int?) throws -> [FetchedMessage] {
        calls.append(.fetch(folder: folder, uids: uids, fields: headerFields, bodyPrefix: bodyPrefix))
        return (folderContents[folder] ?? []).filter { uids.contains($0.uid) }.map { message in
            var copy = message
            if bodyPrefix == nil { copy.bodyPrefix = nil }
            return copy
        }
    }

    /// What LIST fails with (a server that never answers).
    var foldersError: MailboxError?

    func folders() throws -> [MailFolder] {
        calls.append(.folders)
        if let foldersError { throw foldersError }
        if let listed { return listed }
        return folderContents.keys.sorted().map { MailFolder(name: $0, attributes: $0 == "Sent" ? ["\\Sent"] : []) }
    }

    func append(_ message: Data, to folder: String) throws -> UInt32? {
        calls.append(.append(folder: folder))
        appended.append((folder, message))
        return nil
    }
}

@Suite("Mailbox check through a MailboxReader")
struct MailboxCheckTests {
    typealias F = MailFixture
    static let now = F.sent.addingTimeInterval(7 * 86_400)
    static let reply = F.message(uid: 4, "From: Dana <dana.rivera@acme.example>\nSubject: Re: Thank you\nMessage-ID: <r1@acme.example>\nIn-Reply-To: <ty-dana@fuq.example.org>")
    static let recruiter = F.message(uid: 5, "From: recruiting@acme.example\nSubject: Your interview\nMessage-ID: <c1@acme.example>")
    static let away = F.message(uid: 6, "From: k.okafor@acme.example\nSubject: Out of Office: back on Monday\nMessage-ID: <o1@acme.example>")
    static let report = F.message(uid: 7, "From: MAILER-DAEMON@mx.acme.example\nSubject: Undelivered\nMessage-ID: <b1@mx.acme.example>\nContent-Type: multipart/report; report-type=delivery-status; boundary=b",
                                  body: "--b\r\n\r\nMessage-ID: <ty-kwame@fuq.example.org>\r\n--b--\r\n")
    static let spam = F.message(uid: 8, "From: shop@store.example\nSubject: Sale\nMessage-ID: <s1@store.example>")

    @Test("one search per folder, one header peek of the hits, a body peek only of delivery reports; the verdict and bounces")
    func calls() throws {
        let mailbox = RecordingMailbox()
        mailbox.folderContents = ["INBOX": [Self.reply, Self.recruiter, Self.away, Self.report, Self.spam]]
        let report = try MailboxCheck.run(F.watch, folders: ["INBOX"], reader: mailbox, now: Self.now)
        let criteria = try F.watch.searchCriterion().imapText()
        #expect(mailbox.calls == [
            .search(folder: "INBOX", criteria: criteria),
            .fetch(folder: "INBOX", uids: [4, 5, 6, 7, 8], fields: ReplyClassifier.headerFields, bodyPrefix: nil),
            .fetch(folder: "INBOX", uids: [7], fields: ReplyClassifier.headerFields, bodyPrefix: ReplyClassifier.reportBytes),
        ])
        #expect(report.findings.map(\.uid) == [4, 5, 6, 7])
        #expect(report.verdict == .replied(by: "dana.rivera@acme.example", at: F.sent.addingTimeInterval(3600), subject: "Re: Thank you"))
        #expect(report.bouncedMessageIDs == ["ty-kwame@fuq.example.org"])
        #expect(report.autoReplies == 1)
        #expect(report.checkedAt == Self.now)
    }

    @Test("verdicts: a colleague holds; auto-replies alone are silence; nothing is silence", arguments: [
        ([recruiter, away], MailboxReport.Verdict.hold(address: "recruiting@acme.example", at: F.sent.addingTimeInterval(3600), subject: "Your interview")),
        ([away, spam], .silence),
        ([], .silence),
    ])
    func verdicts(messages: [FetchedMessage], expected: MailboxReport.Verdict) throws {
        let mailbox = RecordingMailbox()
        mailbox.folderContents = ["INBOX": messages]
        #expect(try MailboxCheck.run(F.watch, folders: ["INBOX"], reader: mailbox, now: Self.now).verdict == expected)
        // No hits: no fetch at all.
        if messages.isEmpty { #expect(mailbox.calls.count == 1) }
    }

    @Test("the same message in INBOX and All Mail counts once")
    func deduplicated() throws {
        let mailbox = RecordingMailbox()
        mailbox.folderContents = ["INBOX": [Self.reply], "[Gmail]/All Mail": [Self.reply, Self.recruiter]]
        let report = try MailboxCheck.run(F.watch, folders: ["INBOX", "[Gmail]/All Mail"], reader: mailbox, now: Self.now)
        #expect(report.findings.map(\.folder) == ["INBOX", "[Gmail]/All Mail"])
        #expect(report.findings.map(\.messageID) == ["r1@acme.example", "c1@acme.example"])
    }

    @Test("a folder that cannot be read fails the whole check: half a mailbox is no proof of silence")
    func failingFolder() {
        let mailbox = RecordingMailbox()
        mailbox.folderContents = ["INBOX": [Self.spam]]
        mailbox.failing = ["Archive": .noSuchFolder(folder: "Archive", serverText: "NO [NONEXISTENT]")]
        #expect(throws: MailboxError.noSuchFolder(folder: "Archive", serverText: "NO [NONEXISTENT]")) {
            try MailboxCheck.run(F.watch, folders: ["INBOX", "Archive"], reader: mailbox, now: Self.now)
        }
    }
}
