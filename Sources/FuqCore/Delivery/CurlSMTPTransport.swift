import CCurl
import Foundation

/// Delivers through libcurl's SMTP client. The only code in fuq that touches libcurl.
///
/// One easy handle lives as long as the transport, so libcurl keeps the connection open
/// between messages of one flush. Server replies are read from the debug callback
/// (`CURLINFO_HEADER_IN` only: what the client sends, AUTH included, is never looked at).
public final class CurlSMTPTransport: MailTransport {
    public let host: String
    private let settings: SMTPSettings
    private let password: String?
    private let handle: UnsafeMutableRawPointer
    private let url: String

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    /// - Throws: `DeliveryError.settings` when `smtp.url` is missing or `tls: none` is used off loopback.
    public init(settings: SMTPSettings, password: String?) throws {
        _ = Self.globalInit
        guard let url = settings.url, let components = URLComponents(string: url), let hostName = components.host else {
            throw DeliveryError.settings("smtp.url is not set; add e.g. `url: smtps://smtp.example.com:465` under `smtp:` in your config")
        }
        if components.user != nil || components.password != nil {
            throw DeliveryError.settings("smtp.url must not carry a user name or password (\(SMTPSettings.redacted(url))); use smtp.username and smtp.password_command")
        }
        let scheme = components.scheme?.lowercased() ?? "smtp"
        if settings.tls == .none {
            guard SMTPSettings.isLoopback(host: hostName) else {
                throw DeliveryError.settings("smtp.tls: none is only allowed for a server on this machine (127.0.0.1, ::1, localhost); \(hostName) needs TLS")
            }
        }
        let port = components.port ?? (scheme == "smtps" ? 465 : 25)
        self.host = "\(hostName):\(port)"
        self.settings = settings
        self.password = password
        self.url = url
        guard let handle = curl_easy_init() else { throw DeliveryError.settings("libcurl could not start") }
        self.handle = handle
        // The sockets libcurl opens for this handle, so that a connection that stopped
        // answering can be cut (see `Sockets`). The box lives as long as the handle.
        let box = Unmanaged.passUnretained(sockets).toOpaque()
        _ = fuq_curl_setopt_sockopt_callback(handle, CURLOPT_SOCKOPTFUNCTION, curlSocketOpened)
        _ = fuq_curl_setopt_pointer(handle, CURLOPT_SOCKOPTDATA, box)
        _ = fuq_curl_setopt_closesocket_callback(handle, CURLOPT_CLOSESOCKETFUNCTION, curlCloseSocket)
        _ = fuq_curl_setopt_pointer(handle, CURLOPT_CLOSESOCKETDATA, box)
    }

    /// The sockets of this handle's connections that libcurl has not closed yet.
    ///
    /// libcurl says QUIT before it closes a connection and waits up to `reply_timeout` for the
    /// answer — also on a connection whose server just stopped answering, which doubled the
    /// cost of every stall. fuq never needs that answer: when QUIT goes out, and after a
    /// failed attempt, the sockets are shut down, so libcurl's wait ends at once.
    final class Sockets {
        var open: Set<Int32> = []
        func cut() { for fd in open { shutdown(fd, Int32(SHUT_RDWR)) } }
    }

    private let sockets = Sockets()

    deinit { curl_easy_cleanup(handle) }

    /// A second transport to the same server with the same credentials: its own handle, so
    /// its own connection (`smtp.connections`).
    public func another() throws -> CurlSMTPTransport {
        try CurlSMTPTransport(settings: settings, password: password)
    }

    /// Collects what the server says, and the body being uploaded.
    final class Exchange {
        var replies: [String] = []
        var partial = ""
        let data: Data
        var offset = 0
        var keepTLSNote = false
        var tlsNote: String?
        var sockets: Sockets?
        init(data: Data) { self.data = data }
    }

    public func send(_ envelope: Envelope) -> DeliveryResult {
        let exchange = Exchange(data: envelope.data)
        let context = Unmanaged.passRetained(exchange)
        defer { context.release() }
        var recipients: UnsafeMutablePointer<curl_slist>?
        for rcpt in envelope.recipients { recipients = curl_slist_append(recipients, "<\(rcpt)>") }
        defer { curl_slist_free_all(recipients) }

        configureConnection(context: context.toOpaque())
        setString(CURLOPT_MAIL_FROM, "<\(envelope.from)>")
        _ = fuq_curl_setopt_slist(handle, CURLOPT_MAIL_RCPT, recipients)
        setLong(CURLOPT_UPLOAD, 1)
        setLong(CURLOPT_INFILESIZE_LARGE, envelope.data.count)
        _ = fuq_curl_setopt_io_callback(handle, CURLOPT_READFUNCTION, curlRead)
        _ = fuq_curl_setopt_pointer(handle, CURLOPT_READDATA, context.toOpaque())

        // A connection that failed (a timeout above all) is never used again: libcurl may
        // otherwise keep it and send the next note's MAIL FROM into a server that stopped answering.
        setLong(CURLOPT_FRESH_CONNECT, lastFailed ? 1 : 0)
        let code = curl_easy_perform(handle)
        lastFailed = code != CURLE_OK
        // A connection kept after a failure would be closed later with a QUIT and a wait.
        if lastFailed { sockets.cut() }
        if !exchange.partial.isEmpty { exchange.replies.append(exchange.partial) }
        // The body bytes written to the connection (dot-stuffed, so at least as many as the note
        // has once all are out); libcurl writes the final dot right after them.
        var written: curl_off_t = 0
        _ = fuq_curl_getinfo_off_t(handle, CURLINFO_SIZE_UPLOAD_T, &written)
        return Self.classify(curlCode: Int(code.rawValue), replies: exchange.replies,
                             curlMessage: String(cString: curl_easy_strerror(code)),
                             bodyWritten: exchange.offset == exchange.data.count && Int(written) >= exchange.data.count)
    }

    /// The last `send` failed: the next one opens a new connection.
    private var lastFailed = false

    /// What `fuq doctor` learns from one session that connects, says EHLO, starts TLS,
    /// authenticates and then only says NOOP: nothing is sent.
    public struct ConnectionCheck: Sendable {
        /// The outcome a real delivery would have had (`sent` means everything worked).
        public var result: DeliveryResult
        /// Every line the server said, in order (greeting, EHLO capabilities, …).
        public var replies: [String]
        /// libcurl's note on the TLS session, e.g. "SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384".
        public var tls: String?
        /// Whether a TCP connection was made at all.
        public var connected: Bool
        /// Seconds the check took.
        public var seconds: Double
        /// libcurl's own words for what went wrong ("No error" when nothing did).
        public var curlMessage: String
        /// The first step that did not work; nil when all did.
        public var failedStep: Step?

        public enum Step: String, Sendable { case connect, greeting, tls, auth, server }

        /// The capabilities of the last EHLO answer (after STARTTLS, when there was one).
        public var capabilities: [String] {
            var block: [String] = []
            var current: [String] = []
            for line in replies where line.hasPrefix("250") {
                current.append(String(line.dropFirst(4)))
                if line.hasPrefix("250 ") { if current.count > 1 { block = current }; current = [] }
            }
            return Array(block.dropFirst())
        }
    }

    public func check() -> ConnectionCheck {
        let exchange = Exchange(data: Data())
        let context = Unmanaged.passRetained(exchange)
        defer { context.release() }
        configureConnection(context: context.toOpaque())
        exchange.keepTLSNote = true
        setLong(CURLOPT_UPLOAD, 0)
        _ = fuq_curl_setopt_slist(handle, CURLOPT_MAIL_RCPT, nil)
        setString(CURLOPT_CUSTOMREQUEST, "NOOP")
        // The NOOP reply arrives as "body"; discard it (the debug callback has already seen it).
        _ = fuq_curl_setopt_io_callback(handle, CURLOPT_WRITEFUNCTION, curlDiscard)
        let started = Date()
        let code = curl_easy_perform(handle)
        _ = fuq_curl_setopt_pointer(handle, CURLOPT_CUSTOMREQUEST, nil)
        if !exchange.partial.isEmpty { exchange.replies.append(exchange.partial) }
        var connectedPort = 0
        _ = fuq_curl_getinfo_long(handle, CURLINFO_PRIMARY_PORT, &connectedPort)
        let curlMessage = String(cString: curl_easy_strerror(code))
        let result = Self.classify(curlCode: Int(code.rawValue), replies: exchange.replies, curlMessage: curlMessage)
        let connected = connectedPort > 0 || !exchange.replies.isEmpty
        let step: ConnectionCheck.Step?
        switch code {
        case CURLE_OK: step = nil
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST: step = .connect
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE,
             CURLE_SSL_CERTPROBLEM, CURLE_USE_SSL_FAILED:
            step = .tls
        case CURLE_LOGIN_DENIED: step = .auth
        default: step = !connected ? .connect : exchange.replies.isEmpty ? .greeting : .server
        }
        return ConnectionCheck(result: result, replies: exchange.replies, tls: exchange.tlsNote, connected: connected,
                               seconds: Date().timeIntervalSince(started), curlMessage: curlMessage, failedStep: step)
    }

    /// URL, TLS, credentials, timeouts and the reply-capturing debug callback.
    private func configureConnection(context: UnsafeMutableRawPointer) {
        Unmanaged<Exchange>.fromOpaque(context).takeUnretainedValue().sockets = sockets
        setString(CURLOPT_URL, url)
        setLong(CURLOPT_VERBOSE, 1)
        _ = fuq_curl_setopt_debug_callback(handle, CURLOPT_DEBUGFUNCTION, curlDebug)
        _ = fuq_curl_setopt_pointer(handle, CURLOPT_DEBUGDATA, context)
        if let username = settings.username { setString(CURLOPT_USERNAME, username) }
        if let password { setString(CURLOPT_PASSWORD, password) }
        if settings.tls == .required {
            setLong(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
        }
        setLong(CURLOPT_SSL_VERIFYPEER, 1)
        setLong(CURLOPT_SSL_VERIFYHOST, 2)
        if let ca = settings.caFile { setString(CURLOPT_CAINFO, ca) }
        setLong(CURLOPT_CONNECTTIMEOUT_MS, Int(settings.connectTimeout * 1000))
        setLong(CURLOPT_TIMEOUT_MS, Int(settings.messageTimeout * 1000))
        // Per-reply timeout: each reply (the greeting included) must come within reply_timeout,
        // and the body upload must not stall for longer than that.
        setLong(CURLOPT_SERVER_RESPONSE_TIMEOUT, max(1, Int(settings.replyTimeout)))
        setLong(CURLOPT_LOW_SPEED_LIMIT, 1)
        setLong(CURLOPT_LOW_SPEED_TIME, max(1, Int(settings.replyTimeout)))
        setLong(CURLOPT_NOSIGNAL, 1)
    }

    /// Maps libcurl's result and the server's last reply to an outcome. libcurl says
    /// CURLE_WEIRD_SERVER_REPLY for both 4xx and 5xx after DATA, so the reply code decides.
    ///
    /// `bodyWritten`: libcurl wrote the whole message to the connection, and the final dot
    /// right after it. If the server then said "354" and nothing after it, the note may have
    /// reached it and been accepted: that attempt is `uncertain`, not retried on its own — unless
    /// writing failed (`CURLE_SEND_ERROR`): then the final dot never reached the server, and a
    /// server accepts nothing without it. A body cut short is the same: deferred, tried again.
    ///
    /// A timeout (`CURLE_OPERATION_TIMEDOUT`) or an unanswered final dot marks the result
    /// `serverStopped`: the run does not use that connection again (see `DeliveryRunner`).
    static func classify(curlCode: Int, replies: [String], curlMessage: String, bodyWritten: Bool = false) -> DeliveryResult {
        // libcurl says QUIT after a failure; its "221 Bye" is not the answer that matters.
        let meaningful = replies.filter { !$0.hasPrefix("221") }
        let last = meaningful.last { $0.count >= 3 && Int($0.prefix(3)) != nil }
        let code = last.flatMap { Int($0.prefix(3)) }
        let text = last ?? curlMessage
        let timedOut = curlCode == Int(CURLE_OPERATION_TIMEDOUT.rawValue)
        // After the final dot only a complete reply ("250 Ok", not "250-…" still going) says
        // what became of the note: a server that starts one and stalls or hangs up has the
        // whole note, and may deliver it — uncertain, never tried again on its own.
        // Any failure after that, unless the server's last complete reply refused the note
        // (4xx, 5xx), leaves it uncertain: "251 Ok" or "250" that libcurl calls weird, then a
        // hang-up, may well be an acceptance (issue 25's second adversarial pass, N1).
        if curlCode != Int(CURLE_OK.rawValue), bodyWritten, curlCode != Int(CURLE_SEND_ERROR.rawValue),
           let dataAt = meaningful.lastIndex(where: { $0.hasPrefix("354") }), code != 354 {
            let after = meaningful[(dataAt + 1)...]
            // A refusal whose every line is one: "250-…" then "451 …" mixes an acceptance in.
            let refusal = (after.last(where: isFinalReply).flatMap { Int($0.prefix(3)) }.map { $0 >= 400 } ?? false)
                && !after.contains { $0.hasPrefix("2") }
            if !refusal {
                let said = after.last.map { isFinalReply($0) ? " (it answered \"\($0)\", then the exchange failed)" : " (it began \"\($0)\" and never finished)" } ?? ""
                return DeliveryResult(outcome: .uncertain, code: nil,
                                      text: "the whole note and its final dot were sent, but the server's answer never came in full\(said) (\(curlMessage)); it may have been accepted",
                                      serverStopped: true)
            }
        }
        if curlCode != Int(CURLE_OK.rawValue), code == 354 {
            if bodyWritten && curlCode != Int(CURLE_SEND_ERROR.rawValue) {
                return DeliveryResult(outcome: .uncertain, code: nil,
                                      text: "the whole note and its final dot were sent, but the server's answer never came (\(curlMessage)); it may have been accepted",
                                      serverStopped: true)
            }
            let what = timedOut ? "the server stopped reading the note before its end" : "the connection broke before the end of the note reached the server"
            return DeliveryResult(outcome: .deferred, code: nil, text: "\(what) (\(curlMessage)), so it was not delivered",
                                  serverStopped: timedOut)
        }
        if timedOut {
            return DeliveryResult(outcome: .deferred, code: nil,
                                  text: "the server stopped answering (\(curlMessage); \(last.map { "last reply: \($0)" } ?? "not even a greeting"))",
                                  serverStopped: true)
        }
        switch curlCode {
        case Int(CURLE_OK.rawValue):
            return DeliveryResult(outcome: .sent, code: code, text: text)
        case Int(CURLE_LOGIN_DENIED.rawValue):
            return DeliveryResult(outcome: .held, code: code, text: "the server refused the user name or password (\(text)); check smtp.username and the app password")
        case Int(CURLE_SSL_CONNECT_ERROR.rawValue), Int(CURLE_PEER_FAILED_VERIFICATION.rawValue), Int(CURLE_SSL_CACERT_BADFILE.rawValue),
             Int(CURLE_SSL_CERTPROBLEM.rawValue):
            return DeliveryResult(outcome: .held, code: code, text: "TLS failed: \(curlMessage); check smtp.url's port (465 smtps, 587 smtp+STARTTLS) and smtp.ca_file")
        case Int(CURLE_USE_SSL_FAILED.rawValue):
            return DeliveryResult(outcome: .held, code: code, text: "the server does not offer STARTTLS and smtp.tls is required; use smtps://…:465 or another server")
        default:
            if let code, code >= 500 { return DeliveryResult(outcome: code == 535 || code == 530 ? .held : .failed, code: code, text: text) }
            if let code, code >= 400 { return DeliveryResult(outcome: .deferred, code: code, text: text) }
            return DeliveryResult(outcome: .deferred, code: nil, text: curlMessage + (last.map { " (last reply: \($0))" } ?? ""))
        }
    }

    /// "250 Ok" or "250": the last line of a reply; "250-…" says more lines follow.
    static func isFinalReply(_ line: String) -> Bool {
        let bytes = Array(line.utf8)
        guard bytes.count >= 3, bytes[0...2].allSatisfy({ (0x30...0x39).contains($0) }) else { return false }
        return bytes.count == 3 || bytes[3] == 0x20 || bytes[3] == 0x0D || bytes[3] == 0x0A
    }

    private func setLong(_ option: CURLoption, _ value: Int) { _ = fuq_curl_setopt_long(handle, option, value) }
    private func setString(_ option: CURLoption, _ value: String) { _ = fuq_curl_setopt_string(handle, option, value) }
}

private func curlRead(_ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userdata: UnsafeMutableRawPointer?) -> Int {
    guard let buffer, let userdata else { return 0 }
    let exchange = Unmanaged<CurlSMTPTransport.Exchange>.fromOpaque(userdata).takeUnretainedValue()
    let n = min(size * count, exchange.data.count - exchange.offset)
    guard n > 0 else { return 0 }
    exchange.data.withUnsafeBytes { raw in
        let start = raw.baseAddress!.advanced(by: exchange.offset)
        UnsafeMutableRawPointer(buffer).copyMemory(from: start, byteCount: n)
    }
    exchange.offset += n
    return n
}

private func curlDebug(_ handle: UnsafeMutableRawPointer?, _ type: curl_infotype, _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ userdata: UnsafeMutableRawPointer?) -> Int32 {
    // Only what the server sends. CURLINFO_HEADER_OUT (our commands, AUTH included) is ignored.
    guard let data, let userdata else { return 0 }
    let exchange = Unmanaged<CurlSMTPTransport.Exchange>.fromOpaque(userdata).takeUnretainedValue()
    if type == CURLINFO_TEXT, exchange.keepTLSNote {
        // libcurl's own notes; only the one naming the TLS version and cipher is kept.
        let text = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
        if text.hasPrefix("SSL connection using") { exchange.tlsNote = text.trimmingCharacters(in: .whitespacesAndNewlines) }
        return 0
    }
    if type == CURLINFO_HEADER_OUT, size >= 4, memcmp(data, "QUIT", 4) == 0 {
        // The connection is being closed; its answer is never needed (see `Sockets`).
        exchange.sockets?.cut()
        return 0
    }
    guard type == CURLINFO_HEADER_IN else { return 0 }
    let chunk = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
    exchange.partial += chunk
    while let newline = exchange.partial.firstIndex(where: { $0 == "\n" || $0 == "\r\n" }) {
        let line = trimmed(exchange.partial[..<newline])
        exchange.partial = String(exchange.partial[exchange.partial.index(after: newline)...])
        if !line.isEmpty { exchange.replies.append(line) }
    }
    return 0
}

/// A reply line without surrounding blanks (Foundation's `trimmingCharacters` cost more than
/// the rest of the callback).
private func trimmed(_ text: Substring) -> String {
    let blank: (Character) -> Bool = { $0.isWhitespace || $0.isNewline }
    guard let first = text.firstIndex(where: { !blank($0) }), let last = text.lastIndex(where: { !blank($0) }) else { return "" }
    return String(text[first...last])
}

private func curlSocketOpened(_ box: UnsafeMutableRawPointer?, _ fd: curl_socket_t, _ purpose: curlsocktype) -> Int32 {
    if let box { Unmanaged<CurlSMTPTransport.Sockets>.fromOpaque(box).takeUnretainedValue().open.insert(fd) }
    return Int32(CURL_SOCKOPT_OK)
}

private func curlCloseSocket(_ box: UnsafeMutableRawPointer?, _ fd: curl_socket_t) -> Int32 {
    if let box { Unmanaged<CurlSMTPTransport.Sockets>.fromOpaque(box).takeUnretainedValue().open.remove(fd) }
    return close(fd)
}

private func curlDiscard(_ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userdata: UnsafeMutableRawPointer?) -> Int {
    size * count
}
