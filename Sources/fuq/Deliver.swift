import ArgumentParser
import Foundation
import FuqCore
import Logging

/// Shared set-up for the commands that deliver.
struct DeliverySession {
    let config: FuqConfig
    let store: QueueStore
    let lock: DeliveryLock
    var runner: DeliveryRunner
    /// Follow-ups leave only after a reply check (or the user's go-ahead).
    let gate: FollowUpGate
    /// With `imap:` set, stores a copy of each sent note in the Sent folder (one IMAP session
    /// for the run, opened at the first sent note).
    let copier: SentCopier?
    /// Tells the user what the run recorded for them (`notify:`); a flush from cron has no
    /// terminal to print to.
    let teller: Teller

    init(global: GlobalOptions, command: String) throws {
        config = try global.loadDeliveryConfig()
        store = try global.openQueue(config)
        lock = try DeliveryLock(queuePath: config.queuePath, role: command)
        let password = try PasswordSource.resolve(config.smtp)
        // smtp.connections handles, each its own connection (opened on its first note).
        let smtp = config.smtp
        let transports: [MailTransport] = try (0..<smtp.connections).map { _ in
            try CurlSMTPTransport(settings: smtp, password: password)
        }
        var logger = Logger(label: "fuq") { JournalLogHandler(label: $0) }
        logger.logLevel = global.level(default: .warning)
        runner = DeliveryRunner(store: store, transports: transports, sender: config.sender, logger: logger)
        runner.policy = config.policy
        gate = FollowUpGate.make(store: store, config: config, logger: logger)
        copier = config.imap.map { SentCopier(config: $0, smtp: smtp) }
        teller = Teller(store: store, config: config, logger: logger, now: { Date() },
                        makeTransport: { smtp in try CurlSMTPTransport(settings: smtp, password: password) },
                        shouldContinue: { Interruption.signal == nil })
        Interruption.install()
        for m in try store.recoverInterrupted(now: Date()) {
            FileHandle.standardError.write(Data("fuq: \(m.id) to \(Display.safe(m.recipientEmail)) was interrupted while sending; it is now uncertain (see `fuq show \(m.id)`)\n".utf8))
        }
    }

    /// Delivers the messages, earliest first, over `smtp.connections` connections, printing a line per outcome;
    /// returns how many were not sent. A `held` outcome stops the run (see `DeliveryRunner`).
    /// - Parameter released: follow-ups the user asked to send now (their go-ahead).
    func deliverAll(_ due: [String], released: Set<String> = []) throws -> Int {
        let (ids, stopped) = try gate.clear(due, released: released)
        for stop in stopped {
            let m = stop.message
            print("\(m.state.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(m.id) to \(Display.safe(m.recipientEmail)): \(Display.safe(stop.text))")
        }
        // A follow-up waiting for the user's word is no failure of this run; one the mailbox
        // could not be checked for is.
        let notSent = stopped.filter { $0.text.hasPrefix(FollowUpGate.uncheckedPrefix) }.count
        guard !ids.isEmpty else { return notSent }
        var sent = 0
        let end = try runner.deliverAll(ids, shouldContinue: { Interruption.signal == nil }) { report in
            print(Self.line(report.message))
            if report.message.state == .sent { sent += 1 }
            if let problem = copier?.keep(report) {
                FileHandle.standardError.write(Data("fuq: warning: \(Display.safe(problem))\n".utf8))
            }
        }
        let untried = end.untried.count
        switch end.stop {
        case nil: break
        case .held(let id):
            print("stopped   \(untried) more not tried: the same problem would refuse them. Fix it (`fuq doctor` helps), then `fuq retry \(id)` and send again.")
        case .serverStopped(let host, _):
            print("stopped   \(untried) more not tried: the server \(Display.safe(host)) stopped answering, so they keep their state. "
                + "`fuq doctor` checks the server; `fuq flush` (or the daemon) tries each again when it is due, `fuq send-now ID` at once.")
        case .asked:
            let signal = Interruption.signal == SIGINT ? "Ctrl-C (SIGINT)" : "SIGTERM"
            print("stopped   by \(signal): \(untried) more not tried; they keep their state. `fuq status` shows them.")
        }
        return ids.count - sent + notSent
    }

    /// With `imap:` set, the `uncertain` notes found in the mailbox (Sent, or a watched folder)
    /// are recorded as sent, one line each. A mailbox that cannot be read is one warning line:
    /// the notes stay uncertain.
    func resolveUncertainFromMailbox() {
        guard let imap = config.imap else { return }
        do {
            let resolved = try SentSearch.resolveUncertain(in: store, config: imap, now: Date(), policy: config.policy) { try MailboxSession.open(imap, smtp: config.smtp) }
            for m in resolved { print(Self.line(m)) }
        } catch {
            let why = (error as? LocalizedError)?.errorDescription ?? "\(error)"
            FileHandle.standardError.write(Data("fuq: warning: could not look for the uncertain notes in your mailbox; they stay uncertain: \(Display.safe(why))\n".utf8))
        }
    }

    /// One line per outcome, from the message as recorded (the server's words are in
    /// `serverReply` when sent, `lastError` otherwise).
    static func line(_ m: MessageRecord) -> String {
        switch m.state {
        case .sent: return "sent      \(m.id) to \(Display.safe(m.recipientName)) <\(Display.safe(m.recipientEmail))>: \(Display.safe(m.serverReply ?? ""))"
        case .deferred: return "deferred  \(m.id) to \(Display.safe(m.recipientEmail)): \(Display.safe(m.lastError ?? "")); next try \(Display.relative(m.due, now: Date()))"
        default: return "\(m.state.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(m.id) to \(Display.safe(m.recipientEmail)): \(Display.safe(m.lastError ?? m.state.advice))"
        }
    }
}

extension Fuq {
    struct SendNow: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "send-now", abstract: "Deliver these messages now, ignoring their send window.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Message ids (or unique prefixes).") var ids: [String]
        @Flag(name: .customLong("before-end"),
              help: "Send a thank-you even though its interview has not ended yet (when the interview was cut short).")
        var beforeEnd = false

        func run() async throws {
            var failures = 0
            try reportingErrors {
                let config = try global.loadConfig()
                let store = try global.openQueue(config)
                // Every id is checked before anything is sent: a typo or a sent note fails the command first.
                let messages = try ids.map { try store.message($0) }
                for m in messages where !m.state.successors.contains(.sending) {
                    throw QueueError.invalidTransition(id: m.id, from: m.state, action: "send", advice: FollowUpAdvice.nextStep(m))
                }
                // A thank-you goes after the interview, as `--at` and `reschedule` insist.
                let now = Date()
                for m in messages where !m.isFollowUp && !beforeEnd {
                    guard let interview = try store.interview(m.interviewId), interview.endsAt > now else { continue }
                    let zone = DateFormatting.zone(interview.timezone)
                    throw QueueError.invalidTransition(id: m.id, from: m.state, action: "send",
                        advice: "Its interview has not ended yet: it ends \(Display.moment(interview.endsAt, zone: zone, now: now)) "
                            + "(\(Display.relative(interview.endsAt, now: now))), and a thank-you sent before the end reads as written in advance. "
                            + "If the interview ended early, `fuq send-now \(m.id) --before-end` sends it anyway; nothing was sent.")
                }
                // A follow-up goes only after the note it follows: refused before anything changes.
                for m in messages where m.isFollowUp {
                    if let parentID = m.inReplyTo, let parent = try? store.message(parentID), parent.state != .sent,
                       !messages.contains(where: { $0.id == parentID }) {
                        throw QueueError.invalidTransition(id: m.id, from: m.state, action: "send",
                                                           advice: "It follows \(parent.isFollowUp ? "the first follow-up" : "the thank-you") \(parent.id), which has not been sent (\(parent.state.rawValue)); a follow-up goes only after it.")
                    }
                }
                let session: DeliverySession
                do {
                    session = try DeliverySession(global: global, command: "send-now")
                } catch DeliveryError.busy(_, let holder?) where holder.isDaemon {
                    failures = try Self.handToDaemon(messages, store: store, wait: config.smtp.connectTimeout + config.smtp.messageTimeout)
                    return
                }
                failures = try session.deliverAll(messages.map(\.id), released: Set(messages.filter(\.isFollowUp).map(\.id)))
            }
            if let status = Interruption.exitStatus { throw ExitCode(status) }
            if failures > 0 { throw ExitCode(Exit.tempFail) }
        }

        /// The daemon (or another delivery run) owns delivery: make the notes due now, which
        /// wakes the daemon at once, and report what becomes of them.
        static func handToDaemon(_ messages: [MessageRecord], store: QueueStore, wait: TimeInterval) throws -> Int {
            let now = Date()
            for m in messages {
                try store.update(m.id, to: .scheduled, action: "send now", now: now) {
                    $0.releaseNow(now, reason: "you asked to send it now (`fuq send-now`) at \(Display.moment(now, zone: m.zone)); handed to the running daemon")
                    if $0.isFollowUp { $0.giveGoAhead(at: now) }
                }
            }
            print("The daemon is delivering from this queue; handed \(messages.count) note(s) to it.")
            var waiting = Set(messages.map(\.id))
            var failures = 0
            let deadline = Date().addingTimeInterval(min(wait, 120))
            while !waiting.isEmpty && Date() < deadline {
                usleep(100_000)
                for id in waiting.sorted() {
                    let m = try store.message(id)
                    guard m.state != .scheduled && m.state != .sending else { continue }
                    waiting.remove(id)
                    if m.state != .sent { failures += 1 }
                    print(DeliverySession.line(m))
                }
            }
            for id in waiting.sorted() {
                print("waiting   \(id): the daemon has not reported yet; `fuq status \(id)` shows the outcome")
            }
            return failures + waiting.count
        }
    }

    struct Flush: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Deliver every message that is due (scheduled or deferred) now, over smtp.connections connections (default 2).")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            var failures = 0
            try reportingErrors {
                let session: DeliverySession
                do {
                    session = try DeliverySession(global: global, command: "flush")
                } catch DeliveryError.busy(_, let holder?) where holder.isDaemon {
                    if let reason = holder.paused {
                        print("The daemon (pid \(holder.pid)) delivers from this queue but has paused: \(reason). "
                            + "Fix that, then `fuq retry ID` or `fuq send-now ID` (the daemon sends it), or `systemctl --user reload fuq`.")
                        failures = 1
                        return
                    }
                    print("The daemon is running and sends due notes itself; nothing to do. `fuq status` shows what is waiting.")
                    return
                }
                session.resolveUncertainFromMailbox()
                // Rule 7 applies here too (flush may be run from cron after the machine was off).
                let due = try session.store.takeDue(now: Date(), policy: session.config.policy)
                Display.warnDamaged(due.unreadable)
                for m in due.moved { print("moved     \(m.id) to \(Display.safe(m.recipientEmail)): \(Display.safe(m.reason))") }
                for m in due.expired { print("expired   \(m.id) to \(Display.safe(m.recipientEmail)): \(Display.safe(m.lastError ?? "")) — \(m.state.advice.replacingOccurrences(of: " ID", with: " \(m.id)"))") }
                if due.send.isEmpty && due.moved.isEmpty && due.expired.isEmpty {
                    print("Nothing is due. `fuq status` shows what is waiting.")
                }
                failures = try session.deliverAll(due.send) + due.expired.count
                session.teller.tell()
            }
            if let status = Interruption.exitStatus { throw ExitCode(status) }
            if failures > 0 { throw ExitCode(Exit.tempFail) }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Release deferred, failed, held, expired or uncertain messages again (same Message-ID).",
            discussion: """
                A released note goes now when it is inside a send window on the reader's clock, \
                otherwise at their next window (never at night for them); `fuq send-now ID` sends \
                at once whatever the hour. A scheduled note is not retried: it keeps its time.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Message ids (or unique prefixes).") var ids: [String]

        func run() async throws {
            try reportingErrors {
                let config = try global.loadConfig()
                let (store, messages) = try global.openQueue(resolving: ids)
                let now = Date()
                // Every id is checked before any is released: a scheduled note is not retried
                // (that would send it now, perhaps at night for the reader).
                for m in messages where !MessageState.retryable.contains(m.state) {
                    // Before the interview has ended, send-now itself asks for --before-end: say so here.
                    let early = (m.decodedContext?.interviewEnd).map { $0 > now && !m.isFollowUp } ?? false
                    let advice = m.state == .scheduled
                        ? "It leaves at its due time; to send it now anyway, `fuq send-now \(m.id)\(early ? " --before-end" : "")`"
                            + (early ? " (the interview has not ended yet)." : ".")
                        : "`fuq retry` releases deferred, failed, held, expired or uncertain notes. " + m.state.nextStep(for: m.id)
                    throw QueueError.invalidTransition(id: m.id, from: m.state, action: "retry", advice: advice)
                }
                for m in messages {
                    let due = config.policy.releaseTime(now: now, zone: m.zone, interviewEnd: m.decodedContext?.interviewEnd ?? m.createdAt,
                                                        seed: stableHash(m.id))
                    var when = "it goes with the next `fuq flush` (or the daemon) now"
                    if m.isFollowUp { when = "this is your go-ahead for the follow-up (as `fuq confirm`); " + when }
                    var reason = "released by `fuq retry` at \(Display.moment(now, zone: m.zone)); was \(m.state.rawValue)"
                    if due > now {
                        when = "it is outside the reader's send windows now, so it goes at their next one, \(Display.dueBoth(due, recipientZone: m.zone, now: now)); `fuq send-now \(m.id)` sends it at once"
                        reason += "; outside the reader's windows, so at their next one"
                    }
                    // `m` is the message before the change: its state is the one being left.
                    try store.update(m.id, to: .scheduled, from: MessageState.retryable, action: "retry", now: now) {
                        $0.releaseNow(now, at: due, reason: reason)
                        // For a follow-up, the user's go-ahead (a colleague's mail seen so far no longer holds it).
                        if $0.isFollowUp { $0.giveGoAhead(at: now) }
                    }
                    print("Released \(m.id) to \(Display.safe(m.recipientEmail)): \(when).")
                }
            }
        }
    }

    struct MarkSent: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "mark-sent", abstract: "Record that an uncertain message did go out, so it is never resent.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Message ids (or unique prefixes).") var ids: [String]

        func run() async throws {
            try reportingErrors {
                let config = try global.loadConfig()
                let (store, messages) = try global.openQueue(resolving: ids)
                let now = Date()
                for m in messages {
                    // A note a running flush or daemon is sending has no answer yet: its result
                    // is on the way and would overwrite this (second adversarial pass, N10).
                    if m.state == .sending, DeliveryLock.currentHolder(queuePath: config.queuePath) != nil {
                        throw QueueError.invalidTransition(id: m.id, from: m.state, action: "mark as sent",
                                                           advice: "It is being sent right now; `fuq show \(m.id)` says in a moment what the server answered.")
                    }
                    // Its follow-ups then count their week from now.
                    if !m.state.successors.contains(.sent) {
                        throw QueueError.invalidTransition(id: m.id, from: m.state, action: "mark as sent", advice: FollowUpAdvice.nextStep(m))
                    }
                    try store.update(m.id, to: .sent, action: "mark as sent", now: now, policy: config.policy) { record in
                        record.sentAt = now
                        record.serverReply = "marked sent by the user"
                    }
                    print("Marked \(m.id) to \(Display.safe(m.recipientEmail)) as sent.")
                }
            }
        }
    }
}
