import Foundation

/// How fuq reaches the user's mailbox: the connection part of `IMAPConfig` (read from the
/// `imap.*` keys; see there for the file's keys and defaults).
///
/// - `url`: `imaps://host:993/FOLDER` (TLS from the first byte) or `imap://host:143/FOLDER`
///   (STARTTLS, always required). The path names the default folder (default `INBOX`).
/// - `username`: the login name. The password is handed to `CurlIMAPClient` separately.
/// - `caFile`: a private CA bundle to verify the server with (nil: the system's).
/// - `connectTimeout` (default 15 s): the TCP connection only. `commandTimeout` (default 60 s):
///   one whole operation, TLS and the login included (a server may pause before refusing a login).
public struct IMAPSettings: Sendable, Equatable {
    public var url: String
    public var username: String
    public var caFile: String?
    public var connectTimeout: TimeInterval
    public var commandTimeout: TimeInterval

    public init(url: String, username: String, caFile: String? = nil, connectTimeout: TimeInterval = 15,
                commandTimeout: TimeInterval = 60) {
        self.url = url
        self.username = username
        self.caFile = caFile
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
    }
}
