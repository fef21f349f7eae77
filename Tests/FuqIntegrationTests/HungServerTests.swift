import Foundation
import Testing

/// A server that stops answering costs a run at most two timeouts, not one per note.
@Suite("A hung SMTP server", .serialized)
struct HungServerTests {
    static let notes = 8
    static let replyTimeout = 2.0

    /// `stage`: where the server stops answering (see `smtpd.py stall`).
    @Test("the server stops answering: the run ends after at most two timeouts, at most one uncertain per connection, the rest untried and said so in one line",
          arguments: ["greeting", "rcpt", "data", "partial", "hangup", "weird"])
    func stalls(stage: String) throws {
        let server = try PythonSMTPServer(.stall(stage))
        let s = try FuqSandbox()
        try s.writeConfig(FuqSandbox.standardConfig + """

            smtp:
              url: smtp://127.0.0.1:\(server.port)
              tls: none
              connect_timeout: 2s
              reply_timeout: \(Int(Self.replyTimeout))s
              message_timeout: 6s
              connections: 2
            """)
        #expect(try s.run(["enqueue", try s.file("panel.yaml", FuqSandbox.bigPanel(Self.notes)), "--at", "now"]).status == 0)
        try s.sql("UPDATE message SET due = '\(FuqSandbox.dbDate(Date()))'")

        let started = Date()
        let flush = try s.run(["flush"])
        let took = Date().timeIntervalSince(started)
        #expect(flush.status == 75, "\(flush.stdout)\(flush.stderr)")
        // Two timeouts, and a little for starting fuq: not one timeout per note (8 × 2 s).
        #expect(took < 2 * Self.replyTimeout + 3, "the flush took \(took) s: \(flush.stdout)")

        let states = try s.queued().map { $0["state"] as? String ?? "?" }
        let uncertain = states.filter { $0 == "uncertain" }.count
        let tried = states.filter { $0 != "scheduled" }.count
        #expect(tried <= 2, "one note per connection at most, then the run stops: \(states)")
        #expect(states.filter { $0 == "scheduled" }.count == Self.notes - tried, "the untried notes keep their state: \(states)")
        #expect(uncertain <= server.messagesRead, "uncertain only when the server read the note's final dot: \(states), \(server.messagesRead) read")
        if ["greeting", "rcpt"].contains(stage) { #expect(uncertain == 0, "\(states)") }
        // A reply to the final dot begun ("250-") and never finished: the server has the note.
        if ["partial", "hangup", "weird"].contains(stage) {
            #expect(uncertain == server.messagesRead && uncertain >= 1, "every note the server read is uncertain, never deferred (it would go twice): \(states)")
            #expect(!states.contains("deferred"), "\(states)")
        }

        let lines = flush.stdout.split(separator: "\n")
        let stopped = lines.filter { $0.hasPrefix("stopped") }
        #expect(stopped.count == 1, "one line says the rest was not tried: \(flush.stdout)")
        #expect(stopped.first?.contains("\(Self.notes - tried) more not tried") == true, "\(flush.stdout)")
        #expect(stopped.first?.contains("stopped answering") == true, "\(flush.stdout)")
        #expect(lines.count == tried + 1, "one line per tried note and one for the rest: \(flush.stdout)")
    }
}
