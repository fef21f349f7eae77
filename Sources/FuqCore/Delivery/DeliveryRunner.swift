import Foundation
import GRDB
import Logging

/// One delivery outcome, for the CLI to print.
public struct DeliveryReport: Sendable {
    public var message: MessageRecord
    public var result: DeliveryResult
}

/// Delivers queued messages through a transport, making every state change durable first:
/// `sending` is committed before the transport is called, the outcome right after it returns.
public struct DeliveryRunner {
    public var store: QueueStore
    public var transport: MailTransport
    public var sender: Sender
    public var logger: Logger
    public var now: () -> Date

    public init(store: QueueStore, transport: MailTransport, sender: Sender, logger: Logger, now: @escaping () -> Date = Date.init) {
        self.store = store
        self.transport = transport
        self.sender = sender
        self.logger = logger
        self.now = now
    }

    /// First retry after 5 minutes, doubling, at most an hour apart.
    public static func backoff(afterAttempt attempt: Int) -> TimeInterval {
        min(3600, 300 * pow(2, Double(max(0, attempt - 1))))
    }

    /// Messages that are due (scheduled or deferred, due ≤ now), oldest first.
    public func dueMessages() throws -> [MessageRecord] {
        let now = now()
        return try store.read { db in
            try MessageRecord.filter(MessageState.deliverable.map(\.rawValue).contains(Column("state")) && Column("due") <= now)
                .order(Column("due")).fetchAll(db)
        }
    }

    /// Delivers one message now. `force` (send-now) ignores the due time, never the state.
    @discardableResult
    public func deliver(_ id: String) throws -> DeliveryReport {
        let started = now()
        // 1. Durable claim: from here a crash leaves `sending`, which start-up turns into `uncertain`.
        let claimed = try store.update(id, to: .sending, action: "send", now: started) { m in
            m.attempts += 1
            if let context = m.decodedContext,
               let body = try? MessageTemplate(name: m.templateName, source: m.template).render(context.templateValues(sendDate: started)) {
                m.body = body.body
                m.subject = body.subject
            }
        }
        // 2. The bytes, Date stamped now, Message-ID from enqueue.
        let data = MIMEComposer.render(OutgoingMessage(
            from: .init(name: sender.name, email: sender.email ?? ""), to: .init(name: claimed.recipientName, email: claimed.recipientEmail),
            replyTo: sender.replyTo, subject: claimed.subject, date: started, messageID: claimed.messageId, body: claimed.body))
        var recipients = [claimed.recipientEmail]
        if sender.bccSelf, let me = sender.email { recipients.append(me) }
        let result = transport.send(Envelope(from: sender.email ?? "", recipients: recipients, data: data))
        let finished = now()

        // 3. Durable outcome and attempt row, in one transaction.
        var target: MessageState
        switch result.outcome {
        case .sent: target = .sent
        case .failed: target = .failed
        case .held: target = .held
        case .deferred: target = .deferred
        }
        let nextTry = finished.addingTimeInterval(Self.backoff(afterAttempt: claimed.attempts))
        if target == .deferred && nextTry > claimed.latest { target = .expired }
        let final = try store.transaction { db -> MessageRecord in
            var m = try MessageRecord.fetchOne(db, key: claimed.id)!
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
            try m.update(db)
            var attempt = AttemptRecord(messageId: m.id, startedAt: started, finishedAt: finished, outcome: target.rawValue,
                                        smtpCode: result.code, serverText: result.text, host: transport.host)
            try attempt.insert(db)
            return m
        }
        logger.log(level: target == .sent ? .info : .warning, "delivery attempt", metadata: [
            "mail.id": "\(final.id)", "mail.to": "\(final.recipientEmail)", "smtp.host": "\(transport.host)",
            "smtp.code": "\(result.code.map(String.init) ?? "-")", "smtp.reply": "\(result.text)",
            "mail.state": "\(target.rawValue)", "duration_ms": "\(Int(finished.timeIntervalSince(started) * 1000))",
        ])
        return DeliveryReport(message: final, result: result)
    }

    /// Messages left `sending` by a crash become `uncertain`: never resent on their own.
    /// Call only while holding the `DeliveryLock`.
    @discardableResult
    public func recoverInterrupted() throws -> [MessageRecord] {
        let now = now()
        return try store.transaction { db in
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
}

/// Only one process delivers from a queue at a time (an advisory `flock` on QUEUE.lock), so
/// two flushes, or a flush and the daemon, never both send a message.
public final class DeliveryLock {
    private let fd: Int32

    public init(queuePath: String) throws {
        let path = queuePath + ".lock"
        fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw QueueError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw DeliveryError.busy(path: queuePath)
        }
    }

    deinit { close(fd) }
}
