import Foundation

/// One reply check for one interview: what was found in the user's folders.
public struct MailboxReport: Sendable, Equatable {
    /// One message that matters (irrelevant ones are left out).
    public struct Finding: Sendable, Equatable {
        public var folder: String
        public var uid: UInt32
        /// The message's own Message-ID (to tell copies in two folders apart), if it has one.
        public var messageID: String?
        public var classification: MailClassification
    }

    /// What the follow-up should do.
    public enum Verdict: Sendable, Equatable {
        /// They answered: cancel the follow-ups. The earliest answer.
        case replied(by: String, at: Date, subject: String)
        /// Someone else at the company wrote: hold for the user. The latest such message.
        case hold(address: String, at: Date, subject: String)
        /// Nothing but silence (and auto-replies): the follow-up may go.
        case silence
    }

    /// A message from someone else at the company, and how the go-ahead names it.
    public struct ColleagueMail: Sendable, Equatable {
        public var address: String
        public var at: Date
        public var subject: String
        /// Its Message-ID, else its folder and UID: what a go-ahead covers (never its date,
        /// which the sender's clock or a forger sets).
        public var key: String
    }

    public var findings: [Finding]

    /// Every message from a colleague at the company (one per Message-ID), oldest first.
    public var colleagueMail: [ColleagueMail] {
        findings.compactMap { finding -> ColleagueMail? in
            guard case .colleagueWrote(let address, let at, let subject) = finding.classification else { return nil }
            return ColleagueMail(address: address, at: at, subject: subject,
                                 key: finding.messageID.map { "<\($0)>" } ?? "\(finding.folder)#\(finding.uid)")
        }.sorted { $0.at < $1.at }
    }
    /// The folders searched, in order.
    public var folders: [String]
    public var checkedAt: Date

    public var verdict: Verdict {
        let replies = findings.compactMap { finding -> (String, Date, String)? in
            if case .replied(let by, let at, let subject) = finding.classification { return (by, at, subject) }
            return nil
        }
        if let first = replies.min(by: { $0.1 < $1.1 }) { return .replied(by: first.0, at: first.1, subject: first.2) }
        let others = findings.compactMap { finding -> (String, Date, String)? in
            if case .colleagueWrote(let address, let at, let subject) = finding.classification { return (address, at, subject) }
            return nil
        }
        if let last = others.max(by: { $0.1 < $1.1 }) { return .hold(address: last.0, at: last.1, subject: last.2) }
        return .silence
    }

    /// The thank-yous that bounced (their Message-IDs, bare), each once.
    public var bouncedMessageIDs: [String] {
        var ids: [String] = []
        for finding in findings {
            if case .bounce(let id, _) = finding.classification, !ids.contains(id) { ids.append(id) }
        }
        return ids
    }

    /// How many automatic answers were seen (and did not count).
    public var autoReplies: Int {
        findings.filter { if case .autoReply = $0.classification { return true } else { return false } }.count
    }
}

/// Runs the reply check for one interview through a `MailboxReader`: one `UID SEARCH` per
/// folder, a `BODY.PEEK` of the candidates' headers (and of delivery reports' first
/// `ReplyClassifier.reportBytes`), then `ReplyClassifier`. Reads only; sets no flag.
public enum MailboxCheck {
    /// - Parameter folders: where to look (`imap.folders`, default INBOX; Gmail: "[Gmail]/All Mail").
    /// - Throws: `MailboxError` when any folder cannot be read: a check that saw only part of
    ///   the mailbox must not let a follow-up leave.
    public static func run(_ watch: ReplyWatch, folders: [String], reader: MailboxReader, now: Date) throws -> MailboxReport {
        let criterion = try watch.searchCriterion()
        var findings: [MailboxReport.Finding] = []
        var seen = Set<String>()
        for folder in folders {
            let uids = try reader.search(criterion, in: folder)
            guard !uids.isEmpty else { continue }
            var messages = try reader.fetch(uids: uids, in: folder, headerFields: ReplyClassifier.headerFields, bodyPrefix: nil)
            let reports = messages.filter { ReplyClassifier.isDeliveryReport($0.headers) }.map(\.uid)
            if !reports.isEmpty {
                let bodies = try reader.fetch(uids: reports, in: folder, headerFields: ReplyClassifier.headerFields,
                                              bodyPrefix: ReplyClassifier.reportBytes)
                for body in bodies {
                    if let index = messages.firstIndex(where: { $0.uid == body.uid }) { messages[index].bodyPrefix = body.bodyPrefix }
                }
            }
            for message in messages.sorted(by: { $0.uid < $1.uid }) {
                let classification = ReplyClassifier.classify(message, for: watch)
                guard classification != .irrelevant else { continue }
                let id = message.headers["Message-ID"].flatMap { MailHeaders.messageIDs(in: $0).first }
                // Gmail shows one message in INBOX and All Mail: count it once.
                if let id, !seen.insert(id).inserted { continue }
                findings.append(.init(folder: folder, uid: message.uid, messageID: id, classification: classification))
            }
        }
        return MailboxReport(findings: findings, folders: folders, checkedAt: now)
    }
}
