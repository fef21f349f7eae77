import Foundation
import Testing
@testable import FuqCore

@Suite("What the waiting daemon gives back, and /proc read whole")
struct IdleMemoryTests {
    static let smaps = """
        55d0c0a00000-55d0c1288000 r-xp 00211000 fd:01 4242                       /usr/local/bin/fuq
        Size:               8736 kB
        Rss:                 576 kB
        Anonymous:             0 kB
        VmFlags: rd ex mr mw me
        7f1200000000-7f1200062000 r--p 00000000 fd:01 77                         /usr/lib/x86_64-linux-gnu/libcrypto.so.3
        Rss:                 392 kB
        Anonymous:           392 kB
        7f1200100000-7f1200200000 rw-p 00010000 fd:01 78                         /opt/swift/usr/lib/swift/linux/libFoundation.so
        Rss:                 744 kB
        Anonymous:           176 kB
        7f1200300000-7f1200400000 r--p 00000000 fd:01 79                         /usr/share/fuq/a file with spaces.dat
        Rss:                  64 kB
        Anonymous:             0 kB
        7f1200500000-7f1200600000 r--p 00000000 fd:01 80                         /usr/lib/locale/C.utf8/LC_CTYPE
        Rss:                   0 kB
        Anonymous:             0 kB
        7f1200700000-7f1200800000 rw-p 00000000 00:00 0
        Rss:                 600 kB
        Anonymous:           600 kB
        7ffd1a9f0000-7ffd1a9f2000 r-xp 00000000 00:00 0                          [vdso]
        Rss:                   8 kB
        Anonymous:             0 kB
        """

    @Test("only read-only file pages without a private copy are handed back; data, heap, [vdso] and relocated pages stay")
    func releasable() {
        let mappings = IdleMemory.mappings(smaps: Self.smaps)
        #expect(mappings.count == 7)
        #expect(mappings[0] == .init(start: 0x55d0_c0a0_0000, end: 0x55d0_c128_8000, writable: false, path: "/usr/local/bin/fuq",
                                     anonymousKiB: 0, residentKiB: 576))
        #expect(mappings[3].path == "/usr/share/fuq/a file with spaces.dat")
        #expect(mappings.filter(\.releasable).map(\.path) == ["/usr/local/bin/fuq", "/usr/share/fuq/a file with spaces.dat"],
                "relocated (Anonymous > 0), writable, empty, anonymous and [vdso] mappings are kept")
    }

    @Test("a release lowers this process's file-backed resident memory, and the process goes on working")
    func release() throws {
        func rssFileKiB() throws -> Int {
            let status = try #require(ProcFile.text("/proc/self/status"))
            let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("RssFile:") })
            return try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
        }
        let before = try rssFileKiB()
        let released = IdleMemory.release()
        let after = try rssFileKiB()
        #expect(released > 1024, "released \(released) KiB")
        #expect(after < before, "RssFile \(before) KiB before, \(after) KiB after")
        // The code just unmapped runs again: pages come back from the page cache.
        #expect(ZoneClock.of(TimeZone(identifier: "Europe/Berlin")!).dayNumber(Date(timeIntervalSince1970: 86_400 * 3 + 3600)) == 3)
    }

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
        let ours = text.split(separator: "\n").filter { $0.contains(" FLOCK ") && $0.contains(" \(getpid()) ") }
        #expect(ours.count == 301, "/proc/locks is \(text.utf8.count) bytes")
        #expect(DeliveryLock.currentHolder(queuePath: queue) == .init(role: "daemon", pid: getpid(), paused: nil))
        withExtendedLifetime(lock) {}
    }
}
