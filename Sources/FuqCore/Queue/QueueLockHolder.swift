import Foundation

/// Who holds SQLite's write lock on a queue — another fuq, or another program (an open
/// `sqlite3` shell in a transaction, a backup tool) — read from Linux's /proc/locks without
/// touching the lock. SQLite takes POSIX locks: in WAL mode the writer's is an exclusive lock
/// on the `-shm` file (rollback mode: on the database file itself).
public struct QueueLockHolder: Sendable, Equatable {
    public var pid: Int32
    /// The program's name as the kernel has it (`/proc/PID/comm`): `fuq`, `sqlite3`, `python3`.
    public var program: String

    public init(pid: Int32, program: String) {
        self.pid = pid
        self.program = program
    }

    public var isFuq: Bool { program == "fuq" }

    /// The process (not this one) holding a write lock on the queue at `queuePath` or its
    /// `-shm` file; nil when none does (any more) or it cannot be told.
    public static func find(queuePath: String) -> QueueLockHolder? {
        guard let locks = ProcFile.text("/proc/locks") else { return nil }
        let keys = [queuePath, queuePath + "-shm"].compactMap(fileKey)
        return find(in: locks, keys: Set(keys), excluding: getpid()) { pid in
            ProcFile.text("/proc/\(pid)/comm")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
        }
    }

    /// The first write lock in `locks` (the text of /proc/locks) on a file in `keys`
    /// ("major:minor:inode", as /proc/locks writes them) held by a process other than `own`.
    static func find(in locks: String, keys: Set<String>, excluding own: Int32, program: (Int32) -> String) -> QueueLockHolder? {
        for line in locks.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            // "1: POSIX  ADVISORY  WRITE 4242 fd:01:1234 120 120"; "1: -> POSIX …" waits, holds nothing.
            guard fields.count >= 6, fields[1] == "POSIX", fields[3] == "WRITE", keys.contains(String(fields[5])),
                  let pid = Int32(fields[4]), pid > 0, pid != own else { continue }
            return QueueLockHolder(pid: pid, program: program(pid))
        }
        return nil
    }

    /// "fd:01:1234" for a file, as /proc/locks names it.
    static func fileKey(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let device = UInt64(info.st_dev)
        let major = (device >> 8) & 0xfff | ((device >> 32) & ~0xfff)
        let minor = (device & 0xff) | ((device >> 12) & ~0xff)
        return String(format: "%02llx:%02llx:%llu", major, minor, UInt64(info.st_ino))
    }
}
