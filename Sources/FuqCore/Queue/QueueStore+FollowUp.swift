import Foundation
import GRDB

/// The thread a follow-up joins.
public enum FollowUpThread {
    /// "Re: " + the subject, once ("Re: Re: …" never).
    public static func replySubject(to subject: String) -> String {
        subject.lowercased().hasPrefix("re:") ? subject : "Re: " + subject
    }
}

/// Follow-ups: planned with the thank-yous, moved when the thank-you actually leaves,
/// cancelled with it or when they reply, held for the user's go-ahead.
extension QueueStore {
    /// Which of `ids` are follow-ups, in one read (a flush asks this of every due note).
    public func followUpIDs(among ids: [String]) throws -> Set<String> {
        try read { db in
            let statement = try db.cachedStatement(sql: "SELECT kind FROM message WHERE id = ?")
            return Set(try ids.filter { try String.fetchOne(statement, arguments: [$0]) == MessageRecord.followUpKind })
        }
    }

    /// A follow-up waits for its parent: these are the states in which its due time is still
    /// only a plan, recomputed when the parent leaves.
    static let followUpWaiting: [MessageState] = [.scheduled, .held, .deferred]

    /// After `parent` was sent (at `parent.sentAt`): its follow-ups are due a week (or the
    /// decision date's two business days) after that moment, not after its planned time; a
    /// follow-up held only because its thank-you had not gone out is scheduled again. The
    /// one more note follows the first one's new time. Runs in the caller's transaction.
    static func rescheduleFollowUps(after parent: MessageRecord, policy: SendWindowPolicy, now: Date, _ db: Database) throws {
        try placeFollowUps(of: parent, from: parent.sentAt ?? now, provisional: false, policy: policy, now: now, db)
    }

    /// After the user moved a note that has not gone yet (`fuq reschedule`): its follow-ups'
    /// plans follow its new due time, so `status` never shows a follow-up before its note.
    public func replanFollowUps(of parentID: String, policy: SendWindowPolicy, now: Date) throws {
        try transaction { db in
            guard let parent = try Self.fetch(parentID, db), parent.sentAt == nil else { return }
            try Self.placeFollowUps(of: parent, from: parent.due, provisional: true, policy: policy, now: now, db)
        }
    }

    private static func placeFollowUps(of parent: MessageRecord, from start: Date, provisional first: Bool, policy: SendWindowPolicy,
                                       now: Date, _ db: Database) throws {
        // Read only when there is a follow-up to place (most sent notes have none).
        var decision: Date??
        var parents = [(parent, start, first)]
        while let (current, sent, provisional) = parents.popLast() {
            let children = try decode(db, sql: "SELECT * FROM message WHERE inReplyTo = ? AND kind = ?",
                                      arguments: [current.id, MessageRecord.followUpKind]).records
            for var child in children where followUpWaiting.contains(child.state) && child.sentAt == nil {
                if decision == nil {
                    decision = .some(try Date.fetchOne(db.cachedStatement(sql: "SELECT decisionBy FROM interview WHERE id = ?"),
                                                       arguments: [parent.interviewId]))
                }
                let decisionBy = decision ?? nil
                // Held for another reason (a colleague wrote, no go-ahead yet) once it was due: keep it.
                if child.state == .held && !(child.lastError ?? "").hasPrefix(Self.waitsForParent) { continue }
                let schedule = policy.followUpSchedule(parentSent: sent, provisional: provisional, nudge: max(1, child.nudge),
                                                       decisionBy: decisionBy, zone: child.zone, seed: stableHash(child.fingerprint), now: now)
                child.state = .scheduled
                child.due = schedule.due
                child.latest = schedule.latest
                child.reason = schedule.reason
                child.lastError = nil
                child.updatedAt = now
                try child.update(db)
                parents.append((child, schedule.due, true))
            }
        }
    }

    /// The start of `lastError` for a follow-up held because its parent has not gone out.
    public static let waitsForParent = "waits for the note it follows"

    /// The start of an interview's `mailboxNote` after a reply check that could not read the
    /// mailbox (the `mailbox_event` trigger of migration v7 matches this text).
    public static let mailboxFailedPrefix = "the last check failed"

    /// Cancels the unfinished follow-ups that wait for `parentID` (and theirs), with `reason`.
    static func cancelFollowUps(of parentID: String, reason: String, now: Date, _ db: Database) throws -> [MessageRecord] {
        var cancelled: [MessageRecord] = []
        var parents = [parentID]
        while let current = parents.popLast() {
            for var child in try decode(db, sql: "SELECT * FROM message WHERE inReplyTo = ?", arguments: [current]).records {
                parents.append(child.id)
                guard child.state.successors.contains(.cancelled) else { continue }
                child.state = .cancelled
                child.reason = reason
                child.updatedAt = now
                try child.update(db)
                cancelled.append(child)
            }
        }
        return cancelled
    }

    /// `fuq replied`, or a reply the mailbox check found: the interview is marked answered and
    /// every unfinished follow-up of it is cancelled. Returns those cancelled.
    public func recordReply(interview id: String, at: Date, note: String, now: Date) throws -> [MessageRecord] {
        try transaction { db in try Self.recordReply(interview: id, at: at, note: note, now: now, db) }
    }

    static func recordReply(interview id: String, at: Date, note: String, now: Date, _ db: Database) throws -> [MessageRecord] {
        guard var interview = try InterviewRecord.fetchOne(db, key: id) else { throw QueueError.noSuchInterview(id) }
        if interview.repliedAt == nil || at < interview.repliedAt! {
            interview.repliedAt = at
            interview.replyNote = note
            try interview.update(db)
        }
        var cancelled: [MessageRecord] = []
        // Its follow-ups, and any other follow-up to its people at the same company (a second
        // interview queued with `--also`): once they answered, none of them may go.
        let addresses = try String.fetchAll(db, sql: "SELECT DISTINCT lower(recipientEmail) FROM message WHERE interviewId = ?", arguments: [id])
        let placeholders = addresses.map { _ in "?" }.joined(separator: ",")
        let sql = """
            SELECT m.* FROM message m JOIN interview i ON i.id = m.interviewId
             WHERE m.kind = ? AND (m.interviewId = ? OR (lower(i.company) = lower(?) AND lower(m.recipientEmail) IN (\(placeholders.isEmpty ? "''" : placeholders))))
            """
        let arguments = StatementArguments([MessageRecord.followUpKind, id, interview.company] + addresses)
        for var m in try decode(db, sql: sql, arguments: arguments).records
        where m.state.successors.contains(.cancelled) {
            m.state = .cancelled
            m.reason = "they replied: \(note)"
            m.updatedAt = now
            try m.update(db)
            cancelled.append(m)
        }
        return cancelled
    }

    /// The interview a user's argument names: an interview id (or prefix), or any of its
    /// messages' ids.
    public func interviewID(named text: String) throws -> String {
        do {
            let interview = try interviewID(text)
            // The same text may also name a note of another interview: say so rather than guess.
            if let note = try? read({ db in try Self.resolve(text, db) }), note.interviewId != interview {
                throw QueueError.ambiguousInterview(TextSafety.printable(text), matches: [interview, "\(note.interviewId) (through note \(note.id))"])
            }
            return interview
        } catch QueueError.noSuchInterview {
            do {
                return try read { db in try Self.resolve(text, db).interviewId }
            } catch QueueError.noSuchMessage {
                throw QueueError.noSuchInterview(TextSafety.printable(String(text.prefix(40))))
            }
        }
    }

    /// `fuq confirm`: the user's go-ahead for a follow-up. A held one is scheduled again — at
    /// its due time if still ahead, else in the reader's next business morning.
    public func confirmFollowUp(_ idOrPrefix: String, policy: SendWindowPolicy, now: Date) throws -> MessageRecord {
        try transaction { db in
            var m = try Self.resolve(idOrPrefix, db)
            guard m.isFollowUp else {
                throw QueueError.invalidTransition(id: m.id, from: m.state, action: "confirm",
                                                   advice: "Only a follow-up waits for a go-ahead; a thank-you leaves at its due time on its own.")
            }
            guard [.scheduled, .held, .deferred, .expired].contains(m.state) else {
                throw QueueError.invalidTransition(id: m.id, from: m.state, action: "confirm", advice: m.state.nextStep(for: m.id))
            }
            m.giveGoAhead(at: now)
            m.updatedAt = now
            // A go-ahead may be given ahead of time, even before the note it follows has gone:
            // it is recorded, and the follow-up still waits for that note (and for its week).
            if let parentID = m.inReplyTo, let parent = try Self.fetch(parentID, db), parent.state != .sent {
                try m.update(db)
                return m
            }
            if m.state != .scheduled {
                if m.due <= now {
                    let schedule = policy.followUpSchedule(parentSent: now.addingTimeInterval(-SendWindowPolicy.followUpSilence), provisional: false,
                                                           nudge: 1, decisionBy: nil, zone: m.zone, seed: stableHash(m.fingerprint), now: now)
                    m.due = schedule.due
                    m.latest = schedule.latest
                    m.reason = "you gave the go-ahead (`fuq confirm`); the reader's next business morning"
                }
                m.state = .scheduled
                m.lastError = nil
            }
            try m.update(db)
            return m
        }
    }

    /// Notes that came back: each sent note whose Message-ID is in `messageIDs` becomes
    /// `bounced`, with `report` as its error; the follow-ups waiting for it are held.
    public func markBounced(messageIDs: [String], report: String, now: Date) throws -> [MessageRecord] {
        try transaction { db in
            var changed: [MessageRecord] = []
            for id in messageIDs {
                let bare = id.trimmingCharacters(in: CharacterSet(charactersIn: "<> "))
                guard var m = try Self.decode(db, sql: "SELECT * FROM message WHERE messageId = ?", arguments: ["<\(bare)>"]).records.first,
                      m.state == .sent else { continue }
                m.state = .bounced
                m.lastError = report
                m.updatedAt = now
                try m.update(db)
                changed.append(m)
                for var child in try Self.decode(db, sql: "SELECT * FROM message WHERE inReplyTo = ?", arguments: [m.id]).records
                where child.state.successors.contains(.held) || child.state == .held {
                    child.state = .held
                    child.lastError = "its thank-you \(m.id) bounced: \(report)"
                    child.updatedAt = now
                    try child.update(db)
                }
            }
            return changed
        }
    }

    /// The interviews with a follow-up waiting whose thank-you has gone out: what the reply
    /// check watches. With when it last read the mailbox for each.
    public func interviewsAwaitingReply() throws -> [(interview: InterviewRecord, since: Date)] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT i.id AS id, MIN(p.sentAt) AS sent FROM message f
                  JOIN message p ON p.id = f.inReplyTo
                  JOIN interview i ON i.id = f.interviewId
                 WHERE f.kind = ? AND f.state = 'scheduled' AND p.state = 'sent' AND i.repliedAt IS NULL
                 GROUP BY i.id
                """, arguments: [MessageRecord.followUpKind])
            return try rows.compactMap { row in
                guard let interview = try InterviewRecord.fetchOne(db, key: row["id"] as String), let sent = row["sent"] as Date? else { return nil }
                return (interview, interview.mailboxCheckedAt ?? sent)
            }
        }
    }

    /// What a reply check read, for `status` and the next check.
    public func recordMailboxCheck(interview id: String, at: Date, note: String) throws {
        try transaction { db in
            try db.execute(sql: "UPDATE interview SET mailboxCheckedAt = ?, mailboxNote = ? WHERE id = ?", arguments: [at, note, id])
        }
    }

    /// Holds (or cancels) a due follow-up the gate stopped; nil when it changed meanwhile.
    func stopFollowUp(_ id: String, to state: MessageState, text: String, colleagueMail: [String]? = nil, now: Date) throws -> MessageRecord? {
        try transaction { db in
            guard var m = try Self.fetch(id, db), m.state.successors.contains(state) || m.state == state, m.state != .sending else { return nil }
            m.state = state
            if let colleagueMail { m.colleagueMail = colleagueMail.joined(separator: "\n") }
            if state == .cancelled { m.reason = text } else { m.lastError = text }
            m.updatedAt = now
            try m.update(db)
            return m
        }
    }

    /// Before a follow-up leaves: its subject follows the thank-you's as sent ("Re: " + it).
    func refreshReplySubject(_ id: String, now: Date) throws {
        try transaction { db in
            guard var m = try Self.fetch(id, db), let parentID = m.inReplyTo, let parent = try Self.fetch(parentID, db),
                  parent.recipientEmail.lowercased() == m.recipientEmail.lowercased() else { return }
            let subject = FollowUpThread.replySubject(to: parent.subject)
            guard subject != m.subject else { return }
            m.subject = subject
            m.updatedAt = now
            try m.update(db)
        }
    }
}
