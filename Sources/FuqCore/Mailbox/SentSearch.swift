import Foundation
import Logging

/// Looks for notes in the user's mailbox by Message-ID: an `uncertain` note (fuq stopped while
/// the server had it) that is in Sent — Gmail files what its SMTP sends there by itself — or in
/// a watched folder (a copy to oneself, `sender.bcc_self`) did go out.
public enum SentSearch {
    /// One note found.
    public struct Match: Sendable, Equatable {
        /// As stored in the queue, `<…@…>`.
        public var messageID: String
        public var folder: String
        /// When the server stored it there (its INTERNALDATE), if it said.
        public var storedAt: Date?

        public init(messageID: String, folder: String, storedAt: Date? = nil) {
            self.messageID = messageID
            self.folder = folder
            self.storedAt = storedAt
        }
    }

    /// The Message-IDs (as given) found in the Sent folder or `imap.folders`.
    public static func find(messageIDs: [String], config: IMAPConfig, reader: MailboxReader) throws -> Set<String> {
        Set(try locate(messageIDs: messageIDs, config: config, reader: reader).map(\.messageID))
    }

    /// Where each of `messageIDs` was found (the first folder it is in); ids not found are left out.
    public static func locate(messageIDs: [String], config: IMAPConfig, reader: MailboxReader) throws -> [Match] {
        guard !messageIDs.isEmpty else { return [] }
        var wanted: [String: String] = [:]
        for id in messageIDs { wanted[bare(id)] = id }
        var matches: [Match] = []
        for folder in try folders(config, listed: reader.folders()) where !wanted.isEmpty {
            // A few dozen ids per SEARCH keeps the command short; HEADER is a substring match,
            // so each hit's Message-ID is read back and compared exactly.
            let ids = Array(wanted.values).sorted()
            for start in stride(from: 0, to: ids.count, by: 32) {
                let chunk = ids[start..<min(start + 32, ids.count)].map { SearchCriterion.header(field: "Message-ID", contains: bare($0)) }
                let uids = try reader.search(SearchCriterion.anyOf(chunk)!, in: folder)
                for message in try reader.fetch(uids: uids, in: folder, headerFields: ["Message-ID"], bodyPrefix: nil) {
                    guard let header = message.headers["Message-ID"] else { continue }
                    for found in MailHeaders.messageIDs(in: header) {
                        guard let original = wanted.removeValue(forKey: found) else { continue }
                        matches.append(Match(messageID: original, folder: folder, storedAt: message.internalDate))
                    }
                }
            }
        }
        return matches
    }

    /// The folders searched, in order: the Sent folder (`imap.sent_folder`, else the one marked
    /// `\Sent`; on Gmail "All Mail", which holds everything), then `imap.folders`.
    public static func folders(_ config: IMAPConfig, listed: [MailFolder]) -> [String] {
        var names: [String] = []
        if SentCopy.isGmailStyle(config, folders: listed) {
            let all = listed.first { $0.has("\\All") && !$0.has("\\Noselect") }?.name
                ?? listed.first { $0.name.hasSuffix("]/All Mail") }?.name
            if let all { names.append(all) }
        }
        if let sent = config.sentFolder ?? MailFolder.sent(in: listed)?.name { names.append(sent) }
        for folder in config.folders where !names.contains(folder) { names.append(folder) }
        return names
    }

    /// `<id@host>` → `id@host`, as `MailHeaders.messageIDs` gives them.
    static func bare(_ id: String) -> String {
        var text = id.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("<"), text.hasSuffix(">") { text = String(text.dropFirst().dropLast()) }
        return text
    }

    /// Looks for every `uncertain` note of the queue in the mailbox and records the ones found
    /// as sent (`QueueStore.resolveUncertainFromSent`). The mailbox is opened only when there
    /// is an uncertain note.
    /// - Returns: the notes now `sent`.
    /// - Parameter policy: places the follow-ups of a note found sent.
    public static func resolveUncertain(in store: QueueStore, config: IMAPConfig, now: Date, policy: SendWindowPolicy = .standard,
                                        open: () throws -> MailboxReader) throws -> [MessageRecord] {
        let uncertain = try store.messages(includeFinished: false).filter { $0.state == .uncertain }
        guard !uncertain.isEmpty else { return [] }
        let reader = try open()
        let found = try locate(messageIDs: uncertain.map(\.messageId), config: config, reader: reader)
        return try store.resolveUncertainFromSent(found, host: reader.host, now: now, policy: policy)
    }

    /// `resolveUncertain` for a delivery run's start-up: failures are logged, never thrown (the
    /// notes stay `uncertain`, as without a mailbox).
    @discardableResult
    public static func resolveUncertain(in store: QueueStore, config: IMAPConfig, smtp: SMTPSettings, logger: Logger,
                                        now: Date, policy: SendWindowPolicy = .standard) -> [MessageRecord] {
        do {
            let resolved = try resolveUncertain(in: store, config: config, now: now, policy: policy) { try MailboxSession.open(config, smtp: smtp) }
            for m in resolved {
                logger.notice("an uncertain note was found in the mailbox; recorded as sent", metadata: [
                    "mail.id": "\(m.id)", "mail.to": "\(m.recipientEmail)", "reason": "\(m.serverReply ?? "")",
                ])
            }
            return resolved
        } catch {
            logger.warning("could not look for the uncertain notes in the mailbox; they stay uncertain", metadata: [
                "error": "\((error as? LocalizedError)?.errorDescription ?? "\(error)")",
            ])
            return []
        }
    }
}
