import Foundation

/// What fuq tells the user about: a note (or the daemon) that waits on them, and the news worth
/// hearing. One classification serves the events (`notify:`) and the "Needs you" block of
/// `fuq status`, so the two never disagree.
public enum AttentionKind: String, Sendable, CaseIterable, Codable {
    /// A follow-up held for the user's go-ahead (no mailbox to read).
    case confirm
    /// Someone else at the company wrote; the follow-up is held.
    case colleague
    /// A reply was found in the mailbox: the follow-up was cancelled. Good news, no action.
    case replied
    /// A sent note came back: the address is wrong.
    case bounced
    /// The server refused a note for good.
    case failed
    /// A note's latest sensible time passed.
    case expired
    /// fuq cannot tell whether a note left.
    case uncertain
    /// Delivery stopped for a configuration problem (the password refused, TLS).
    case paused
    /// The mailbox cannot be read (reply checks, bounce reports).
    case mailbox
    /// A note went out (off unless `notify.sent: true`).
    case sent

    /// Urgency on the desktop: critical when something went wrong that costs a note.
    public var isCritical: Bool { [.failed, .bounced, .paused].contains(self) }

    /// Kinds that wait on the user (the rest are news).
    public var needsYou: Bool { ![.replied, .sent].contains(self) }

    /// The kind of a note in `state` with `text` (its lastError, or its reason when cancelled);
    /// nil when nothing waits on the user (a follow-up waiting for the note it follows, one
    /// held because its thank-you bounced: the bounce is what is told).
    public static func of(state: MessageState, text: String?, isFollowUp: Bool) -> AttentionKind? {
        let text = text ?? ""
        switch state {
        case .failed: return .failed
        case .expired: return .expired
        case .uncertain: return .uncertain
        case .bounced: return .bounced
        case .sent: return .sent
        case .cancelled:
            // `fuq replied` is the user's own doing: nothing to tell them.
            return text.hasPrefix("they replied: ") && !text.hasPrefix("they replied: \(replyByUser)") ? .replied : nil
        case .held:
            guard isFollowUp else { return .paused }
            if text.hasPrefix(FollowUpGate.goAheadPrefix) { return .confirm }
            if text.hasPrefix(FollowUpGate.uncheckedPrefix) { return .mailbox }
            if text.contains(FollowUpGate.colleagueMarker) { return .colleague }
            if text.hasPrefix(QueueStore.waitsForParent) || text.hasPrefix("its thank-you ") { return nil }
            // Held by a send attempt: the password refused, a TLS failure.
            return .paused
        case .scheduled, .sending, .deferred: return nil
        }
    }

    public static func of(_ m: MessageRecord) -> AttentionKind? {
        of(state: m.state, text: m.state == .cancelled ? m.reason : m.lastError, isFollowUp: m.isFollowUp)
    }

    /// How the reason of `fuq replied` begins.
    public static let replyByUser = "you said so (`fuq replied`)"
}

/// One thing to tell, in words: a notification's summary and body, the command that acts on
/// it, and its urgency. A pure function of the note (or interview) it is about.
public struct Notice: Sendable, Equatable, Codable {
    public var kind: AttentionKind
    /// The note it is about; nil for the daemon's pause or the mailbox.
    public var id: String?
    /// "Dana Rivera <dana@acme.example>"; empty when no note.
    public var to: String
    /// One line: "Follow-up to Dana Rivera waits for your go-ahead".
    public var summary: String
    /// A few sentences: what happened, at which company, and what to do.
    public var body: String
    /// The command to run: "fuq confirm k7m2q".
    public var action: String
    public var company: String?
    public var interview: String?
    /// When it happened.
    public var at: Date

    public var urgency: String { kind.isCritical ? "critical" : "normal" }

    public init(kind: AttentionKind, id: String?, to: String, summary: String, body: String, action: String,
                company: String?, interview: String?, at: Date) {
        self.kind = kind
        self.id = id
        self.to = to
        self.summary = summary
        self.body = body
        self.action = action
        self.company = company
        self.interview = interview
        self.at = at
    }

    /// The notice for a note in the state `kind` records; `detail` is what the event recorded
    /// (the server's words, the hold's reason).
    public static func about(_ m: MessageRecord, kind: AttentionKind, detail: String?, interview: InterviewRecord?, at: Date) -> Notice {
        let what = m.isFollowUp ? "Follow-up" : "Thank-you"
        let name = TextSafety.printable(m.recipientName)
        let company = interview.map { TextSafety.printable($0.company) }
        let place = [company, interview.map { TextSafety.printable($0.position) }].compactMap { $0 }.joined(separator: ", ")
        let detail = TextSafety.printable(String((detail ?? "").prefix(400)))
        let id = m.id
        var notice = Notice(kind: kind, id: id, to: "\(name) <\(m.recipientEmail)>", summary: "", body: "", action: "fuq show \(id)",
                            company: company, interview: m.interviewId, at: at)
        let at = place.isEmpty ? "" : " (\(place))"
        switch kind {
        case .confirm:
            notice.summary = "\(what) to \(name) waits for your go-ahead"
            notice.body = "Your follow-up\(at) is due, and fuq has no mailbox to check whether they answered. "
                + "If nobody has answered: fuq confirm \(id). If someone has: fuq replied \(id)."
            notice.action = "fuq confirm \(id)"
        case .colleague:
            notice.summary = "Someone at \(company ?? "the company") wrote: the follow-up to \(name) is held"
            let who = detail.components(separatedBy: "; \(FollowUpGate.colleagueMarker)").first ?? detail
            notice.body = "\(who); that may be their answer. If it was: fuq replied \(id). To send the follow-up anyway: fuq confirm \(id)."
            notice.action = "fuq replied \(id)"
        case .replied:
            notice.summary = "\(company.map { "\($0) replied" } ?? "They replied"): the follow-up to \(name) is cancelled"
            notice.body = "\(detail.hasPrefix("they replied: ") ? String(detail.dropFirst("they replied: ".count)) : detail). "
                + "Nothing to do; no follow-up goes\(at)."
            notice.action = "fuq show \(id)"
        case .bounced:
            notice.summary = "\(what) to \(name) bounced: the address \(m.recipientEmail) is wrong"
            notice.body = "The recipient's server returned it\(at). Find the right address, then queue it again with "
                + "fuq enqueue --also (fuq show \(id) has the report)."
        case .failed:
            notice.summary = "\(what) to \(name) failed"
            notice.body = "The server refused it for good\(at): \(detail). Fix the cause, then fuq retry \(id), or fuq cancel \(id)."
            notice.action = "fuq retry \(id)"
        case .expired:
            notice.summary = "\(what) to \(name) missed its window and was not sent"
            notice.body = "\(detail.isEmpty ? "Its latest sensible time passed" : detail)\(at). Send it anyway at a time in their day "
                + "with fuq reschedule \(id) --at TIME, or fuq cancel \(id)."
            notice.action = "fuq reschedule \(id) --at TIME"
        case .uncertain:
            notice.summary = "\(what) to \(name) may or may not have gone out"
            notice.body = "fuq stopped or lost the server while sending it\(at)\(detail.isEmpty ? "" : ": \(detail)"). It is never resent on its own. "
                + "Check your Sent folder, then fuq retry \(id) (same Message-ID) or fuq mark-sent \(id)."
        case .paused:
            notice.summary = "fuq paused delivery: a note to \(name) cannot go"
            notice.body = "\(detail.isEmpty ? "A configuration problem" : detail). Nothing is sent until you fix it "
                + "(fuq doctor checks the configuration), then fuq retry \(id)."
            notice.action = "fuq doctor"
        case .mailbox:
            notice.summary = "fuq cannot read your mailbox: the follow-up to \(name) is held"
            var why = detail
            if why.hasPrefix(FollowUpGate.uncheckedPrefix + " (") { why = String(why.dropFirst(FollowUpGate.uncheckedPrefix.count + 2)) }
            why = why.components(separatedBy: "); a follow-up never goes out unchecked").first ?? why
            notice.body = "Before a follow-up goes, fuq reads your mailbox for an answer, and it could not: \(why). "
                + "A follow-up never goes out unchecked. Fix it (fuq doctor), then fuq retry \(id)."
            notice.action = "fuq doctor"
        case .sent:
            notice.summary = "\(what) to \(name) sent"
            notice.body = "The server accepted it\(at)\(detail.isEmpty ? "" : ": \(detail)")."
        }
        return notice
    }

    /// The daemon paused with no note to blame (the password command failed), or a reply check
    /// could not read the mailbox.
    public static func general(_ kind: AttentionKind, detail: String?, interview: InterviewRecord?, at: Date) -> Notice {
        let detail = TextSafety.printable(String((detail ?? "").prefix(400)))
        var notice = Notice(kind: kind, id: nil, to: "", summary: "", body: "", action: "fuq doctor",
                            company: interview.map { TextSafety.printable($0.company) }, interview: interview?.id, at: at)
        switch kind {
        case .mailbox:
            notice.summary = "fuq cannot read your mailbox"
            notice.body = "\(detail). Replies and bounces are not seen, and follow-ups will wait for you until it works again. "
                + "fuq doctor checks the imap: settings."
        default:
            notice.summary = "fuq paused delivery"
            notice.body = "\(detail.isEmpty ? "A configuration problem" : detail). Nothing is sent until you fix it "
                + "(fuq doctor checks the configuration), then systemctl --user reload fuq."
        }
        return notice
    }
}
