import Foundation
import GRDB

/// One interview: the parent of its messages.
public struct InterviewRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "interview"

    public var id: String
    public var company: String
    public var position: String
    public var startsAt: Date?
    public var endsAt: Date
    public var timezone: String
    /// The interview file it came from ("-" for stdin, "flags" for the one-line form).
    public var source: String
    public var createdAt: Date
    /// The day they said they would decide (`decision_by`), as midnight starting it on the
    /// interview's clock; a follow-up waits until two business days after it.
    public var decisionBy: Date? = nil
    /// When the user (`fuq replied`) or the mailbox check found that they answered.
    public var repliedAt: Date? = nil
    /// Who answered and how it was learnt: "Dana Rivera <dana@acme.example> wrote \"Re: …\"",
    /// "you said so (`fuq replied`): …".
    public var replyNote: String? = nil
    /// The last reply check that read the mailbox, and what it found (or why it failed).
    public var mailboxCheckedAt: Date? = nil
    public var mailboxNote: String? = nil
    /// The calendar invitation it was drafted from (`fuq new`): UID(s), space-separated for a
    /// loop, and SEQUENCE; nil for a file written by hand.
    public var invitationUid: String? = nil
    public var invitationSequence: Int? = nil
}

/// One queued email.
public struct MessageRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "message"

    /// Short and typeable, e.g. `k7m2q`.
    public var id: String
    public var interviewId: String
    /// `thank-you`, or `follow-up` (the later note to the lead or the recruiter).
    public var kind: String
    public var recipientName: String
    public var recipientEmail: String
    public var recipientZone: String
    public var isLead: Bool
    public var subject: String
    public var templateName: String
    /// The template text as it was at enqueue time.
    public var template: String
    /// `MessageContext` as JSON: the inputs rendered again at send time.
    public var context: String
    /// The body as last rendered (at enqueue for its due time; at send for the real time).
    public var body: String
    /// RFC 5322 Message-ID, generated once at enqueue so a resend carries the same one.
    public var messageId: String
    public var due: Date
    public var latest: Date
    public var reason: String
    public var state: MessageState
    public var attempts: Int
    public var lastError: String?
    public var sentAt: Date?
    public var serverReply: String?
    /// Identifies "the same note again" to refuse duplicates: kind|company|position|end|recipient.
    public var fingerprint: String
    public var createdAt: Date
    public var updatedAt: Date
    /// When the user last released it to go now (`retry`, `send-now`).
    public var releasedAt: Date?
    /// The send date `subject` and `body` were last rendered for (enqueue and edit: the due
    /// time; a delivery attempt: its start). Nil for notes stored before fuq kept it.
    public var renderedFor: Date? = nil
    /// A follow-up's parent: the thank-you (or the first follow-up) it waits for and whose
    /// sending time fixes its due time. Nil for a thank-you.
    public var inReplyTo: String? = nil
    /// The Message-IDs a follow-up names in `References` (its thread, oldest first; the last
    /// also goes in `In-Reply-To`). Nil or empty: it starts a thread of its own.
    public var threadIDs: String? = nil
    /// 1 for the first follow-up, 2 for the one more note `nudges: 2` allows; 0 for a thank-you.
    public var nudge: Int = 0
    /// When the user gave a follow-up the go-ahead (`fuq confirm`, `fuq retry`, `send-now`).
    public var confirmedAt: Date? = nil
    /// The colleagues' messages (one key per line: Message-ID, else folder and UID) that held
    /// this follow-up when the reply check last held it.
    public var colleagueMail: String? = nil
    /// The colleagues' messages the go-ahead covers: those known when it was given. Any other
    /// mail from the company holds the follow-up again, whatever its date says.
    public var acknowledgedMail: String? = nil

    /// The kind of the later note to the lead (or the recruiter).
    public static let followUpKind = "follow-up"
    public var isFollowUp: Bool { kind == Self.followUpKind }
    /// A follow-up in the thread of an earlier note keeps "Re: " + that note's subject,
    /// whatever its template's Subject line says.
    public var keepsSubject: Bool { isFollowUp && !referenceIDs.isEmpty }

    /// Takes a fresh rendering of its template (at send time, in `show`, after `edit`).
    public mutating func apply(rendered: (subject: String, body: String)) {
        body = rendered.body
        if !keepsSubject { subject = rendered.subject }
    }

    /// The user's go-ahead at `now`: it covers the colleagues' mail that fuq had shown them
    /// (`colleagueMail`), and nothing that comes after.
    public mutating func giveGoAhead(at now: Date) {
        confirmedAt = now
        acknowledgedMail = colleagueMail
    }

    /// `acknowledgedMail` as a set of keys.
    public var acknowledgedMailKeys: Set<String> { Set((acknowledgedMail ?? "").split(separator: "\n").map(String.init)) }

    /// `threadIDs` as a list, oldest first.
    public var referenceIDs: [String] { (threadIDs ?? "").split(separator: " ").map(String.init) }

    /// Every date within what fuq ever writes (a row edited by hand may not be).
    public var isSane: Bool {
        [due, latest, createdAt, updatedAt].allSatisfy { Self.isSane($0) } && Self.isSane(sentAt ?? createdAt)
            && (0..<Self.attemptLimit).contains(attempts)
    }

    /// A note `--replace` may cancel: it has certainly not gone out (not sent, not being sent,
    /// not `uncertain` — which may have reached the server).
    public var isReplaceable: Bool { !state.mayHaveLeft }

    /// More attempts than this is not something fuq wrote (and would overflow a count).
    static let attemptLimit = 1_000_000

    static func isSane(_ date: Date?) -> Bool {
        guard let date else { return false }
        return date.timeIntervalSince1970 >= 0 && date.timeIntervalSince1970 < 95_617_584_000  // year 5000
    }

    public var decodedContext: MessageContext? {
        try? JSONDecoder.fuq.decode(MessageContext.self, from: Data(context.utf8))
    }

    public var zone: TimeZone { DateFormatting.zone(recipientZone) }

    /// Makes it due at `due` (default: now) because the user asked at `now` (`retry`,
    /// `send-now`): timely for at least a day after that, with `reason` saying who released it.
    public mutating func releaseNow(_ now: Date, at due: Date? = nil, reason: String) {
        self.due = due ?? now
        latest = max(latest, self.due.addingTimeInterval(24 * 3600))
        self.reason = reason
        releasedAt = now
    }
}

extension MessageRecord {
    /// Read column by column (not through `Decodable`, which costs several times as much: the
    /// delivery loop and every listing read whole rows). Throws on a value of the wrong type,
    /// so a row edited by hand is reported as damaged instead of trapping.
    public init(row: Row) throws {
        id = try row.decode(forColumn: "id")
        interviewId = try row.decode(forColumn: "interviewId")
        kind = try row.decode(forColumn: "kind")
        recipientName = try row.decode(forColumn: "recipientName")
        recipientEmail = try row.decode(forColumn: "recipientEmail")
        recipientZone = try row.decode(forColumn: "recipientZone")
        isLead = try row.decode(forColumn: "isLead")
        subject = try row.decode(forColumn: "subject")
        templateName = try row.decode(forColumn: "templateName")
        template = try row.decode(forColumn: "template")
        context = try row.decode(forColumn: "context")
        body = try row.decode(forColumn: "body")
        messageId = try row.decode(forColumn: "messageId")
        due = try row.decode(forColumn: "due")
        latest = try row.decode(forColumn: "latest")
        reason = try row.decode(forColumn: "reason")
        state = try row.decode(forColumn: "state")
        attempts = try row.decode(forColumn: "attempts")
        lastError = try row.decode(forColumn: "lastError")
        sentAt = try row.decode(forColumn: "sentAt")
        serverReply = try row.decode(forColumn: "serverReply")
        fingerprint = try row.decode(forColumn: "fingerprint")
        createdAt = try row.decode(forColumn: "createdAt")
        updatedAt = try row.decode(forColumn: "updatedAt")
        releasedAt = try row.decode(forColumn: "releasedAt")
        // Only a hint (the text is rendered again without it): a damaged value is no damage.
        renderedFor = (try? row.decode(Date?.self, forColumn: "renderedFor")).flatMap { $0.flatMap { Self.isSane($0) ? $0 : nil } }
        inReplyTo = try row.decode(forColumn: "inReplyTo")
        threadIDs = try row.decode(forColumn: "threadIDs")
        nudge = try row.decode(forColumn: "nudge")
        confirmedAt = try row.decode(forColumn: "confirmedAt")
        colleagueMail = try row.decode(forColumn: "colleagueMail")
        acknowledgedMail = try row.decode(forColumn: "acknowledgedMail")
    }
}

/// One delivery attempt and its outcome.
public struct AttemptRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "attempt"

    public var id: Int64?
    public var messageId: String
    public var startedAt: Date
    public var finishedAt: Date?
    /// The state the attempt led to: sent, deferred, failed, held, uncertain.
    public var outcome: String
    public var smtpCode: Int?
    public var serverText: String?
    public var host: String?

    public init(id: Int64? = nil, messageId: String, startedAt: Date, finishedAt: Date?, outcome: String,
                smtpCode: Int?, serverText: String?, host: String?) {
        self.id = id
        self.messageId = messageId
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.outcome = outcome
        self.smtpCode = smtpCode
        self.serverText = serverText
        self.host = host
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension JSONDecoder {
    static var fuq: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }
}

extension JSONEncoder {
    public static var fuq: JSONEncoder {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.sortedKeys]
        return e
    }
}
