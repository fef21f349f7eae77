import Foundation

/// Keeps a copy of each sent note in the user's Sent folder, as a mail client does, so the
/// thread is complete in their mailbox. Gmail files mail sent through its SMTP into Sent by
/// itself: there nothing is stored (it would appear twice).
public enum SentCopy {
    /// Stores `message` (the exact bytes that went out) in the Sent folder, flagged `\Seen`.
    /// - Returns: the folder used, or nil when skipped because the account is Gmail-style.
    /// - Throws: `MailboxError.noSentFolder` when no folder is marked `\Sent` and
    ///   `imap.sent_folder` is not set; any error of the server.
    @discardableResult
    public static func append(_ message: Data, config: IMAPConfig, reader: MailboxReader) throws -> String? {
        let folders = try reader.folders()
        if isGmailStyle(config, folders: folders) { return nil }
        let folder = try sentFolder(config, folders: folders, host: reader.host)
        try reader.append(message, to: folder)
        return folder
    }

    /// `imap.sent_folder`, else the folder LIST marks `\Sent`.
    /// - Throws: `MailboxError.noSentFolder` when there is neither.
    public static func sentFolder(_ config: IMAPConfig, folders: [MailFolder], host: String) throws -> String {
        if let name = config.sentFolder { return name }
        if let sent = MailFolder.sent(in: folders) { return sent.name }
        throw MailboxError.noSentFolder(host: host, folders: folders.filter { !$0.has("\\Noselect") }.map(\.name))
    }

    /// Gmail, by its host or by its `[Gmail]` (`[Google Mail]` in some countries) folders.
    public static func isGmailStyle(_ config: IMAPConfig, folders: [MailFolder]) -> Bool {
        config.isGmail || folders.contains { folder in
            ["[Gmail]", "[Google Mail]"].contains { folder.name == $0 || folder.name.hasPrefix($0 + (folder.delimiter ?? "/")) }
        }
    }
}

/// The copies in Sent of one delivery run: the mailbox is opened at the first sent note, and
/// only once (a refused login is not tried again for every note: repeated failed logins can
/// lock the account). A copy that fails — a server that never answers, a folder that is not
/// there — is not tried again for the run's other notes: each would wait out the same timeout
/// before its delivery (issue 25's adversarial pass, F16).
public final class SentCopier {
    public typealias Opener = (IMAPConfig, SMTPSettings) throws -> MailboxReader

    private let config: IMAPConfig
    private let smtp: SMTPSettings
    private let openReader: Opener
    private var reader: MailboxReader?
    private var openError: Error?
    /// The first failed copy of the run: (note id, why).
    private var failed: (id: String, why: String)?

    public init(config: IMAPConfig, smtp: SMTPSettings, open: @escaping Opener = { try MailboxSession.open($0, smtp: $1) }) {
        self.config = config
        self.smtp = smtp
        self.openReader = open
    }

    /// Stores the copy of a note the report says was sent (does nothing for other outcomes).
    /// Never changes the note's state.
    /// - Returns: nil when stored (or not needed); else what to tell the user: the note was
    ///   sent, the copy could not be stored, and why.
    public func keep(_ report: DeliveryReport) -> String? {
        guard report.message.state == .sent, let data = report.data else { return nil }
        if let failed {
            return "\(report.message.id) to \(report.message.recipientEmail) WAS sent; its copy was not stored in your Sent folder, "
                + "as for \(failed.id) earlier in this run (\(failed.why))"
        }
        do {
            if reader == nil, openError == nil {
                do { reader = try openReader(config, smtp) } catch { openError = error }
            }
            if let openError { throw openError }
            try SentCopy.append(data, config: config, reader: reader!)
            return nil
        } catch {
            let why = (error as? LocalizedError)?.errorDescription ?? "\(error)"
            failed = (report.message.id, why)
            return "\(report.message.id) to \(report.message.recipientEmail) WAS sent, but its copy could not be stored in your Sent folder: \(why)"
        }
    }
}
