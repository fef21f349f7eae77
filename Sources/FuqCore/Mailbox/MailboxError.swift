import Foundation

/// Why the mailbox could not be read or written. Never carries the password: only the host,
/// the user name, the folder and the server's own words.
public enum MailboxError: LocalizedError, Equatable {
    /// The IMAP settings cannot be used (missing or malformed URL, a password in the URL, …).
    case settings(String)
    /// A value fuq was asked to put into an IMAP command cannot go there (a line break, a
    /// character IMAP cannot carry in a quoted string).
    case invalidInput(what: String, problem: String)
    /// No connection: refused, unresolvable, or no answer within the connect timeout.
    case unreachable(host: String, reason: String)
    /// The TLS handshake or the certificate check failed.
    case tls(host: String, reason: String)
    /// An `imap://` server did not offer STARTTLS; fuq never logs in without TLS.
    case startTLSUnavailable(host: String)
    /// No password or token could be found or read (the message names the `imap.*` key).
    case credentials(String)
    /// The server marks no folder `\Sent` and `imap.sent_folder` is not set.
    case noSentFolder(host: String, folders: [String])
    /// The server refused the user name or password.
    case loginRefused(host: String, username: String, serverText: String)
    /// The server refused the OAuth2 token from `imap.token_command` (XOAUTH2).
    case tokenRefused(host: String, username: String, serverText: String)
    /// The folder does not exist (or the user may not open it).
    case noSuchFolder(folder: String, serverText: String)
    /// The server answered a command with NO or BAD.
    case commandFailed(command: String, serverText: String)
    /// The server stopped answering within the timeout.
    case timedOut(host: String, seconds: Int)
    /// Anything else libcurl reports (its own words, and the server's last line if any).
    case failed(host: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .settings(let text):
            return text
        case .invalidInput(let what, let problem):
            return "cannot search the mailbox for \(what): \(problem)"
        case .unreachable(let host, let reason):
            return "cannot reach the IMAP server \(host) (\(reason)); check imap.url's host and port (993 imaps, 143 imap+STARTTLS) and the network"
        case .tls(let host, let reason):
            return "TLS with the IMAP server \(host) failed: \(reason); check imap.url's port (993 imaps, 143 imap+STARTTLS) and imap.ca_file"
        case .startTLSUnavailable(let host):
            return "the IMAP server \(host) does not offer STARTTLS, and fuq never sends a password without TLS; use imaps://…:993 or another server"
        case .credentials(let text):
            return text
        case .noSentFolder(let host, let folders):
            let shown = folders.prefix(12).map { "\"\($0)\"" }.joined(separator: ", ") + (folders.count > 12 ? ", …" : "")
            return "the mailbox on \(host) marks no folder as Sent (\\Sent); set imap.sent_folder to the one your mail client keeps sent mail in (the server has \(shown.isEmpty ? "no folders" : shown))"
        case .loginRefused(let host, let username, let serverText):
            return "the IMAP server \(host) refused the login for \(username) (\(serverText)); check imap.username and the password (many providers need an app password)"
        case .tokenRefused(let host, let username, let serverText):
            return "the IMAP server \(host) refused the OAuth2 token for \(username) (\(serverText)); check that imap.token_command prints a fresh access token for this account, with IMAP access granted (Microsoft 365: the IMAP.AccessAsUser.All scope)"
        case .noSuchFolder(let folder, let serverText):
            return "the mailbox has no folder \"\(folder)\" (\(serverText)); check imap.folders and imap.sent_folder"
        case .commandFailed(let command, let serverText):
            return "the IMAP server refused \(command) (\(serverText)); `fuq doctor` checks the IMAP settings and folders"
        case .timedOut(let host, let seconds):
            return "the IMAP server \(host) did not answer within \(seconds) s; try again later"
        case .failed(let host, let reason):
            // Most often a connection cut mid-answer (a network blip, a proxy, the server
            // restarting): nothing was changed in the mailbox, and trying again is safe.
            return "reading the mailbox on \(host) failed: \(reason). Nothing in the mailbox was changed; this is usually a dropped "
                + "connection, so try again (`fuq doctor` checks the IMAP settings; the daemon tries again at its next check)"
        }
    }
}
