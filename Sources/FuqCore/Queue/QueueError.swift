import Foundation
import GRDB

/// Why the queue cannot be used.
public enum QueueError: LocalizedError, Equatable {
    /// The queue file (or its folder) cannot be created or opened.
    case cannotOpen(path: String, reason: String)
    /// Another process held the queue's lock longer than the busy timeout; `holder` is who,
    /// when /proc/locks could tell (another fuq, or another program such as `sqlite3`).
    case locked(path: String, holder: QueueLockHolder? = nil)
    /// The file is not a fuq queue (or is damaged).
    case notAQueue(path: String)
    /// A newer fuq changed the queue's tables (`migration` is one this fuq does not know):
    /// reading or writing it could lose what the newer fuq recorded.
    case newerQueue(path: String, migration: String)
    /// No message has this id (or the prefix matches none).
    case noSuchMessage(String)
    /// The prefix matches several messages.
    case ambiguousID(String, matches: [String])
    /// No interview has this id.
    case noSuchInterview(String)
    /// The prefix matches several interviews.
    case ambiguousInterview(String, matches: [String])
    /// The message cannot make this change from its current state; `advice` says what to do
    /// instead, in whole sentences (see `MessageState.nextStep(for:)`).
    case invalidTransition(id: String, from: MessageState, action: String, advice: String)
    /// A thank-you to this address is already waiting, or was sent in the last 14 days
    /// (a duplicate would cost the user dearly). `sentAt` is set when it already went out.
    case duplicate(existingID: String, recipient: String, state: MessageState, company: String, sentAt: Date?)
    /// `--replace` cannot take back a note that was already sent (or is being sent).
    case cannotReplaceSent(existingID: String, recipient: String, state: MessageState)
    /// `fuq edit --to`: the new address already has a note of its own.
    case addressTaken(existingID: String, recipient: String, state: MessageState)
    /// An id shorter than 2 characters would match almost any message.
    case idTooShort(String)
    /// A row of the queue cannot be read back (written by hand, or by an older fuq).
    case damaged(id: String, reason: String)
    /// The message changed (sent, cancelled, edited) while the user was editing it.
    case changedMeanwhile(id: String, state: MessageState)
    /// The queue file was deleted or replaced while fuq had it open.
    case replaced(path: String)
    /// Any other database failure.
    case database(path: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .cannotOpen(let path, let reason):
            return "cannot open the queue at \(path): \(reason). Check the folder's permissions or choose another file with --db or queue.path."
        case .locked(let path, let holder?) where holder.isFuq:
            return "the queue at \(path) is locked by another fuq process (pid \(holder.pid)) that is writing to it; try again in a moment."
        case .locked(let path, let holder?):
            return "the queue at \(path) is locked by another program, \(holder.program) (pid \(holder.pid)), which keeps a write transaction open; "
                + "fuq waited and gave up. End that transaction or close the program (in a sqlite3 shell: COMMIT or ROLLBACK, then .quit), then try again."
        case .locked(let path, nil):
            return "the queue at \(path) is busy: another process held its lock for several seconds. Try again in a moment; if it stays busy, "
                + "close any other program that has it open (such as a sqlite3 shell inside a transaction)."
        case .notAQueue(let path):
            return "\(path) is not a fuq queue (or it is damaged); point --db / queue.path at the right file."
        case .newerQueue(let path, let migration):
            return "the queue at \(path) was written by a newer fuq (migration \(migration)); upgrade fuq to use it. No note in it was read or changed."
        case .noSuchMessage(let id):
            return "no message \(id) in the queue; `fuq status --all` lists them."
        case .ambiguousID(let id, let matches):
            return "\(id) matches several messages (\(matches.joined(separator: ", "))); type more of the id."
        case .noSuchInterview(let id):
            return "no interview \(id) in the queue; `fuq status --all` shows interview ids."
        case .ambiguousInterview(let id, let matches):
            return "\(id) matches several interviews (\(matches.joined(separator: ", "))); type more of the interview id."
        case .invalidTransition(let id, let from, let action, let advice):
            return "cannot \(action) \(id): \(from.situation). \(advice)"
        case .duplicate(let existing, let recipient, let state, let company, let sentAt):
            let what = sentAt.map { "was already sent to \(recipient) on \(DateFormatting.iso8601($0, in: .gmt).prefix(10)) (\(existing), \(company))" }
                ?? "is already waiting for \(recipient) as \(existing) (\(state.rawValue), \(company))"
            return "a thank-you note \(what); a second one would look careless. Nothing was queued. See `fuq show \(existing)`. "
                + (sentAt == nil ? "To queue this one instead, add --replace (cancels \(existing)); to send a second note on purpose, add --also."
                                 : "To send a second note on purpose, add --also.")
        case .cannotReplaceSent(let existing, let recipient, let state):
            return "\(existing) to \(recipient) is \(state.rawValue); --replace cannot take it back. Nothing was queued. "
                + "Add --also to send this note as well, on purpose."
        case .addressTaken(let existing, let recipient, let state):
            return "\(recipient) already has a thank-you (\(existing), \(state.rawValue)); a second one would look careless. Nothing was changed. "
                + (state == .sent ? "Cancel this note instead if it is no longer needed." : "Cancel one of the two first (`fuq cancel \(existing)`).")
        case .idTooShort(let id):
            return "the id \"\(id)\" is too short: give at least 2 characters of a message id (`fuq status` lists them)."
        case .damaged(let id, let reason):
            return "message \(id) in the queue cannot be read (\(reason)); it is skipped. `fuq cancel \(id)` removes it."
        case .changedMeanwhile(let id, let state):
            return "\(id) changed while you were editing it (it is now \(state.rawValue)); nothing was stored."
        case .replaced(let path):
            return "the queue file \(path) was deleted or replaced while fuq had it open; start fuq again to use the new file."
        case .database(let path, let reason):
            return "the queue at \(path) failed: \(reason)"
        }
    }
}
