import Foundation
import GRDB

/// Why the queue cannot be used.
public enum QueueError: LocalizedError, Equatable {
    /// The queue file (or its folder) cannot be created or opened.
    case cannotOpen(path: String, reason: String)
    /// Another process held the queue's lock longer than the busy timeout; `holder` is who,
    /// when /proc/locks could tell (another fuq, or another program such as `sqlite3`).
    case locked(path: String, holder: QueueLockHolder? = nil)
    /// The file is not a fuq queue (or is damaged).
    case notAQueue(path: String)
    /// A newer fuq changed the queue's tables (`migration` is one this fuq does not know):
    /// reading or writing it could lose what the newer fuq recorded.
    case newerQueue(path: String, migration: String)
    /// No message has this id (or the prefix matches none).
    case noSuchMessage(String)
    /// The prefix matches several messages.
    case ambiguousID(String, matches: [String])
    /// No interview has this id.
    case noSuchInterview(String)
    /// The prefix matches several interviews.
    case ambiguousInterview(String, matches: [String])
    /// The message cannot make this change from its current state; `advice` says what to do
    /// instead, in whole sentences (see `MessageState.nextStep(for:)`).
    case invalidTransition(id: String, from: MessageState, action: String, advice: String)
    /// A thank-you to this address is already waiting, or was sent in the last 14 days
    /// (a duplicate would cost the user dearly). `sentAt` is set when it already went out.
    case duplicate(existingID: String, recipient: String, state: MessageState, company: String, sentAt: Date?)
    /// `--replace` cannot take back a note that was already sent (or is being sent).
    case cannotReplaceSent(existingID: String, recipient: String, state: MessageState)
    /// `fuq edit --to`: the new address already has a note of its own.
    case addressTaken(existingID: String, recipient: String, state: MessageState)
    /// An id shorter than 2 characters would match almost any message.
    case idTooShort(String)
    /// A row of the queue cannot be read back (written by hand, or by an older fuq).
    case damaged(id: String, reason: String)
    /// The message changed (sent, cancelled, edited) while the user was editing it.
    case changedMeanwhile(id: String, state: MessageState)
    /// The queue file was deleted or replaced while fuq had it open.
    case replaced(path: String)
    /// Any other database failure.
    case database(path: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .cannotOpen(let path, let reason):
            return "cannot open the queue at \(path): \(reason). Check the folder's permissions or choose another file with --db or queue.path."
        case .locked(let path, let holder?) where holder.isFuq:
            return "the queue at \(path) is locked by another fuq process (pid \(holder.pid)) that is writing to it; try again in a moment."
        case .locked(let path, let holder?):
            return "the queue at \(path) is locked by another program, \(holder.program) (pid \(holder.pid)), which keeps a write transaction open; "
                + "fuq waited and gave up. End that transaction or close the program (in a sqlite3 shell: COMMIT or ROLLBACK, then .quit), then try again."
        case .locked(let path, nil):
            return "the queue at \(path) is busy: another process held its lock for several seconds. Try again in a moment; if it stays busy, "
                + "close any other program that has it open (such as a sqlite3 shell inside a transaction)."
        case .notAQueue(let path):
            return "\(path) is not a fuq queue (or it is damaged); point --db / queue.path at the right file."
        case .newerQueue(let path, let migration):
            return "the queue at \(path) was written by a newer fuq (migration \(migration)); upgrade fuq to use it. Nothing was read or changed."
        case .noSuchMessage(let id):
            return "no message \(id) in the queue; `fuq status --all` lists them."
        case .ambiguousID(let id, let matches):
            return "\(id) matches several messages (\(matches.joined(separator: ", "))); type more of the id."
        case .noSuchInterview(let id):
            return "no interview \(id) in the queue; `fuq status --all` shows interview ids."
        case .ambiguousInterview(let id, let matches):
            return "\(id) matches several interviews (\(matches.joined(separator: ", "))); type more of the interview id."
        case .invalidTransition(let id, let from, let action, let advice):
            return "cannot \(action) \(id): \(from.situation). \(advice)"
        case .duplicate(let existing, let recipient, let state, let company, let sentAt):
            let what = sentAt.map { "was already sent to \(recipient) on \(DateFormatting.iso8601($0, in: .gmt).prefix(10)) (\(existing), \(company))" }
                ?? "is already waiting for \(recipient) as \(existing) (\(state.rawValue), \(company))"
            return "a thank-you note \(what); a second one would look careless. Nothing was queued. See `fuq show \(existing)`. "
                + (sentAt == nil ? "To queue this one instead, add --replace (cancels \(existing)); to send a second note on purpose, add --also."
                                 : "To send a second note on purpose, add --also.")
        case .cannotReplaceSent(let existing, let recipient, let state):
            return "\(existing) to \(recipient) is \(state.rawValue); --replace cannot take it back. Nothing was queued. "
                + "Add --also to send this note as well, on purpose."
        case .addressTaken(let existing, let recipient, let state):
            return "\(recipient) already has a thank-you (\(existing), \(state.rawValue)); a second one would look careless. Nothing was changed. "
                + (state == .sent ? "Cancel this note instead if it is no longer needed." : "Cancel one of the two first (`fuq cancel \(existing)`).")
        case .idTooShort(let id):
            return "the id \"\(id)\" is too short: give at least 2 characters of a message id (`fuq status` lists them)."
        case .damaged(let id, let reason):
            return "message \(id) in the queue cannot be read (\(reason)); it is skipped. `fuq cancel \(id)` removes it."
        case .changedMeanwhile(let id, let state):
            return "\(id) changed while you were editing it (it is now \(state.rawValue)); nothing was stored."
        case .replaced(let path):
            return "the queue file \(path) was deleted or replaced while fuq had it open; start fuq again to use the new file."
        case .database(let path, let reason):
            return "the queue at \(path) failed: \(reason)"
        }
    }
}

/// The durable queue: one SQLite file (WAL, `synchronous = FULL`, mode 0600).
public final class QueueStore: @unchecked Sendable {
    public let path: String
    let db: DatabaseQueue

    /// Device and inode of the file opened, to notice it being deleted or replaced.
    public private(set) var identity: (dev: UInt64, ino: UInt64)?

    /// Opens (creating if needed) the queue at `path`. `readOnly` (for `status`, `show`): the
    /// file is neither created nor written, so a read never looks like a change to the daemon;
    /// a missing queue then reads as empty.
    public init(path: String, busyTimeout: TimeInterval = 5, readOnly: Bool = false) throws {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        var isFolderAtPath: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolderAtPath), isFolderAtPath.boolValue {
            throw QueueError.cannotOpen(path: path, reason: "it is a folder, not a file; give the queue file's path, e.g. \((path as NSString).appendingPathComponent("queue.sqlite"))")
        }
        if readOnly && !FileManager.default.fileExists(atPath: path) {
            var isFolder: ObjCBool = false
            if !folder.isEmpty, FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), !isFolder.boolValue {
                throw QueueError.cannotOpen(path: path, reason: "\(folder) is a file, not a folder")
            }
            // Nothing queued yet: an empty in-memory queue with the same schema.
            var config = Configuration()
            config.foreignKeysEnabled = true
            do {
                db = try DatabaseQueue(configuration: config)
                try Self.migrator.migrate(db)
            } catch {
                throw Self.translate(error, path: path)
            }
            return
        }
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
        } else if access(path, readOnly ? R_OK : R_OK | W_OK) != 0 {
            if errno == EROFS {
                throw QueueError.cannotOpen(path: path, reason: "it is on a read-only file system, and this command writes to the queue; "
                    + "run it where the queue is writable, or copy the queue elsewhere and point --db at the copy")
            }
            throw QueueError.cannotOpen(path: path, reason: readOnly ? "no permission to read it" : "no permission to read and write it")
        } else if !readOnly, access(folder.isEmpty ? "." : folder, W_OK) != 0 {
            // SQLite keeps its journal (-wal, -shm) beside the queue: a writable file in a
            // read-only folder fails later as "attempt to write a readonly database".
            throw QueueError.cannotOpen(path: path, reason: "its folder \(folder.isEmpty ? "." : folder) is not writable "
                + "(\(errno == EROFS ? "a read-only file system" : "permission denied")), and SQLite keeps its journal beside the queue; "
                + "make the folder writable (chmod u+w) or move the queue with --db or queue.path")
        }
        // Opening — WAL mode, the schema check, creating the tables — happens under the folder
        // lock (held for milliseconds): two commands setting up a brand-new queue at once would
        // otherwise collide ("database is locked" while switching to WAL, "table interview
        // already exists", "no such table: grdb_migrations" read half-way through).
        let setupLock = Self.lockFolder(folder)
        defer { Self.unlockFolder(setupLock) }
        var config = Configuration()
        config.busyMode = .timeout(busyTimeout)
        config.journalMode = readOnly ? .default : .wal
        config.foreignKeysEnabled = true
        config.readonly = readOnly
        do {
            db = try DatabaseQueue(path: path, configuration: config)
            try db.read { try Self.refuseNewer($0, path: path) }
            if readOnly {
                guard try db.read({ try Self.migrator.hasCompletedMigrations($0) }) else {
                    // Written by a newer or older fuq, or half-created: let a writer finish it.
                    if try db.read({ try $0.tableExists("message") }) { return }
                    throw QueueError.notAQueue(path: path)
                }
            } else {
                // After GRDB's WAL setup (which picks NORMAL): a committed state change must
                // survive a power cut, not just a crash.
                try db.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
                if try !db.read({ try Self.migrator.hasCompletedMigrations($0) }) {
                    try Self.migrator.migrate(db)
                }
            }
        } catch {
            if readOnly, access(folder.isEmpty ? "." : folder, W_OK) != 0, !FileManager.default.fileExists(atPath: path + "-shm") {
                throw QueueError.cannotOpen(path: path, reason: "its folder \(folder.isEmpty ? "." : folder) is read-only, and SQLite cannot read a "
                    + "WAL queue there without the -shm file it would create beside it; copy the queue to a writable folder and read the copy "
                    + "(`cp \(path) /tmp/ && fuq status --db /tmp/\((path as NSString).lastPathComponent)`)")
            }
            throw Self.translate(error, path: path)
        }
        var info = stat()
        if stat(path, &info) == 0 { identity = (UInt64(info.st_dev), UInt64(info.st_ino)) }
    }

    /// Throws `QueueError.newerQueue` when the queue records a migration this fuq does not
    /// know: a newer fuq's tables, which this one would misread or overwrite.
    static func refuseNewer(_ db: Database, path: String) throws {
        guard try migrator.hasBeenSuperseded(db) else { return }
        let known = Set(migrator.migrations)
        let unknown = try migrator.appliedIdentifiers(db).subtracting(known).sorted()
        throw QueueError.newerQueue(path: path, migration: unknown.joined(separator: ", "))
    }

    /// An exclusive `flock` on the queue's folder, held while a queue is created or migrated:
    /// the second of two commands doing it at once waits, then finds the work done. (Not on the
    /// database file itself: closing any descriptor of it would drop SQLite's own locks.)
    static func lockFolder(_ folder: String) -> Int32 {
        let fd = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
        }
        return fd
    }

    static func unlockFolder(_ fd: Int32) {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
    }

    /// Copies the WAL into the database file this store has open and empties the WAL.
    public func checkpoint() throws {
        do {
            try db.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        } catch {
            throw Self.translate(error, path: path)
        }
    }

    /// False when the file at `path` is no longer the one this store opened (deleted, or
    /// replaced by another file): a daemon must then stop rather than send from a ghost.
    public var isStillAtPath: Bool {
        guard let identity else { return true }
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return UInt64(info.st_dev) == identity.dev && UInt64(info.st_ino) == identity.ino
    }

    static func translate(_ error: Error, path: String) -> Error {
        if let error = error as? QueueError { return error }
        if let error = error as? DatabaseError {
            switch error.resultCode {
            case .SQLITE_BUSY, .SQLITE_LOCKED: return QueueError.locked(path: path, holder: QueueLockHolder.find(queuePath: path))
            case .SQLITE_NOTADB, .SQLITE_CORRUPT: return QueueError.notAQueue(path: path)
            case .SQLITE_IOERR where error.extendedResultCode == .SQLITE_IOERR_SHMOPEN:
                return QueueError.cannotOpen(path: path, reason: "its shared-memory file cannot be opened read-only; run a command that writes (e.g. `fuq flush`) once")
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
        // v2: when the user last released a note (`retry`, `send-now`): a paused daemon resumes
        // only for that (or a reload), not for any write to the queue; and the duplicate check
        // looks notes up by recipient.
        migrator.registerMigration("v2") { db in
            try db.alter(table: "message") { t in t.add(column: "releasedAt", .datetime) }
            try db.execute(sql: "CREATE INDEX message_recipient ON message(recipientEmail COLLATE NOCASE, kind)")
        }
        // v3: `status` reads in due order, filtered by interview or `--since` and cut by
        // `--limit`: these indexes give the rows in that order, so nothing is sorted and a
        // limit stops the scan early.
        migrator.registerMigration("v3") { db in
            try db.execute(sql: "CREATE INDEX message_due_id ON message(due, id)")
            try db.execute(sql: "CREATE INDEX message_interview_due ON message(interviewId, due, id)")
        }
        // v4: the send date a note's text was rendered for, so a delivery re-renders it only
        // when the "today"/"yesterday" wording would change.
        migrator.registerMigration("v4") { db in
            try db.alter(table: "message") { t in t.add(column: "renderedFor", .datetime) }
        }
        // v5: follow-ups. A message may wait for a parent (`inReplyTo`), carry its thread
        // (`threadIDs`), count as the first or second follow-up (`nudge`) and hold the user's
        // go-ahead (`confirmedAt`); a sent note may come back `bounced` (the state check is
        // widened by rebuilding the table: SQLite cannot alter a CHECK; `releasedAt` gains an index,
        // so the daemon's `MAX(releasedAt)` each cycle reads one entry, not the table). An interview keeps its
        // decision date and whether (and how) they replied.
        migrator.registerMigration("v5") { db in
            try db.alter(table: "interview") { t in
                t.add(column: "decisionBy", .datetime)
                t.add(column: "repliedAt", .datetime)
                t.add(column: "replyNote", .text)
                t.add(column: "mailboxCheckedAt", .datetime)
                t.add(column: "mailboxNote", .text)
            }
            let columns = try db.columns(in: "message").map { "\"\($0.name)\"" }.joined(separator: ", ")
            try db.create(table: "message_v5") { t in
                t.primaryKey("id", .text)
                t.column("interviewId", .text).notNull().references("interview", onDelete: .restrict)
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
                t.column("fingerprint", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
                t.column("releasedAt", .datetime)
                t.column("renderedFor", .datetime)
                t.column("inReplyTo", .text)
                t.column("threadIDs", .text)
                t.column("nudge", .integer).notNull().defaults(to: 0)
                t.column("confirmedAt", .datetime)
            }
            try db.execute(sql: "INSERT INTO message_v5 (\(columns)) SELECT \(columns) FROM message")
            try db.drop(table: "message")
            try db.rename(table: "message_v5", to: "message")
            try db.execute(sql: """
                CREATE INDEX index_message_on_interviewId ON message(interviewId);
                CREATE INDEX index_message_on_fingerprint ON message(fingerprint);
                CREATE INDEX message_state_due ON message(state, due);
                CREATE INDEX message_recipient ON message(recipientEmail COLLATE NOCASE, kind);
                CREATE INDEX message_due_id ON message(due, id);
                CREATE INDEX message_interview_due ON message(interviewId, due, id);
                CREATE INDEX message_parent ON message(inReplyTo) WHERE inReplyTo IS NOT NULL;
                CREATE INDEX message_released ON message(releasedAt);
                """)
        }
        // A go-ahead covers the colleagues' mail known when it was given, by identity (a date
        // can be wrong or forged): what held the follow-up, and what the go-ahead covered.
        migrator.registerMigration("v6") { db in
            try db.alter(table: "message") { t in
                t.add(column: "colleagueMail", .text)
                t.add(column: "acknowledgedMail", .text)
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
            // A new interview with someone whose earlier follow-up still waits: they are in touch
            // (a second round), so "any news on the timeline?" must not go; the new one replaces it.
            for message in messages where message.isFollowUp {
                for var old in try Self.decode(db, sql: """
                    SELECT * FROM message WHERE kind = ? AND recipientEmail = ? COLLATE NOCASE AND interviewId <> ?
                      AND state IN ('scheduled', 'deferred', 'held', 'expired')
                    """, arguments: [MessageRecord.followUpKind, message.recipientEmail, interview.id]).records {
                    old.state = .cancelled
                    old.updatedAt = now
                    old.reason = "superseded by your new interview with them (\(interview.id)): its own follow-up \(message.id) is planned instead"
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

    // MARK: - Reading

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

    // MARK: - Changing state

    /// Applies `change` to one message inside a transaction, after checking that moving to
    /// `target` is allowed from its current state. Returns the updated message.
    @discardableResult
    /// `from`, when given, narrows the states the change applies to (`retry` does not touch a
    /// scheduled note: that would send it now, at night for the reader).
    /// A cancelled note takes its follow-ups with it; a note marked sent moves them to count
    /// from then (by `policy`).
    public func update(_ idOrPrefix: String, to target: MessageState, from allowed: Set<MessageState>? = nil, action: String, now: Date,
                       policy: SendWindowPolicy = .standard, _ change: (inout MessageRecord) -> Void = { _ in }) throws -> MessageRecord {
        try transaction { db in
            var message = try Self.resolve(idOrPrefix, db)
            guard message.state.successors.contains(target), allowed?.contains(message.state) ?? true else {
                throw QueueError.invalidTransition(id: message.id, from: message.state, action: action, advice: message.state.nextStep(for: message.id))
            }
            message.state = target
            message.updatedAt = now
            change(&message)
            try message.update(db)
            if target == .cancelled {
                _ = try Self.cancelFollowUps(of: message.id, reason: "\(message.isFollowUp ? "the follow-up" : "its thank-you") \(message.id) was cancelled", now: now, db)
            }
            if target == .sent { try Self.rescheduleFollowUps(after: message, policy: policy, now: now, db) }
            return message
        }
    }

    /// Replaces a note's words (and recipient) after `fuq edit`, keeping its id, due time and
    /// Message-ID — only if nothing touched it since `expected` was read (the daemon may have
    /// sent it while the editor was open).
    public func replaceContent(of expected: MessageRecord, with edited: MessageRecord, now: Date) throws -> MessageRecord {
        try transaction { db in
            let current = try Self.resolve(expected.id, db)
            guard current == expected, MessageState.editable.contains(current.state) else {
                throw QueueError.changedMeanwhile(id: current.id, state: current.state)
            }
            // A new address must not have a note of its own (checked in this transaction, so a
            // concurrent enqueue cannot slip in between).
            if edited.recipientEmail.lowercased() != current.recipientEmail.lowercased() {
                _ = try Self.checkDuplicates([edited], policy: .refuse, now: now, db)
            }
            var stored = current
            stored.subject = edited.subject
            stored.body = edited.body
            stored.template = edited.template
            stored.context = edited.context
            stored.recipientName = edited.recipientName
            stored.recipientEmail = edited.recipientEmail
            // `fuq edit` renders the note for its due time.
            stored.renderedFor = current.due
            stored.updatedAt = now
            try stored.update(db)
            // The follow-ups to the same person go where the corrected thank-you goes.
            if !current.isFollowUp, current.recipientEmail != stored.recipientEmail || current.recipientName != stored.recipientName {
                try db.execute(sql: """
                    UPDATE message SET recipientEmail = ?, recipientName = ?, updatedAt = ?
                     WHERE kind = ? AND interviewId = ? AND lower(recipientEmail) = lower(?) AND state NOT IN ('sent', 'sending', 'uncertain', 'bounced', 'cancelled')
                    """, arguments: [stored.recipientEmail, stored.recipientName, now, MessageRecord.followUpKind, current.interviewId, current.recipientEmail])
            }
            return stored
        }
    }

    /// Cancels every unfinished message of an interview; returns those cancelled.
    public func cancel(interview id: String, now: Date) throws -> [MessageRecord] {
        try transaction { db in
            guard try InterviewRecord.exists(db, key: id) else { throw QueueError.noSuchInterview(id) }
            var changed: [MessageRecord] = []
            for var message in try Self.decode(db, sql: "SELECT * FROM message WHERE interviewId = ?", arguments: [id]).records
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
