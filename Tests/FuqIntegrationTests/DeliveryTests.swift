import Foundation
import Testing

/// Delivery through libcurl to a real SMTP server (Postfix smtp-sink) on loopback.
@Suite("Delivery via libcurl to smtp-sink", .serialized)
struct DeliveryTests {
    static func config(port: Int) -> String {
        FuqSandbox.standardConfig + "\nsmtp:\n  url: smtp://127.0.0.1:\(port)\n  tls: none\n  connect_timeout: 3s\n  reply_timeout: 5s\n"
    }

    static let panel = """
        company: Acme Robotics
        position: Senior Platform Engineer
        interview:
          end: \(FuqSandbox.pastEnd)
          timezone: America/New_York
        interviewers:
          - name: José Müller
            honorific: Mr.
            email: jose@acme.example
            topic: the build farm
            note: |-
              About the framework question:
              .NET was the stack I used there, and I can share the write-up.
        """

    @Test("the bytes received: headers, Date at send time, stable Message-ID, QP body, leading dot, non-ASCII name")
    func exactBytes() throws {
        let sink = try SMTPSink()
        let s = try FuqSandbox()
        try s.writeConfig(Self.config(port: sink.port))
        let enqueue = try s.run(["enqueue", try s.file("i.yaml", Self.panel), "--at", "now"])
        #expect(enqueue.status == 0, "\(enqueue.stderr)")
        let queued = try #require(try s.queued().first)
        let before = Date()
        let flush = try s.run(["flush"])
        #expect(flush.status == 0, "\(flush.stderr)")
        #expect(flush.stdout.contains("sent"))
        let received = try #require(sink.messages().first, "the sink received nothing")
        #expect(sink.messages().count == 1)
        #expect(received.contains("From: Alex Kim <alex.kim@example.com>\n"))
        let encodedName = "=?UTF-8?B?" + Data("José Müller".utf8).base64EncodedString() + "?="
        #expect(received.contains("To: \(encodedName) <jose@acme.example>\n"), "\(received)")
        #expect(received.contains("Message-ID: \(queued["message_id"] as! String)\n"))
        #expect(received.contains("Content-Transfer-Encoding: quoted-printable\n"))
        #expect(received.contains("Content-Type: text/plain; charset=utf-8\n"))
        #expect(received.contains("Dear Mr. M=C3=BCller,"))
        #expect(received.contains("\n.NET was the stack I used there"), "a line starting with a dot must survive")
        let dateLine = try #require(received.split(separator: "\n").first { $0.hasPrefix("Date: ") })
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let date = try #require(f.date(from: String(dateLine.dropFirst(6))))
        #expect(abs(date.timeIntervalSince(before)) < 30, "Date is stamped at send time, not enqueue time")
        // The interview was on Friday 20 Nov; the note is read later, so "today" must not appear.
        #expect(!received.contains("speak with me today"))

        let after = try #require(try s.queued().first)
        #expect(after["state"] as? String == "sent")
        #expect((after["server_reply"] as? String)?.hasPrefix("250") == true)
        let show = try s.run(["show", after["id"] as! String, "--json"])
        let log = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any]
        let attempts = try #require(log?["attempt_log"] as? [[String: Any]])
        #expect(attempts.count == 1)
        #expect(attempts.first?["smtp_code"] as? Int == 250)
    }

    struct Fault: CustomTestStringConvertible, Sendable {
        var name: String
        var faults: [String]
        var state: String
        var code: Int?
        var retryIn: ClosedRange<Double>?
        var testDescription: String { name }
    }

    static let faults: [Fault] = [
        .init(name: "4xx on RCPT → deferred, next try in 5 min", faults: ["-r", "RCPT"], state: "deferred", code: 450, retryIn: 280...320),
        .init(name: "5xx on RCPT → failed", faults: ["-f", "RCPT"], state: "failed", code: 500),
        .init(name: "5xx on DATA → failed", faults: ["-f", "DATA"], state: "failed", code: 500),
        .init(name: "421 and disconnect on MAIL → deferred", faults: ["-Q", "MAIL"], state: "deferred", code: 421, retryIn: 280...320),
        .init(name: "disconnect without reply on DATA → deferred", faults: ["-q", "DATA"], state: "deferred", code: nil, retryIn: 280...320),
    ]

    /// smtp-sink -A answers 550 and closes the socket while the client may still be writing the
    /// body. Whether libcurl reads the 550 first depends on timing: if it does, the note failed
    /// (5xx); if not, no final reply was seen: deferred when writing failed (the final dot never
    /// reached the server), uncertain only when all of it, final dot included, was written.
    /// Never "sent", and never "the whole note was sent" next to "Failed sending data".
    @Test("abort after DATA: failed with the 550, else deferred or uncertain — never sent, and the words say what is known")
    func abortAfterData() throws {
        let sink = try SMTPSink(faults: ["-A", "0"])
        let s = try FuqSandbox()
        try s.writeConfig(Self.config(port: sink.port))
        #expect(try s.run(["enqueue", try s.file("i.yaml", Self.panel), "--at", "now"]).status == 0)
        #expect(try s.run(["flush"]).status == 75)
        let m = try #require(try s.queued().first)
        let error = m["last_error"] as? String ?? ""
        switch m["state"] as? String {
        case "failed": #expect(error.hasPrefix("550"), "\(m)")
        case "deferred":
            #expect(!error.contains("550"), "\(m)")
            #expect(error.contains("not delivered"), "\(m)")
        case "uncertain":
            #expect(!error.contains("550") && !error.contains("Failed sending"), "a failed write means the final dot never got there: \(m)")
        default: Issue.record("unexpected outcome \(m)")
        }
    }



    @Test("server faults are classified by the real reply code", arguments: faults)
    func fault(_ c: Fault) throws {
        let sink = try SMTPSink(faults: c.faults)
        let s = try FuqSandbox()
        try s.writeConfig(Self.config(port: sink.port))
        #expect(try s.run(["enqueue", try s.file("i.yaml", Self.panel), "--at", "now"]).status == 0)
        let flush = try s.run(["flush"])
        #expect(flush.status == 75, "a flush that did not send everything exits 75: \(flush.stdout) \(flush.stderr)")
        let m = try #require(try s.queued().first)
        #expect(m["state"] as? String == c.state, "\(m)")
        #expect(m["attempts"] as? Int == 1)
        if let code = c.code { #expect((m["last_error"] as? String)?.contains(String(code)) == true, "\(m)") }
        if let window = c.retryIn {
            let f = ISO8601DateFormatter()
            let due = try #require(f.date(from: m["due"] as! String))
            #expect(window.contains(due.timeIntervalSinceNow), "next try in \(due.timeIntervalSinceNow) s")
        }
        let show = try s.run(["show", m["id"] as! String, "--json"])
        let log = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any]
        let attempts = try #require(log?["attempt_log"] as? [[String: Any]])
        #expect(attempts.count == 1)
        #expect(attempts.first?["outcome"] as? String == c.state)
        #expect(attempts.first?["smtp_code"] as? Int == c.code)
    }

    @Test("connection refused → deferred; a second flush before the retry time sends nothing")
    func refused() throws {
        let port = try SMTPSink.freePort()
        let s = try FuqSandbox()
        try s.writeConfig(Self.config(port: port))
        #expect(try s.run(["enqueue", try s.file("i.yaml", Self.panel), "--at", "now"]).status == 0)
        #expect(try s.run(["flush"]).status == 75)
        let m = try #require(try s.queued().first)
        #expect(m["state"] as? String == "deferred")
        let again = try s.run(["flush"])
        #expect(again.stdout.contains("Nothing is due"))
        #expect(try s.queued().first?["attempts"] as? Int == 1)
    }

    @Test("a note left `sending` by a crash becomes uncertain, is never resent on its own; mark-sent or retry decide")
    func crashLeftSending() throws {
        let sink = try SMTPSink()
        let s = try FuqSandbox()
        try s.writeConfig(Self.config(port: sink.port))
        let panel = Self.panel + "\n  - name: Dana Rivera\n    email: dana@acme.example\n    topic: Kubernetes\n    honorific: Ms.\n"
        #expect(try s.run(["enqueue", try s.file("i.yaml", panel), "--at", "now"]).status == 0)
        let ids = try s.queued().compactMap { $0["id"] as? String }
        #expect(ids.count == 2)
        // The crash: the claim was committed, then the process died.
        try s.sql("UPDATE message SET state = 'sending', attempts = 1, due = '2000-01-01 00:00:00.000' WHERE id IN ('\(ids[0])', '\(ids[1])')")
        let flush = try s.run(["flush"])
        #expect(flush.stderr.contains("\(ids[0])") && flush.stderr.contains("uncertain"), "\(flush.stderr)")
        #expect(sink.messages().isEmpty, "an uncertain note is never resent on its own")
        #expect(try s.queued().allSatisfy { $0["state"] as? String == "uncertain" })
        let status = try s.run(["status"])
        #expect(status.stdout.contains("mark-sent"), "status tells the user what to do: \(status.stdout)")

        #expect(try s.run(["mark-sent", ids[0]]).status == 0)
        #expect(try s.run(["retry", ids[1]]).status == 0)
        // Released for the reader's next window (now, or later if it is night there); sent now on purpose.
        #expect(try s.run(["send-now", ids[1]]).status == 0)
        let received = sink.messages()
        #expect(received.count == 1)
        let resent = try #require(try s.queued().first { $0["id"] as? String == ids[1] })
        #expect(received.first?.contains("Message-ID: \(resent["message_id"] as! String)") == true, "a retry carries the same Message-ID")
        #expect(try s.queued().allSatisfy { $0["state"] as? String == "sent" })
        #expect(resent["attempts"] as? Int == 2)
    }

    @Test("smtp.tls: required (the default) and a server without STARTTLS → held, nothing sent in clear text")
    func noStartTLS() throws {
        let sink = try SMTPSink()
        let s = try FuqSandbox()
        try s.writeConfig(FuqSandbox.standardConfig + "\nsmtp:\n  url: smtp://127.0.0.1:\(sink.port)\n")
        #expect(try s.run(["enqueue", try s.file("i.yaml", Self.panel), "--at", "now"]).status == 0)
        #expect(try s.run(["flush"]).status == 75)
        #expect(sink.messages().isEmpty)
        let m = try #require(try s.queued().first)
        #expect(m["state"] as? String == "held")
        #expect((m["last_error"] as? String)?.contains("does not offer STARTTLS") == true, "\(m)")
        let doctor = try s.run(["doctor"])
        #expect(doctor.status == 78)
        #expect(doctor.stdout.contains("FAIL  tls"), "\(doctor.stdout)")
    }

    @Test("flush (as from cron) after the machine was off: a note missed at night for its reader is moved, not sent")
    func flushAppliesMissedWindows() throws {
        let sink = try SMTPSink()
        let s = try FuqSandbox()
        try s.writeConfig(Self.config(port: sink.port))
        let zone = try #require(FuqSandbox.nightZone(), "no zone in the list is at night now")
        let text = FuqSandbox.interview(endingIn: -20, zone: zone).replacingOccurrences(of: "    timezone: Europe/London\n", with: "")
        #expect(try s.run(["enqueue", try s.file("i.yaml", text), "--at", "+1h"]).status == 0)
        let now = Date()
        try s.sql("UPDATE message SET due = '\(FuqSandbox.dbDate(now.addingTimeInterval(-6 * 3600)))', latest = '\(FuqSandbox.dbDate(now.addingTimeInterval(4 * 86400)))'")
        let flush = try s.run(["flush"])
        #expect(flush.status == 0, "\(flush.stdout) \(flush.stderr)")
        #expect(flush.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("moved ") }.count == 2, "\(flush.stdout)")
        #expect(sink.messages().isEmpty, "nothing at night for the reader")
        for m in try s.queued() {
            #expect(m["state"] as? String == "scheduled")
            #expect((m["reason"] as? String)?.contains("missed") == true)
            #expect(try #require(ISO8601DateFormatter().date(from: m["due"] as! String)) > now)
        }
    }

    @Test("send-now refuses a thank-you whose interview has not ended (as --at does), says when it ends and how to override; --before-end sends it")
    func sendNowBeforeEnd() throws {
        let sink = try SMTPSink()
        let s = try FuqSandbox()
        try s.writeConfig(Self.config(port: sink.port))
        // The interview ends in two hours.
        #expect(try s.run(["enqueue", try s.file("i.yaml", FuqSandbox.interview(endingIn: 2))]).status == 0)
        let id = try #require(try s.queued().first?["id"] as? String)
        let refused = try s.run(["send-now", id])
        #expect(refused.status == 65, "\(refused.stdout) \(refused.stderr)")
        #expect(refused.stderr.contains("has not ended yet") && refused.stderr.contains("--before-end"), "\(refused.stderr)")
        #expect(sink.messages().isEmpty)
        #expect(try s.queued().first?["state"] as? String == "scheduled")
        let forced = try s.run(["send-now", id, "--before-end"])
        #expect(forced.status == 0, "\(forced.stdout) \(forced.stderr)")
        #expect(sink.messages().count == 1)
    }
}
