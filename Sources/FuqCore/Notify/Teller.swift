import Foundation
import Logging

/// Tells the user what the queue recorded for them (`notify:`), once per event and channel.
///
/// Events are written by the queue's triggers in the same transaction as the change they
/// record, so whichever process made the change (the daemon, a `flush` from cron, `send-now`),
/// the event is there. The daemon and `flush` — the processes that hold the delivery lock, so
/// never two at once — tell them: each channel marks each event durably right after telling it.
/// A crash between a channel's telling and its mark can tell that one event again on that
/// channel (at least once); nothing else is ever told twice. An event whose note no longer
/// waits on the user when its turn comes (you ran `confirm`, `retry`, `cancel`) is not told.
public final class Teller {
    public typealias TransportFactory = @Sendable (SMTPSettings) throws -> MailTransport

    private let store: QueueStore
    private let config: FuqConfig
    private let logger: Logger
    private let now: () -> Date
    private let makeTransport: TransportFactory
    /// False once fuq is asked to stop (SIGTERM, Ctrl-C): a running command is killed, nothing
    /// more is told; what was not told stays for the next start.
    private let shouldContinue: () -> Bool
    /// Called while telling takes time (the daemon pings systemd's watchdog).
    private let heartbeat: () -> Void
    /// The desktop call (a test may replace it).
    var showOnDesktop: (Notice, Bool) -> Result<UInt32, NoticeFailure> = DesktopChannel.show
    var desktopReadsMarkup: () -> Result<Bool, NoticeFailure> = DesktopChannel.readsMarkup
    /// More notices than this in one round become one desktop notification that counts them.
    static let desktopBurst = 3
    /// The longest one telling may take; what is left waits for the next round (deliveries
    /// wait while fuq tells).
    static let budget: TimeInterval = 180
    /// Tries of the digest when the server could not be reached or said "later" (4xx), an
    /// hour apart; then those events are given up on that channel (`status` still shows them).
    static let digestTries = 3
    /// "no session bus" is said once per process, not once per event.
    private static let saidUnavailable = Locked(false)
    private var started = Date()

    public init(store: QueueStore, config: FuqConfig, logger: Logger, now: @escaping () -> Date, makeTransport: @escaping TransportFactory,
                shouldContinue: @escaping () -> Bool = { true }, heartbeat: @escaping () -> Void = {}) {
        self.store = store
        self.config = config
        self.logger = logger
        self.now = now
        self.makeTransport = makeTransport
        self.shouldContinue = shouldContinue
        self.heartbeat = heartbeat
    }

    /// Tells every event not yet told. Returns when the next digest may go, if one waits for
    /// the hourly limit (the daemon wakes then); nil otherwise. Never throws: a queue error is
    /// logged, and the events stay for the next round.
    @discardableResult
    public func tell() -> Date? {
        started = Date()
        do {
            return try tellPending()
        } catch {
            logger.error("could not tell what happened; trying again at the next round",
                         metadata: ["error": "\((error as? LocalizedError)?.errorDescription ?? "\(error)")"])
            return nil
        }
    }

    /// Time and the user still allow telling more.
    private var mayGoOn: Bool { shouldContinue() && Date().timeIntervalSince(started) < Self.budget }

    private func tellPending() throws -> Date? {
        var next: Date?
        // A flush of thousands of notes leaves thousands of `sent` events: in rounds of 500.
        for _ in 0..<100 where mayGoOn {
            let (more, digest) = try tellRound()
            next = digest
            if !more { break }
        }
        return next
    }

    /// One round of at most `Self.round` events; whether more may wait, and the next digest.
    private func tellRound() throws -> (more: Bool, nextDigest: Date?) {
        let settings = config.notify
        var pending: [EventRecord.Channel: [EventRecord]] = [:]
        var skips: [String: [EventRecord.Channel: [Int64]]] = [:]
        var repliedSeen = Set<String>()
        let events = try store.pendingEvents(limit: Self.round)
        for event in events {
            let verdict = try judge(event, settings: settings, repliedSeen: &repliedSeen)
            for channel in EventRecord.Channel.allCases where event.outcome(channel) == nil {
                switch verdict {
                case .skip(let why): skips[why, default: [:]][channel, default: []].append(event.id)
                case .tell:
                    if isOn(channel, settings) { pending[channel, default: []].append(event) }
                    else { skips["off", default: [:]][channel, default: []].append(event.id) }
                }
            }
        }
        for (why, channels) in skips {
            for (channel, ids) in channels { try store.markEvents(ids, channel, why) }
        }
        if let items = pending[.desktop], mayGoOn { try tellDesktop(items) }
        if let items = pending[.command], let argv = settings.command, mayGoOn { try tellCommand(items, argv: argv, timeout: settings.timeout) }
        var digest: Date?
        if let items = pending[.email], let address = settings.email, mayGoOn {
            digest = try tellEmail(items, to: address)
            // Held back by the hourly limit: those events stay pending; no use reading them again now.
            if digest != nil { return (false, digest) }
        }
        return (events.count == Self.round, digest)
    }

    /// Events read per round.
    static let round = 500

    private enum Verdict { case tell(Notice), skip(String) }

    /// What to do with `event` now: tell it, or why not. Asked again right before each
    /// channel tells it, so a note resolved meanwhile (`confirm`, `retry`) is not told.
    private func judge(_ event: EventRecord, settings: NotifySettings, repliedSeen: inout Set<String>) throws -> Verdict {
        // News that is off costs no reads (a flush of many notes records one `sent` each).
        if event.state == MessageState.sent.rawValue && !settings.sent { return .skip("off") }
        let (message, interview) = try store.subjects(of: event)
        guard let messageID = event.messageId else {
            let kind = AttentionKind(rawValue: event.state) ?? .paused
            if kind == .mailbox, let interview {
                if !(interview.mailboxNote ?? "").hasPrefix(QueueStore.mailboxFailedPrefix) { return .skip("resolved") }
                // A follow-up it held says the same, and names the note.
                if try store.messages(interview: interview.id).contains(where: { AttentionKind.of($0) == .mailbox }) { return .skip("told with its follow-up") }
            }
            return .tell(Notice.general(kind, detail: event.detail, interview: interview, at: event.at))
        }
        guard let message else { return .skip("gone") }
        guard let state = MessageState(rawValue: event.state),
              let kind = AttentionKind.of(state: state, text: event.detail, isFollowUp: message.isFollowUp) else { return .skip("none") }
        if kind == .sent && !settings.sent { return .skip("off") }
        // A newer event about the same note says what is true now.
        if try store.latestEventID(message: messageID) != event.id { return .skip("superseded") }
        // Resolved before it was told: the note no longer waits on the user in this way.
        if kind.needsYou && AttentionKind.of(message) != kind { return .skip("resolved") }
        if kind == .replied {
            // One "they replied" per interview, however many follow-ups it cancelled.
            guard repliedSeen.insert(message.interviewId).inserted else { return .skip("same reply") }
        }
        return .tell(Notice.about(message, kind: kind, detail: event.detail, interview: interview, at: event.at))
    }

    /// The notice for `event` if it still holds now; otherwise it is marked on `channel` with why not.
    private func current(_ event: EventRecord, _ channel: EventRecord.Channel) throws -> Notice? {
        var seen = Set<String>()
        switch try judge(event, settings: config.notify, repliedSeen: &seen) {
        case .tell(let notice): return notice
        case .skip(let why):
            try store.markEvents([event.id], channel, why)
            return nil
        }
    }

    private func isOn(_ channel: EventRecord.Channel, _ settings: NotifySettings) -> Bool {
        switch channel {
        case .desktop: return settings.desktop
        case .email: return settings.email != nil
        case .command: return settings.command != nil
        }
    }

    // MARK: - Desktop

    private func tellDesktop(_ events: [EventRecord]) throws {
        var items: [(EventRecord, Notice)] = []
        for event in events { if let notice = try current(event, .desktop) { items.append((event, notice)) } }
        guard !items.isEmpty else { return }
        let markup: Bool
        switch desktopReadsMarkup() {
        case .success(let reads): markup = reads
        case .failure(let failure):
            // No server to ask: the same as to show; told below the same way.
            markup = true
            if case .unavailable = failure {
                try store.markEvents(items.map(\.0.id), .desktop, "unavailable")
                sayUnavailable(failure)
                return
            }
        }
        let burst = items.count > Self.desktopBurst
        let shown: [(ids: [Int64], notice: Notice)] = burst
            ? [(items.map(\.0.id), Self.burstNotice(items.map(\.1)))]
            : items.map { ([$0.0.id], $0.1) }
        for (ids, notice) in shown {
            guard mayGoOn else { return }
            heartbeat()
            switch showOnDesktop(notice, markup) {
            case .success:
                try store.markEvents(ids, .desktop, "told")
                logger.info("told on the desktop", metadata: ["event": "\(notice.kind.rawValue)", "mail.id": "\(notice.id ?? "-")"])
            case .failure(.unavailable(let why)):
                try store.markEvents(ids, .desktop, "unavailable")
                sayUnavailable(.unavailable(why))
            case .failure(.failed(let why)):
                try store.markEvents(ids, .desktop, "failed: \(why.prefix(200))")
                logger.warning("the desktop notification failed; not tried again", metadata: ["event": "\(notice.kind.rawValue)", "error": "\(why)"])
                // A server that timed out once will time out again: the rest wait for the next round.
                return
            }
        }
    }

    private func sayUnavailable(_ failure: NoticeFailure) {
        if !Self.saidUnavailable.exchange(true) {
            logger.info("no desktop to notify (fine on a server; `fuq doctor` says more)", metadata: ["reason": "\(failure)"])
        }
    }

    /// Many at once: one notification that counts them and names the first few.
    static func burstNotice(_ notices: [Notice]) -> Notice {
        var notice = notices[0]
        let needing = notices.filter { $0.kind.needsYou }.count
        notice.kind = notices.first { $0.kind.isCritical }?.kind ?? notices[0].kind
        notice.id = nil
        notice.to = ""
        notice.summary = needing > 0 ? "\(needing) of your notes need you" : "\(notices.count) updates on your notes"
        notice.body = notices.prefix(4).map { "• \($0.summary)" }.joined(separator: "\n")
            + (notices.count > 4 ? "\n… and \(notices.count - 4) more." : "") + "\nRun fuq status to see each with its command."
        notice.action = "fuq status"
        return notice
    }

    // MARK: - Command

    private func tellCommand(_ events: [EventRecord], argv: [String], timeout: TimeInterval) throws {
        var lastBeat = Date.distantPast
        for event in events {
            guard mayGoOn else { return }
            guard let notice = try current(event, .command) else { continue }
            let run = CommandChannel.run(argv, extra: CommandChannel.environment(notice), input: CommandChannel.json(notice), timeout: timeout,
                                         shouldContinue: shouldContinue, tick: { [heartbeat] in
                                             if Date().timeIntervalSince(lastBeat) >= 5 { heartbeat(); lastBeat = Date() }
                                         })
            let outcome: String
            switch run {
            case .success(let run) where run.interrupted:
                // Stopped with fuq: not told; the next start tells it.
                logger.notice("notify.command stopped with fuq; it runs again at the next start", metadata: ["mail.id": "\(notice.id ?? "-")"])
                return
            case .success(let run) where run.status == 0:
                try store.markEvents([event.id], .command, "told")
                logger.info("notify.command told", metadata: ["event": "\(notice.kind.rawValue)", "mail.id": "\(notice.id ?? "-")",
                                                              "output": "\(run.output)"])
                continue
            case .success(let run):
                outcome = run.status.map { "exit \($0)" } ?? "timed out after \(Int(timeout)) s"
                logger.warning("notify.command did not succeed; not run again for this event",
                               metadata: ["event": "\(notice.kind.rawValue)", "mail.id": "\(notice.id ?? "-")", "outcome": "\(outcome)",
                                          "output": "\(run.output)"])
            case .failure(let failure):
                outcome = "\(failure)"
                logger.warning("notify.command could not run", metadata: ["error": "\(failure)"])
            }
            try store.markEvents([event.id], .command, outcome)
        }
    }

    // MARK: - Email

    private func tellEmail(_ events: [EventRecord], to address: String) throws -> Date? {
        let now = now()
        if let last = try store.lastDigest(), now < last.addingTimeInterval(NotifySettings.digestInterval) {
            return last.addingTimeInterval(NotifySettings.digestInterval)
        }
        var items: [(EventRecord, Notice)] = []
        for event in events { if let notice = try current(event, .email) { items.append((event, notice)) } }
        guard !items.isEmpty else { return nil }
        heartbeat()
        let ids = items.map(\.0.id)
        switch sendDigest(items.map(\.1), to: address, now: now) {
        case .told: try store.markEvents(ids, .email, "told", emailAt: now)
        case .refused(let why): try store.markEvents(ids, .email, why, emailAt: now)
        case .later(let why):
            // The server could not be reached, or said "later": the next digest slot tries again,
            // at most `digestTries` times in all.
            try store.deferDigest(ids, at: now, giveUpAfter: Self.digestTries, outcome: why)
        }
        return nil
    }

    private enum DigestOutcome { case told, refused(String), later(String) }

    /// Sends one digest straight through the SMTP account (never through the queue, so never
    /// behind the notes it reports on).
    private func sendDigest(_ notices: [Notice], to address: String, now: Date) -> DigestOutcome {
        // Never to anyone fuq writes to on the user's behalf.
        if (try? store.isRecipient(address)) == true {
            logger.error("notify.email is the address of someone you write to; no digest sent. Set notify.email to your own address",
                         metadata: ["notify.email": "\(address)"])
            return .refused("refused: notify.email is a recipient")
        }
        guard let from = config.sender.email else {
            logger.error("no digest sent: sender.email is not set")
            return .refused("failed: sender.email is not set")
        }
        let zone = SystemZone.read().displayZone
        let message = OutgoingMessage(from: .init(name: "fuq", email: from), to: .init(name: config.sender.name, email: address),
                                      subject: DigestMail.subject(notices), date: now,
                                      messageID: "<fuq-digest-\(UUID().uuidString.lowercased())@\(from.split(separator: "@").last ?? "localhost")>",
                                      body: DigestMail.body(notices, zone: zone))
        let result: DeliveryResult
        do {
            let transport = try makeTransport(config.smtp)
            result = transport.send(Envelope(from: from, recipients: [address], data: MIMEComposer.render(message, zone: zone)))
        } catch {
            let text = (error as? LocalizedError)?.errorDescription ?? "\(error)"
            logger.warning("the digest to yourself could not be sent; tried again in an hour", metadata: ["error": "\(text)"])
            return .later("failed: \(text.prefix(200))")
        }
        switch result.outcome {
        case .sent:
            logger.info("digest sent to yourself", metadata: ["items": "\(notices.count)", "to": "\(address)"])
            return .told
        case .failed:
            logger.warning("the digest to yourself was refused; not tried again",
                           metadata: ["smtp.code": "\(result.code.map(String.init) ?? "-")", "smtp.reply": "\(result.text)"])
            return .refused("failed: \(result.code.map { "\($0) " } ?? "")\(result.text.prefix(200))")
        case .uncertain:
            // It may have arrived: never sent twice.
            logger.warning("the digest to yourself may or may not have arrived; not sent again", metadata: ["smtp.reply": "\(result.text)"])
            return .refused("uncertain: \(result.text.prefix(200))")
        case .deferred, .held:
            logger.warning("the digest to yourself was not accepted; tried again in an hour",
                           metadata: ["smtp.code": "\(result.code.map(String.init) ?? "-")", "smtp.reply": "\(result.text)"])
            return .later("failed: \(result.code.map { "\($0) " } ?? "")\(result.text.prefix(200))")
        }
    }
}

/// A value shared between threads behind a lock.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func exchange(_ new: Value) -> Value { lock.withLock { let old = value; value = new; return old } }
}

extension QueueStore {
    /// Whether `address` is the recipient of any note in the queue.
    public func isRecipient(_ address: String) throws -> Bool {
        try read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM message WHERE recipientEmail = ? COLLATE NOCASE)", arguments: [address]) ?? false
        }
    }
}
