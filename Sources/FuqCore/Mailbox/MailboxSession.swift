import Foundation

/// Opens the user's mailbox as the config says: finds the password (or OAuth2 token) and
/// builds the client. Nothing is sent until the first command (the client logs in then).
public enum MailboxSession {
    /// What logs in: a password, an OAuth2 token, or nothing (a server that needs neither).
    public enum Secret: Equatable {
        case password(String)
        case bearer(String)
        case none

        /// Which key it came from, for `fuq doctor` ("read from imap.password_file …").
        public static func source(_ imap: IMAPConfig, smtp: SMTPSettings, environment: [String: String]) -> String {
            if imap.tokenCommand != nil { return "an OAuth2 token from imap.token_command" }
            let keys = PasswordSource.Keys.imap(imap)
            if let file = imap.passwordFile { return "imap.password_file \(file)" }
            if imap.passwordCommand != nil { return "imap.password_command" }
            if keys.credentialPath(environment: environment) != nil { return "$CREDENTIALS_DIRECTORY/imap-password" }
            let smtpKeys = PasswordSource.Keys.smtp(smtp)
            if smtp.passwordCommand != nil { return "smtp.password_command (the SMTP password)" }
            if let file = smtp.passwordFile { return "smtp.password_file \(file) (the SMTP password)" }
            if smtpKeys.credentialPath(environment: environment) != nil { return "$CREDENTIALS_DIRECTORY/smtp-password (the SMTP password)" }
            return "nowhere"
        }
    }

    /// The secret for `imap`: `imap.token_command`, else `imap.password_command`, else
    /// `imap.password_file`, else `$CREDENTIALS_DIRECTORY/imap-password`, else the SMTP
    /// password's sources (most providers take one app password for both).
    /// - Throws: `MailboxError.credentials` naming the `imap.*` (or `smtp.*`) key at fault.
    public static func secret(_ imap: IMAPConfig, smtp: SMTPSettings,
                              environment: [String: String] = ProcessInfo.processInfo.environment,
                              commandTimeout: TimeInterval = PasswordSource.commandTimeout) throws -> Secret {
        do {
            if let command = imap.tokenCommand {
                return .bearer(try PasswordSource.runCommand(command, key: "imap.token_command", timeout: commandTimeout))
            }
            let own = PasswordSource.Keys.imap(imap)
            if own.isAvailable(environment: environment) {
                return try PasswordSource.resolve(own, environment: environment, commandTimeout: commandTimeout).map(Secret.password) ?? .none
            }
            if let password = try PasswordSource.resolve(.smtp(smtp), environment: environment, commandTimeout: commandTimeout) {
                return .password(password)
            }
        } catch let error as DeliveryError {
            throw MailboxError.credentials(error.errorDescription ?? "\(error)")
        }
        throw MailboxError.credentials("no password for imap.username \(imap.settings.username): add imap.password_command or imap.password_file "
            + "(or imap.token_command for OAuth2), start fuq with systemd LoadCredential=imap-password:…, "
            + "or set smtp.password_command / smtp.password_file to use the SMTP password")
    }

    /// A client for `imap`, its secret resolved (see `secret`). The secret is handed to
    /// libcurl and kept nowhere else.
    public static func open(_ imap: IMAPConfig, smtp: SMTPSettings) throws -> CurlIMAPClient {
        try open(imap, smtp: smtp, environment: ProcessInfo.processInfo.environment)
    }

    public static func open(_ imap: IMAPConfig, smtp: SMTPSettings, environment: [String: String]) throws -> CurlIMAPClient {
        switch try secret(imap, smtp: smtp, environment: environment) {
        case .password(let password): return try CurlIMAPClient(settings: imap.settings, password: password)
        case .bearer(let token): return try CurlIMAPClient(settings: imap.settings, password: nil, bearer: token)
        case .none: return try CurlIMAPClient(settings: imap.settings, password: nil)
        }
    }
}
