import Foundation
import GRDB


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
        // A FIFO, a socket or a device: SQLite would block in open() on a FIFO until a writer
        // came (the command hung), or read a device as if it were a queue. Only a regular file
        // (or a link to one) is a queue.
        var fileInfo = stat()
        if stat(path, &fileInfo) == 0, (fileInfo.st_mode & S_IFMT) != S_IFREG {
            let kind: String
            switch fileInfo.st_mode & S_IFMT {
            case S_IFIFO: kind = "a named pipe (FIFO)"
            case S_IFSOCK: kind = "a socket"
            case S_IFCHR, S_IFBLK: kind = "a device"
            default: kind = "not a regular file"
            }
            throw QueueError.cannotOpen(path: path, reason: "it is \(kind), not a queue file; give the path of a file fuq may create (--db, queue.path), e.g. ~/.local/share/fuq/queue.sqlite")
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

}

/// Short ids people can read aloud and type: no 0/o, 1/l/i.
public enum ShortID {
    static let alphabet = Array("23456789abcdefghjkmnpqrstuvwxyz")

    public static func random(length: Int) -> String {
        String((0..<length).map { _ in alphabet.randomElement()! })
    }
}
