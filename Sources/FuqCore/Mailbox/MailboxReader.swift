import Foundation

/// Reads (and appends to) the user's mailbox. `CurlIMAPClient` is the real one; unit tests use
/// a recording double. Every call is blocking, like `MailTransport.send`; none of them changes a
/// message's flags (the user's unread mail stays unread).
public protocol MailboxReader: AnyObject {
    /// A short name of the server for logs, e.g. "imap.example.com:993".
    var host: String { get }
    /// `UID SEARCH` in `folder`: the UIDs of the matching messages.
    func search(_ criterion: SearchCriterion, in folder: String) throws -> [UInt32]
    /// The named header fields (and, with `bodyPrefix`, the first that many bytes of the body
    /// text) of the given UIDs, read with `BODY.PEEK` so `\Seen` is not set.
    func fetch(uids: [UInt32], in folder: String, headerFields: [String], bodyPrefix: Int?) throws -> [FetchedMessage]
    /// Every folder with its attributes (special-use ones such as `\Sent` among them).
    func folders() throws -> [MailFolder]
    /// Stores `message` (RFC 5322, CRLF line ends) in `folder`, flagged `\Seen`.
    /// - Returns: its UID when the server says (UIDPLUS), else nil.
    @discardableResult
    func append(_ message: Data, to folder: String) throws -> UInt32?
}

/// What `fetch` returns for one message.
public struct FetchedMessage: Sendable, Equatable {
    public var uid: UInt32
    /// When the message reached the mailbox (IMAP's INTERNALDATE).
    public var internalDate: Date?
    public var flags: [String]
    /// The raw header fields asked for (CRLF line ends, maybe folded).
    public var header: Data
    /// The start of the body text, when asked for.
    public var bodyPrefix: Data?

    public init(uid: UInt32, internalDate: Date? = nil, flags: [String] = [], header: Data = Data(), bodyPrefix: Data? = nil) {
        self.uid = uid
        self.internalDate = internalDate
        self.flags = flags
        self.header = header
        self.bodyPrefix = bodyPrefix
    }

    public var headers: MailHeaders { MailHeaders(parsing: header) }
}

/// A folder as LIST names it.
public struct MailFolder: Sendable, Equatable {
    /// The name as a person writes it ("Ärger/Ünter"), decoded from the modified UTF-7 LIST
    /// gives ("&AMQ-rger/&ANw-nter"); `CurlIMAPClient` encodes it again on the wire.
    public var name: String
    /// `\Sent`, `\Drafts`, `\All`, `\HasNoChildren`, `\Noselect`, …
    public var attributes: [String]
    /// The hierarchy delimiter ("/" or "."), nil for a flat namespace.
    public var delimiter: String?

    public init(name: String, attributes: [String], delimiter: String? = "/") {
        self.name = name
        self.attributes = attributes
        self.delimiter = delimiter
    }

    public func has(_ attribute: String) -> Bool { attributes.contains { $0.caseInsensitiveCompare(attribute) == .orderedSame } }

    /// The folder marked `\Sent` (RFC 6154), if any.
    public static func sent(in folders: [MailFolder]) -> MailFolder? {
        folders.first { $0.has("\\Sent") && !$0.has("\\Noselect") && !$0.has("\\NonExistent") }
    }
}

/// A mailbox that, once the server failed as a whole (unreachable, timed out, TLS, a refused
/// login), fails every later call at once with the same error: a run that checks replies for
/// several follow-ups waits out a hung server once, not once per follow-up (issue 25's second
/// adversarial pass, N2). Errors of one command (no such folder) do not stick.
public final class OneFailureMailbox: MailboxReader {
    private let inner: MailboxReader
    private var broken: MailboxError?

    public init(_ inner: MailboxReader) { self.inner = inner }

    public var host: String { inner.host }

    private func run<T>(_ call: () throws -> T) throws -> T {
        if let broken { throw broken }
        do {
            return try call()
        } catch let error as MailboxError {
            switch error {
            case .unreachable, .tls, .startTLSUnavailable, .loginRefused, .tokenRefused, .credentials, .timedOut, .failed: broken = error
            default: break
            }
            throw error
        }
    }

    public func search(_ criterion: SearchCriterion, in folder: String) throws -> [UInt32] { try run { try inner.search(criterion, in: folder) } }
    public func fetch(uids: [UInt32], in folder: String, headerFields: [String], bodyPrefix: Int?) throws -> [FetchedMessage] {
        try run { try inner.fetch(uids: uids, in: folder, headerFields: headerFields, bodyPrefix: bodyPrefix) }
    }
    public func folders() throws -> [MailFolder] { try run { try inner.folders() } }
    @discardableResult
    public func append(_ message: Data, to folder: String) throws -> UInt32? { try run { try inner.append(message, to: folder) } }
}
