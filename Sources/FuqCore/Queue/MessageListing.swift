import Foundation
import GRDB

/// Which notes `fuq status` lists. Every part is done in SQL, on an index (`message_due_id`,
/// `message_interview_due`, `message_state_due`), so a filter or a limit costs what it returns.
public struct MessageFilter: Sendable, Equatable {
    /// Sent and cancelled notes too (`--all`); implied when `states` names one of them.
    public var includeFinished = false
    /// Only these states (`--state`); nil for any.
    public var states: [MessageState]? = nil
    /// Only this interview (its full id).
    public var interview: String? = nil
    /// Only notes due at or after this moment (`--since`).
    public var since: Date? = nil
    /// At most this many, the earliest due first (`--limit`).
    public var limit: Int? = nil

    public init(includeFinished: Bool = false, states: [MessageState]? = nil, interview: String? = nil, since: Date? = nil, limit: Int? = nil) {
        self.includeFinished = includeFinished
        self.states = states
        self.interview = interview
        self.since = since
        self.limit = limit
    }

    /// The WHERE clause (with its arguments) and the LIMIT.
    var sql: (clause: String, arguments: StatementArguments) {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let states {
            conditions.append("state IN (\(states.map { _ in "?" }.joined(separator: ", ")))")
            arguments += states.map(\.rawValue)
        } else if !includeFinished {
            conditions.append("state NOT IN ('sent', 'cancelled')")
        }
        if let interview {
            conditions.append("interviewId = ?")
            arguments.append(interview)
        }
        if let since {
            conditions.append("due >= ?")
            arguments.append(since)
        }
        var clause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        clause += " ORDER BY due, id"
        if let limit {
            clause += " LIMIT ?"
            arguments.append(limit)
        }
        return (clause, StatementArguments(arguments))
    }
}

/// A note as `fuq status` shows it: the listed columns only — never the template, its
/// context or the body, which are most of a row's bytes.
public struct MessageSummary: Sendable, Equatable {
    public var id: String
    public var interviewId: String
    public var recipientName: String
    public var recipientEmail: String
    public var recipientZone: String
    public var isLead: Bool
    public var subject: String
    public var messageId: String
    public var due: Date
    public var latest: Date
    public var reason: String
    public var state: MessageState
    public var attempts: Int
    public var lastError: String?
    public var sentAt: Date?
    public var serverReply: String?
    /// `thank-you` or `follow-up`; `nudge` 2 is the one more note.
    public var kind: String = "thank-you"
    public var nudge: Int = 0

    public var zone: TimeZone { DateFormatting.zone(recipientZone) }
    public var isFollowUp: Bool { kind == MessageRecord.followUpKind }

    public init(_ m: MessageRecord) {
        id = m.id
        interviewId = m.interviewId
        recipientName = m.recipientName
        recipientEmail = m.recipientEmail
        recipientZone = m.recipientZone
        isLead = m.isLead
        subject = m.subject
        messageId = m.messageId
        due = m.due
        latest = m.latest
        reason = m.reason
        state = m.state
        attempts = m.attempts
        lastError = m.lastError
        sentAt = m.sentAt
        serverReply = m.serverReply
        kind = m.kind
        nudge = m.nudge
    }

    static let columns = "id, interviewId, recipientName, recipientEmail, recipientZone, isLead, subject, messageId, due, latest, "
        + "reason, state, attempts, lastError, sentAt, serverReply, createdAt, updatedAt, kind, nudge"

    /// Nil when the row cannot be read back (the same rule as `MessageRecord.isSane`).
    init?(row: Row) {
        guard let id = row[0] as String?, let interviewId = row[1] as String?, let recipientName = row[2] as String?,
              let recipientEmail = row[3] as String?, let recipientZone = row[4] as String?, let isLead = row[5] as Bool?,
              let subject = row[6] as String?, let messageId = row[7] as String?,
              let due = Self.date(row[8]), let latest = Self.date(row[9]), let reason = row[10] as String?,
              let state = (row[11] as String?).flatMap(MessageState.init(rawValue:)), let attempts = row[12] as Int?,
              (0..<MessageRecord.attemptLimit).contains(attempts),
              let created = Self.date(row[16]), let updated = Self.date(row[17]) else { return nil }
        let sentValue = row[14] as DatabaseValue
        let sentAt = sentValue.isNull ? nil : Self.date(sentValue)
        guard sentValue.isNull || sentAt != nil else { return nil }
        guard [due, latest, created, updated].allSatisfy({ MessageRecord.isSane($0) }) else { return nil }
        self.id = id
        self.interviewId = interviewId
        self.recipientName = recipientName
        self.recipientEmail = recipientEmail
        self.recipientZone = recipientZone
        self.isLead = isLead
        self.subject = subject
        self.messageId = messageId
        self.due = due
        self.latest = latest
        self.reason = reason
        self.state = state
        self.attempts = attempts
        self.lastError = row[13]
        self.sentAt = sentAt
        self.serverReply = row[15]
        self.kind = row[18] ?? "thank-you"
        self.nudge = row[19] ?? 0
    }

    /// GRDB's own text form ("2026-11-24 18:23:41.000", UTC) read directly; anything else
    /// through GRDB's decoder (a row written by hand).
    static func date(_ value: DatabaseValue) -> Date? {
        guard case .string(var text) = value.storage else { return Date.fromDatabaseValue(value) }
        let parsed: Date?? = text.withUTF8 { bytes -> Date?? in
            guard bytes.count == 23 || bytes.count == 19 else { return .none }
            func number(_ at: Int, _ count: Int) -> Int? {
                var n = 0
                for i in at..<at + count {
                    let b = bytes[i]
                    guard b >= 48 && b <= 57 else { return nil }
                    n = n * 10 + Int(b - 48)
                }
                return n
            }
            guard bytes[4] == 45, bytes[7] == 45, bytes[10] == 32 || bytes[10] == 84, bytes[13] == 58, bytes[16] == 58,
                  let y = number(0, 4), let mo = number(5, 2), let d = number(8, 2), let h = number(11, 2), let mi = number(14, 2),
                  let s = number(17, 2), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 60 else { return .none }
            var millis = 0
            if bytes.count == 23 {
                guard bytes[19] == 46, let ms = number(20, 3) else { return .none }
                millis = ms
            }
            let days = Self.days(year: y, month: mo, day: d)
            let seconds = Double(days * 86400 + h * 3600 + mi * 60 + s) + Double(millis) / 1000
            return .some(Date(timeIntervalSince1970: seconds))
        }
        if case .some(let date) = parsed { return date }
        return Date.fromDatabaseValue(value)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

extension QueueStore {
    /// Reads from one snapshot of the queue: `body` may list several times (the table
    /// measures its columns, then prints) and sees the same notes each time.
    public func withListing<T>(_ body: (Listing) throws -> T) throws -> T {
        try read { db in try body(Listing(db: db)) }
    }

    /// The notes matching a filter, one at a time (nothing is collected: 100,000 notes cost
    /// the memory of one).
    public struct Listing {
        let db: Database

        /// Calls `each` with every matching note in order (due, id); returns the ids of rows
        /// that cannot be read back (skipped).
        @discardableResult
        public func forEach(_ filter: MessageFilter, _ each: (MessageSummary) throws -> Void) throws -> [String] {
            let (clause, arguments) = filter.sql
            let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT \(MessageSummary.columns) FROM message \(clause)"), arguments: arguments)
            var unreadable: [String] = []
            while let row = try rows.next() {
                if let summary = MessageSummary(row: row) {
                    try each(summary)
                } else {
                    unreadable.append(String.fromDatabaseValue(row[0] as DatabaseValue) ?? "?")
                }
            }
            return unreadable
        }

        /// How many notes match (without the limit).
        public func count(_ filter: MessageFilter) throws -> Int {
            var unlimited = filter
            unlimited.limit = nil
            let (clause, arguments) = unlimited.sql
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message \(clause.replacingOccurrences(of: " ORDER BY due, id", with: ""))",
                                    arguments: arguments) ?? 0
        }
    }
}
