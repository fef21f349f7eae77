import Foundation
import Testing
@testable import FuqCore

@Suite("Who holds the queue's lock")
struct QueueLockHolderTests {
    static let locks = """
        1: POSIX  ADVISORY  READ 900 fd:01:77 1073741826 1073742335
        2: -> POSIX  ADVISORY  WRITE 901 fd:01:78 120 120
        3: POSIX  ADVISORY  WRITE 100 fd:01:78 120 120
        4: POSIX  ADVISORY  READ 902 fd:01:78 123 123
        5: POSIX  ADVISORY  WRITE 903 fd:01:78 120 120
        6: FLOCK  ADVISORY  WRITE 904 fd:01:78 0 EOF
        """

    @Test("the write lock's holder on the queue or its -shm file, never this process, a waiter or a reader")
    func holder() {
        let found = QueueLockHolder.find(in: Self.locks, keys: ["fd:01:77", "fd:01:78"], excluding: 100) { $0 == 903 ? "sqlite3" : "?" }
        #expect(found == QueueLockHolder(pid: 903, program: "sqlite3"))
        #expect(QueueLockHolder.find(in: Self.locks, keys: ["fd:01:77"], excluding: 100) { _ in "?" } == nil, "a read lock blocks no one")
        #expect(QueueLockHolder.find(in: Self.locks, keys: ["fd:01:99"], excluding: 1) { _ in "?" } == nil)
    }

    @Test("the message says 'another fuq' only for fuq's own lock")
    func message() {
        let fuq = QueueError.locked(path: "/q.sqlite", holder: QueueLockHolder(pid: 42, program: "fuq")).errorDescription ?? ""
        #expect(fuq.contains("locked by another fuq process (pid 42)"))
        let shell = QueueError.locked(path: "/q.sqlite", holder: QueueLockHolder(pid: 43, program: "sqlite3")).errorDescription ?? ""
        #expect(shell.contains("another program, sqlite3 (pid 43)") && !shell.contains("fuq process"))
        let unknown = QueueError.locked(path: "/q.sqlite").errorDescription ?? ""
        #expect(unknown.contains("is busy") && !unknown.contains("another fuq"))
    }
}
