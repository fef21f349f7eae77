import Foundation
import GRDB

extension QueueStore {
    /// Applies `change` to one message inside a transaction, after checking that moving to
    /// `target` is allowed from its current state. Returns the updated message.
    @discardableResult
    /// `from`, when given, narrows the states the change applies to (`retry` does not touch a
    /// scheduled note: that would send it now, at night for the reader).
    /// A cancelled note takes its follow-ups with it; a note marked sent moves them to count
    /// from then (by `policy`).
    public func update(_ idOrPrefix: String, to target: MessageState, from allowed: Set<MessageState>? = nil, action: String, now: Date,
                       policy: SendWindowPolicy = .standard, _ change: (inout MessageRecord) -> Void = { _ in }) throws -> MessageRecord {
        try transaction { db in
            var message = try Self.resolve(idOrPrefix, db)
            guard message.state.successors.contains(target), allowed?.contains(message.state) ?? true else {
                throw QueueError.invalidTransition(id: message.id, from: message.state, action: action, advice: message.state.nextStep(for: message.id))
            }
            message.state = target
            message.updatedAt = now
            change(&message)
            try message.update(db)
            if target == .cancelled {
                _ = try Self.cancelFollowUps(of: message.id, reason: "\(message.isFollowUp ? "the follow-up" : "its thank-you") \(message.id) was cancelled", now: now, db)
            }
            if target == .sent { try Self.rescheduleFollowUps(after: message, policy: policy, now: now, db) }
            return message
        }
    }

    /// Replaces a note's words (and recipient) after `fuq edit`, keeping its id, due time and
    /// Message-ID — only if nothing touched it since `expected` was read (the daemon may have
    /// sent it while the editor was open).
    public func replaceContent(of expected: MessageRecord, with edited: MessageRecord, now: Date) throws -> MessageRecord {
        try transaction { db in
            let current = try Self.resolve(expected.id, db)
            guard current == expected, MessageState.editable.contains(current.state) else {
                throw QueueError.changedMeanwhile(id: current.id, state: current.state)
            }
            // A new address must not have a note of its own (checked in this transaction, so a
            // concurrent enqueue cannot slip in between).
            if edited.recipientEmail.lowercased() != current.recipientEmail.lowercased() {
                _ = try Self.checkDuplicates([edited], policy: .refuse, now: now, db)
            }
            var stored = current
            stored.subject = edited.subject
            stored.body = edited.body
            stored.template = edited.template
            stored.context = edited.context
            stored.recipientName = edited.recipientName
            stored.recipientEmail = edited.recipientEmail
            // `fuq edit` renders the note for its due time.
            stored.renderedFor = current.due
            stored.updatedAt = now
            try stored.update(db)
            // The follow-ups to the same person go where the corrected thank-you goes.
            if !current.isFollowUp, current.recipientEmail != stored.recipientEmail || current.recipientName != stored.recipientName {
                try db.execute(sql: """
                    UPDATE message SET recipientEmail = ?, recipientName = ?, updatedAt = ?
                     WHERE kind = ? AND interviewId = ? AND lower(recipientEmail) = lower(?) AND state NOT IN ('sent', 'sending', 'uncertain', 'bounced', 'cancelled')
                    """, arguments: [stored.recipientEmail, stored.recipientName, now, MessageRecord.followUpKind, current.interviewId, current.recipientEmail])
            }
            return stored
        }
    }

    /// Cancels every unfinished message of an interview; returns those cancelled.
    public func cancel(interview id: String, now: Date) throws -> [MessageRecord] {
        try transaction { db in
            guard try InterviewRecord.exists(db, key: id) else { throw QueueError.noSuchInterview(id) }
            var changed: [MessageRecord] = []
            for var message in try Self.decode(db, sql: "SELECT * FROM message WHERE interviewId = ?", arguments: [id]).records
            where message.state.successors.contains(.cancelled) {
                message.state = .cancelled
                message.updatedAt = now
                try message.update(db)
                changed.append(message)
            }
            return changed
        }
    }

    /// Counts by state, for summaries.
    public func counts() throws -> [MessageState: Int] {
        try read { db in
            var result: [MessageState: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM message GROUP BY state") {
                if let state = MessageState(rawValue: row["state"]) { result[state] = row["n"] }
            }
            return result
        }
    }
}
