import Foundation
import Logging

/// What stands between a due follow-up and the wire: it leaves only after its thank-you went
/// out, never once they replied, and — with `imap` configured — only after a reply check that
/// succeeded moments before; without `imap`, only with the user's go-ahead (`fuq confirm`)
/// or `follow_up.send_unless_cancelled`. A follow-up that must not go is held (or cancelled)
/// durably, with the reason `status` shows. Silence is the safe default, never a blind send.
public struct FollowUpGate {
    public var store: QueueStore
    public var config: FuqConfig
    /// Opens the user's mailbox; nil when `imap` is not configured.
    public var openMailbox: (() throws -> MailboxReader)?
    /// Where replies are looked for (`imap.folders`).
    public var folders: [String]
    public var now: () -> Date
    public var logger: Logger

    public init(store: QueueStore, config: FuqConfig, openMailbox: (() throws -> MailboxReader)?, folders: [String] = ["INBOX"],
                now: @escaping () -> Date = Date.init, logger: Logger) {
        self.store = store
        self.config = config
        self.openMailbox = openMailbox
        self.folders = folders
        self.now = now
        self.logger = logger
    }

    /// How the reason of a follow-up held by a failed reply check begins.
    public static let uncheckedPrefix = "could not check your mailbox for a reply"
    /// How the reason of a follow-up held for the user's go-ahead begins.
    public static let goAheadPrefix = "waiting for your go-ahead"
    /// What the reason of a follow-up held because someone else at the company wrote says.
    public static let colleagueMarker = "that may be the answer"

    /// What the gate (or a reply check) did to a note, for the CLI and the log.
    public struct Stop: Sendable {
        public var message: MessageRecord
        /// Why, in the user's words (also stored with the note).
        public var text: String
    }

    /// Without a mailbox to read, a follow-up goes only with this: the user's go-ahead
    /// (`fuq confirm`), or `follow_up.send_unless_cancelled`.
    public static func hasGoAhead(_ m: MessageRecord, config: FuqConfig) -> Bool {
        m.confirmedAt != nil || config.followUp.sendUnlessCancelled
    }

    /// Of the due `ids`, those that may leave now; every follow-up among them that may not is
    /// held or cancelled first. Thank-yous pass untouched.
    ///
    /// - Parameter released: follow-ups the user asked to send now (`fuq send-now`): that is
    ///   their go-ahead (the reply check still runs).
    public func clear(_ ids: [String], released: Set<String> = []) throws -> (send: [String], stopped: [Stop]) {
        var send: [String] = []
        var stopped: [Stop] = []
        var byInterview: [String: [MessageRecord]] = [:]
        var order: [String] = []
        let followUps = try store.followUpIDs(among: ids)
        for id in ids {
            guard followUps.contains(id) else {
                send.append(id)
                continue
            }
            // A follow-up that cannot be read back is never let through unchecked.
            guard let m = try? store.message(id) else { continue }
            if byInterview[m.interviewId] == nil { order.append(m.interviewId) }
            byInterview[m.interviewId, default: []].append(m)
        }
        var mailbox: MailboxReader?
        var mailboxError: Error?
        for interviewID in order {
            let due = byInterview[interviewID] ?? []
            let (cleared, stops) = try clearInterview(interviewID, due, released: released) { () throws -> MailboxReader in
                if let mailbox { return mailbox }
                if let mailboxError { throw mailboxError }
                do {
                    guard let open = openMailbox else { throw MailboxError.settings("imap is not configured") }
                    mailbox = OneFailureMailbox(try open())
                    return mailbox!
                } catch {
                    mailboxError = error
                    throw error
                }
            }
            send += cleared
            stopped += stops
        }
        // Keep the caller's order (earliest due first).
        let allowed = Set(send)
        return (ids.filter { allowed.contains($0) }, stopped)
    }

    private func clearInterview(_ interviewID: String, _ due: [MessageRecord], released: Set<String>,
                                mailbox: () throws -> MailboxReader) throws -> ([String], [Stop]) {
        var stops: [Stop] = []
        var candidates: [MessageRecord] = []
        let interview = try store.interview(interviewID)
        let notes = try store.messages(interview: interviewID)
        for m in due {
            let parent = m.inReplyTo.flatMap { id in notes.first { $0.id == id } }
            if let interview, interview.repliedAt != nil {
                try stop(m, .cancelled, "they replied: \(interview.replyNote ?? "see `fuq show`")", into: &stops)
            } else if let parent, parent.state == .cancelled {
                try stop(m, .cancelled, "its \(parent.isFollowUp ? "first follow-up" : "thank-you") \(parent.id) was cancelled", into: &stops)
            } else if let parent, parent.state == .bounced {
                try stop(m, .held, "its thank-you \(parent.id) bounced: the address is wrong. `fuq show \(parent.id)` has the report; "
                    + "`fuq cancel \(m.id)` drops this follow-up", into: &stops)
            } else if let parent, parent.state != .sent {
                try stop(m, .held, "\(QueueStore.waitsForParent) \(parent.id), which is \(parent.state.rawValue): a follow-up goes only "
                    + "after the note it follows; it is planned again when that one is sent", into: &stops)
            } else {
                candidates.append(m)
            }
        }
        guard !candidates.isEmpty, let interview else { return (candidates.map(\.id), stops) }
        guard openMailbox != nil else {
            var cleared: [String] = []
            for m in candidates {
                if Self.hasGoAhead(m, config: config) || released.contains(m.id) {
                    cleared.append(m.id)
                } else {
                    try stop(m, .held, "\(Self.goAheadPrefix): fuq has no mailbox to check for a reply (no `imap:` in the config). "
                        + "If nobody has answered, `fuq confirm \(m.id)`; if someone has, `fuq replied \(m.id)`", into: &stops)
                }
            }
            try refreshSubjects(cleared)
            return (cleared, stops)
        }
        let outcome = ReplyCheck(store: store, config: config, folders: folders, now: now, logger: logger)
            .run(interview, notes: notes, mailbox: mailbox)
        stops += outcome.stops
        // A bounce found just now holds the follow-ups waiting for that note.
        candidates = try candidates.filter { MessageState.deliverable.contains(try store.message($0.id).state) }
        switch outcome.result {
        case .failed(let text):
            for m in candidates {
                try stop(m, .held, "\(Self.uncheckedPrefix) (\(text)); a follow-up never goes out unchecked. "
                    + "Fix it (`fuq doctor`), then `fuq retry \(m.id)`", into: &stops)
            }
            return ([], stops)
        case .replied:
            return ([], stops)
        case .colleague(let mail):
            var cleared: [String] = []
            for m in candidates {
                // A go-ahead covers the messages fuq had shown when it was given, by identity:
                // any other (whatever its date says) holds the follow-up again.
                let covered = m.acknowledgedMailKeys
                guard let latest = mail.filter({ !covered.contains($0.key) }).last else {
                    cleared.append(m.id)
                    continue
                }
                let when = DateFormatting.formatter("EEE d MMM", m.zone).string(from: latest.at)
                let again = m.confirmedAt == nil ? "" : " since your go-ahead"
                try stop(m, .held, "\(latest.address) wrote\(again) on \(when) (\"\(TextSafety.printable(latest.subject))\"); \(Self.colleagueMarker). "
                    + "`fuq replied \(m.id)` if it was, `fuq confirm \(m.id)` to send the follow-up anyway",
                    colleagueMail: mail.map(\.key), into: &stops)
            }
            try refreshSubjects(cleared)
            return (cleared, stops)
        case .silence:
            let ids = candidates.map(\.id)
            try refreshSubjects(ids)
            return (ids, stops)
        }
    }

    private func refreshSubjects(_ ids: [String]) throws {
        for id in ids { try store.refreshReplySubject(id, now: now()) }
    }

    private func stop(_ m: MessageRecord, _ state: MessageState, _ text: String, colleagueMail: [String]? = nil,
                      into stops: inout [Stop]) throws {
        guard let changed = try store.stopFollowUp(m.id, to: state, text: text, colleagueMail: colleagueMail, now: now()) else { return }
        logger.notice(state == .cancelled ? "follow-up cancelled" : "follow-up held",
                      metadata: ["mail.id": "\(m.id)", "mail.to": "\(m.recipientEmail)", "reason": "\(text)"])
        stops.append(Stop(message: changed, text: text))
    }
}

/// One reply check for one interview, with its consequences made durable: bounced thank-yous
/// marked, follow-ups cancelled when they replied, and the check itself recorded on the
/// interview (when, and what it found) for `status`.
public struct ReplyCheck {
    public var store: QueueStore
    public var config: FuqConfig
    public var folders: [String]
    public var now: () -> Date
    public var logger: Logger

    public init(store: QueueStore, config: FuqConfig, folders: [String], now: @escaping () -> Date = Date.init, logger: Logger) {
        self.store = store
        self.config = config
        self.folders = folders
        self.now = now
        self.logger = logger
    }

    public enum Result: Sendable, Equatable {
        case replied(note: String)
        /// Someone else at the company wrote: every such message, oldest first.
        case colleague([MailboxReport.ColleagueMail])
        case silence
        case failed(String)
    }

    /// What fuq watches for this interview: answers to any of its sent notes, or mail from its
    /// people or from the company's domain.
    public static func watch(_ interview: InterviewRecord, notes: [MessageRecord], sender: Sender) -> ReplyWatch? {
        let sent = notes.filter { $0.state == .sent || $0.state == .bounced }
        guard let first = sent.compactMap(\.sentAt).min() else { return nil }
        let lead = notes.first { $0.isFollowUp } ?? notes.first { $0.isLead } ?? notes.first
        let domain = lead.map { EmailAddress.domain(of: $0.recipientEmail) } ?? ""
        return ReplyWatch(thankYouMessageIDs: sent.map(\.messageId), interviewerAddresses: Array(Set(notes.map { $0.recipientEmail.lowercased() })).sorted(),
                          companyDomain: domain, ownAddresses: [sender.email, sender.replyTo].compactMap { $0 },
                          interviewEnded: interview.endsAt, thankYouSent: first)
    }

    public func run(_ interview: InterviewRecord, notes: [MessageRecord], mailbox: () throws -> MailboxReader) -> (result: Result, stops: [FollowUpGate.Stop]) {
        let checkedAt = now()
        guard let watch = Self.watch(interview, notes: notes, sender: config.sender) else { return (.silence, []) }
        let report: MailboxReport
        do {
            report = try MailboxCheck.run(watch, folders: folders, reader: try mailbox(), now: checkedAt)
        } catch {
            let text = (error as? LocalizedError)?.errorDescription ?? "\(error)"
            logger.warning("reply check failed", metadata: ["interview": "\(interview.id)", "error": "\(text)"])
            try? store.recordMailboxCheck(interview: interview.id, at: checkedAt, note: "\(QueueStore.mailboxFailedPrefix): \(text)")
            return (.failed(text), [])
        }
        var stops: [FollowUpGate.Stop] = []
        do {
            if !report.bouncedMessageIDs.isEmpty {
                for m in try store.markBounced(messageIDs: report.bouncedMessageIDs, report: "the recipient's server returned it (a delivery report in your mailbox)", now: checkedAt) {
                    logger.error("a sent note bounced: the address is wrong", metadata: ["mail.id": "\(m.id)", "mail.to": "\(m.recipientEmail)"])
                    stops.append(.init(message: m, text: "bounced: \(m.recipientEmail) did not accept it"))
                }
            }
            let zone = TimeZone(identifier: interview.timezone) ?? .gmt
            let fmt = DateFormatting.formatter("EEE d MMM HH:mm", zone)
            switch report.verdict {
            case .replied(let by, let at, let subject):
                let note = "\(by) wrote on \(fmt.string(from: at)) (\"\(TextSafety.printable(subject))\")"
                for m in try store.recordReply(interview: interview.id, at: at, note: note, now: checkedAt) {
                    logger.info("they replied; follow-up cancelled", metadata: ["mail.id": "\(m.id)", "interview": "\(interview.id)"])
                    stops.append(.init(message: m, text: "they replied: \(note)"))
                }
                try store.recordMailboxCheck(interview: interview.id, at: checkedAt, note: "reply found: \(note)")
                return (.replied(note: note), stops)
            case .hold(let address, let at, let subject):
                try store.recordMailboxCheck(interview: interview.id, at: checkedAt,
                                             note: "\(address) wrote on \(fmt.string(from: at)) (\"\(TextSafety.printable(subject))\")")
                return (.colleague(report.colleagueMail), stops)
            case .silence:
                let auto = report.autoReplies > 0 ? " (\(report.autoReplies) automatic answer\(report.autoReplies == 1 ? "" : "s") ignored)" : ""
                try store.recordMailboxCheck(interview: interview.id, at: checkedAt, note: "no reply yet" + auto)
                return (.silence, stops)
            }
        } catch {
            let text = (error as? LocalizedError)?.errorDescription ?? "\(error)"
            return (.failed("the queue could not record what was found: \(text)"), stops)
        }
    }
}
