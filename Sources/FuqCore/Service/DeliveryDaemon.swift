import Foundation
import GRDB
import Logging
import ServiceLifecycle
import UnixSignals

/// `fuq daemon`: sends each message when it is due and costs nothing while it waits.
///
/// The loop runs on one dedicated thread: find the next due time, sleep on a wall-clock
/// timer until exactly then (or until the queue changes, the clock jumps, or a command
/// arrives), deliver everything due over one connection, repeat. No periodic polling; when
/// systemd's watchdog is on, it also wakes every half watchdog interval to say so.
///
/// Start-up: the `DeliveryLock` is taken first (a second daemon, or a flush, is refused), then
/// messages left `sending` by a crash become `uncertain`. A message found due more than a minute
/// late (fuq was not running, or the machine slept) goes through `SendWindowPolicy.catchUp`:
/// sent only inside a valid window before its latest time, otherwise moved or expired.
public final class DeliveryDaemon: Service, @unchecked Sendable {
    public typealias TransportFactory = @Sendable (SMTPSettings) throws -> MailTransport

    /// After a failed cycle (the queue busy or unwritable), the next try.
    static let errorRetry: TimeInterval = 10

    /// Commands for the loop thread.
    enum Command: UInt8 { case stop = 1, reload = 2 }

    private let loadConfig: @Sendable () throws -> FuqConfig
    private let makeTransport: TransportFactory
    private let notifier: SystemdNotifier
    private let now: @Sendable () -> Date
    private let store: QueueStore
    private let lock: DeliveryLock
    private let waiter: any DaemonWaiting
    private let logger: Logger
    private var config: FuqConfig
    /// Why delivery is paused (a held outcome, an unusable password), and since when.
    struct Pause {
        var reason: String
        /// The latest release (`retry`, `send-now`) already seen when the cycle that paused
        /// began; a different one means the user released a note since. (Not compared with
        /// the daemon's clock: the CLI's clock and its commit may lag behind ours.)
        var releaseMark: Date?
        /// The password file(s) as they were (size and mtime): a change resumes delivery.
        var credentials: String
        /// When delivery resumes on its own (a server that stopped answering); nil: never.
        var until: Date? = nil
    }

    /// Delivery paused until a reload (SIGHUP), a note released by `fuq retry`/`send-now`,
    /// or a changed password file — never by any other write to the queue, so a refused
    /// password is not tried again each time someone runs a command.
    private var pause: Pause? {
        didSet { if (oldValue == nil) != (pause == nil) || oldValue?.reason != pause?.reason { lock.write(paused: pause?.reason) } }
    }
    private var paused: String? { pause?.reason }
    /// Damaged rows already reported (each is logged once, not every cycle).
    private var reportedDamage = Set<String>()
    /// `lastRelease` as read when the current cycle began.
    private var releaseMark: Date?

    /// When the next digest to yourself may go (the hourly limit held one back).
    private var nextDigest: Date?

    /// Tells the user what the queue recorded for them (`notify:`).
    private var teller: Teller {
        Teller(store: store, config: config, logger: logger, now: now, makeTransport: makeTransport,
               shouldContinue: { [weak self] in !(self?.stopping ?? true) }, heartbeat: { [notifier] in notifier.watchdog() })
    }

    /// While paused, how often the password file is looked at (besides the inotify watch).
    static let pausedCheck: TimeInterval = 60
    /// The files the waiter watches (the password files while paused).
    private var watchedFiles: [String] = []
    private let stopLock = NSLock()
    private var stopRequested = false

    /// - Throws: `DeliveryError.busy` when another fuq delivers from this queue; queue errors.
    /// - Parameters:
    ///   - now: the clock every decision reads (injected; tests set it).
    ///   - waiter: what the loop sleeps on; nil for the real `Waiter` (timerfd + inotify).
    public init(config: FuqConfig, loadConfig: @escaping @Sendable () throws -> FuqConfig, logger: Logger,
                notifier: SystemdNotifier = SystemdNotifier(), now: @escaping @Sendable () -> Date = { Date() },
                waiter: (any DaemonWaiting)? = nil, makeTransport: @escaping TransportFactory) throws {
        self.config = config
        self.loadConfig = loadConfig
        self.logger = logger
        self.notifier = notifier
        self.now = now
        self.makeTransport = makeTransport
        store = try QueueStore(path: config.queuePath)
        try store.limitPageCache(kibibytes: 256)
        lock = try DeliveryLock(queuePath: config.queuePath, role: "daemon")
        self.waiter = try waiter ?? Waiter(queuePath: config.queuePath)
    }

    // MARK: - Service

    public func run() async throws {
        let finished = AsyncStream<Error?>.makeStream()
        let thread = Thread { [self] in
            Self.unblockSignals()
            do {
                try loop()
                finished.continuation.yield(nil)
            } catch {
                finished.continuation.yield(error)
            }
            finished.continuation.finish()
        }
        thread.name = "fuq-daemon"
        thread.stackSize = 1 << 22
        let hangups = Task { [waiter] in
            for await _ in await UnixSignalsSequence(trapping: .sighup) { waiter.send(Command.reload.rawValue) }
        }
        defer { hangups.cancel() }
        try await withGracefulShutdownHandler {
            thread.start()
            for await outcome in finished.stream {
                if let outcome { throw outcome }
            }
        } onGracefulShutdown: { [self] in
            requestStop()
        }
    }

    /// Finish the message in flight, record it, and return. Safe from any thread.
    public func requestStop() {
        stopLock.withLock { stopRequested = true }
        waiter.send(Command.stop.rawValue)
    }

    private var stopping: Bool { stopLock.withLock { stopRequested } }

    /// The signals systemd and people send must reach this thread even when the process was
    /// started with them blocked (some launchers and test runners do).
    private static func unblockSignals() {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&set, signal) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    // MARK: - The loop

    func loop() throws {
        for m in try store.recoverInterrupted(now: now()) {
            logger.warning("interrupted while sending; now uncertain, never resent on its own; see `fuq show ID`",
                           metadata: ["mail.id": "\(m.id)", "mail.to": "\(m.recipientEmail)"])
        }
        if let imap = config.imap { SentSearch.resolveUncertain(in: store, config: imap, smtp: config.smtp, logger: logger, now: now(), policy: config.policy) }
        waiter.drainQueueEvents()
        notifier.ready(status: try summary(next: store.nextDue()))
        logger.info("started", metadata: ["queue": "\(config.queuePath)", "smtp.url": "\(config.smtp.url.map(SMTPSettings.redacted) ?? "-")"])
        while !stopping {
            var retryAt: Date?
            // Deleted or replaced under us: a new file would never be read. Exit non-zero so
            // systemd starts a daemon on the file now at that path.
            try checkQueueFile()
            do {
                if paused == nil { try cycle() }
            } catch {
                // The queue could not be read or written (busy for longer than the timeout, disk
                // full): nothing was half-done (transactions); try again shortly.
                let text = (error as? LocalizedError)?.errorDescription ?? "\(error)"
                logger.error("delivery cycle failed; trying again shortly",
                             metadata: ["error": "\(text)", "retry_in_s": "\(Int(Self.errorRetry))"])
                retryAt = now().addingTimeInterval(Self.errorRetry)
            }
            // What this cycle (or a command, or a crash before the last telling) recorded for
            // the user is told now, before the next sleep.
            nextDigest = teller.tell()
            // Forget the events so far (our own writes) *before* reading the queue: a change
            // committed after this read wakes the wait below.
            waiter.drainQueueEvents()
            if stopping { break }
            // Checked again after the drain: a deletion whose event was just drained is seen.
            try checkQueueFile()
            // While paused, a new password (the file written in place or renamed over) wakes
            // the wait at once; the watch is set up before the files are compared, so a change
            // in between is seen by the comparison.
            let watched = pause == nil ? [] : Self.credentialFiles(config)
            if watched != watchedFiles {
                waiter.watch(files: watched)
                watchedFiles = watched
            }
            if let pause {
                resumeIfReleased(pause)
                if self.pause == nil { continue }
            }
            var next: QueueStore.NextDue?
            var replyCheck: Date?
            if paused == nil {
                do {
                    next = try store.nextDue()
                    replyCheck = try gate.nextReplyCheck()
                } catch {
                    // Busy for longer than the timeout: look again shortly rather than sleep blind.
                    retryAt = now().addingTimeInterval(Self.errorRetry)
                }
            }
            notifier.status((try? summary(next: next)) ?? "queue unreadable; retrying")
            let deadline = [next?.due, retryAt, replyCheck, pause?.until, nextDigest].compactMap { $0 }.min()
            let idle = pause == nil ? notifier.watchdogInterval : min(notifier.watchdogInterval ?? Self.pausedCheck, Self.pausedCheck)
            let wake = waiter.wait(until: deadline, idleLimit: idle)
            notifier.watchdog()
            switch wake {
            case .command(Command.reload.rawValue): reload()
            case .clockChanged: logger.notice("the wall clock changed; recomputing the next wake-up")
            default: break
            }
        }
        notifier.stopping()
        logger.info("stopped")
    }

    /// Throws `QueueError.replaced` when the queue file is no longer the one opened — after
    /// copying everything in the WAL into the file still open (a queue moved with `mv` keeps
    /// its latest states: a note sent a moment ago is not `scheduled` there, and is never sent
    /// twice) and emptying that WAL (a new queue at the old path must not pick it up).
    private func checkQueueFile() throws {
        guard !store.isStillAtPath else { return }
        do { try store.checkpoint() } catch {
            logger.error("could not save the last changes into the moved queue file", metadata: ["error": "\(error)"])
        }
        logger.critical("the queue file was deleted or replaced; exiting so that systemd starts fuq on the file now at that path",
                        metadata: ["queue": "\(config.queuePath)"])
        throw QueueError.replaced(path: config.queuePath)
    }

    /// Ends a pause when the user released a note since (`fuq retry`, `fuq send-now`) or the
    /// password file changed. Any other write (an enqueue, a cancel) leaves it paused.
    private func resumeIfReleased(_ pause: Pause) {
        // nil when no note was ever released: the password file is still looked at.
        let latest: Date?
        do { latest = try store.lastRelease() } catch { return }
        let released = latest != pause.releaseMark
        let changed = Self.credentialStamp(config) != pause.credentials
        let over = pause.until.map { now() >= $0 } ?? false
        guard released || changed || over else { return }
        logger.info(released ? "a note was released; trying again" : changed ? "the password file changed; trying again" : "the pause is over; trying again",
                    metadata: ["error": "\(pause.reason)"])
        self.pause = nil
    }

    private func pauseDelivery(_ reason: String, until: Date? = nil) {
        pause = Pause(reason: reason, releaseMark: releaseMark, credentials: Self.credentialStamp(config), until: until)
    }

    /// Every password file fuq may read for SMTP.
    static func credentialFiles(_ config: FuqConfig, environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        [config.smtp.passwordFile, environment["CREDENTIALS_DIRECTORY"].map { $0 + "/smtp-password" }].compactMap { $0 }
    }

    /// Identity (device, inode: a file renamed over the old one is another), size, and
    /// modification and change times of every password file fuq may read.
    static func credentialStamp(_ config: FuqConfig, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        credentialFiles(config, environment: environment).map { path -> String in
            var info = stat()
            guard stat(path, &info) == 0 else { return "\(path):-" }
            return "\(path):\(info.st_dev):\(info.st_ino):\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec):\(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec)"
        }.joined(separator: "|")
    }

    /// The follow-ups' gate and reply checks, as the current configuration sets them up.
    private var gate: FollowUpGate { FollowUpGate.make(store: store, config: config, now: now, logger: logger) }

    /// Reply checks that are due, then missed-window decisions, then delivery of everything
    /// due (follow-ups only past their gate), over `smtp.connections` connections.
    private func cycle() throws {
        _ = try gate.runDueReplyChecks()
        let batch = try store.takeDue(now: now(), policy: config.policy)
        releaseMark = batch.lastRelease
        for id in batch.unreadable where !reportedDamage.contains(id) {
            reportedDamage.insert(id)
            logger.error("a queued note cannot be read back; skipped. `fuq cancel ID` removes it",
                         metadata: ["mail.id": "\(id)"])
        }
        for m in batch.moved {
            logger.notice("missed its window; moved", metadata: ["mail.id": "\(m.id)", "mail.to": "\(m.recipientEmail)", "reason": "\(m.reason)"])
        }
        for m in batch.expired {
            logger.warning("missed its window; expired, waiting for you",
                           metadata: ["mail.id": "\(m.id)", "mail.to": "\(m.recipientEmail)", "reason": "\(m.lastError ?? "")"])
        }
        let toSend = try gate.clear(batch.send).send
        guard !toSend.isEmpty else { return }
        let transports: [MailTransport]
        do {
            // One per connection (smtp.connections); no more than there are notes to send.
            let first = try makeTransport(config.smtp)
            // The password is read once per burst: the other connections share it.
            transports = try [first] + (1..<max(1, min(config.smtp.connections, toSend.count))).map { _ in
                try (first as? CurlSMTPTransport)?.another() ?? makeTransport(config.smtp)
            }
        } catch {
            let text = (error as? LocalizedError)?.errorDescription ?? "\(error)"
            if pause?.reason != text {
                // No note was tried, so no note records it: the pause itself is the event.
                do { try store.recordEvent(.paused, detail: text, at: now()) } catch {
                    logger.error("could not record the pause for telling", metadata: ["error": "\(error)"])
                }
            }
            pauseDelivery(text)
            logger.error("cannot deliver; delivery paused. Fix the config, then `systemctl reload fuq` (SIGHUP)",
                         metadata: ["error": "\(text)"])
            return
        }
        var runner = DeliveryRunner(store: store, transports: transports, sender: config.sender, logger: logger, now: now)
        runner.policy = config.policy
        let notifier = self.notifier
        let copier = config.imap.map { SentCopier(config: $0, smtp: config.smtp) }
        runner.pauseBeforeRetry = { seconds in
            notifier.watchdog()
            usleep(useconds_t(seconds * 1_000_000))
        }
        let end = try runner.deliverAll(toSend, shouldContinue: { !self.stopping }) { report in
            self.notifier.watchdog()
            if let problem = copier?.keep(report) {
                self.logger.warning("sent, but the copy in Sent could not be stored", metadata: ["mail.id": "\(report.message.id)", "error": "\(problem)"])
            }
            if report.message.state == .held {
                self.pauseDelivery(report.result.text)
            }
        }
        if case .serverStopped(let host, let reply) = end.stop {
            // Trying the rest at once would cost two more timeouts each cycle, for nothing.
            let until = now().addingTimeInterval(DeliveryRunner.backoff(afterAttempt: 1))
            pauseDelivery("the server \(host) stopped answering (\(reply)); trying again at \(DateFormatting.dayTime(in: .current).string(from: until))", until: until)
            logger.error("the server stopped answering; delivery paused for 5 minutes (`fuq retry ID` or `systemctl reload fuq` tries sooner)",
                         metadata: ["smtp.host": "\(host)", "smtp.reply": "\(reply)", "mail.waiting": "\(end.untried.count)"])
        } else if let reason = paused, !end.untried.isEmpty {
            logger.error("delivery paused; fix the problem, then `fuq retry ID` or `systemctl reload fuq`",
                         metadata: ["error": "\(reason)", "mail.waiting": "\(end.untried.count)"])
        }
    }

    private func reload() {
        notifier.reloading()
        do {
            let fresh = try loadConfig()
            if fresh.queuePath != config.queuePath {
                logger.warning("queue.path changed in the config; restart fuq to use the new queue", metadata: ["queue": "\(config.queuePath)"])
            }
            var next = fresh
            next.queuePath = config.queuePath
            config = next
            pause = nil
            logger.info("configuration reloaded")
        } catch {
            let text = (error as? LocalizedError)?.errorDescription ?? "\(error)"
            logger.error("configuration reload failed, keeping the previous one", metadata: ["error": "\(text)"])
        }
        notifier.ready(status: (try? summary(next: store.nextDue())) ?? "reloaded")
    }

    /// "3 scheduled, 1 deferred; next Tue 18:23 UTC to Dana Rivera".
    func summary(next: QueueStore.NextDue? = nil) throws -> String {
        let counts = try store.counts()
        let parts = [MessageState.scheduled, .deferred, .held, .failed, .uncertain, .expired].compactMap { state in
            counts[state].map { "\($0) \(state.rawValue)" }
        }
        var text = parts.isEmpty ? "nothing waiting" : parts.joined(separator: ", ")
        if let paused { text += "; paused: \(paused)" }
        if let next {
            let zone = SystemZone.read().displayZone
            text += "; next \(DateFormatting.dayTime(in: zone).string(from: next.due)) \(DateFormatting.abbreviation(zone, at: next.due)) to \(next.recipientName)"
        }
        return text
    }
}
