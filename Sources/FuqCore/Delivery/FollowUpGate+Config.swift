import Foundation
import Logging

extension FollowUpGate {
    /// The gate as the configuration sets it up: the mailbox from `imap` (nil without it).
    public static func make(store: QueueStore, config: FuqConfig, now: @escaping () -> Date = Date.init, logger: Logger) -> FollowUpGate {
        guard let imap = config.imap else {
            return FollowUpGate(store: store, config: config, openMailbox: nil, folders: ["INBOX"], now: now, logger: logger)
        }
        let smtp = config.smtp
        return FollowUpGate(store: store, config: config, openMailbox: { try MailboxSession.open(imap, smtp: smtp) },
                            folders: imap.folders, now: now, logger: logger)
    }

    /// How often the mailbox is read while a follow-up waits (`imap.check_every`).
    public static func checkInterval(_ config: FuqConfig) -> TimeInterval { config.imap?.checkEvery ?? 4 * 3600 }

    /// When the next periodic reply check is due (nil: none waits, or no mailbox): the
    /// daemon wakes for it, and never polls otherwise.
    public func nextReplyCheck() throws -> Date? {
        guard openMailbox != nil else { return nil }
        let every = Self.checkInterval(config)
        return try store.interviewsAwaitingReply().map { $0.since.addingTimeInterval(every) }.min()
    }

    /// Reads the mailbox for every interview whose periodic check is due: a reply cancels its
    /// follow-ups at once, a bounce marks its thank-you, long before the follow-up's own time.
    public func runDueReplyChecks() throws -> [Stop] {
        guard let open = openMailbox else { return [] }
        let every = Self.checkInterval(config)
        let due = try store.interviewsAwaitingReply().filter { $0.since.addingTimeInterval(every) <= now() }
        guard !due.isEmpty else { return [] }
        var mailbox: MailboxReader?
        var stops: [Stop] = []
        for (interview, _) in due {
            let outcome = ReplyCheck(store: store, config: config, folders: folders, now: now, logger: logger)
                .run(interview, notes: try store.messages(interview: interview.id)) {
                    if let mailbox { return mailbox }
                    mailbox = OneFailureMailbox(try open())
                    return mailbox!
                }
            stops += outcome.stops
        }
        return stops
    }
}
