import CCurl
import Foundation

/// Reads the user's mailbox through libcurl's IMAP client (beside `CurlSMTPTransport`, the only
/// libcurl user). TLS is always required: `imaps://` from the first byte, `imap://` with
/// STARTTLS (`CURLUSESSL_ALL`; a server without it is refused before the password is sent).
///
/// One easy handle lives as long as the client, so several commands share one connection (and
/// one login). Every command is a custom request on a folder URL, so nothing libcurl sends on
/// its own (its URL FETCH says `BODY[]`, which sets `\Seen`) can mark the user's mail read.
/// The conversation is read from the header callback (see `IMAPResponse`); the password (or
/// OAuth2 token) is handed to libcurl once and kept nowhere else, and what fuq sends is never
/// looked at. LIST is asked once per client (a client lives for one check or one delivery run).
public final class CurlIMAPClient: MailboxReader {
    public let host: String
    /// The folder named by the URL's path (default `INBOX`).
    public let defaultFolder: String
    private let settings: IMAPSettings
    private let base: String
    private let handle: UnsafeMutableRawPointer
    private let usesToken: Bool
    private var listed: [MailFolder]?

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    /// - Parameters:
    ///   - password: the login password (nil: none).
    ///   - bearer: an OAuth2 access token instead of a password: SASL XOAUTH2 (Outlook,
    ///     Microsoft 365), via `CURLOPT_XOAUTH2_BEARER`.
    /// - Throws: `MailboxError.settings` for a URL that is not `imap://` or `imaps://` with a
    ///   host, or that carries a user name or password.
    public init(settings: IMAPSettings, password: String?, bearer: String? = nil) throws {
        _ = Self.globalInit
        guard let components = URLComponents(string: settings.url), let hostName = components.host, !hostName.isEmpty,
              let scheme = components.scheme?.lowercased(), scheme == "imap" || scheme == "imaps" else {
            throw MailboxError.settings("imap.url must look like imaps://imap.example.com:993/INBOX or imap://imap.example.com:143/INBOX (STARTTLS); it is \(SMTPSettings.redacted(settings.url))")
        }
        if components.user != nil || components.password != nil {
            throw MailboxError.settings("imap.url must not carry a user name or password (\(SMTPSettings.redacted(settings.url))); use imap.username and imap.password_command")
        }
        if let problem = IMAPString.lineProblem(settings.username) {
            throw MailboxError.settings("imap.username \(problem)")
        }
        let port = components.port ?? (scheme == "imaps" ? 993 : 143)
        let hostPart = hostName.contains(":") && !hostName.hasPrefix("[") ? "[\(hostName)]" : hostName
        host = "\(hostName):\(port)"
        base = "\(scheme)://\(hostPart):\(port)"
        let path = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        defaultFolder = path.isEmpty ? "INBOX" : path
        self.settings = settings
        usesToken = bearer != nil
        guard let handle = curl_easy_init() else { throw MailboxError.settings("libcurl could not start") }
        self.handle = handle
        setString(CURLOPT_USERNAME, settings.username)
        if let password { setString(CURLOPT_PASSWORD, password) }
        if let bearer {
            setString(CURLOPT_XOAUTH2_BEARER, bearer)
            // Only XOAUTH2: with a token and no password, another mechanism the server offers
            // first would fail (or be tried with an empty password).
            setString(CURLOPT_LOGIN_OPTIONS, "AUTH=XOAUTH2")
        }
    }

    deinit { curl_easy_cleanup(handle) }

    // MARK: MailboxReader

    public func search(_ criterion: SearchCriterion, in folder: String) throws -> [UInt32] {
        let responses = try perform(folder: folder, request: "UID SEARCH " + criterion.imapText(), command: "UID SEARCH")
        return IMAPResponse.searchResults(responses)
    }

    public func fetch(uids: [UInt32], in folder: String, headerFields: [String], bodyPrefix: Int?) throws -> [FetchedMessage] {
        guard !uids.isEmpty else { return [] }
        for field in headerFields where field.isEmpty || !field.unicodeScalars.allSatisfy(IMAPString.isHeaderNameCharacter) {
            throw MailboxError.invalidInput(what: "the header \(field.debugDescription)", problem: "a header name is letters, digits and dashes")
        }
        var items = "UID INTERNALDATE FLAGS BODY.PEEK[HEADER.FIELDS (\(headerFields.joined(separator: " ")))]"
        if let bodyPrefix { items += " BODY.PEEK[TEXT]<0.\(max(1, bodyPrefix))>" }
        let set = uids.map(String.init).joined(separator: ",")
        let responses = try perform(folder: folder, request: "UID FETCH \(set) (\(items))", command: "UID FETCH")
        let wanted = Set(uids)
        return IMAPResponse.fetchResults(responses).filter { wanted.contains($0.uid) }
    }

    /// Asked of the server once; later calls return the same list.
    public func folders() throws -> [MailFolder] {
        if let listed { return listed }
        let folders = IMAPResponse.listResults(try perform(folder: nil, request: #"LIST "" "*""#, command: "LIST"))
        listed = folders
        return folders
    }

    @discardableResult
    public func append(_ message: Data, to folder: String) throws -> UInt32? {
        let responses = try perform(folder: folder, request: nil, command: "APPEND", upload: message)
        // "A005 OK [APPENDUID 1795684235 7] Append completed."
        for response in responses.reversed() {
            guard let tagged = response.tagged, tagged.status == "OK", tagged.text.uppercased().hasPrefix("[APPENDUID ") else { continue }
            let parts = tagged.text.dropFirst(1).split(separator: " ")
            if parts.count >= 3 { return UInt32(parts[2].trimmingCharacters(in: CharacterSet(charactersIn: "]"))) }
        }
        return nil
    }

    // MARK: libcurl

    /// What one perform collects: the server's bytes, and the message being uploaded; and what
    /// fuq's own TCP connect (see `imapOpenSocket`) needs and found.
    final class Exchange {
        var received = Data()
        let upload: Data
        var offset = 0
        /// When the TCP connect must be done (`imap.connect_timeout` from the perform's start).
        let connectDeadline: ContinuousClock.Instant
        let connectTimeout: TimeInterval
        /// Why the last TCP connect failed ("no answer within 5 s", "Connection refused").
        var connectFailure: String?
        init(upload: Data, connectTimeout: TimeInterval) {
            self.upload = upload
            self.connectTimeout = connectTimeout
            connectDeadline = .now + .milliseconds(Int(connectTimeout * 1000))
        }
    }

    /// The folder's URL: its name in modified UTF-7 (RFC 3501 §5.1.3; libcurl sends the path's
    /// bytes as they are, and a raw "Ä" is "8bit data in atom" to the server), then
    /// percent-encoded (libcurl decodes the path, then quotes it for SELECT/APPEND itself,
    /// imap.c `imap_atom`).
    func url(folder: String?) -> String {
        guard let folder else { return base + "/" }
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "-._~/")
        let wire = ModifiedUTF7.encode(folder)
        return base + "/" + (wire.addingPercentEncoding(withAllowedCharacters: allowed) ?? wire)
    }

    /// libcurl URL-decodes a custom request (imap.c `imap_parse_custom_request`), so a `%` in a
    /// Message-ID or address would be eaten or rejected: send it as `%25`.
    static func escapedRequest(_ request: String) -> String {
        request.replacingOccurrences(of: "%", with: "%25")
    }

    private func perform(folder: String?, request: String?, command: String, upload: Data? = nil) throws -> [IMAPResponse] {
        if let folder, let problem = IMAPString.lineProblem(folder) {
            throw MailboxError.invalidInput(what: "the folder \(folder.debugDescription)", problem: problem)
        }
        let exchange = Exchange(upload: upload ?? Data(), connectTimeout: settings.connectTimeout)
        let context = Unmanaged.passRetained(exchange)
        defer { context.release() }

        setString(CURLOPT_URL, url(folder: folder))
        if let request {
            setString(CURLOPT_CUSTOMREQUEST, Self.escapedRequest(request))
        } else {
            _ = fuq_curl_setopt_pointer(handle, CURLOPT_CUSTOMREQUEST, nil)
        }
        setLong(CURLOPT_UPLOAD, upload == nil ? 0 : 1)
        if let upload {
            setLong(CURLOPT_INFILESIZE_LARGE, upload.count)
            _ = fuq_curl_setopt_io_callback(handle, CURLOPT_READFUNCTION, imapRead)
            _ = fuq_curl_setopt_pointer(handle, CURLOPT_READDATA, context.toOpaque())
        }
        _ = fuq_curl_setopt_io_callback(handle, CURLOPT_HEADERFUNCTION, imapHeader)
        _ = fuq_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context.toOpaque())
        // Untagged lines also go to the write callback; they are read from the header callback.
        _ = fuq_curl_setopt_io_callback(handle, CURLOPT_WRITEFUNCTION, imapDiscard)
        setLong(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
        setLong(CURLOPT_SSL_VERIFYPEER, 1)
        setLong(CURLOPT_SSL_VERIFYHOST, 2)
        if let ca = settings.caFile { setString(CURLOPT_CAINFO, ca) }
        // libcurl's connect timeout covers its whole "connect phase": TCP, TLS, the greeting and
        // the login, and a server slows a login down after a failed one (Dovecot: 2 s). A short
        // imap.connect_timeout then read a refused password as an unreachable server. So fuq
        // makes the TCP connection itself within imap.connect_timeout (imapOpenSocket), and
        // libcurl's connect phase gets the command's time on top.
        _ = fuq_curl_setopt_opensocket_callback(handle, CURLOPT_OPENSOCKETFUNCTION, imapOpenSocket)
        _ = fuq_curl_setopt_pointer(handle, CURLOPT_OPENSOCKETDATA, context.toOpaque())
        _ = fuq_curl_setopt_sockopt_callback(handle, CURLOPT_SOCKOPTFUNCTION, imapSocketConnected)
        setLong(CURLOPT_CONNECTTIMEOUT_MS, Int((settings.connectTimeout + settings.commandTimeout) * 1000))
        setLong(CURLOPT_TIMEOUT_MS, Int(settings.commandTimeout * 1000))
        setLong(CURLOPT_SERVER_RESPONSE_TIMEOUT, max(1, Int(settings.commandTimeout)))
        // A response line longer than half the buffer is cut to 40 bytes (pingpong.c
        // "Excessive server response line length"): a long SEARCH result would lose UIDs.
        setLong(CURLOPT_BUFFERSIZE, 1 << 20)
        setLong(CURLOPT_NOSIGNAL, 1)

        let code = curl_easy_perform(handle)
        // The exchange ends here: no callback may reach it afterwards.
        _ = fuq_curl_setopt_io_callback(handle, CURLOPT_HEADERFUNCTION, imapDiscard)
        _ = fuq_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, nil)
        _ = fuq_curl_setopt_pointer(handle, CURLOPT_READDATA, nil)
        _ = fuq_curl_setopt_pointer(handle, CURLOPT_OPENSOCKETDATA, nil)
        let responses = IMAPResponse.split(exchange.received)
        guard code != CURLE_OK else { return responses }
        let error = Self.error(curlCode: code, curlMessage: String(cString: curl_easy_strerror(code)), responses: responses,
                         host: host, username: settings.username, folder: folder, command: command,
                         timeout: Int(settings.commandTimeout), connectFailure: exchange.connectFailure)
        if usesToken, case .loginRefused(let host, let username, let serverText) = error {
            throw MailboxError.tokenRefused(host: host, username: username, serverText: serverText)
        }
        throw error
    }

    /// Maps libcurl's result and the server's last refusal to a `MailboxError`.
    /// - Parameter connectFailure: why fuq's own TCP connect failed, if it did.
    static func error(curlCode code: CURLcode, curlMessage: String, responses: [IMAPResponse], host: String, username: String,
                      folder: String?, command: String, timeout: Int, connectFailure: String? = nil) -> MailboxError {
        let refusal = responses.last { ($0.tagged?.status ?? "OK") != "OK" }?.tagged
        let serverText = refusal.map { "\($0.status) \($0.text)" } ?? curlMessage
        let upper = serverText.uppercased()
        let folderMissing = upper.contains("[NONEXISTENT]") || upper.contains("[TRYCREATE]")
            || (!upper.contains("AUTHENTICATIONFAILED") && (upper.contains("MAILBOX") || upper.contains("FOLDER")))
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST:
            return .unreachable(host: host, reason: connectFailure ?? curlMessage)
        case CURLE_OPERATION_TIMEDOUT:
            // Connected (fuq's own connect ends within imap.connect_timeout) but silent: slow, not unreachable.
            return .timedOut(host: host, seconds: timeout)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM:
            return .tls(host: host, reason: curlMessage)
        case CURLE_USE_SSL_FAILED:
            return .startTLSUnavailable(host: host)
        case CURLE_LOGIN_DENIED:
            // libcurl says LOGIN_DENIED for a refused SELECT too (imap.c "Select failed").
            if let folder, refusal != nil, folderMissing { return .noSuchFolder(folder: folder, serverText: serverText) }
            // BAD is a command the server could not parse ("8bit data in atom"), not a password it refused.
            if refusal?.status.uppercased() == "BAD", !upper.contains("AUTHENTICATIONFAILED") {
                return .commandFailed(command: folder.map { "SELECT \"\($0)\"" } ?? command, serverText: serverText)
            }
            return .loginRefused(host: host, username: username, serverText: serverText)
        case CURLE_QUOTE_ERROR, CURLE_UPLOAD_FAILED:
            if let folder, folderMissing { return .noSuchFolder(folder: folder, serverText: serverText) }
            return .commandFailed(command: command, serverText: serverText)
        default:
            if code == CURLE_RECV_ERROR || code == CURLE_GOT_NOTHING, responses.isEmpty {
                return .unreachable(host: host, reason: curlMessage)
            }
            return .failed(host: host, reason: curlMessage + (refusal.map { " (\($0.status) \($0.text))" } ?? ""))
        }
    }

    private func setLong(_ option: CURLoption, _ value: Int) { _ = fuq_curl_setopt_long(handle, option, value) }
    private func setString(_ option: CURLoption, _ value: String) { _ = fuq_curl_setopt_string(handle, option, value) }
}

extension IMAPString {
    /// Nil when `text` has no CR, LF or NUL; else what is wrong.
    static func lineProblem(_ text: String) -> String? {
        text.unicodeScalars.contains { $0 == "\r" || $0 == "\n" || $0 == "\0" } ? "contains a line break" : nil
    }

    /// Letters, digits and dashes: what a header field name in a command may hold.
    static func isHeaderNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-")
    }
}

private func imapHeader(_ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userdata: UnsafeMutableRawPointer?) -> Int {
    guard let buffer, let userdata else { return 0 }
    let exchange = Unmanaged<CurlIMAPClient.Exchange>.fromOpaque(userdata).takeUnretainedValue()
    exchange.received.append(UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self), count: size * count)
    return size * count
}

private func imapRead(_ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userdata: UnsafeMutableRawPointer?) -> Int {
    guard let buffer, let userdata else { return 0 }
    let exchange = Unmanaged<CurlIMAPClient.Exchange>.fromOpaque(userdata).takeUnretainedValue()
    let n = min(size * count, exchange.upload.count - exchange.offset)
    guard n > 0 else { return 0 }
    exchange.upload.withUnsafeBytes { raw in
        UnsafeMutableRawPointer(buffer).copyMemory(from: raw.baseAddress!.advanced(by: exchange.offset), byteCount: n)
    }
    exchange.offset += n
    return n
}

/// libcurl's socket for an IMAP connection, connected by fuq within `imap.connect_timeout`
/// (the time left until the exchange's deadline, several addresses sharing it). A socket that
/// cannot connect is CURL_SOCKET_BAD (libcurl: "Couldn't connect"), its reason kept.
private func imapOpenSocket(_ clientp: UnsafeMutableRawPointer?, _ purpose: curlsocktype, _ address: UnsafeMutablePointer<curl_sockaddr>?) -> curl_socket_t {
    guard let clientp, let address else { return CURL_SOCKET_BAD }
    let exchange = Unmanaged<CurlIMAPClient.Exchange>.fromOpaque(clientp).takeUnretainedValue()
    let family = address.pointee.family, length = socklen_t(address.pointee.addrlen)
    let fd = socket(family, address.pointee.socktype | Int32(SOCK_CLOEXEC.rawValue), address.pointee.protocol)
    guard fd >= 0 else {
        exchange.connectFailure = String(cString: strerror(errno))
        return CURL_SOCKET_BAD
    }
    let flags = fcntl(fd, F_GETFL)
    _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
    let socketAddress = UnsafeRawPointer(address).advanced(by: MemoryLayout<curl_sockaddr>.offset(of: \curl_sockaddr.addr)!)
        .assumingMemoryBound(to: sockaddr.self)
    var problem: Int32 = 0
    if connect(fd, socketAddress, length) != 0 {
        problem = errno
        if problem == EINPROGRESS || problem == EINTR {
            problem = ETIMEDOUT
            while true {
                let left = ContinuousClock.now.duration(to: exchange.connectDeadline)
                let milliseconds = max(0, Int32(clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
                var pollfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                let ready = poll(&pollfd, 1, milliseconds)
                if ready < 0 && errno == EINTR { continue }
                if ready > 0 {
                    var error: Int32 = 0
                    var size = socklen_t(MemoryLayout<Int32>.size)
                    problem = getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) == 0 ? error : errno
                }
                break
            }
        }
    }
    guard problem == 0 else {
        close(fd)
        exchange.connectFailure = problem == ETIMEDOUT
            ? "no answer within \(DurationText.format(exchange.connectTimeout)), imap.connect_timeout"
            : String(cString: strerror(problem))
        return CURL_SOCKET_BAD
    }
    return fd
}

/// The socket `imapOpenSocket` made is connected: libcurl goes on from there.
private func imapSocketConnected(_ clientp: UnsafeMutableRawPointer?, _ fd: curl_socket_t, _ purpose: curlsocktype) -> Int32 {
    CURL_SOCKOPT_ALREADY_CONNECTED
}

private func imapDiscard(_ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userdata: UnsafeMutableRawPointer?) -> Int {
    size * count
}
