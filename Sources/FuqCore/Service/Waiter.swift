import CLinux
import Foundation

/// What the daemon loop needs from whatever makes it wait: the real `Waiter`, or a scripted
/// one in tests that answers each wait as the test decides (time is then the test's too).
public protocol DaemonWaiting: AnyObject, Sendable {
    /// Blocks until `deadline` (nil: none), a queue change, a clock jump or a command; at most
    /// `idleLimit` seconds when given.
    func wait(until deadline: Date?, idleLimit: TimeInterval?) -> Waiter.Wake
    /// Wakes a waiting `wait` with `.command(command)`. Safe from any thread.
    func send(_ command: UInt8)
    /// Forgets queue changes seen so far (the daemon's own writes).
    func drainQueueEvents()
    /// Also wakes a wait with `.fileChanged` when one of these files is written, created,
    /// replaced by a rename or removed (the password file while delivery is paused); an empty
    /// list stops watching. Replaces the previous list.
    func watch(files: [String])
}

extension DaemonWaiting {
    public func watch(files: [String]) {}
}

/// How the daemon waits without polling: one `poll(2)` on three descriptors.
///
/// - a `timerfd` on `CLOCK_REALTIME` armed for an absolute instant (`TFD_TIMER_ABSTIME`): it
///   fires at that wall-clock time even if the machine was suspended in between, and with
///   `TFD_TIMER_CANCEL_ON_SET` it reports a wall-clock jump so the wait is recomputed;
/// - an `inotify` watch on the queue's folder: any write to the queue file or its WAL by
///   another process (`fuq enqueue`, `cancel`, `reschedule`, `retry`, even `sqlite3`) wakes it;
/// - a pipe for the daemon's own commands (stop, reload), written from signal handlers' tasks;
/// - while delivery is paused, inotify watches on the password file's folder too (`watch(files:)`),
///   so a new password (written in place, or renamed over the old file) resumes it at once.
///
/// A wait of a minute or more begins by handing back the memory it does not need
/// (`IdleMemory.release`: the heap's free pages).
public final class Waiter: DaemonWaiting, @unchecked Sendable {
    public enum Wake: Equatable, Sendable {
        case timer
        case queueChanged
        /// A file given to `watch(files:)` changed.
        case fileChanged
        case clockChanged
        case command(UInt8)
        /// The watchdog interval passed with nothing else to do.
        case idle
    }

    private let timer: Int32
    private let inotify: Int32
    private let pipeRead: Int32
    private let pipeWrite: Int32
    private let queueFile: String
    private let queueWatch: Int32
    /// The watches `watch(files:)` added, and the file names that matter in each folder.
    private var fileWatches: [Int32: Set<String>] = [:]
    /// Real writes only (see `init`); the same mask for every folder, so a password file
    /// beside the queue shares its watch unchanged.
    private static let mask = UInt32(IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE)

    /// A wait at least this long (to its deadline or its idle limit) first hands back memory.
    static let longWait: TimeInterval = 60

    /// Whether a wait until `deadline`, at most `idleLimit`, starting at `now`, is long.
    static func isLong(until deadline: Date?, idleLimit: TimeInterval?, now: Date) -> Bool {
        let span = [deadline.map { $0.timeIntervalSince(now) }, idleLimit].compactMap { $0 }.min() ?? .infinity
        return span >= longWait
    }

    public init(queuePath: String) throws {
        timer = timerfd_create(CLOCK_REALTIME, Int32(TFD_CLOEXEC | TFD_NONBLOCK))
        inotify = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        var fds: [Int32] = [0, 0]
        guard timer >= 0, inotify >= 0, pipe(&fds) == 0 else {
            throw QueueError.cannotOpen(path: queuePath, reason: "cannot set up the daemon's timer and watch: \(String(cString: strerror(errno)))")
        }
        pipeRead = fds[0]
        pipeWrite = fds[1]
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        let folder = (queuePath as NSString).deletingLastPathComponent
        queueFile = (queuePath as NSString).lastPathComponent
        // Real writes only: IN_CLOSE_WRITE would also fire when a command merely opened the
        // file read-write and closed it. Deleting or renaming the queue file counts too (the
        // daemon then notices it is gone).
        queueWatch = inotify_add_watch(inotify, folder.isEmpty ? "." : folder, Self.mask)
        guard queueWatch >= 0 else {
            throw QueueError.cannotOpen(path: queuePath, reason: "cannot watch its folder: \(String(cString: strerror(errno)))")
        }
    }

    /// Watches the folders of `files` for changes to those names (replacing earlier ones). A
    /// folder that cannot be watched is skipped: the daemon still compares the files' identity
    /// every `DeliveryDaemon.pausedCheck`.
    public func watch(files: [String]) {
        for wd in fileWatches.keys where wd != queueWatch { _ = inotify_rm_watch(inotify, wd) }
        fileWatches = [:]
        for path in files {
            let folder = (path as NSString).deletingLastPathComponent
            let wd = inotify_add_watch(inotify, folder.isEmpty ? "." : folder, Self.mask)
            guard wd >= 0 else { continue }
            fileWatches[wd, default: []].insert((path as NSString).lastPathComponent)
        }
    }

    deinit {
        close(timer)
        close(inotify)
        close(pipeRead)
        close(pipeWrite)
    }

    /// Asks the waiting thread to wake with `.command(byte)`. Safe from any thread.
    public func send(_ command: UInt8) {
        var byte = command
        _ = write(pipeWrite, &byte, 1)
    }

    /// Forgets queue changes seen so far (the daemon's own writes).
    public func drainQueueEvents() {
        _ = eventsPending()
    }

    /// Waits until `deadline` (nil: no deadline), a queue change, a clock jump or a command;
    /// at most `idleLimit` seconds when given (the systemd watchdog).
    public func wait(until deadline: Date?, idleLimit: TimeInterval?) -> Wake {
        if Self.isLong(until: deadline, idleLimit: idleLimit, now: Date()) { IdleMemory.release() }
        arm(deadline)
        while true {
            var fds = [pollfd(fd: timer, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: inotify, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: pipeRead, events: Int16(POLLIN), revents: 0)]
            let timeout = idleLimit.map { Int32(max(1, $0 * 1000)) } ?? -1
            let ready = poll(&fds, 3, timeout)
            if ready < 0 && errno == EINTR { continue }
            if ready == 0 { return .idle }
            if fds[2].revents != 0 {
                var byte: UInt8 = 0
                if read(pipeRead, &byte, 1) == 1 { return .command(byte) }
            }
            if fds[0].revents != 0 {
                var expirations: UInt64 = 0
                if read(timer, &expirations, 8) < 0 && errno == ECANCELED { return .clockChanged }
                return .timer
            }
            if fds[1].revents != 0 {
                let (queue, files) = eventsPending()
                if files { return .fileChanged }
                if queue { return .queueChanged }
            }
        }
    }

    private func arm(_ deadline: Date?) {
        var spec = itimerspec()
        if let deadline {
            let seconds = max(deadline.timeIntervalSince1970, 1)
            spec.it_value.tv_sec = Int(seconds)
            spec.it_value.tv_nsec = Int((seconds - seconds.rounded(.down)) * 1_000_000_000)
        }
        // With it_value zero the timer is disarmed.
        _ = timerfd_settime(timer, Int32(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET), &spec, nil)
    }

    /// Reads every pending inotify event; whether one concerned the queue's files, and whether
    /// one concerned a file given to `watch(files:)`.
    private func eventsPending() -> (queue: Bool, files: Bool) {
        var queue = false, files = false
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(inotify, $0.baseAddress, $0.count) }
            guard n > 0 else { return (queue, files) }
            var offset = 0
            while offset + MemoryLayout<inotify_event>.size <= n {
                let (wd, length, name) = buffer.withUnsafeBytes { raw -> (Int32, Int, String) in
                    let event = raw.load(fromByteOffset: offset, as: inotify_event.self)
                    let nameStart = offset + MemoryLayout<inotify_event>.size
                    let bytes = raw[nameStart..<nameStart + Int(event.len)].prefix { $0 != 0 }
                    return (event.wd, Int(event.len), String(decoding: bytes, as: UTF8.self))
                }
                // queue.sqlite, queue.sqlite-wal; not -shm (readers touch it) nor the lock file.
                if wd == queueWatch && (name == queueFile || name == queueFile + "-wal") { queue = true }
                if fileWatches[wd]?.contains(name) == true { files = true }
                offset += MemoryLayout<inotify_event>.size + length
            }
        }
    }
}
