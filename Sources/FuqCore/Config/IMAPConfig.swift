import Foundation

/// How fuq reads the user's mailbox (reply detection) and where it keeps a copy of each sent
/// note. Only present when the config has an `imap:` section.
///
/// Keys under `imap:`:
/// - `url` (text, required): `imaps://host:993/FOLDER` (TLS from the first byte) or
///   `imap://host:143/FOLDER` (STARTTLS, always required). The path names the default folder
///   (default `INBOX`). No user name or password in it.
/// - `username` (text, required): the login name.
/// - `password_command` (text, optional): a shell command whose first output line is the password.
/// - `password_file` (path, optional): a file holding the password; refused if group/world-readable.
///   Without either: `$CREDENTIALS_DIRECTORY/imap-password` (systemd `LoadCredential=`), else
///   the SMTP password (`smtp.password_command`, `smtp.password_file`, `…/smtp-password`).
/// - `token_command` (text, optional): a shell command whose first output line is an OAuth2
///   access token, sent with SASL XOAUTH2 instead of a password (Outlook / Microsoft 365).
///   Not together with `password_command` or `password_file`.
/// - `folders` (list of text, default: the folder in `url`, else `[INBOX]`): where replies are
///   looked for (Gmail: `["INBOX", "[Gmail]/All Mail"]`).
/// - `sent_folder` (text, optional): where a copy of each sent note is stored; default: the
///   folder the server marks `\Sent` (RFC 6154). Gmail files sent mail itself: no copy then.
/// - `ca_file` (path, optional): a private CA bundle to verify the server with.
/// - `connect_timeout` (duration, default `15s`: the TCP connection), `command_timeout` (duration,
///   default `60s`: one whole command, TLS and the login included).
/// - `check_every` (duration, default `4h`, at least `30m`): how often the daemon looks for replies.
public struct IMAPConfig: Sendable, Equatable {
    public var settings: IMAPSettings
    /// `imap.password_command`.
    public var passwordCommand: String?
    /// `imap.password_file`.
    public var passwordFile: String?
    /// `imap.token_command`: prints an OAuth2 bearer token (XOAUTH2).
    public var tokenCommand: String?
    /// `imap.folders`: where replies are looked for; never empty.
    public var folders: [String]
    /// `imap.sent_folder`; nil: the folder LIST marks `\Sent`.
    public var sentFolder: String?
    /// `imap.check_every`.
    public var checkEvery: TimeInterval
    /// The host is Gmail's (`imap.gmail.com`, `imap.googlemail.com`). A server that lists
    /// `[Gmail]` folders is treated alike once connected (see `SentCopy.isGmailStyle`).
    public var isGmail: Bool

    public static let defaultCheckEvery: TimeInterval = 4 * 3600
    public static let minimumCheckEvery: TimeInterval = 30 * 60

    public init(settings: IMAPSettings, passwordCommand: String? = nil, passwordFile: String? = nil, tokenCommand: String? = nil,
                folders: [String]? = nil, sentFolder: String? = nil, checkEvery: TimeInterval = IMAPConfig.defaultCheckEvery,
                isGmail: Bool? = nil) {
        self.settings = settings
        self.passwordCommand = passwordCommand
        self.passwordFile = passwordFile
        self.tokenCommand = tokenCommand
        self.folders = folders ?? [Self.urlFolder(settings.url) ?? "INBOX"]
        self.sentFolder = sentFolder
        self.checkEvery = checkEvery
        self.isGmail = isGmail ?? Self.isGmailHost(URLComponents(string: settings.url)?.host ?? "")
    }

    /// The folder named by the URL's path, nil when it has none.
    static func urlFolder(_ url: String) -> String? {
        guard let path = URLComponents(string: url)?.path.trimmingCharacters(in: CharacterSet(charactersIn: "/")), !path.isEmpty else {
            return nil
        }
        return path
    }

    /// Gmail's IMAP hosts.
    public static func isGmailHost(_ host: String) -> Bool {
        ["imap.gmail.com", "imap.googlemail.com"].contains(host.lowercased())
    }
}

extension FuqConfig {
    static func parseIMAP(_ section: YAMLValue, environment: [String: String]) throws -> IMAPConfig {
        let m = try section.mapping(allowed: [
            "url", "username", "password", "password_command", "password_file", "token_command", "folders", "sent_folder",
            "ca_file", "connect_timeout", "command_timeout", "check_every",
        ])
        if let password = m["password"] {
            throw password.fail("fuq never stores a password in its config; use password_command "
                + "(e.g. `pass show mail/app-password`), password_file (mode 0600), or systemd LoadCredential=imap-password:…")
        }
        let urlValue = try m.require("url", hint: "write the server and folder, e.g. url: imaps://imap.example.com:993/INBOX")
        let url = try urlValue.line("imap.url", limit: 4096)
        guard let parsed = URLComponents(string: url), let scheme = parsed.scheme?.lowercased(), ["imap", "imaps"].contains(scheme),
              let host = parsed.host, !host.isEmpty
        else {
            throw urlValue.fail("expected imaps://host:993/INBOX (TLS) or imap://host:143/INBOX (STARTTLS, always required), got \(SMTPSettings.redacted(url))")
        }
        if parsed.user != nil || parsed.password != nil || url.split(separator: "/").dropFirst(2).first?.contains("@") == true {
            throw urlValue.fail("a user name or password inside imap.url is not allowed (it would be written to logs); "
                + "write \(scheme)://\(SMTPSettings.visibleHost(url) ?? "HOST:PORT")/FOLDER and set imap.username and imap.password_command or password_file")
        }
        if parsed.query != nil || parsed.fragment != nil {
            throw urlValue.fail("imap.url is scheme://host:port/FOLDER (got \(SMTPSettings.redacted(url))); other settings have their own keys")
        }
        let username = try m.require("username", hint: "the login name, usually your email address").line("imap.username")

        let passwordCommand = try m["password_command"]?.line("imap.password_command", limit: 4096)
        let passwordFile = try m["password_file"].map { expand(try $0.line("imap.password_file", limit: 4096), environment: environment) }
        let tokenCommand = try m["token_command"]?.line("imap.token_command", limit: 4096)
        if passwordCommand != nil, passwordFile != nil, let value = m["password_file"] {
            throw value.fail("set either password_command or password_file, not both")
        }
        if tokenCommand != nil, let value = m["token_command"], passwordCommand != nil || passwordFile != nil {
            throw value.fail("token_command logs in with an OAuth2 token (XOAUTH2) instead of a password; "
                + "remove \(passwordCommand != nil ? "password_command" : "password_file") or token_command")
        }

        var folders: [String]?
        if let value = m["folders"] {
            let items = value.isScalar ? [value] : try value.list()
            guard !items.isEmpty else { throw value.fail("list at least one folder, e.g. [INBOX]; leave the key out for the folder in imap.url") }
            folders = try items.map { try $0.line("a folder name", limit: 1000) }
        }
        let sentFolder = try m["sent_folder"]?.line("imap.sent_folder", limit: 1000)

        var settings = IMAPSettings(url: url, username: username)
        settings.caFile = try m["ca_file"].map { expand(try $0.line("imap.ca_file", limit: 4096), environment: environment) }
        settings.connectTimeout = try duration(m["connect_timeout"]) ?? settings.connectTimeout
        settings.commandTimeout = try duration(m["command_timeout"]) ?? settings.commandTimeout
        let checkEvery = try duration(m["check_every"]) ?? IMAPConfig.defaultCheckEvery
        if checkEvery < IMAPConfig.minimumCheckEvery, let value = m["check_every"] {
            throw value.fail("check at most every 30m (got \(DurationText.format(checkEvery))); providers throttle frequent logins, and replies to a thank-you are not urgent")
        }
        return IMAPConfig(settings: settings, passwordCommand: passwordCommand, passwordFile: passwordFile, tokenCommand: tokenCommand,
                          folders: folders, sentFolder: sentFolder, checkEvery: checkEvery)
    }
}
