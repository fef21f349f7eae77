import Foundation
import GRDB

/// Why the queue cannot be used.
public enum QueueError: LocalizedError, Equatable {
    /// The queue file (or its folder) cannot be created or opened.
    case cannotOpen(path: String, reason: String)
    /// Another fuq holds the queue longer than the busy timeout.
    case locked(path: String)
    /// The file is not a fuq queue (or is damaged).
    case notAQueue(path: String)
    /// No message has this id (or the prefix matches none).
    case noSuchMessage(String)
    /// The prefix matches several messages.
    case ambiguousID(String, matches: [String])
    /// No interview has this id.
    case noSuchInterview(String)
    /// The message cannot make this change from its current state.
    case invalidTransition(id: String, from: MessageState, action: String, advice: String)
    /// The same note is already queued (a duplicate would cost the user dearly).
    case duplicate(existingID: String, recipient: String, state: MessageState)
    /// Any other database failure.
    case database(path: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .cannotOpen(let path, let reason):
            return "cannot open the queue at \(path): \(reason). Check the folder's permissions or choose another file with --db or queue.path."
        case .locked(let path):
            return "the queue at \(path) is locked by another fuq process; try again in a moment."
        case .notAQueue(let path):
            return "\(path) is not a fuq queue (or it is damaged); point --db / queue.path at the right file."
        case .noSuchMessage(let id):
            return "no message \(id) in the queue; `fuq status --all` lists them."
        case .ambiguousID(let id, let matches):
            return "\(id) matches several messages (\(matches.joined(separator: ", "))); type more of the id."
        case .noSuchInterview(let id):
            return "no interview \(id) in the queue; `fuq status --all` shows interview ids."
        case .invalidTransition(let id, let from, let action, let advice):
            return "cannot \(action) \(id): it is \(from.rawValue). \(advice)"
        case .duplicate(let existing, let recipient, let state):
            return "a note for this interview to \(recipient) is already queued as \(existing) (\(state.rawValue)); "
                + "sending it twice would look careless. See `fuq show \(existing)`; to replace it, `fuq cancel \(existing)` first."
        case .database(let path, let reason):
            return "the queue at \(path) failed: \(reason)"
        }
    }
}

/// The durable queue: one SQLite file (WAL, `synchronous = FULL`, mode 0600).
public final class QueueStore: @unchecked Sendable {
    public let path: String
    let db: DatabaseQueue

    /// Opens (creating if needed) the queue at `path`.
    public init(path: String, busyTimeout: TimeInterval = 5) throws {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw QueueError.cannotOpen(path: path, reason: "cannot create the folder \(folder)")
            }
        }
        if !FileManager.default.fileExists(atPath: path) {
            // Created 0600 before SQLite sees it; SQLite gives -wal/-shm the same mode.
            let fd = open(path, O_CREAT | O_WRONLY | O_EXCL, 0o600)
            if fd < 0 && errno != EEXIST {
                throw QueueError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
            }
            if fd >= 0 { close(fd) }
        } else if access(path, R_OK | W_OK) != 0 {
            throw QueueError.cannotOpen(path: path, reason: "no permission to read and write it")
        }
        var config = Configuration()
        config.busyMode = .timeout(busyTimeout)
        config.journalMode = .wal
        config.foreignKeysEnabled = true
        do {
            db = try DatabaseQueue(path: path, configuration: config)
            // After GRDB's WAL setup (which picks NORMAL): a committed state change must
            // survive a power cut, not just a crash.
            try db.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
            try Self.migrator.migrate(db)
        } catch {
            throw Self.translate(error, path: path)
        }
    }

    static func translate(_ error: Error, path: String) -> Error {
        if let error = error as? QueueError { return error }
        if let error = error as? DatabaseError {
            switch error.resultCode {
            case .SQLITE_BUSY, .SQLITE_LOCKED: return QueueError.locked(path: path)
            case .SQLITE_NOTADB, .SQLITE_CORRUPT: return QueueError.notAQueue(path: path)
            case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_AUTH:
                return QueueError.cannotOpen(path: path, reason: error.message ?? "permission denied")
            default: return QueueError.database(path: path, reason: error.message ?? "\(error.resultCode)")
            }
        }
        return error
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "interview") { t in
                t.primaryKey("id", .text)
                t.column("company", .text).notNull()
                t.column("position", .text).notNull()
                t.column("startsAt", .datetime)
                t.column("endsAt", .datetime).notNull()
                t.column("timezone", .text).notNull()
                t.column("source", .text).notNull()
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "message") { t in
                t.primaryKey("id", .text)
                t.column("interviewId", .text).notNull().indexed().references("interview", onDelete: .restrict)
                t.column("kind", .text).notNull()
                t.column("recipientName", .text).notNull()
                t.column("recipientEmail", .text).notNull()
                t.column("recipientZone", .text).notNull()
                t.column("isLead", .boolean).notNull()
                t.column("subject", .text).notNull()
                t.column("templateName", .text).notNull()
                t.column("template", .text).notNull()
                t.column("context", .text).notNull()
                t.column("body", .text).notNull()
                t.column("messageId", .text).notNull().unique()
                t.column("due", .datetime).notNull()
                t.column("latest", .datetime).notNull()
                t.column("reason", .text).notNull()
                t.column("state", .text).notNull()
                    .check(sql: "state IN (\(MessageState.allCases.map { "'\($0.rawValue)'" }.joined(separator: ",")))")
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("lastError", .text)
                t.column("sentAt", .datetime)
                t.column("serverReply", .text)
                t.column("fingerprint", .text).notNull().indexed()
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
            try db.create(index: "message_state_due", on: "message", columns: ["state", "due"])
            try db.create(table: "attempt") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("messageId", .text).notNull().indexed().references("message", onDelete: .cascade)
                t.column("startedAt", .datetime).notNull()
                t.column("finishedAt", .datetime)
                t.column("outcome", .text).notNull()
                t.column("smtpCode", .integer)
                t.column("serverText", .text)
                t.column("host", .text)
            }
        }
        return migrator
    }

    /// Runs `body` in an IMMEDIATE transaction (the write lock is taken up front, so two
    /// processes never both decide on the same rows) and commits durably.
    func transaction<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try db.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch {
            throw Self.translate(error, path: path)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try db.read(body)
        } catch {
            throw Self.translate(error, path: path)
        }
    }

    // MARK: - Enqueue

    /// Stores an interview and all its messages in one transaction: all of them or none.
    /// Refuses a message whose fingerprint is already queued and not cancelled.
    public func enqueue(_ interview: InterviewRecord, messages: [MessageRecord]) throws {
        try transaction { db in
            for message in messages {
                if let existing = try MessageRecord
                    .filter(Column("fingerprint") == message.fingerprint && Column("state") != MessageState.cancelled.rawValue)
                    .fetchOne(db) {
                    throw QueueError.duplicate(existingID: existing.id, recipient: existing.recipientEmail, state: existing.state)
                }
            }
            try interview.insert(db)
            for message in messages { try message.insert(db) }
        }
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

    // MARK: - Reading

    public func messages(includeFinished: Bool) throws -> [MessageRecord] {
        try read { db in
            var request = MessageRecord.order(Column("due"), Column("id"))
            if !includeFinished {
                request = request.filter(![MessageState.sent.rawValue, MessageState.cancelled.rawValue].contains(Column("state")))
            }
            return try request.fetchAll(db)
        }
    }

    public func messages(interview id: String) throws -> [MessageRecord] {
        try read { db in try MessageRecord.filter(Column("interviewId") == id).order(Column("due")).fetchAll(db) }
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
        let key = idOrPrefix.lowercased()
        if let exact = try MessageRecord.fetchOne(db, key: key) { return exact }
        let matches = try MessageRecord.filter(Column("id").like("\(key)%")).limit(6).fetchAll(db)
        switch matches.count {
        case 0: throw QueueError.noSuchMessage(idOrPrefix)
        case 1: return matches[0]
        default: throw QueueError.ambiguousID(idOrPrefix, matches: matches.map(\.id))
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
    }

    /// Takes the due messages (scheduled or deferred, due ≤ now) and applies etiquette rule 7
    /// (`SendWindowPolicy.catchUp`) to those found more than a minute late: sent only inside a
    /// window before their latest time, else moved or expired — durably, in one transaction.
    /// The daemon and `fuq flush` (e.g. from cron) share this, so neither sends at 3 a.m.
    public func takeDue(now: Date, policy: SendWindowPolicy) throws -> DueBatch {
        try transaction { db in
            var batch = DueBatch()
            for var m in try MessageRecord.filter(MessageState.deliverable.map(\.rawValue).contains(Column("state")) && Column("due") <= now)
                .order(Column("due")).fetchAll(db) {
                // On time (the common case): no need to look up the interview.
                guard now.timeIntervalSince(m.due) > SendWindowPolicy.missedGrace else {
                    batch.send.append(m.id)
                    continue
                }
                let end = try InterviewRecord.fetchOne(db, key: m.interviewId)?.endsAt ?? m.createdAt
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
            for var m in try MessageRecord.filter(Column("state") == MessageState.sending.rawValue).fetchAll(db) {
                m.state = .uncertain
                m.updatedAt = now
                m.lastError = "fuq stopped while sending this; it may or may not have reached the server"
                try m.update(db)
                changed.append(m)
            }
            return changed
        }
    }

    /// The earliest due time among messages a delivery run would pick up.
    public func nextDue() throws -> MessageRecord? {
        try read { db in
            try MessageRecord.filter(MessageState.deliverable.map(\.rawValue).contains(Column("state")))
                .order(Column("due")).fetchOne(db)
        }
    }

    // MARK: - Changing state

    /// Applies `change` to one message inside a transaction, after checking that moving to
    /// `target` is allowed from its current state. Returns the updated message.
    @discardableResult
    public func update(_ idOrPrefix: String, to target: MessageState, action: String, now: Date,
                       _ change: (inout MessageRecord) -> Void = { _ in }) throws -> MessageRecord {
        try transaction { db in
            var message = try Self.resolve(idOrPrefix, db)
            guard message.state.successors.contains(target) else {
                throw QueueError.invalidTransition(id: message.id, from: message.state, action: action, advice: message.state.advice)
            }
            message.state = target
            message.updatedAt = now
            change(&message)
            try message.update(db)
            return message
        }
    }

    /// Cancels every unfinished message of an interview; returns those cancelled.
    public func cancel(interview id: String, now: Date) throws -> [MessageRecord] {
        try transaction { db in
            guard try InterviewRecord.exists(db, key: id) else { throw QueueError.noSuchInterview(id) }
            var changed: [MessageRecord] = []
            for var message in try MessageRecord.filter(Column("interviewId") == id).fetchAll(db)
            where message.state.successors.contains(.cancelled) {
                message.state = .cancelled
                message.updatedAt = now
                try message.update(db)
                changed.append(message)
            }
            return changed
        }
    }

    /// Counts by state, for summaries.
    public func counts() throws -> [MessageState: Int] {
        try read { db in
            var result: [MessageState: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM message GROUP BY state") {
                if let state = MessageState(rawValue: row["state"]) { result[state] = row["n"] }
            }
            return result
        }
    }
}

/// Short ids people can read aloud and type: no 0/o, 1/l/i.
public enum ShortID {
    static let alphabet = Array("23456789abcdefghjkmnpqrstuvwxyz")

    public static func random(length: Int) -> String {
        String((0..<length).map { _ in alphabet.randomElement()! })
    }
}
