import Foundation
import GRDB
import Logging
import Testing
@testable import FuqCore

/// One connection of a delivery run: answers each note with the next scripted reply (the last
/// one repeats) and records what it carried. Thread-safe: with several connections each runs on
/// a thread of its own.
final class ScriptedConnection: MailTransport, @unchecked Sendable {
    let host: String
    private let lock = NSLock()
    private let replies: [DeliveryResult]
    private var _carried: [[String]] = []

    init(host: String, replies: [DeliveryResult]) {
        self.host = host
        self.replies = replies
    }

    /// The recipients of every note it was handed, in order.
    var carried: [[String]] { lock.withLock { _carried } }

    func send(_ envelope: Envelope) -> DeliveryResult {
        lock.withLock {
            _carried.append(envelope.recipients)
            return replies[min(_carried.count - 1, replies.count - 1)]
        }
    }

    static let accepted = DeliveryResult(outcome: .sent, code: 250, text: "250 2.0.0 Ok: queued")
    static let tooMany = DeliveryResult(outcome: .deferred, code: 421, text: "421 4.7.0 Too many connections from 127.0.0.1")
}

@Suite("Delivery runner")
struct DeliveryRunnerTests {
    /// A queue with `count` scheduled notes to different readers, due at `now`; returns their ids.
    static func queue(_ count: Int) throws -> (store: QueueStore, ids: [String], now: Date) {
        let store = try QueueStore(path: temporaryQueuePath())
        let plan = try samplePlan()
        try store.enqueue(plan.interview, messages: [])
        var ids: [String] = []
        try store.transaction { db in
            for i in 0..<count {
                var m = plan.messages[i % plan.messages.count]
                m.id = "note\(i)"
                m.recipientEmail = "reader\(i)@acme.example"
                m.messageId = "<note\(i)@example.com>"
                m.fingerprint += "|\(i)"
                m.due = plan.messages[0].due
                m.latest = m.due.addingTimeInterval(2 * 86400)
                try m.insert(db)
                ids.append(m.id)
            }
        }
        return (store, ids, plan.messages[0].due)
    }

    static func runner(_ store: QueueStore, _ connections: [ScriptedConnection], now: Date) -> DeliveryRunner {
        var runner = DeliveryRunner(store: store, transports: connections, sender: sampleConfig.sender, logger: Logger(label: "test"),
                                    now: { now })
        runner.pauseBeforeRetry = { _ in }
        return runner
    }

    @Test("a render date or an interview end edited by hand into nonsense: the notes are rendered again and sent, the run never stops",
          arguments: ["UPDATE message SET renderedFor = 1e999", "UPDATE message SET renderedFor = 'soon'",
                      "UPDATE interview SET endsAt = 'garbage'", "UPDATE interview SET endsAt = -1e999"])
    func damagedRenderDates(_ damage: String) throws {
        let (store, ids, now) = try Self.queue(3)
        try store.transaction { db in try db.execute(sql: damage) }
        let connection = ScriptedConnection(host: "one:25", replies: [ScriptedConnection.accepted])
        try Self.runner(store, [connection], now: now).deliverAll(ids) { _ in }
        #expect(connection.carried.count == 3)
        #expect(try store.messages(includeFinished: true).allSatisfy { $0.state == .sent })
    }

    @Test("a server refusing a third connection (421 too many connections): that note is sent over another, the run goes on over two")
    func tooManyConnections() throws {
        let (store, ids, now) = try Self.queue(6)
        let a = ScriptedConnection(host: "a:25", replies: [ScriptedConnection.accepted])
        let b = ScriptedConnection(host: "b:25", replies: [ScriptedConnection.accepted])
        let c = ScriptedConnection(host: "c:25", replies: [ScriptedConnection.tooMany])
        var outcomes: [String: [MessageState]] = [:]
        let end = try Self.runner(store, [a, b, c], now: now).deliverAll(ids) { report in
            outcomes[report.message.id, default: []].append(report.message.state)
        }

        #expect(end.untried.isEmpty)
        #expect(try ids.map { try store.message($0).state } == Array(repeating: .sent, count: 6), "every note ends sent")
        #expect(c.carried.count == 1, "the refused connection is not used again in the run")
        #expect(a.carried.count + b.carried.count == 6, "the six notes went over the two connections left")
        #expect(!b.carried.isEmpty, "two connections were still used after the refusal, not one")

        #expect(ids.allSatisfy { outcomes[$0] == [.sent] }, "one outcome per note, its last: never \"deferred\" and then \"sent\": \(outcomes)")
        let refused = try #require(ids.first { try store.attempts(for: $0).count == 2 }, "one note was tried twice")
        let attempts = try store.attempts(for: refused)
        #expect(attempts.map(\.outcome) == ["deferred", "sent"])
        #expect(attempts.map(\.host) == ["c:25", attempts[1].host] && attempts[1].host != "c:25", "tried again over a remaining connection")
        #expect(attempts[0].smtpCode == 421)
        #expect(try store.message(refused).lastError == nil, "a note finally sent carries no stale error")
    }

    @Test("a server that greets every connection with 421 (too many): each note is tried and reported deferred, none left untried in silence")
    func tooManyEverywhere() throws {
        let (store, ids, now) = try Self.queue(3)
        let a = ScriptedConnection(host: "a:25", replies: [ScriptedConnection.tooMany])
        let b = ScriptedConnection(host: "b:25", replies: [ScriptedConnection.tooMany])
        var reported: [String: MessageState] = [:]
        let end = try Self.runner(store, [a, b], now: now).deliverAll(ids) { reported[$0.message.id] = $0.message.state }
        #expect(end.untried.isEmpty, "\(end)")
        #expect(reported.count == 3 && reported.values.allSatisfy { $0 == .deferred }, "every note has its line: \(reported)")
        #expect(try ids.map { try store.message($0).state } == [.deferred, .deferred, .deferred])
    }

    @Test("over the last connection a 421 is an ordinary deferral: the note waits for its backoff, the others are still sent")
    func tooManyOnTheLastConnection() throws {
        let (store, ids, now) = try Self.queue(3)
        let only = ScriptedConnection(host: "a:25", replies: [ScriptedConnection.accepted, ScriptedConnection.tooMany, ScriptedConnection.accepted])
        let end = try Self.runner(store, [only], now: now).deliverAll(ids) { _ in }

        #expect(end.untried.isEmpty)
        #expect(only.carried.count == 3, "not retried at once over the same connection")
        let states = try ids.map { try store.message($0).state }
        #expect(states == [.sent, .deferred, .sent])
        #expect(try store.message(ids[1]).due == now.addingTimeInterval(DeliveryRunner.backoff(afterAttempt: 1)), "tried again in 5 minutes")
    }

    static let stalled = DeliveryResult(outcome: .deferred, code: nil, text: "the server stopped answering (Timeout was reached; last reply: 250 ok)",
                                        serverStopped: true)
    static let unanswered = DeliveryResult(outcome: .uncertain, code: nil, text: "the whole note and its final dot were sent, but the server's answer never came",
                                           serverStopped: true)

    @Test("a server that stops answering: each connection it stalls on carries no further note, the second ends the run; the rest keep their state",
          arguments: [1, 2, 3])
    func serverStopsAnswering(connections: Int) throws {
        let (store, ids, now) = try Self.queue(8)
        let lanes = (0..<connections).map { ScriptedConnection(host: "c\($0):25", replies: [$0 == 0 ? Self.unanswered : Self.stalled]) }
        var reported: [String] = []
        let end = try Self.runner(store, lanes, now: now).deliverAll(ids) { reported.append($0.message.id) }

        let carried = lanes.map(\.carried.count)
        #expect(carried.allSatisfy { $0 <= 1 }, "no connection carries a note after the server stopped answering on it: \(carried)")
        #expect(carried.reduce(0, +) == min(2, connections), "two tries at most (one with a single connection): \(carried)")
        #expect(reported.count == min(2, connections) && end.untried == Array(ids.dropFirst(reported.count)))
        guard case .serverStopped(let host, _) = end.stop else { Issue.record("the run says why it stopped: \(String(describing: end.stop))"); return }
        #expect(host.hasSuffix(":25"))
        let states = try ids.map { try store.message($0).state }
        #expect(states.filter { $0 == .uncertain }.count <= 1, "at most one uncertain per connection: \(states)")
        #expect(states.dropFirst(reported.count).allSatisfy { $0 == .scheduled }, "the untried notes keep their state: \(states)")
    }

    @Test("a timeout after 354 with the whole note written is uncertain; a write that failed, or a body cut short, is deferred and says the note was not delivered")
    func unansweredFinalDot() {
        let timeout = 28, sendError = 55  // CURLE_OPERATION_TIMEDOUT, CURLE_SEND_ERROR
        let replies = ["220 hi", "250 ok", "250 ok", "250 ok", "354 go ahead"]
        let unanswered = CurlSMTPTransport.classify(curlCode: timeout, replies: replies, curlMessage: "Timeout was reached", bodyWritten: true)
        #expect(unanswered.outcome == .uncertain && unanswered.serverStopped)
        #expect(unanswered.text.contains("may have been accepted"))

        // smtp-sink -A 0: the server aborted while the note was being written.
        let aborted = CurlSMTPTransport.classify(curlCode: sendError, replies: replies, curlMessage: "Failed sending data to the peer", bodyWritten: true)
        #expect(aborted.outcome == .deferred, "\(aborted)")
        #expect(!aborted.text.contains("whole note") && aborted.text.contains("not delivered"), "\(aborted.text)")
        #expect(!aborted.serverStopped, "the server did answer (it hung up): not a stall")

        let cutShort = CurlSMTPTransport.classify(curlCode: timeout, replies: replies, curlMessage: "Timeout was reached", bodyWritten: false)
        #expect(cutShort.outcome == .deferred && cutShort.serverStopped, "\(cutShort)")

        // A reply to the dot begun and never finished ("250-…"), stalled or hung up on: the server has the note.
        for (curlCode, tail) in [(timeout, ["250-still thinking", "250-still thinking"]), (56, ["250-2.0.0 Ok"])] {
            let begun = CurlSMTPTransport.classify(curlCode: curlCode, replies: replies + tail, curlMessage: "Failure", bodyWritten: true)
            #expect(begun.outcome == .uncertain && begun.serverStopped && begun.text.contains("never came in full"), "\(begun)")
        }
        // A 2xx libcurl finds weird (251, a bare "250", " 250"), then a failure: uncertain too, never deferred (N1).
        for tail in [["251 2.0.0 Ok: queued as X"], ["250"], [" 250 ok"], ["250 2.0.0 Ok: queued"]] {
            for curlCode in [8, 56, timeout] {   // CURLE_WEIRD_SERVER_REPLY, CURLE_RECV_ERROR, a timeout
                let weird = CurlSMTPTransport.classify(curlCode: curlCode, replies: replies + tail, curlMessage: "Weird server reply", bodyWritten: true)
                #expect(weird.outcome == .uncertain && weird.serverStopped, "\(tail) / \(curlCode): \(weird)")
            }
        }
        let mixed = CurlSMTPTransport.classify(curlCode: 56, replies: replies + ["250-2.0.0 hmm", "451 4.3.0 try later"], curlMessage: "Failure", bodyWritten: true)
        #expect(mixed.outcome == .uncertain, "an acceptance mixed into the refusal: never resent on its own (third pass C1): \(mixed)")
        let refused = CurlSMTPTransport.classify(curlCode: 56, replies: replies + ["451-try", "451 again later"], curlMessage: "Failure", bodyWritten: true)
        #expect(refused.outcome == .deferred && refused.code == 451, "a complete refusal of the dot is the server's answer: \(refused)")

        let greeting = CurlSMTPTransport.classify(curlCode: timeout, replies: [], curlMessage: "Timeout was reached")
        #expect(greeting.outcome == .deferred && greeting.serverStopped && greeting.text.contains("stopped answering"), "\(greeting)")
    }

    @Test("which replies mean 'fewer connections'", arguments: [
        (DeliveryResult(outcome: .deferred, code: 421, text: "421 4.7.0 Too many connections from 127.0.0.1"), true),
        (DeliveryResult(outcome: .deferred, code: 421, text: "421 4.7.0 smtp.example.com Error: too many concurrent SMTP connections"), true),
        (DeliveryResult(outcome: .deferred, code: 450, text: "450 Too many simultaneous sessions"), true),
        (DeliveryResult(outcome: .deferred, code: 421, text: "421 4.7.28 Our system has detected an unusual rate; maximum connections exceeded"), true),
        (DeliveryResult(outcome: .deferred, code: 421, text: "421 4.3.2 Service shutting down"), false),
        (DeliveryResult(outcome: .deferred, code: 452, text: "452 4.5.3 Too many recipients"), false),
        (DeliveryResult(outcome: .failed, code: 554, text: "554 5.7.1 Too many connections, blocked"), false),
    ])
    func connectionLimitReplies(_ result: DeliveryResult, _ isLimit: Bool) {
        #expect(DeliveryRunner.isConnectionLimit(result) == isLimit, "\(result.text)")
    }
}
