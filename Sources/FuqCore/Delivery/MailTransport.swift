import Foundation

/// What one delivery attempt hands to a transport.
public struct Envelope: Sendable, Equatable {
    public var from: String
    public var recipients: [String]
    /// The RFC 5322 message, CRLF line ends.
    public var data: Data

    public init(from: String, recipients: [String], data: Data) {
        self.from = from
        self.recipients = recipients
        self.data = data
    }
}

/// How an attempt ended, classified by the server's real reply code.
public struct DeliveryResult: Sendable, Equatable {
    public enum Outcome: String, Sendable {
        /// 2xx after DATA.
        case sent
        /// 4xx, 421, connection refused/reset, timeouts: try again later.
        case deferred
        /// 5xx: refused for good.
        case failed
        /// Authentication, TLS or certificate failure: a configuration problem.
        case held
        /// The whole message and its final dot were written but the server's answer never came:
        /// it may have been accepted. Resending on our own could send it twice, so the user decides.
        case uncertain
    }

    public var outcome: Outcome
    /// The last SMTP reply code, when the server gave one.
    public var code: Int?
    /// The server's words (or what went wrong on the way), never a password.
    public var text: String
    /// The server stopped answering on this connection (a timeout, or no answer to a note's
    /// final dot): the connection is not used again in the run, and a second one ends the run.
    public var serverStopped: Bool

    public init(outcome: Outcome, code: Int?, text: String, serverStopped: Bool = false) {
        self.outcome = outcome
        self.code = code
        self.text = text
        self.serverStopped = serverStopped
    }
}

/// Sends messages. `CurlSMTPTransport` is the real one; tests use recording doubles.
/// A transport may keep its connection open between calls (one flush, one connection).
public protocol MailTransport: AnyObject {
    /// A short name of the server for logs and attempt rows, e.g. "smtp.example.com:465".
    var host: String { get }
    func send(_ envelope: Envelope) -> DeliveryResult
}
