import Foundation
import Testing

/// Delivery through libcurl to aiosmtpd with STARTTLS and AUTH required, its certificate
/// signed by a CA made for the test; and to a server that never answers.
@Suite("Delivery over STARTTLS + AUTH (aiosmtpd), and silent servers", .serialized)
struct TLSDeliveryTests {
    static let user = "alex.kim"
    static let password = "pw-Tr0ub4dor&3-never-logged"

    /// A short template, so the whole message can be compared byte for byte.
    static let template = """
        Subject: Thank you for the {{position}} interview – {{sender.name}}

        Dear {{interviewer.salutation}},

        Thank you for our conversation about the {{position}} role at {{company}}.
        {{#interviewer.note}}
        {{interviewer.note}}
        {{/interviewer.note}}

        Best regards,
        {{sender.name}}
        """

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
              .NET was the stack I used there; happy to share the write-up.
          - name: Dana Rivera
            honorific: Ms.
            email: dana.rivera@acme.example
            topic: Kubernetes
          - name: Kwame Okafor
            honorific: Dr.
            email: k.okafor@acme.example
            topic: on-call load
        """

    /// A sandbox whose config points at `port` with STARTTLS, AUTH and the test CA.
    static func sandbox(port: Int, ca: TestCA, password: String = TLSDeliveryTests.password, bccSelf: Bool = false,
                        scheme: String = "smtp") throws -> FuqSandbox {
        let s = try FuqSandbox()
        let passwordFile = try s.file("smtp-password", password + "\n")
        chmod(passwordFile, 0o600)
        let templates = s.root.appendingPathComponent("templates")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        try template.write(to: templates.appendingPathComponent("thank-you.mustache"), atomically: true, encoding: .utf8)
        try s.writeConfig(FuqSandbox.standardConfig + """

              bcc_self: \(bccSelf)
            smtp:
              url: \(scheme)://127.0.0.1:\(port)
              username: \(user)
              password_file: \(passwordFile)
              ca_file: \(ca.caFile)
              reply_timeout: 2s
            templates:
              dir: \(templates.path)
            """)
        return s
    }

    @Test("exact bytes over STARTTLS + AUTH; three notes share the connections")
    func exactBytes() throws {
        let ca = try TestCA()
        let server = try PythonSMTPServer(.tlsAuth(ca: ca, user: Self.user, password: Self.password))
        let s = try Self.sandbox(port: server.port, ca: ca, bccSelf: true)
        let enqueue = try s.run(["enqueue", try s.file("i.yaml", Self.panel), "--at", "now"])
        #expect(enqueue.status == 0, "\(enqueue.stderr)")
        let queued = try s.queued()
        let jose = try #require(queued.first { $0["to"] as? String == "jose@acme.example" })
        let before = Date()
        // --at now staggers a panel by minutes; send-now takes all three at once, in one session.
        let send = try s.run(["send-now"] + queued.compactMap { $0["id"] as? String })
        #expect(send.status == 0, "\(send.stdout) \(send.stderr)")
        #expect(send.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("sent ") }.count == 3, "\(send.stdout)")

        let received = server.messages()
        #expect(received.count == 3)
        // smtp.connections is 2 by default: the three notes share them (the first goes alone).
        #expect(Set(received.map(\.peerPort)).count <= 2, "connections are reused across notes, got ports \(received.map(\.peerPort))")
        #expect(received.allSatisfy { $0.login == Self.user && $0.mailFrom == "alex.kim@example.com" })
        let mail = try #require(received.first { $0.recipients.first == "jose@acme.example" })
        #expect(mail.recipients == ["jose@acme.example", "alex.kim@example.com"], "bcc_self adds the sender as a recipient, not a header")

        let dateLine = try #require(mail.text.components(separatedBy: "\r\n").first { $0.hasPrefix("Date: ") })
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let date = try #require(f.date(from: String(dateLine.dropFirst(6))))
        #expect(date.timeIntervalSince(before) > -2 && date.timeIntervalSinceNow < 2, "Date is stamped at send time")
        let messageID = try #require(jose["message_id"] as? String)
        let expected = [
            "From: Alex Kim <alex.kim@example.com>",
            "To: =?UTF-8?B?" + Data("José Müller".utf8).base64EncodedString() + "?= <jose@acme.example>",
            // Only the word with the en dash is encoded; the header folds before 78 characters.
            "Subject: Thank you for the Senior Platform Engineer interview =?UTF-8?B?" + Data("–".utf8).base64EncodedString() + "?=",
            " Alex Kim",
            dateLine,
            "Message-ID: \(messageID)",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            "Dear Mr. M=C3=BCller,",
            "",
            "Thank you for our conversation about the Senior Platform Engineer role at A=",
            "cme Robotics.",
            ".NET was the stack I used there; happy to share the write-up.",
            "",
            "Best regards,",
            "Alex Kim",
        ].joined(separator: "\r\n") + "\r\n"
        #expect(mail.text == expected)
        #expect(!mail.text.components(separatedBy: "\r\n").contains { $0.utf8.count > 78 }, "no line over 78 characters")
    }

    @Test("wrong password → held, not retried; the password appears nowhere; retry after fixing sends the same Message-ID")
    func wrongPassword() throws {
        let ca = try TestCA()
        let server = try PythonSMTPServer(.tlsAuth(ca: ca, user: Self.user, password: Self.password))
        let wrong = "wrong-Horse-Battery-9137"
        let s = try Self.sandbox(port: server.port, ca: ca, password: wrong)
        s.environment["FUQ_LOG_LEVEL"] = "trace"
        #expect(try s.run(["enqueue", try s.file("i.yaml", Self.panel), "--at", "now"]).status == 0)
        let ids = try s.queued().compactMap { $0["id"] as? String }
        let flush = try s.run(["send-now"] + ids)
        #expect(flush.status == 75)
        #expect(flush.stdout.contains("2 more not tried"), "\(flush.stdout)")
        #expect(server.messages().isEmpty)
        #expect(server.authFailures == 1, "one refused login stops the run; the server is not hammered")
        let queued = try s.queued()
        #expect(queued.map { $0["state"] as? String } == ["held", "scheduled", "scheduled"])
        let held = try #require(queued.first)
        #expect((held["last_error"] as? String)?.contains("app password") == true)
        let status = try s.run(["status"])
        let show = try s.run(["show", ids[0]])
        let doctor = try s.run(["doctor"])
        #expect(doctor.status == 78)
        #expect(doctor.stdout.contains("FAIL  auth"))
        // A flush does not retry the held message on its own.
        let again = try s.run(["flush"])
        #expect(server.authFailures == 2, "only doctor's check logged in again; the held note was not retried: \(again.stdout)")

        var everything = flush.stdout + flush.stderr + status.stdout + show.stdout + doctor.stdout + doctor.stderr + again.stdout + again.stderr
        for suffix in ["", "-wal", "-shm", ".lock"] {
            if let data = FileManager.default.contents(atPath: s.queuePath + suffix) { everything += String(decoding: data, as: UTF8.self) }
        }
        #expect(!everything.contains(wrong), "the password leaked")
        #expect(!everything.contains(Data("\u{0}\(Self.user)\u{0}\(wrong)".utf8).base64EncodedString()), "the AUTH PLAIN line leaked")

        // Fix the password, release the held notes: the same Message-IDs go out.
        try (Self.password + "\n").write(toFile: s.root.appendingPathComponent("smtp-password").path, atomically: false, encoding: .utf8)
        #expect(try s.run(["retry", ids[0]]).status == 0)
        let retried = try s.run(["send-now"] + ids)
        #expect(retried.status == 0, "\(retried.stdout) \(retried.stderr)")
        let received = server.messages()
        #expect(received.count == 3)
        let idsSent = Set(received.compactMap { $0.text.components(separatedBy: "\r\n").first { $0.hasPrefix("Message-ID: ") }?.dropFirst(12) }.map(String.init))
        #expect(idsSent == Set(queued.compactMap { $0["message_id"] as? String }))
        #expect(!(retried.stdout + retried.stderr).contains(Self.password))
    }

    @Test("a certificate from an unknown CA → held with a TLS reason; nothing sent")
    func unknownCA() throws {
        let ca = try TestCA()
        let other = try TestCA()
        let server = try PythonSMTPServer(.tlsAuth(ca: ca, user: Self.user, password: Self.password))
        let s = try Self.sandbox(port: server.port, ca: other)
        #expect(try s.run(["enqueue", try s.file("i.yaml", Self.panel), "--at", "now"]).status == 0)
        #expect(try s.run(["flush"]).status == 75)
        #expect(server.messages().isEmpty)
        let m = try #require(try s.queued().first)
        #expect(m["state"] as? String == "held")
        #expect((m["last_error"] as? String)?.contains("TLS failed") == true, "\(m)")
        let doctor = try s.run(["doctor"])
        #expect(doctor.status == 78)
        #expect(doctor.stdout.contains("FAIL  tls"))
    }

    @Test("doctor: everything works → exit 0, nothing sent")
    func doctorHappy() throws {
        let ca = try TestCA()
        let server = try PythonSMTPServer(.tlsAuth(ca: ca, user: Self.user, password: Self.password))
        let s = try Self.sandbox(port: server.port, ca: ca)
        let doctor = try s.run(["doctor"])
        #expect(doctor.status == 0, "\(doctor.stdout)\(doctor.stderr)")
        for topic in ["config", "sender", "password", "connect", "greeting", "tls", "auth"] {
            #expect(doctor.stdout.contains("ok    \(topic)"), "\(topic) missing from \(doctor.stdout)")
        }
        #expect(doctor.stdout.contains("STARTTLS, certificate verified"))
        #expect(doctor.stdout.contains("accepted as \(Self.user)"))
        #expect(server.messages().isEmpty)
        #expect(!doctor.stdout.contains(Self.password))
    }

    @Test("a server that accepts and never answers → deferred after reply_timeout, with an attempt row")
    func silentServer() throws {
        let server = try PythonSMTPServer(.silent)
        let s = try FuqSandbox()
        try s.writeConfig(FuqSandbox.standardConfig + "\nsmtp:\n  url: smtp://127.0.0.1:\(server.port)\n  tls: none\n  reply_timeout: 2s\n")
        #expect(try s.run(["enqueue", try s.file("i.yaml", DeliveryTests.panel), "--at", "now"]).status == 0)
        let started = Date()
        let flush = try s.run(["flush"])
        let took = Date().timeIntervalSince(started)
        #expect(flush.status == 75)
        #expect(took < 10, "reply_timeout is 2 s; the flush took \(took) s")
        let m = try #require(try s.queued().first)
        #expect(m["state"] as? String == "deferred")
        let due = try #require(ISO8601DateFormatter().date(from: m["due"] as! String))
        #expect((280...320).contains(due.timeIntervalSinceNow), "next try in \(due.timeIntervalSinceNow) s")
        let show = try s.run(["show", m["id"] as! String, "--json"])
        let log = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any]
        let attempts = try #require(log?["attempt_log"] as? [[String: Any]])
        #expect(attempts.count == 1)
        #expect(attempts.first?["outcome"] as? String == "deferred")

        let doctor = try s.run(["doctor"])
        #expect(doctor.status == 75)
        #expect(doctor.stdout.contains("FAIL  greeting"))
    }

    @Test("the whole note sent, then the server hangs up without answering → uncertain, never resent on its own")
    func hangupAfterBody() throws {
        let server = try PythonSMTPServer(.hangup)
        let s = try FuqSandbox()
        try s.writeConfig(FuqSandbox.standardConfig + "\nsmtp:\n  url: smtp://127.0.0.1:\(server.port)\n  tls: none\n  reply_timeout: 2s\n")
        #expect(try s.run(["enqueue", try s.file("i.yaml", DeliveryTests.panel), "--at", "now"]).status == 0)
        let flush = try s.run(["flush"])
        #expect(flush.status == 75)
        #expect(server.messagesRead == 1)
        let m = try #require(try s.queued().first)
        #expect(m["state"] as? String == "uncertain", "\(m)")
        #expect((m["last_error"] as? String)?.contains("may have been accepted") == true)
        try s.sql("UPDATE message SET due = '2000-01-01 00:00:00.000'")
        #expect(try s.run(["flush"]).stdout.contains("Nothing is due"))
        #expect(server.messagesRead == 1, "an uncertain note is not resent on its own")
    }

    @Test("smtps:// (TLS from the first byte) with AUTH delivers; smtp:// to that port is diagnosed by doctor")
    func implicitTLS() throws {
        let ca = try TestCA()
        let server = try PythonSMTPServer(.smtpsAuth(ca: ca, user: Self.user, password: Self.password))
        let s = try Self.sandbox(port: server.port, ca: ca, scheme: "smtps")
        let doctor = try s.run(["doctor"])
        #expect(doctor.status == 0, "\(doctor.stdout)")
        #expect(doctor.stdout.contains("TLS from the first byte, certificate verified"))
        #expect(try s.run(["enqueue", try s.file("i.yaml", Self.panel), "--at", "now"]).status == 0)
        let first = try #require(try s.queued().first?["id"] as? String)
        #expect(try s.run(["send-now", first]).status == 0)
        #expect(server.messages().count == 1)
        #expect(server.messages().first?.login == Self.user)

        // The classic mistake: smtp:// (STARTTLS) pointed at a TLS-from-the-start port.
        let wrong = try Self.sandbox(port: server.port, ca: ca, scheme: "smtp")
        let check = try wrong.run(["doctor"])
        #expect(check.status == 75)
        #expect(check.stdout.contains("FAIL  greeting") && check.stdout.contains("port 465 wants smtps://"), "\(check.stdout)")
    }
}
