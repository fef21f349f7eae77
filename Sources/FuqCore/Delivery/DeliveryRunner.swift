import Foundation
import GRDB
import Logging

/// One delivery outcome, for the CLI to print.
public struct DeliveryReport: Sendable {
    public var message: MessageRecord
    public var result: DeliveryResult
    /// The exact bytes handed to the server, when it accepted them (for the copy in Sent).
    public var data: Data? = nil
}

/// Delivers queued messages over one or more connections (`smtp.connections`), making every
/// state change durable first: `sending` is committed before a note's bytes are handed to its
/// connection, the outcome right after the server answers.
public struct DeliveryRunner {
    public var store: QueueStore
    /// One per connection; each carries at most one note at a time.
    public var transports: [MailTransport]
    public var transport: MailTransport { transports[0] }
    public var sender: Sender
    public var logger: Logger
    public var now: () -> Date
    /// Places the follow-ups of a note that was just sent (`SendWindowPolicy.followUpSchedule`).
    public var policy: SendWindowPolicy = .standard
    /// How the runner waits before writing an outcome again (the daemon also tells systemd's
    /// watchdog it is alive meanwhile; tests make it instant).
    public var pauseBeforeRetry: (TimeInterval) -> Void = { usleep(useconds_t($0 * 1_000_000)) }

    public init(store: QueueStore, transport: MailTransport, sender: Sender, logger: Logger, now: @escaping () -> Date = Date.init) {
        self.init(store: store, transports: [transport], sender: sender, logger: logger, now: now)
    }

    /// - Parameter transports: one per connection (at least one).
    public init(store: QueueStore, transports: [MailTransport], sender: Sender, logger: Logger, now: @escaping () -> Date = Date.init) {
        precondition(!transports.isEmpty, "a delivery run needs a connection")
        self.store = store
        self.transports = transports
        self.sender = sender
        self.logger = logger
        self.now = now
    }

    /// First retry after 5 minutes, doubling, at most an hour apart.
    public static func backoff(afterAttempt attempt: Int) -> TimeInterval {
        min(3600, 300 * pow(2, Double(max(0, attempt - 1))))
    }

    /// A reply that says the server takes fewer connections at once ("421 4.7.0 Too many
    /// connections"): the run goes on over fewer.
    static func isConnectionLimit(_ result: DeliveryResult) -> Bool {
        let text = result.text.lowercased()
        return result.outcome == .deferred && (text.contains("too many connections") || text.contains("too many concurrent")
            || text.contains("too many simultaneous") || (result.code == 421 && text.contains("connections")))
    }

    /// Delivers messages over the connections, each carrying one note at a time. The first
    /// note goes alone; once the server has accepted one, every connection is used.
    ///
    /// Durability, per connection: a message is `sending` on disk before its bytes are handed
    /// to libcurl, and its outcome is on disk before that connection's next message is
    /// claimed. Outcomes and claims that are ready together share one transaction (group
    /// commit: one fsync for several notes). A crash leaves at most one message per connection
    /// `sending` → `uncertain` at the next start: never sent twice on its own.
    ///
    /// A `held` outcome (password, TLS) ends the run: the same problem would refuse every
    /// other message, and repeated failed logins can lock the account; the notes in flight on
    /// other connections are finished and recorded. A message whose state changed meanwhile
    /// (cancelled by the user) is skipped. A server that refuses a connection as one too many
    /// (`421 … too many connections`) lowers the concurrency for the rest of the run; that
    /// note is recorded as deferred and tried again over a remaining connection.
    ///
    /// `shouldContinue` is asked before each claim (the daemon's stop request): the messages
    /// in flight are always finished and recorded.
    ///
    /// A server that stops answering (`DeliveryResult.serverStopped`: a timeout, or no answer
    /// to a note's final dot) costs at most two timeouts, not one per note: that connection
    /// is not used again in the run (with slow start, one not opened yet takes its place),
    /// and the second such connection, or the last one left, ends the run. So at most one note
    /// per connection can end `uncertain`, and the untried notes keep their state.
    ///
    /// A note sent again in the run over another connection (the server refused its
    /// connection as one too many) is reported once, with the outcome of its last attempt.
    ///
    /// - Returns: the ids not tried because the run stopped, and why it stopped.
    @discardableResult
    public func deliverAll(_ ids: [String], shouldContinue: () -> Bool = { true },
                           onOutcome: (DeliveryReport) -> Void) throws -> RunEnd {
        var work = ids
        var index = 0
        let pool = ConnectionPool(runner: self)
        defer { pool.close() }
        // Slow start, as an MTA does: one connection until the server has accepted a note
        // (a refused password then costs one failed login, not one per connection), then all.
        var idle = [0]
        var unopened = Array(transports.indices.dropFirst())
        var open = transports.count
        var done: [ConnectionPool.Finished] = []
        var inFlight = 0
        var stopped = false
        var failures = 0
        var claimsPaused = false
        var stop: RunEnd.Stop?
        // Connections on which the server stopped answering.
        var stalls = 0
        while true {
            if !stopped && !shouldContinue() {
                stopped = true
                stop = stop ?? .asked
            }
            var toClaim: [(connection: Int, id: String)] = []
            if !stopped && !claimsPaused {
                while !idle.isEmpty && index < work.count {
                    toClaim.append((idle.removeFirst(), work[index]))
                    index += 1
                }
            }
            claimsPaused = false
            if done.isEmpty && toClaim.isEmpty {
                guard inFlight > 0 else { break }
                done = pool.waitForResults()
                inFlight -= done.count
                continue
            }
            let started = now()
            let recording = done
            var committed: ([MessageRecord], [MessageRecord?])?
            do {
                committed = try store.transaction { db -> ([MessageRecord], [MessageRecord?]) in
                    let recorded = try recording.map { try record($0.claimed, $0.result, started: $0.started, finished: $0.finished, host: $0.host, db) }
                    let claimed = try toClaim.map { try claim($0.id, at: started, db) }
                    return (recorded, claimed)
                }
            } catch {
                // Nothing in hand and nothing in flight: the caller may simply try the whole run again.
                guard !recording.isEmpty || inFlight > 0 else { throw error }
                // Give the claims back; they are made afresh once the outcomes are written.
                index -= toClaim.count
                idle.insert(contentsOf: toClaim.map(\.connection), at: 0)
                claimsPaused = true
                if recording.isEmpty {
                    // Only claims failed: wait for the notes in flight, then try again.
                    done = pool.waitForResults()
                    inFlight -= done.count
                    continue
                }
                // The server has answered; the answer exists only in memory. Never drop it
                // (a sent note left `sending` would become `uncertain`): keep trying.
                failures += 1
                let text = (error as? LocalizedError)?.errorDescription ?? "\(error)"
                for pending in recording {
                    logger.error("cannot record a delivery outcome yet; keeping it and trying again", metadata: [
                        "mail.id": "\(pending.claimed.id)", "mail.outcome": "\(pending.result.outcome)", "error": "\(text)",
                        "attempt": "\(failures)",
                    ])
                }
                pauseBeforeRetry(min(Double(failures), 5))
                continue
            }
            done = []
            failures = 0
            let (recorded, claimed) = committed!
            for (m, pending) in zip(recorded, recording) {
                // Sent again in this run: its line comes with its last attempt.
                let again = Self.isConnectionLimit(pending.result) && open > 1
                finish(m, pending.result, pending.started, pending.finished, host: pending.host, data: pending.data, report: !again, onOutcome)
                if m.state == .held {
                    stopped = true
                    stop = stop ?? .held(id: m.id)
                }
                if m.state == .sent && !unopened.isEmpty {
                    idle += unopened
                    unopened = []
                }
                if again {
                    // This connection is one too many for the server: close it, and send
                    // the note again over another one in this run.
                    open -= 1
                    pool.retire(pending.connection)
                    logger.notice("the server refused a connection as one too many; delivering over fewer", metadata: [
                        "smtp.host": "\(pending.host)", "smtp.reply": "\(pending.result.text)", "smtp.connections": "\(open)",
                    ])
                    work.append(m.id)
                    // Slow start had not opened the others yet: one takes its place, or the
                    // run would end here with the rest untried and nothing said (second
                    // adversarial pass, N4: a server that greets every connection with 421).
                    if idle.isEmpty && !unopened.isEmpty { idle.append(unopened.removeFirst()) }
                } else if pending.result.serverStopped {
                    // Never again over this connection; a second one like it ends the run.
                    stalls += 1
                    open -= 1
                    pool.retire(pending.connection)
                    // Slow start: a connection not opened yet takes its place.
                    if stalls < 2 && !unopened.isEmpty { idle.append(unopened.removeFirst()) }
                    let left = stalls < 2 && open > 0
                    logger.warning(left ? "the server stopped answering; not using this connection again in this run"
                                        : "the server stopped answering; ending the run", metadata: [
                        "smtp.host": "\(pending.host)", "smtp.reply": "\(pending.result.text)",
                    ])
                    if !left {
                        stopped = true
                        stop = stop ?? .serverStopped(host: pending.host, reply: pending.result.text)
                    }
                } else {
                    idle.append(pending.connection)
                }
            }
            for (slot, m) in zip(toClaim, claimed) {
                guard let m else {
                    logger.notice("skipped: no longer due for sending", metadata: ["mail.id": "\(slot.id)"])
                    idle.append(slot.connection)
                    continue
                }
                inFlight += 1
                pool.send(m, started: started, over: slot.connection)
            }
            // Whatever has finished meanwhile is written with the next claims; wait only when
            // no connection is free (or nothing is left to claim).
            let canClaim = !stopped && !idle.isEmpty && index < work.count
            done = canClaim ? pool.takeResults() : (inFlight > 0 ? pool.waitForResults() : [])
            inFlight -= done.count
        }
        let untried = index < work.count ? Array(work[index...]) : []
        return RunEnd(untried: untried, stop: untried.isEmpty ? nil : stop)
    }

    /// How a run ended: the notes it did not try, and why.
    public struct RunEnd: Sendable, Equatable {
        public enum Stop: Sendable, Equatable {
            /// A `held` outcome (this note's): the same problem would refuse the rest.
            case held(id: String)
            /// `shouldContinue` said no (a signal, the daemon stopping).
            case asked
            /// The server stopped answering on two connections (or on the last one left).
            case serverStopped(host: String, reply: String)
        }

        /// The ids not tried, in the order they would have gone; they keep their state.
        public var untried: [String]
        /// Why the run stopped early; nil when it tried every note.
        public var stop: Stop?
    }

    /// Claims a message for sending: `sending`, one more attempt, re-rendered for today.
    /// Returns nil when its state no longer allows sending.
    private func claim(_ id: String, at started: Date, _ db: Database) throws -> MessageRecord? {
        guard var m = try QueueStore.fetch(id, db), m.state.successors.contains(.sending) else { return nil }
        m.state = .sending
        m.updatedAt = started
        m.attempts += 1
        // "today"/"yesterday" and the like are worded for the day the reader gets it. The
        // stored text already is when the wording for its render date is the same as now's
        // (the common case: sent on its due day), so it is rendered again only otherwise.
        if !(try wordingHolds(m, at: started, db)), let context = m.decodedContext,
           let body = try? MessageTemplate(name: m.templateName, source: m.template).render(context.templateValues(sendDate: started)) {
            m.apply(rendered: body)
            m.renderedFor = started
        }
        // Only the columns that change, through a cached statement: this runs once per note.
        try db.cachedStatement(sql: "UPDATE message SET state = ?, updatedAt = ?, attempts = ?, body = ?, subject = ?, renderedFor = ? WHERE id = ?")
            .execute(arguments: [m.state, StoredDate.text(m.updatedAt), m.attempts, m.body, m.subject,
                                 StoredDate.text(m.renderedFor.flatMap { MessageRecord.isSane($0) ? $0 : nil }), m.id])
        return m
    }

    /// True when `m`'s stored text says the same "today"/"yesterday"/"on Friday" at `date`
    /// as at the date it was rendered for (on the reader's calendar): nothing to re-render.
    private func wordingHolds(_ m: MessageRecord, at date: Date, _ db: Database) throws -> Bool {
        // Read raw: a damaged date (edited by hand) means "render again", never a failed run.
        guard let renderedFor = m.renderedFor, MessageRecord.isSane(renderedFor),
              let raw = try DatabaseValue.fetchOne(db.cachedStatement(sql: "SELECT endsAt FROM interview WHERE id = ?"), arguments: [m.interviewId]),
              let end = Date.fromDatabaseValue(raw), MessageRecord.isSane(end)
        else { return false }
        return RelativeDay.samePhrase(for: end, readAt: renderedFor, and: date, zone: m.zone)
    }

    /// The bytes: Date stamped at the moment of sending, Message-ID from enqueue.
    func envelope(for m: MessageRecord, date: Date) -> Envelope {
        Envelope(from: sender.email ?? "", recipients: Self.recipients(of: m, sender: sender),
                 data: MIMEComposer.render(Self.outgoing(m, sender: sender, date: date)))
    }

    /// The email fuq writes for `m` when it sends it at `date` (`fuq show --json` shows it too).
    public static func outgoing(_ m: MessageRecord, sender: Sender, date: Date) -> OutgoingMessage {
        var message = OutgoingMessage(from: .init(name: sender.name, email: sender.email ?? ""), to: .init(name: m.recipientName, email: m.recipientEmail),
                                      replyTo: sender.replyTo, subject: m.subject, date: date, messageID: m.messageId, body: m.body)
        message.references = m.referenceIDs
        return message
    }

    /// Why `m` must not be sent as stored, or nil: every field that goes into a header is
    /// checked again when the note is composed for sending (enqueue checked it, but a row can
    /// be edited by hand: `recipientName = "Kwame\r\nBcc: evil@x.example"` would add a header).
    public static func headerProblem(_ m: MessageRecord) -> String? {
        var problems: [(String, String)] = []
        if let p = TextSafety.problem(in: m.recipientName) { problems.append(("its recipient's name", p)) }
        if let p = EmailAddress.problem(with: m.recipientEmail) { problems.append(("its address", p)) }
        if let p = TextSafety.problem(in: m.subject) { problems.append(("its subject", p)) }
        // The text is quoted-printable (it cannot add a header): only control characters, which
        // no note holds, fail it — not a soft hyphen a note queued by an older fuq may carry.
        if let c = m.body.unicodeScalars.first(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" }) {
            problems.append(("its text", "it contains the control character \(String(format: "U+%04X", c.value))"))
        }
        let idShape = #"^<[^<>\s@]+@[^<>\s@]+>$"#
        for id in [m.messageId] + m.referenceIDs where id.range(of: idShape, options: .regularExpression) == nil || TextSafety.problem(in: id) != nil {
            problems.append(("its Message-ID or References", "\(TextSafety.printable(String(id.prefix(80)))) is not a message id"))
            break
        }
        guard let (field, problem) = problems.first else { return nil }
        return "not sent: the stored note is damaged (changed outside fuq?): \(field): \(problem). It would have changed the email's headers. "
            + "Correct it with `fuq edit \(m.id)` (--name, --to), or cancel it with `fuq cancel \(m.id)` and enqueue it again"
    }

    /// The SMTP recipients: the interviewer, and the sender too with `sender.bcc_self`.
    public static func recipients(of m: MessageRecord, sender: Sender) -> [String] {
        var recipients = [m.recipientEmail]
        if sender.bccSelf, let me = sender.email { recipients.append(me) }
        return recipients
    }

    /// Writes the outcome and its attempt row.
    private func record(_ claimed: MessageRecord, _ result: DeliveryResult, started: Date, finished: Date, host: String, _ db: Database) throws -> MessageRecord {
        var target: MessageState
        switch result.outcome {
        case .sent: target = .sent
        case .failed: target = .failed
        case .held: target = .held
        case .deferred: target = .deferred
        case .uncertain: target = .uncertain
        }
        let nextTry = finished.addingTimeInterval(Self.backoff(afterAttempt: claimed.attempts))
        if target == .deferred && nextTry > claimed.latest { target = .expired }
        var m = claimed
        m.state = target
        m.updatedAt = finished
        switch target {
        case .sent:
            m.sentAt = finished
            m.serverReply = result.text
            m.lastError = nil
        case .deferred:
            m.due = nextTry
            m.lastError = result.text
        case .expired:
            m.lastError = result.text + " — and the next try would be past its latest acceptable time"
        default:
            m.lastError = result.text
        }
        try db.cachedStatement(sql: "UPDATE message SET state = ?, updatedAt = ?, due = ?, lastError = ?, sentAt = ?, serverReply = ? WHERE id = ?")
            .execute(arguments: [m.state, StoredDate.text(m.updatedAt), StoredDate.text(m.due), m.lastError, StoredDate.text(m.sentAt), m.serverReply, m.id])
        // A cached statement: `AttemptRecord.insert` compiles its SQL again for every note.
        try db.cachedStatement(sql: "INSERT INTO attempt (messageId, startedAt, finishedAt, outcome, smtpCode, serverText, host) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .execute(arguments: [m.id, StoredDate.text(started), StoredDate.text(finished), target.rawValue, result.code, result.text, host])
        // Its follow-ups count their week from now, in the same commit.
        if target == .sent { try QueueStore.rescheduleFollowUps(after: m, policy: policy, now: finished, db) }
        return m
    }

    /// Logs the attempt, and reports it unless `report` is false (the note goes again in this run).
    private func finish(_ m: MessageRecord, _ result: DeliveryResult, _ started: Date, _ finished: Date, host: String, data: Data?,
                        report: Bool = true, _ onOutcome: (DeliveryReport) -> Void) {
        logger.log(level: m.state == .sent ? .info : .warning, "delivery attempt", metadata: [
            "mail.id": "\(m.id)", "mail.to": "\(m.recipientEmail)", "smtp.host": "\(host)",
            "smtp.code": "\(result.code.map(String.init) ?? "-")", "smtp.reply": "\(result.text)",
            "mail.state": "\(m.state.rawValue)", "duration_ms": "\(Int(finished.timeIntervalSince(started) * 1000))",
        ])
        if report { onOutcome(DeliveryReport(message: m, result: result, data: m.state == .sent ? data : nil)) }
    }
}

/// Only one process delivers from a queue at a time (an advisory `flock` on QUEUE.lock), so
/// two flushes, or a flush and the daemon, never both send a message. The holder writes who it
/// is ("daemon 1234", "flush 5678") into the file, so the others can say who has it.
public final class DeliveryLock {
    /// Who holds a queue's lock.
    public struct Holder: Sendable, Equatable {
        /// `daemon`, or the command's name (`flush`, `send-now`).
        public var role: String
        public var pid: Int32
        /// Why the daemon has paused delivery (a refused password…), if it has.
        public var paused: String? = nil
        public var isDaemon: Bool { role == "daemon" }
    }

    private let fd: Int32

    /// - Parameter role: `daemon`, or the command's name.
    public init(queuePath: String, role: String = "flush") throws {
        let path = queuePath + ".lock"
        fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw QueueError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw DeliveryError.busy(path: queuePath, holder: Self.currentHolder(queuePath: queuePath))
        }
        self.role = role
        write(paused: nil)
    }

    private let role: String

    /// Records in the lock file whether delivery is paused and why, so `status` and `flush`
    /// can say so instead of promising that the daemon sends the waiting notes.
    public func write(paused reason: String?) {
        var text = "\(role) \(getpid())\n"
        if let reason { text += "paused \(reason.replacingOccurrences(of: "\n", with: " "))\n" }
        let bytes = Array(text.utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, bytes, bytes.count, 0)
    }

    deinit { close(fd) }

    /// Who holds the lock right now, read without touching it: Linux lists every `flock` in
    /// /proc/locks by device and inode; the role is what the holder wrote into the file.
    /// Nil when nobody does (or when that cannot be known).
    public static func currentHolder(queuePath: String) -> Holder? {
        var info = stat()
        guard stat(queuePath + ".lock", &info) == 0,
              let locks = ProcFile.text("/proc/locks") else { return nil }
        let device = info.st_dev
        let major = (device >> 8) & 0xfff | ((device >> 32) & ~0xfff)
        let minor = (device & 0xff) | ((device >> 12) & ~0xff)
        let key = String(format: "%02llx:%02llx:%llu", UInt64(major), UInt64(minor), UInt64(info.st_ino))
        for line in locks.split(separator: "\n") where line.contains(" FLOCK ") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[5] == key, let pid = Int32(fields[4]) else { continue }
            let written = (try? String(contentsOfFile: queuePath + ".lock", encoding: .utf8)) ?? ""
            let paused = written.split(separator: "\n").first { $0.hasPrefix("paused ") }.map { String($0.dropFirst(7)) }
            return Holder(role: written.split(separator: " ").first.map(String.init) ?? "fuq", pid: pid, paused: paused)
        }
        return nil
    }
}
