import Foundation
import GRDB

/// One recorded event (migration v7): a note's change that may need the user, written by a
/// trigger in the same transaction as the change; or the daemon's pause.
public struct EventRecord: Sendable, Equatable, FetchableRecord, Decodable {
    public var id: Int64
    public var messageId: String?
    public var interviewId: String?
    /// The note's state then (`failed`, `held`, …), or `paused` / `mailbox` without a note.
    public var state: String
    /// Its lastError (its reason when cancelled) then.
    public var detail: String?
    public var at: Date
    public var desktop: String?
    public var email: String?
    public var command: String?
    public var emailAt: Date?
    /// Digests tried for it that could not go.
    public var emailTries: Int

    /// The ways fuq tells; each marks what it did with an event in its own column.
    public enum Channel: String, Sendable, CaseIterable { case desktop, email, command }

    public func outcome(_ channel: Channel) -> String? {
        switch channel {
        case .desktop: return desktop
        case .email: return email
        case .command: return command
        }
    }
}

extension QueueStore {
    /// Events some channel has not dealt with yet, oldest first.
    public func pendingEvents(limit: Int = 500) throws -> [EventRecord] {
        try read { db in
            try EventRecord.fetchAll(db, sql: """
                SELECT * FROM event WHERE desktop IS NULL OR email IS NULL OR command IS NULL ORDER BY id LIMIT ?
                """, arguments: [limit])
        }
    }

    /// Records what `channel` did with each event (durably, before anything else is told).
    public func markEvents(_ ids: [Int64], _ channel: EventRecord.Channel, _ outcome: String, emailAt: Date? = nil) throws {
        guard !ids.isEmpty else { return }
        try transaction { db in
            let placeholders = ids.map { _ in "?" }.joined(separator: ",")
            let emailed = channel == .email && emailAt != nil ? ", emailAt = ?" : ""
            var arguments: [(any DatabaseValueConvertible)?] = [outcome]
            if channel == .email, let emailAt { arguments.append(emailAt) }
            arguments += ids.map { $0 as any DatabaseValueConvertible }
            try db.execute(sql: "UPDATE event SET \(channel.rawValue) = ?\(emailed) WHERE \(channel.rawValue) IS NULL AND id IN (\(placeholders))",
                           arguments: StatementArguments(arguments))
        }
    }

    /// Records an event with no note behind it (the daemon paused before it could try one);
    /// false when it is the same as the last such event and no note has gone out since (a
    /// restart that meets the same refused password is not news).
    @discardableResult
    public func recordEvent(_ kind: AttentionKind, detail: String, at: Date) throws -> Bool {
        try transaction { db in
            if let last = try Row.fetchOne(db, sql: "SELECT detail, at FROM event WHERE messageId IS NULL AND state = ? ORDER BY id DESC LIMIT 1",
                                           arguments: [kind.rawValue]),
               last["detail"] as String? == detail,
               let since = last["at"] as Date?,
               try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM message WHERE sentAt > ?)", arguments: [since]) != true {
                return false
            }
            try db.execute(sql: "INSERT INTO event (state, detail, at) VALUES (?, ?, ?)", arguments: [kind.rawValue, detail, at])
            return true
        }
    }

    /// A digest that could not go: the events stay pending for the next slot (`emailAt` counts
    /// toward the hourly limit), until the `giveUpAfter`-th try marks them with `outcome`.
    public func deferDigest(_ ids: [Int64], at: Date, giveUpAfter: Int, outcome: String) throws {
        guard !ids.isEmpty else { return }
        try transaction { db in
            let placeholders = ids.map { _ in "?" }.joined(separator: ",")
            let idValues: [(any DatabaseValueConvertible)?] = ids.map { $0 }
            try db.execute(sql: "UPDATE event SET emailTries = emailTries + 1, emailAt = ? WHERE email IS NULL AND id IN (\(placeholders))",
                           arguments: StatementArguments([at] + idValues))
            try db.execute(sql: "UPDATE event SET email = ? WHERE email IS NULL AND emailTries >= ? AND id IN (\(placeholders))",
                           arguments: StatementArguments([outcome + " (\(giveUpAfter) tries)", giveUpAfter] + idValues))
        }
    }

    /// When the last digest was sent (or tried).
    public func lastDigest() throws -> Date? {
        try read { db in try Date.fetchOne(db, sql: "SELECT MAX(emailAt) FROM event WHERE emailAt IS NOT NULL") }
    }

    /// The note and interview an event is about, as they are now.
    public func subjects(of event: EventRecord) throws -> (message: MessageRecord?, interview: InterviewRecord?) {
        try read { db in
            let message = try event.messageId.flatMap { try Self.decode(db, sql: "SELECT * FROM message WHERE id = ?", arguments: [$0]).records.first }
            let interview = try (message?.interviewId ?? event.interviewId).flatMap { try InterviewRecord.fetchOne(db, key: $0) }
            return (message, interview)
        }
    }

    /// The latest event about `messageId` (an older one is superseded by it).
    public func latestEventID(message messageId: String) throws -> Int64? {
        try read { db in try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM event WHERE messageId = ?", arguments: [messageId]) }
    }

    /// Everything that waits on the user now, for the "Needs you" block of `status`: notes in
    /// a state only they can resolve, and interviews whose mailbox cannot be read.
    public func needsYou(limit: Int = 200) throws -> (notes: [(MessageRecord, AttentionKind)], mailbox: [InterviewRecord]) {
        try read { db in
            let rows = try Self.decode(db, sql: """
                SELECT * FROM message WHERE state IN ('held', 'failed', 'expired', 'uncertain', 'bounced') ORDER BY due, id LIMIT ?
                """, arguments: [limit]).records
            var notes: [(MessageRecord, AttentionKind)] = []
            for m in rows {
                guard let kind = AttentionKind.of(m), kind.needsYou else { continue }
                // A bounced note stops needing you once a note to the same person of that
                // interview was queued after it (`enqueue --also` with the right address).
                if m.state == .bounced, try Bool.fetchOne(db, sql: """
                    SELECT EXISTS (SELECT 1 FROM message WHERE interviewId = ? AND recipientName = ? AND kind = ? AND createdAt > ? AND state <> 'cancelled')
                    """, arguments: [m.interviewId, m.recipientName, m.kind, m.createdAt]) == true { continue }
                notes.append((m, kind))
            }
            let held = Set(notes.map { $0.0.interviewId })
            let mailbox = try InterviewRecord.fetchAll(db, sql: """
                SELECT * FROM interview WHERE mailboxNote LIKE '\(Self.mailboxFailedPrefix)%' AND repliedAt IS NULL
                   AND EXISTS (SELECT 1 FROM message WHERE interviewId = interview.id AND kind = ? AND state IN ('scheduled', 'deferred'))
                """, arguments: [MessageRecord.followUpKind]).filter { !held.contains($0.id) }
            return (notes, mailbox)
        }
    }
}

extension QueueStore {
    /// The interviews drafted from an invitation with any of `uids` (a loop stores its UIDs
    /// space-separated), newest first.
    public func interviews(invitationUIDs uids: [String]) throws -> [InterviewRecord] {
        guard !uids.isEmpty else { return [] }
        return try read { db in
            var found: [InterviewRecord] = []
            for uid in uids {
                for record in try InterviewRecord.fetchAll(db, sql: """
                    SELECT * FROM interview WHERE invitationUid = ? OR instr(' ' || invitationUid || ' ', ' ' || ? || ' ') > 0 ORDER BY createdAt DESC
                    """, arguments: [uid, uid]) where !found.contains(where: { $0.id == record.id }) {
                    found.append(record)
                }
            }
            return found
        }
    }
}
