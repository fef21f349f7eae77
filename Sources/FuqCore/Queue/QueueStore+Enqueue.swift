import Foundation
import GRDB

extension QueueStore {
    /// What to do when a note of the same kind to the same address is already waiting or was
    /// sent in the last `duplicateWindow`.
    public enum DuplicatePolicy: Sendable {
        /// Refuse, naming the existing note (the default).
        case refuse
        /// Cancel the waiting one in the same transaction (`--replace`); a sent one still refuses.
        case replace
        /// Queue this one too, on purpose (`--also`).
        case also
    }

    /// How far back a sent note still makes a new one to the same address a duplicate.
    public static let duplicateWindow: TimeInterval = 14 * 86400

    /// Stores an interview and all its messages in one transaction: all of them or none.
    /// A note to an address that already has one of the same kind waiting, or sent in the last
    /// 14 days — whatever the company's spelling or the interview's end time — is a duplicate
    /// (see `DuplicatePolicy`). Returns the notes cancelled: by `.replace`, and the waiting
    /// follow-ups of an earlier interview with the same person (superseded by this one's).
    @discardableResult
    public func enqueue(_ interview: InterviewRecord, messages: [MessageRecord], duplicates: DuplicatePolicy = .refuse,
                        now: Date = Date()) throws -> [MessageRecord] {
        try transaction { db in
            var replaced: [MessageRecord] = []
            for (message, existing) in try Self.checkDuplicates(messages, policy: duplicates, now: now, db) {
                var cancelled = existing
                cancelled.state = .cancelled
                cancelled.updatedAt = now
                cancelled.reason = "replaced by \(message.id) (`fuq enqueue --replace`)"
                try cancelled.update(db)
                _ = try Self.cancelFollowUps(of: cancelled.id, reason: "its thank-you \(cancelled.id) was replaced (`fuq enqueue --replace`)", now: now, db)
                replaced.append(cancelled)
            }
            // A new interview with someone whose earlier follow-up still waits — as lead or panelist,
            // with or without a follow-up of its own: they are in touch (a second round), so "any
            // news on the timeline?" must not go.
            // The people met again are this interview's interviewers (its thank-yous): an earlier
            // interview any of them was part of is in touch — whoever its follow-up goes to (its
            // lead, another panelist, its recruiter). A recruiter shared with another company's
            // interview is not someone you met again.
            let newFollowUp = messages.first(where: \.isFollowUp)
            var people: [String] = []
            for message in messages where !message.isFollowUp && !people.contains(where: { $0.caseInsensitiveCompare(message.recipientEmail) == .orderedSame }) {
                people.append(message.recipientEmail)
            }
            var seen: Set<String> = []
            for address in people {
                for var old in try Self.decode(db, sql: """
                    SELECT * FROM message WHERE kind = ? AND interviewId <> ? AND state IN ('scheduled', 'deferred', 'held', 'expired')
                      AND (recipientEmail = ? COLLATE NOCASE
                           OR interviewId IN (SELECT interviewId FROM message WHERE kind <> ? AND recipientEmail = ? COLLATE NOCASE))
                    """, arguments: [MessageRecord.followUpKind, interview.id, address, MessageRecord.followUpKind, address]).records
                    where seen.insert(old.id).inserted {
                    old.state = .cancelled
                    old.updatedAt = now
                    old.reason = "superseded by your new interview \(interview.id) (you met \(address) again): "
                        + (newFollowUp.map { "its own follow-up \($0.id) is planned instead" } ?? "they are in touch with you, so the first round's follow-up is not sent")
                    try old.update(db)
                    replaced.append(old)
                }
            }
            try interview.insert(db)
            for var message in messages {
                // The planner renders each note for its due time.
                message.renderedFor = message.due
                try message.insert(db)
            }
            return replaced
        }
    }

    /// The duplicate rule for `messages` under `policy`: throws for a refusal; returns the
    /// (new note, existing note) pairs `.replace` would cancel. `enqueue`, `enqueue --dry-run`
    /// and `fuq edit --to` all decide through here.
    static func checkDuplicates(_ messages: [MessageRecord], policy: DuplicatePolicy, now: Date,
                                _ db: Database) throws -> [(MessageRecord, MessageRecord)] {
        guard policy != .also else { return [] }
        var toCancel: [(MessageRecord, MessageRecord)] = []
        for message in messages {
            for existing in try sameNotes(as: message, now: now, db) {
                guard policy == .replace else {
                    throw QueueError.duplicate(existingID: existing.id, recipient: existing.recipientEmail, state: existing.state,
                                               company: try company(of: existing, db),
                                               sentAt: existing.isReplaceable ? nil : existing.sentAt ?? existing.updatedAt)
                }
                guard existing.isReplaceable else {
                    throw QueueError.cannotReplaceSent(existingID: existing.id, recipient: existing.recipientEmail, state: existing.state)
                }
                toCancel.append((message, existing))
            }
        }
        return toCancel
    }

    /// Notes of `message`'s kind to its address that are waiting, or were sent in the last
    /// `duplicateWindow` (the message itself excluded). A follow-up has none: it is a duplicate
    /// only with its thank-you, which is checked; a second-round interview's follow-up
    /// supersedes the first round's instead (`supersededFollowUps`).
    static func sameNotes(as message: MessageRecord, now: Date, _ db: Database) throws -> [MessageRecord] {
        guard !message.isFollowUp else { return [] }
        // A bounced note never reached them: a note to the same address again is no duplicate.
        let waiting = MessageState.allCases.filter { !$0.isFinished && $0 != .bounced }.map { "'\($0.rawValue)'" }.joined(separator: ",")
        return try decode(db, sql: """
            SELECT * FROM message WHERE recipientEmail = ? COLLATE NOCASE AND kind = ? AND id <> ?
              AND (state IN (\(waiting)) OR (state = 'sent' AND COALESCE(sentAt, updatedAt) >= ?))
            ORDER BY createdAt
            """, arguments: [message.recipientEmail, message.kind, message.id, now.addingTimeInterval(-duplicateWindow)]).records
    }

    static func company(of message: MessageRecord, _ db: Database) throws -> String {
        try String.fetchOne(db, sql: "SELECT company FROM interview WHERE id = ?", arguments: [message.interviewId]) ?? message.interviewId
    }

    /// Rows decoded one by one: a row that cannot be read back (a date out of range, an unknown
    /// state, written by hand) is reported by id instead of failing every command.
    static func decode(_ db: Database, sql: String, arguments: StatementArguments = []) throws -> (records: [MessageRecord], unreadable: [String]) {
        var records: [MessageRecord] = []
        var unreadable: [String] = []
        let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
        while let row = try rows.next() {
            if let record = try? MessageRecord(row: row), record.isSane {
                records.append(record)
            } else {
                unreadable.append(String.fromDatabaseValue(row["id"] as DatabaseValue) ?? "?")
            }
        }
        return (records, unreadable)
    }

    /// What `enqueue` would do about duplicates, without storing anything (`--dry-run`):
    /// throws its refusal, or returns the existing notes `--replace` would cancel.
    public func duplicates(of messages: [MessageRecord], policy: DuplicatePolicy, now: Date) throws -> [MessageRecord] {
        try read { db in try Self.checkDuplicates(messages, policy: policy, now: now, db).map(\.1) }
    }

    /// A short id not used yet by any message or interview.
    public func unusedID(length: Int = 5, prefix: String = "", existing: Set<String> = []) throws -> String {
        try read { db in
            while true {
                let id = prefix + ShortID.random(length: length)
                if existing.contains(id) { continue }
                let taken = (try MessageRecord.exists(db, key: id) || InterviewRecord.exists(db, key: id)) ? 1 : 0
                if taken == 0 { return id }
            }
        }
    }
}
