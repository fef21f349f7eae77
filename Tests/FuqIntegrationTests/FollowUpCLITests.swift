import Foundation
import Testing

/// The second follow-up end to end, with the real binary: thank-yous sent through smtp-sink,
/// then the follow-up brought due, and `fuq flush` deciding after a reply check against a real
/// Dovecot (STARTTLS) — cancelled on a reply, sent after silence or an auto-reply, held for a
/// colleague's mail or an unreadable mailbox, the thank-you marked bounced by a report.
@Suite("Follow-ups: reply detection over IMAP, end to end", .serialized)
struct FollowUpCLITests {
    /// The example panel (Dana Rivera is the lead), ended three hours ago.
    static var interview: String { FuqSandbox.interview(endingIn: -3) }

    /// smtp-sink for delivery, follow-ups on; with `server`, its mailbox through `imap:`.
    static func sandbox(sink: SMTPSink, server: Dovecot? = nil, ca: TestCA? = nil, password: String? = nil, imapPort: Int? = nil) throws -> FuqSandbox {
        let s = try FuqSandbox()
        var config = DeliveryTests.config(port: sink.port).replacingOccurrences(of: "enabled: false", with: "enabled: true")
        if let server, let ca {
            let passwordFile = try s.file("imap-password", (password ?? server.password) + "\n")
            chmod(passwordFile, 0o600)
            var url = server.url("imap", folder: "INBOX")
            if let imapPort { url = "imap://127.0.0.1:\(imapPort)/INBOX" }
            config += """
                imap:
                  url: \(url)
                  username: \(Dovecot.user)
                  password_file: \(passwordFile)
                  ca_file: \(ca.caFile)
                  connect_timeout: 3s
                  command_timeout: 10s

                """
        }
        try s.writeConfig(config)
        return s
    }

    /// Mail that arrives after the thank-yous left (the mailbox keeps whole seconds).
    static var afterSending: Date { Date().addingTimeInterval(2) }

    struct Sent {
        var leadMessageID: String
        var subject: String
        var followUp: String
    }

    /// Enqueues the panel, sends the thank-yous now, and returns the lead's and the follow-up's.
    static func thankYousSent(_ s: FuqSandbox) throws -> Sent {
        let enqueue = try s.run(["enqueue", try s.file("i.yaml", Self.interview), "--at", "now"])
        #expect(enqueue.status == 0, "\(enqueue.stderr)")
        #expect(enqueue.stdout.contains("Follow-up to Dana Rivera"), "\(enqueue.stdout)")
        let flush = try s.run(["flush"])
        #expect(flush.status == 0, "\(flush.stdout) \(flush.stderr)")
        let rows = try s.queued()
        let lead = try #require(rows.first { $0["kind"] as? String == "thank-you" && $0["lead"] as? Bool == true })
        #expect(lead["state"] as? String == "sent")
        let followUp = try #require(rows.first { $0["kind"] as? String == "follow-up" })
        #expect(followUp["state"] as? String == "scheduled")
        #expect((followUp["reason"] as? String)?.contains("a week after the thank-you (sent ") == true, "\(followUp)")
        return Sent(leadMessageID: lead["message_id"] as! String, subject: lead["subject"] as! String, followUp: followUp["id"] as! String)
    }

    /// Brings the follow-up due and runs `fuq flush`.
    static func flushFollowUp(_ s: FuqSandbox, _ id: String) throws -> FuqSandbox.Result {
        #expect(try s.run(["reschedule", id, "--at", "now"]).status == 0)
        return try s.run(["flush"])
    }

    /// A delivery status report (what Postfix sends back) naming the note with `messageID`.
    static func bounceReport(messageID: String, subject: String) -> String {
        """
            From: Mail Delivery System <MAILER-DAEMON@mx.acme.example>
            To: alex.kim@example.com
            Subject: Undelivered Mail Returned to Sender
            Date: Tue, 1 Dec 2026 10:00:00 -0500
            Message-ID: <b1@mx.acme.example>
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="b"

            --b
            Content-Type: text/plain

            The mail system: <dana.rivera@acme.example>: User unknown

            --b
            Content-Type: text/rfc822-headers

            Message-ID: \(messageID)
            Subject: \(subject)

            --b--
            """
    }

    static func state(_ s: FuqSandbox, _ id: String) throws -> [String: Any] {
        try #require(try s.queued().first { $0["id"] as? String == id })
    }

    @Test("a threaded reply (In-Reply-To) cancels the follow-up; status says who replied; the reply stays unread", arguments: ["In-Reply-To", "References"])
    func threadedReply(header: String) throws {
        let sink = try SMTPSink()
        let ca = try TestCA()
        let server = try Dovecot(.tls(ca))
        let s = try Self.sandbox(sink: sink, server: server, ca: ca)
        let sent = try Self.thankYousSent(s)
        let reply = try server.deliver(IMAPTests.message(from: "Dana Rivera <dana.rivera@acme.example>", subject: "Re: " + sent.subject,
                                                         id: "r1@acme.example", extra: "\(header): <x@elsewhere.example> \(sent.leadMessageID)"), received: Self.afterSending)
        let before = sink.messages().count
        let flush = try Self.flushFollowUp(s, sent.followUp)
        #expect(flush.status == 0, "\(flush.stdout) \(flush.stderr)")
        let followUp = try Self.state(s, sent.followUp)
        #expect(followUp["state"] as? String == "cancelled")
        #expect((followUp["reason"] as? String)?.contains("dana.rivera@acme.example wrote on") == true, "\(followUp)")
        #expect(flush.stdout.contains("cancelled") && flush.stdout.contains("they replied"), "\(flush.stdout)")
        #expect(sink.messages().count == before, "nothing more may be sent")
        #expect(server.flags(of: reply) == "", "fuq must not mark the reply read")
        let status = try s.run(["status", "--all", sent.followUp])
        #expect(status.stdout.contains("dana.rivera@acme.example wrote on"), "\(status.stdout)")
    }

    @Test("a message from the interviewer's address in a new thread counts as a reply")
    func newThread() throws {
        let sink = try SMTPSink()
        let ca = try TestCA()
        let server = try Dovecot(.tls(ca))
        let s = try Self.sandbox(sink: sink, server: server, ca: ca)
        let sent = try Self.thankYousSent(s)
        try server.deliver(IMAPTests.message(from: "k.okafor@acme.example", subject: "Next steps", id: "r2@acme.example"), received: Self.afterSending)
        _ = try Self.flushFollowUp(s, sent.followUp)
        #expect(try Self.state(s, sent.followUp)["state"] as? String == "cancelled")
    }

    @Test("an out-of-office auto-reply is no answer: the follow-up goes, as a reply in the thank-you's thread")
    func autoReply() throws {
        let sink = try SMTPSink()
        let ca = try TestCA()
        let server = try Dovecot(.tls(ca))
        let s = try Self.sandbox(sink: sink, server: server, ca: ca)
        let sent = try Self.thankYousSent(s)
        let away = try server.deliver(IMAPTests.message(from: "dana.rivera@acme.example", subject: "Automatic reply: " + sent.subject, id: "o1@acme.example",
                                                        extra: "Auto-Submitted: auto-replied\nIn-Reply-To: \(sent.leadMessageID)"), received: Self.afterSending)
        let flush = try Self.flushFollowUp(s, sent.followUp)
        #expect(flush.status == 0, "\(flush.stdout) \(flush.stderr)")
        #expect(try Self.state(s, sent.followUp)["state"] as? String == "sent", "\(flush.stdout)")
        let mail = try #require(sink.messages().last { $0.contains("In-Reply-To:") })
        #expect(mail.contains("In-Reply-To: \(sent.leadMessageID)"))
        #expect(mail.contains("References: \(sent.leadMessageID)"))
        #expect(mail.contains("To: Dana Rivera <dana.rivera@acme.example>"))
        #expect(mail.contains("Subject: Re: Thank you"))
        #expect(server.flags(of: away) == "")
    }

    @Test("a colleague at the company's domain holds it for you; `fuq confirm` then lets it go")
    func colleague() throws {
        let sink = try SMTPSink()
        let ca = try TestCA()
        let server = try Dovecot(.tls(ca))
        let s = try Self.sandbox(sink: sink, server: server, ca: ca)
        let sent = try Self.thankYousSent(s)
        try server.deliver(IMAPTests.message(from: "recruiting@acme.example", subject: "Your interview with Acme", id: "c1@acme.example"), received: Self.afterSending)
        let flush = try Self.flushFollowUp(s, sent.followUp)
        let held = try Self.state(s, sent.followUp)
        #expect(held["state"] as? String == "held")
        #expect((held["last_error"] as? String)?.contains("recruiting@acme.example wrote on") == true, "\(held)")
        #expect(flush.stdout.contains("fuq replied \(sent.followUp)"), "\(flush.stdout)")
        let confirm = try s.run(["confirm", sent.followUp])
        #expect(confirm.status == 0, "\(confirm.stderr)")
        let again = try Self.flushFollowUp(s, sent.followUp)
        #expect(try Self.state(s, sent.followUp)["state"] as? String == "sent", "\(again.stdout) \(again.stderr)")
    }

    @Test("a person's answer whose subject mentions being out of office cancels the follow-up (only headers or an auto-responder prefix mark a machine)",
          arguments: ["Re: back from out of office - next steps", "Re: Out of the office last week, sorry for the delay"])
    func personMentionsAbsence(subject: String) throws {
        let sink = try SMTPSink()
        let ca = try TestCA()
        let server = try Dovecot(.tls(ca))
        let s = try Self.sandbox(sink: sink, server: server, ca: ca)
        let sent = try Self.thankYousSent(s)
        try server.deliver(IMAPTests.message(from: "Dana Rivera <dana.rivera@acme.example>", subject: subject, id: "p1@acme.example",
                                             extra: "In-Reply-To: \(sent.leadMessageID)"), received: Self.afterSending)
        let before = sink.messages().count
        let flush = try Self.flushFollowUp(s, sent.followUp)
        #expect(flush.status == 0, "\(flush.stdout) \(flush.stderr)")
        #expect(try Self.state(s, sent.followUp)["state"] as? String == "cancelled", "\(flush.stdout)")
        #expect(sink.messages().count == before, "the follow-up must not go after she answered")
    }

    @Test("a go-ahead covers the mail known when it was given: hr@ writing after `fuq confirm` holds the follow-up again; show says who wrote and what to do")
    func goAheadThenColleague() throws {
        let sink = try SMTPSink()
        let ca = try TestCA()
        let server = try Dovecot(.tls(ca))
        let s = try Self.sandbox(sink: sink, server: server, ca: ca)
        let sent = try Self.thankYousSent(s)
        // The go-ahead, given ahead of time, before anyone at the company wrote.
        let confirm = try s.run(["confirm", sent.followUp])
        #expect(confirm.status == 0, "\(confirm.stderr)")
        // Mail arrives moments after the go-ahead (its received time within a minute of it).
        try server.deliver(IMAPTests.message(from: "Human Resources <hr@acme.example>", subject: "An update on your application", id: "h1@acme.example"),
                           received: Date())
        let before = sink.messages().count
        let flush = try Self.flushFollowUp(s, sent.followUp)
        #expect(sink.messages().count == before, "the follow-up must wait: \(flush.stdout)")
        let held = try Self.state(s, sent.followUp)
        #expect(held["state"] as? String == "held", "\(held)")
        #expect((held["last_error"] as? String)?.contains("hr@acme.example wrote since your go-ahead") == true, "\(held)")
        let show = try s.run(["show", sent.followUp])
        let flat = show.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(flat.contains("hr@acme.example"), "\(show.stdout)")
        #expect(flat.contains("`fuq replied \(sent.followUp)`") && flat.contains("`fuq confirm \(sent.followUp)`"), "\(show.stdout)")
        #expect(!flat.contains("fix the configuration"), "\(show.stdout)")
        // A second go-ahead, with hr@'s mail seen, lets it go.
        #expect(try s.run(["confirm", sent.followUp]).status == 0)
        _ = try Self.flushFollowUp(s, sent.followUp)
        #expect(try Self.state(s, sent.followUp)["state"] as? String == "sent")
    }

    @Test("a bounce report naming the thank-you marks it bounced, and the follow-up to that address is held")
    func bounce() throws {
        let sink = try SMTPSink()
        let ca = try TestCA()
        let server = try Dovecot(.tls(ca))
        let s = try Self.sandbox(sink: sink, server: server, ca: ca)
        let sent = try Self.thankYousSent(s)
        let report = Self.bounceReport(messageID: sent.leadMessageID, subject: sent.subject)
        try server.deliver(report, received: Self.afterSending)
        _ = try Self.flushFollowUp(s, sent.followUp)
        let lead = try #require(try s.queued().first { $0["message_id"] as? String == sent.leadMessageID })
        #expect(lead["state"] as? String == "bounced")
        #expect(try Self.state(s, sent.followUp)["state"] as? String == "held")
        #expect(try s.run(["status"]).stdout.contains("bounced"))
    }

    @Test("a wrong IMAP password, or no IMAP server at all: held with the reason, never sent blind", arguments: [false, true])
    func mailboxUnreadable(serverDown: Bool) throws {
        let sink = try SMTPSink()
        let ca = try TestCA()
        let server = try Dovecot(.tls(ca))
        let s = try Self.sandbox(sink: sink, server: server, ca: ca, password: serverDown ? nil : "wrong-password",
                                 imapPort: serverDown ? try SMTPSink.freePort() : nil)
        let sent = try Self.thankYousSent(s)
        let before = sink.messages().count
        let flush = try Self.flushFollowUp(s, sent.followUp)
        #expect(flush.status == 75, "\(flush.stdout) \(flush.stderr)")
        let held = try Self.state(s, sent.followUp)
        #expect(held["state"] as? String == "held")
        #expect((held["last_error"] as? String)?.hasPrefix("could not check your mailbox for a reply") == true, "\(held)")
        #expect(sink.messages().count == before)
        #expect(!flush.stdout.contains("wrong-password") && !flush.stderr.contains("wrong-password"))
    }

    @Test("without imap, a go-ahead given before the thank-you has gone is recorded (as the README says); the follow-up still waits for it, then goes without asking again")
    func confirmAheadOfTime() throws {
        let sink = try SMTPSink()
        let s = try Self.sandbox(sink: sink)
        #expect(try s.run(["enqueue", try s.file("i.yaml", Self.interview)]).status == 0)
        let followUp = try #require(try s.queued().first { $0["kind"] as? String == "follow-up" }?["id"] as? String)
        let confirm = try s.run(["confirm", followUp])
        #expect(confirm.status == 0, "\(confirm.stderr)")
        #expect(confirm.stdout.contains("ahead of time") && confirm.stdout.contains("never if they answer"), "\(confirm.stdout)")
        #expect(try Self.state(s, followUp)["state"] as? String == "scheduled")
        // The thank-yous go; then the follow-up, brought due, needs no second word.
        for row in try s.queued() where row["kind"] as? String == "thank-you" {
            #expect(try s.run(["reschedule", row["id"] as! String, "--at", "now"]).status == 0)
        }
        #expect(try s.run(["flush"]).status == 0)
        let flush = try Self.flushFollowUp(s, followUp)
        #expect(try Self.state(s, followUp)["state"] as? String == "sent", "\(flush.stdout) \(flush.stderr)")
    }

    @Test("without imap: held for your go-ahead; `fuq replied` cancels it; `fuq confirm` sends it")
    func withoutMailbox() throws {
        let sink = try SMTPSink()
        let s = try Self.sandbox(sink: sink)
        let sent = try Self.thankYousSent(s)
        // `fuq show` says what it follows, that it waits for you, and the thread it joins.
        var shown = try s.run(["show", sent.followUp])
        // The facts above the email fit 80 columns: long values wrap under their label.
        let facts = shown.stdout.components(separatedBy: "\n  Attempts:")[0].split(separator: "\n")
        #expect(facts.allSatisfy { $0.count <= 80 }, "\(facts.filter { $0.count > 80 })")
        // Read each wrapped value as one line.
        shown.stdout = shown.stdout.replacingOccurrences(of: "\n             ", with: " ")
        #expect(shown.stdout.contains("— scheduled (follow-up)"), "\(shown.stdout)")
        #expect(shown.stdout.contains("follows    "), "\(shown.stdout)")
        #expect(shown.stdout.contains("go-ahead   needed: without imap"), "\(shown.stdout)")
        #expect(shown.stdout.contains("`fuq confirm \(sent.followUp)` if nobody has answered by then"), "\(shown.stdout)")
        #expect(shown.stdout.contains("In-Reply-To: <") && shown.stdout.contains("References: <"), "\(shown.stdout)")
        let flush = try Self.flushFollowUp(s, sent.followUp)
        #expect(flush.status == 0, "\(flush.stdout) \(flush.stderr)")
        #expect(try Self.state(s, sent.followUp)["state"] as? String == "held")
        #expect(flush.stdout.contains("fuq confirm \(sent.followUp)"), "\(flush.stdout)")
        #expect(try s.run(["confirm", sent.followUp]).status == 0)
        #expect(try s.run(["show", sent.followUp]).stdout.contains("go-ahead   given "))
        let again = try Self.flushFollowUp(s, sent.followUp)
        #expect(try Self.state(s, sent.followUp)["state"] as? String == "sent", "\(again.stdout)")

        let other = try Self.sandbox(sink: sink)
        let second = try Self.thankYousSent(other)
        let replied = try other.run(["replied", second.followUp, "--note", "Dana called on Monday"])
        #expect(replied.status == 0, "\(replied.stderr)")
        let cancelled = try Self.state(other, second.followUp)
        #expect(cancelled["state"] as? String == "cancelled")
        #expect((cancelled["reason"] as? String)?.contains("Dana called on Monday") == true)
        #expect(try other.run(["confirm", second.followUp]).status == 65)
    }
}
