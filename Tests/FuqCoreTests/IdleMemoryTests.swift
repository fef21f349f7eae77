import Foundation
import Testing
@testable import FuqCore

@Suite("What the waiting daemon gives back, and /proc read whole")
struct IdleMemoryTests {
    @Test("a wait of a minute or more is long (to its deadline or its idle limit); a shorter one is not",
          arguments: [(61.0, nil, true), (59.0, nil, false), (nil, nil, true), (nil, 300.0, true), (nil, 30.0, false),
                      (3600.0, 30.0, false), (60.0, 600.0, true), (-5.0, nil, false)] as [(Double?, Double?, Bool)])
    func longWait(deadlineIn: Double?, idleLimit: Double?, long: Bool) {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(Waiter.isLong(until: deadlineIn.map { now.addingTimeInterval($0) }, idleLimit: idleLimit, now: now) == long)
    }

    @Test("/proc/locks is read whole with 300 locks held: fuq still finds the daemon's lock among them")
    func procLocksWhole() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fuq-locks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var fds: [Int32] = []
        defer { fds.forEach { close($0) } }
        func holdLocks(_ count: Int, from start: Int) {
            for i in start..<start + count {
                let fd = open(folder.appendingPathComponent("\(i)").path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
                if fd >= 0, flock(fd, LOCK_EX) == 0 { fds.append(fd) }
            }
        }
        holdLocks(150, from: 0)
        let queue = folder.appendingPathComponent("queue.sqlite").path
        let lock = try DeliveryLock(queuePath: queue, role: "daemon")
        holdLocks(150, from: 150)
        #expect(fds.count == 300)
        let text = try #require(ProcFile.text("/proc/locks"))
        // Other tests of this process take locks too: count those on this test's files.
        let keys = Set((0..<300).compactMap { QueueLockHolder.fileKey(folder.appendingPathComponent("\($0)").path) }
                       + [QueueLockHolder.fileKey(queue + ".lock")].compactMap { $0 })
        let ours = text.split(separator: "\n").filter { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            return fields.count >= 6 && fields[1] == "FLOCK" && keys.contains(String(fields[5]))
        }
        #expect(keys.count == 301)
        #expect(ours.count == 301, "/proc/locks is \(text.utf8.count) bytes")
        #expect(DeliveryLock.currentHolder(queuePath: queue) == .init(role: "daemon", pid: getpid(), paused: nil))
        withExtendedLifetime(lock) {}
    }
}
