import Foundation
import GRDB

/// Where a queued message stands. Every change is written to the queue before fuq acts on it.
public enum MessageState: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    /// Waiting for its due time.
    case scheduled
    /// Handed to the mail server right now. Left behind only by a crash: then `uncertain`.
    case sending
    /// The server accepted it (its reply is recorded).
    case sent
    /// A temporary failure (4xx, connection trouble); it is tried again at its due time.
    case deferred
    /// The server refused it for good (5xx); the server's words are shown. `fuq retry` to try again.
    case failed
    /// fuq stopped while sending it; it may or may not have left. Never resent on its own.
    case uncertain
    /// Cancelled by the user.
    case cancelled
    /// Its latest acceptable time passed before it could go; waits for the user's decision.
    case expired
    /// A configuration problem (password refused, TLS or certificate failure) stops it until
    /// fixed; a follow-up also waits here for the user (no go-ahead yet, someone else at the
    /// company wrote, the mailbox could not be read). `reason`/`lastError` say which.
    case held
    /// It was sent, and then the recipient's server returned it (a delivery report naming its
    /// Message-ID came back): the address is wrong.
    case bounced

    /// States the user no longer needs to watch; hidden by `status` unless `--all`.
    public var isFinished: Bool { self == .sent || self == .cancelled }

    /// States in which a note has certainly or possibly reached its reader's server.
    public var mayHaveLeft: Bool { [.sent, .sending, .uncertain, .bounced].contains(self) }

    /// States `fuq retry` releases (a scheduled note is not retried: that would send it now).
    public static let retryable: Set<MessageState> = [.deferred, .failed, .held, .expired, .uncertain]

    /// States whose words `fuq edit` may change (not while it is being sent, nor after).
    public static let editable: Set<MessageState> = [.scheduled, .deferred, .failed, .held, .expired]

    /// States a delivery run picks up when due.
    public static let deliverable: [MessageState] = [.scheduled, .deferred]

    /// What the user can do about a message in this state.
    public var advice: String {
        switch self {
        case .scheduled: return "nothing to do; it leaves at its due time"
        case .sending: return "being sent now"
        case .sent: return "done"
        case .deferred: return "nothing to do; it is retried automatically"
        case .failed: return "fix the cause, then `fuq retry ID`, or `fuq cancel ID`"
        case .uncertain: return "check your Sent folder / the recipient, then `fuq retry ID` (same Message-ID) or `fuq mark-sent ID`"
        case .cancelled: return "none"
        case .expired: return "send it anyway at a time in the reader's day with `fuq reschedule ID --at TIME`, or `fuq cancel ID`"
        case .held: return "fix the configuration (see `fuq doctor`), then `fuq retry ID`"
        case .bounced: return "the address is wrong: find the right one, then queue the note again with `fuq enqueue --also`"
        }
    }

    /// Where it stands, as a clause for a refusal: "cannot cancel k7m2q: it was already sent."
    public var situation: String {
        switch self {
        case .scheduled: return "it is scheduled and has not gone out yet"
        case .sending: return "it is being sent right now"
        case .sent: return "it was already sent (the server accepted it)"
        case .deferred: return "it is deferred after a temporary failure"
        case .failed: return "it failed: the server refused it"
        case .uncertain: return "it is uncertain: it may or may not have gone out"
        case .cancelled: return "it is already cancelled"
        case .expired: return "it expired: its latest sensible time passed"
        case .held: return "it is held (`fuq show` says why)"
        case .bounced: return "it bounced: the recipient's server returned it"
        }
    }

    /// What the user can do next, as whole sentences naming the message `id` — for refusals
    /// of a state change (`advice` is the short form shown beside a note).
    public func nextStep(for id: String) -> String {
        switch self {
        case .scheduled: return "It leaves at its due time; `fuq send-now \(id)` sends it now, `fuq cancel \(id)` cancels it."
        case .sending: return "Wait a moment; `fuq status \(id)` then shows what the server said."
        case .sent: return "A sent note cannot be changed or taken back. To write to this person again, queue a new note with `fuq enqueue` (add --also)."
        case .deferred: return "It is retried automatically; `fuq send-now \(id)` sends it at once, `fuq cancel \(id)` cancels it."
        case .failed: return "Fix the cause (`fuq show \(id)` has the server's words), then `fuq retry \(id)`, or `fuq cancel \(id)`."
        case .uncertain: return "Check your Sent folder or ask the recipient, then `fuq retry \(id)` (same Message-ID) or `fuq mark-sent \(id)`."
        case .cancelled: return "Nothing more happens to it. To send it after all, queue it again with `fuq enqueue`."
        case .expired: return "Send it anyway at a time in the reader's day with `fuq reschedule \(id) --at TIME`, or `fuq cancel \(id)`."
        case .held: return "`fuq show \(id)` says why; fix that (`fuq doctor` checks the configuration), then `fuq retry \(id)`."
        case .bounced: return "The address is wrong (`fuq show \(id)` has the report). Find the right one and queue the note again with `fuq enqueue --also`."
        }
    }

    /// The states a message may move to from this one.
    public var successors: Set<MessageState> {
        switch self {
        case .scheduled: return [.sending, .cancelled, .expired, .scheduled, .held]
        case .sending: return [.sent, .deferred, .failed, .held, .uncertain, .expired]
        case .deferred: return [.sending, .cancelled, .expired, .scheduled, .held]
        case .failed, .held, .expired: return [.scheduled, .cancelled]
        case .uncertain: return [.scheduled, .sent, .cancelled]
        case .sent: return [.bounced]
        case .cancelled, .bounced: return []
        }
    }
}
