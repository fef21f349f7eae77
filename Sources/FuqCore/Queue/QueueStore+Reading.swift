import Foundation
import GRDB

extension QueueStore {
    public func messages(includeFinished: Bool) throws -> [MessageRecord] {
        try messagesReportingDamage(includeFinished: includeFinished).records
    }

    /// The messages (of one interview, given its full id), and the ids of rows that cannot be
    /// read back (reported, skipped).
    public func messagesReportingDamage(includeFinished: Bool, interview: String? = nil) throws -> (records: [MessageRecord], unreadable: [String]) {
        try read { db in
            var conditions: [String] = []
            if !includeFinished { conditions.append("state NOT IN ('sent', 'cancelled')") }
            if interview != nil { conditions.append("interviewId = ?") }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            return try Self.decode(db, sql: "SELECT * FROM message \(filter) ORDER BY due, id", arguments: StatementArguments(interview.map { [$0] } ?? []))
        }
    }

    /// The full id of the interview a user's id or unique prefix (at least 2 characters) names.
    public func interviewID(_ idOrPrefix: String) throws -> String {
        try read { db in
            let key = idOrPrefix.trimmingCharacters(in: .whitespaces).lowercased()
            guard key.count >= 2 else { throw QueueError.idTooShort(TextSafety.printable(idOrPrefix)) }
            let shown = TextSafety.printable(String(idOrPrefix.prefix(40)))
            // Ids are letters, digits and "-", matched literally (no SQL wildcards).
            guard key.count <= 64, key.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-") }) else {
                throw QueueError.noSuchInterview(shown)
            }
            if try InterviewRecord.exists(db, key: key) { return key }
            let matches = try String.fetchAll(db, sql: "SELECT id FROM interview WHERE substr(id, 1, ?) = ? ORDER BY id LIMIT 6",
                                              arguments: [key.count, key])
            switch matches.count {
            case 0: throw QueueError.noSuchInterview(shown)
            case 1: return matches[0]
            default: throw QueueError.ambiguousInterview(shown, matches: matches)
            }
        }
    }

    public func messages(interview id: String) throws -> [MessageRecord] {
        try read { db in try Self.decode(db, sql: "SELECT * FROM message WHERE interviewId = ? ORDER BY due", arguments: [id]).records }
    }

    public func interview(_ id: String) throws -> InterviewRecord? {
        try read { db in try InterviewRecord.fetchOne(db, key: id) }
    }

    /// The message with this id, or the only one whose id starts with it.
    public func message(_ idOrPrefix: String) throws -> MessageRecord {
        try read { db in try Self.resolve(idOrPrefix, db) }
    }

    /// One message by its exact id, through a cached statement (the delivery loop's hot path).
    static func fetch(_ id: String, _ db: Database) throws -> MessageRecord? {
        try MessageRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM message WHERE id = ?"), arguments: [id])
    }

    static func resolve(_ idOrPrefix: String, _ db: Database) throws -> MessageRecord {
        let id = try resolveID(idOrPrefix, db)
        let found = try decode(db, sql: "SELECT * FROM message WHERE id = ?", arguments: [id])
        guard let record = found.records.first else { throw QueueError.damaged(id: id, reason: damageReason(id, db)) }
        return record
    }

    /// The full id a user's id or prefix names: at least 2 characters, matched literally
    /// (no SQL wildcards: `%` or `_` in a prefix match nothing).
    static func resolveID(_ idOrPrefix: String, _ db: Database) throws -> String {
        let key = idOrPrefix.trimmingCharacters(in: .whitespaces).lowercased()
        guard key.count >= 2 else { throw QueueError.idTooShort(TextSafety.printable(idOrPrefix)) }
        // Ids are letters, digits and "-": anything else (a NUL, a wildcard) names no message.
        guard key.count <= 64, key.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-") }) else {
            throw QueueError.noSuchMessage(TextSafety.printable(String(idOrPrefix.prefix(40))) + (idOrPrefix.count > 40 ? "…" : ""))
        }
        if try String.fetchOne(db, sql: "SELECT id FROM message WHERE id = ?", arguments: [key]) != nil { return key }
        let matches = try String.fetchAll(db, sql: "SELECT id FROM message WHERE substr(id, 1, ?) = ? ORDER BY id LIMIT 6",
                                          arguments: [key.count, key])
        switch matches.count {
        case 0: throw QueueError.noSuchMessage(idOrPrefix)
        case 1: return matches[0]
        default: throw QueueError.ambiguousID(idOrPrefix, matches: matches)
        }
    }

    /// Which column of a damaged row cannot be read, for the user.
    static func damageReason(_ id: String, _ db: Database) -> String {
        guard let row = try? Row.fetchOne(db, sql: "SELECT * FROM message WHERE id = ?", arguments: [id]) else { return "unreadable row" }
        // Read as raw values: a typed read of a wrong value would trap.
        func shown(_ value: DatabaseValue) -> String {
            TextSafety.printable(String((String.fromDatabaseValue(value) ?? value.description).prefix(40)))
        }
        for column in ["due", "latest", "createdAt", "updatedAt", "sentAt"] {
            let value = row[column] as DatabaseValue
            if value.isNull && column == "sentAt" { continue }
            if !MessageRecord.isSane(Date.fromDatabaseValue(value)) {
                return "\(column) is \"\(shown(value))\", not a date fuq can use"
            }
        }
        let state = row["state"] as DatabaseValue
        if String.fromDatabaseValue(state).flatMap(MessageState.init(rawValue:)) == nil { return "unknown state \"\(shown(state))\"" }
        let attempts = row["attempts"] as DatabaseValue
        if Int.fromDatabaseValue(attempts).map({ !(0..<MessageRecord.attemptLimit).contains($0) }) ?? true {
            return "attempts is \(shown(attempts)), not a count fuq can use"
        }
        return "a column holds a value of the wrong type"
    }

    /// Removes a row that cannot be read back (and its attempts), after the user asked
    /// (`fuq cancel ID`). Readable messages are cancelled, never deleted.
    public func removeDamaged(_ idOrPrefix: String) throws -> String {
        try transaction { db in
            let id = try Self.resolveID(idOrPrefix, db)
            if let readable = try Self.decode(db, sql: "SELECT * FROM message WHERE id = ?", arguments: [id]).records.first {
                throw QueueError.invalidTransition(id: id, from: readable.state, action: "remove",
                                                   advice: "It can be read after all, so it is kept; `fuq cancel \(id)` cancels it.")
            }
            try db.execute(sql: "DELETE FROM attempt WHERE messageId = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM message WHERE id = ?", arguments: [id])
            return id
        }
    }

    public func attempts(for messageID: String) throws -> [AttemptRecord] {
        try read { db in try AttemptRecord.filter(Column("messageId") == messageID).order(Column("startedAt")).fetchAll(db) }
    }

    /// What a delivery run at `now` does with the due messages.
    public struct DueBatch: Sendable {
        /// To send now, oldest due first.
        public var send: [String] = []
        /// Missed their window while nothing ran; moved to the next one (`reason` says so).
        public var moved: [MessageRecord] = []
        /// Missed their window and no valid one is left before their latest time.
        public var expired: [MessageRecord] = []
        /// Rows that cannot be read back: skipped (and reported by the caller).
        public var unreadable: [String] = []
        /// The latest release (`retry`, `send-now`) at this moment (see `lastRelease`).
        public var lastRelease: Date?
    }

    /// Takes the due messages (scheduled or deferred, due ≤ now) and applies etiquette rule 7
    /// (`SendWindowPolicy.catchUp`) to those found more than a minute late: sent only inside a
    /// window before their latest time, else moved or expired — durably, in one transaction.
    /// The daemon and `fuq flush` (e.g. from cron) share this, so neither sends at 3 a.m.
    public func takeDue(now: Date, policy: SendWindowPolicy) throws -> DueBatch {
        try transaction { db in
            var batch = DueBatch()
            let due = try Self.decode(db, sql: "SELECT * FROM message WHERE state IN ('scheduled', 'deferred') AND due <= ? ORDER BY due",
                                      arguments: [now])
            batch.unreadable = due.unreadable
            batch.lastRelease = try Self.lastRelease(db)
            for var m in due.records {
                // On time (the common case): no need to look up the interview.
                guard now.timeIntervalSince(m.due) > SendWindowPolicy.missedGrace else {
                    batch.send.append(m.id)
                    continue
                }
                // Read raw: a damaged interview row must not stop every delivery run.
                let raw = try DatabaseValue.fetchOne(db, sql: "SELECT endsAt FROM interview WHERE id = ?", arguments: [m.interviewId])
                let end = raw.flatMap { Date.fromDatabaseValue($0) }.flatMap { MessageRecord.isSane($0) ? $0 : nil } ?? m.createdAt
                switch policy.catchUp(due: m.due, latest: m.latest, interviewEnd: end, zone: m.zone, now: now, seed: stableHash(m.id)) {
                case .sendNow:
                    batch.send.append(m.id)
                    continue
                case .move(let due, let reason):
                    m.state = .scheduled
                    m.due = due
                    m.reason = reason
                    batch.moved.append(m)
                case .expire(let reason):
                    m.state = .expired
                    m.lastError = reason
                    batch.expired.append(m)
                }
                m.updatedAt = now
                try m.update(db)
            }
            return batch
        }
    }

    /// Messages left `sending` by a crash become `uncertain`: never resent on their own.
    /// Call only while holding the `DeliveryLock` (else another process's in-flight message
    /// would be marked).
    @discardableResult
    public func recoverInterrupted(now: Date) throws -> [MessageRecord] {
        try transaction { db in
            var changed: [MessageRecord] = []
            let interrupted = try Self.decode(db, sql: "SELECT * FROM message WHERE state = 'sending'")
            for id in interrupted.unreadable {
                try db.execute(sql: "UPDATE message SET state = 'uncertain' WHERE id = ?", arguments: [id])
            }
            for var m in interrupted.records {
                m.state = .uncertain
                m.updatedAt = now
                m.lastError = "fuq stopped while sending this; it may or may not have reached the server"
                try m.update(db)
                changed.append(m)
            }
            return changed
        }
    }

    /// Records as `sent` the `uncertain` notes found in the user's mailbox (`SentSearch`):
    /// they did go out, so they are never sent again. The reason says where it was found. A
    /// note whose state changed meanwhile (retried, cancelled) is left alone.
    /// - Parameters:
    ///   - found: the notes found, by Message-ID.
    ///   - host: the IMAP server, for the reason.
    /// - Returns: the notes now `sent`.
    public func resolveUncertainFromSent(_ found: [SentSearch.Match], host: String, now: Date,
                                         policy: SendWindowPolicy = .standard) throws -> [MessageRecord] {
        try transaction { db in
            var resolved: [MessageRecord] = []
            for match in found {
                guard var m = try MessageRecord.filter(Column("messageId") == match.messageID && Column("state") == MessageState.uncertain.rawValue).fetchOne(db)
                else { continue }
                let stored = match.storedAt.map { " (stored there \(DateFormatting.iso8601($0, in: .gmt)))" } ?? ""
                m.state = .sent
                m.updatedAt = now
                m.sentAt = match.storedAt ?? now
                m.serverReply = "found in your mailbox, folder \"\(match.folder)\" on \(host)\(stored), when fuq checked at "
                    + "\(DateFormatting.iso8601(now, in: .gmt)): it did go out despite the interruption; never sent again"
                m.lastError = nil
                try m.update(db)
                try Self.rescheduleFollowUps(after: m, policy: policy, now: now, db)
                resolved.append(m)
            }
            return resolved
        }
    }

    /// The message a waiting daemon wakes up for: all it needs to know while it sleeps.
    public struct NextDue: Sendable, Equatable {
        public var id: String
        public var due: Date
        public var recipientName: String
    }

    /// The earliest due time among messages a delivery run would pick up.
    /// Read under the write lock (like `lastRelease`): right after a wake-up a plain read could
    /// miss a commit whose WAL frames are written but not yet visible.
    ///
    /// Cheap with any number of notes waiting: each state is read in due order straight from
    /// the `message_state_due` index (`state IN (…) ORDER BY due` made SQLite copy every
    /// waiting row, template and body included, into a sorter first: 4 MiB of heap with 10,000
    /// waiting), and only the rows stepped over are read — normally one per state.
    public func nextDue() throws -> NextDue? {
        try transaction { db in
            try [MessageState.scheduled, .deferred].compactMap { try Self.firstReadable(in: $0, db) }.min { $0.due < $1.due }
        }
    }

    /// The first row of `state` in due order that a delivery run can read back. Unreadable
    /// rows (a date out of range, a count that is not one) are skipped, exactly as `takeDue`
    /// skips (and reports) them: waking up for one would find nothing to send, at once, forever.
    static func firstReadable(in state: MessageState, _ db: Database) throws -> NextDue? {
        let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT * FROM message WHERE state = ? ORDER BY due"), arguments: [state])
        while let row = try rows.next() {
            if let record = try? MessageRecord(row: row), record.isSane {
                return NextDue(id: record.id, due: record.due, recipientName: record.recipientName)
            }
        }
        return nil
    }

    /// Caps SQLite's page cache for this store's connection at `kibibytes` (SQLite's default
    /// is 2,000 KiB) and frees what lies above it now. For the daemon: it waits for hours
    /// between deliveries and each cycle touches a few pages, but `lastRelease`'s and `counts`'
    /// scans would otherwise leave a full default cache allocated all that time.
    public func limitPageCache(kibibytes: Int) throws {
        do {
            try db.writeWithoutTransaction { try $0.execute(sql: "PRAGMA cache_size = -\(max(64, kibibytes))") }
        } catch {
            throw Self.translate(error, path: path)
        }
    }

    /// The latest moment the user released a note (`retry`, `send-now`), if ever.
    ///
    /// Read under the write lock (an IMMEDIATE transaction that writes nothing): the daemon
    /// asks right after inotify reported a write to the WAL, which happens before that commit
    /// is visible to plain readers; taking the lock waits for the writer to finish.
    public func lastRelease() throws -> Date? {
        try transaction { db in try Self.lastRelease(db) }
    }

    static func lastRelease(_ db: Database) throws -> Date? {
        try Date.fetchOne(db, sql: "SELECT MAX(releasedAt) FROM message")
    }
}
