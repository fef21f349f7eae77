import Foundation
import Testing

/// `fuq flush` and `fuq doctor` with an `imap:` section, against a real Dovecot (STARTTLS) and
/// smtp-sink: the copy in Sent, none on a Gmail-style account, uncertain notes found in Sent,
/// a refused IMAP password.
@Suite("The mailbox: a copy in Sent, uncertain notes found there, doctor", .serialized)
struct SentCopyIntegrationTests {
    static let gmailFolders: [(name: String, specialUse: String?)] = [("[Gmail]/Sent Mail", "\\Sent"), ("[Gmail]/All Mail", "\\All")]

    /// A sandbox delivering to `sink`, reading `server` with a 0600 password file.
    static func sandbox(sink: SMTPSink, server: Dovecot, ca: TestCA, password: String? = nil, connectTimeout: String = "5s",
                        extra: String = "") throws -> FuqSandbox {
        let s = try FuqSandbox()
        let passwordFile = try s.file("imap-password", (password ?? server.password) + "\n")
        chmod(passwordFile, 0o600)
        try s.writeConfig(DeliveryTests.config(port: sink.port) + """
            imap:
              url: \(server.url("imap", folder: "INBOX"))
              username: \(Dovecot.user)
              password_file: \(passwordFile)
              ca_file: \(ca.caFile)
              connect_timeout: \(connectTimeout)
              command_timeout: 10s
            \(extra)
            """)
        return s
    }

    /// The file names (with their maildir flags) in a folder.
    static func files(_ server: Dovecot, _ folder: String) -> [String] {
        ["cur", "new"].flatMap { (try? FileManager.default.contentsOfDirectory(atPath: server.directory(of: folder).appendingPathComponent($0).path)) ?? [] }
    }

    static func enqueue(_ s: FuqSandbox, interview: String = DeliveryTests.panel) throws {
        let enqueue = try s.run(["enqueue", try s.file("i.yaml", interview), "--at", "now"])
        #expect(enqueue.status == 0, "\(enqueue.stderr)")
    }

    @Test("after fuq flush, Sent holds exactly the bytes the server got, read; the user's own mail keeps its flags")
    func copyInSent() throws {
        let sink = try SMTPSink()
        let ca = try TestCA()
        let server = try Dovecot(.tls(ca))
        let unread = try server.deliver(IMAPTests.message(from: "news@shop.example", subject: "Sale", id: "n1@shop.example"))
        let read = try server.deliver(IMAPTests.message(from: "dana@acme.example", subject: "Schedule", id: "n2@acme.example"), flags: "S")
        let s = try Self.sandbox(sink: sink, server: server, ca: ca)
        try Self.enqueue(s)

        let flush = try s.run(["flush"])
        #expect(flush.status == 0, "\(flush.stderr)")
        #expect(flush.stdout.contains("sent "))
        #expect(!flush.stderr.contains("warning"), "\(flush.stderr)")
        let received = try #require(sink.messages().first, "the sink received nothing")
        let copies = server.messages(in: "Sent")
        #expect(copies.count == 1)
        let copy = try #require(copies.first).replacingOccurrences(of: "\r\n", with: "\n")
        #expect(copy.contains("Message-ID: \(try #require(try s.queued().first)["message_id"] as! String)\n"))
        // smtp-sink puts its own X- and Received lines first; the rest is the message, byte for byte.
        let trimmed = { (text: String) in text.replacingOccurrences(of: #"\n+$"#, with: "", options: .regularExpression) }
        #expect(copy.hasPrefix("From: Alex Kim"))
        #expect(trimmed(received).hasSuffix(trimmed(copy)), "the copy differs from what was sent:\n\(copy)\n---\n\(received)")
        #expect(Self.files(server, "Sent").allSatisfy { $0.hasSuffix(":2,S") }, "the copy is stored read: \(Self.files(server, "Sent"))")
        #expect(server.flags(of: unread) == "", "fuq must not mark the user's mail read")
        #expect(server.flags(of: read) == "S")
        #expect(try s.queued().first?["state"] as? String == "sent")
    }

    @Test("a Gmail-style mailbox ([Gmail] folders) gets no copy: Gmail files sent mail itself")
    func gmailStyle() throws {
        let sink = try SMTPSink()
        let ca = try TestCA()
        let server = try Dovecot(.tls(ca), folders: Self.gmailFolders)
        let s = try Self.sandbox(sink: sink, server: server, ca: ca)
        try Self.enqueue(s)
        let flush = try s.run(["flush"])
        #expect(flush.status == 0, "\(flush.stderr)")
        #expect(flush.stderr.isEmpty, "\(flush.stderr)")
        #expect(sink.messages().count == 1)
        #expect(server.messages(in: "[Gmail]/Sent Mail").isEmpty)
        #expect(server.messages(in: "[Gmail]/All Mail").isEmpty)
        #expect(server.messages(in: "INBOX").isEmpty)

        let doctor = try s.run(["doctor"])
        #expect(doctor.status == 0, "\(doctor.stdout)")
        #expect(doctor.stdout.contains("Gmail files the notes it sends into Sent itself"))
    }

    @Test("fuq flush finds an uncertain note in Sent and records it sent, never resending; one not there stays uncertain")
    func uncertainFoundInSent() throws {
        let sink = try SMTPSink()
        let ca = try TestCA()
        let server = try Dovecot(.tls(ca))
        let s = try Self.sandbox(sink: sink, server: server, ca: ca)
        try Self.enqueue(s, interview: FuqSandbox.interview(endingIn: -3))
        let notes = try s.queued()
        #expect(notes.count == 2)
        // As a crash in the middle of sending leaves them.
        try s.sql("UPDATE message SET state = 'uncertain', lastError = 'fuq stopped while sending this'")
        let found = try #require(notes.first)
        let id = found["id"] as! String
        try server.deliver("From: Alex Kim <alex.kim@example.com>\nTo: dana.rivera@acme.example\nSubject: Thank you\n"
            + "Message-ID: \(found["message_id"] as! String)\n\nThank you.\n", to: "Sent", flags: "S")

        let flush = try s.run(["flush"])
        #expect(flush.status == 0, "\(flush.stderr)")
        #expect(flush.stdout.contains("sent      \(id)"), "\(flush.stdout)")
        #expect(flush.stdout.contains("found in your mailbox, folder \"Sent\""), "\(flush.stdout)")
        let after = Dictionary(uniqueKeysWithValues: try s.queued().map { ($0["id"] as! String, $0) })
        #expect(after[id]?["state"] as? String == "sent")
        #expect((after[id]?["server_reply"] as? String)?.contains("Sent") == true)
        let other = notes[1]["id"] as! String
        #expect(after[other]?["state"] as? String == "uncertain")
        #expect(sink.messages().isEmpty, "an uncertain note is never sent again on its own")
    }

    @Test("a refused IMAP password: the note is still sent, one warning says the copy is missing and why; doctor fails clearly")
    func wrongPassword() throws {
        let sink = try SMTPSink()
        let ca = try TestCA()
        let server = try Dovecot(.tls(ca))
        let wrong = "not-the-Pa55word"
        let s = try Self.sandbox(sink: sink, server: server, ca: ca, password: wrong)
        try Self.enqueue(s)
        let flush = try s.run(["flush"])
        #expect(flush.status == 0, "the note was sent: \(flush.stderr)")
        #expect(try s.queued().first?["state"] as? String == "sent")
        #expect(sink.messages().count == 1)
        let warnings = flush.stderr.split(separator: "\n").filter { $0.contains("warning") }
        #expect(warnings.count == 1, "\(flush.stderr)")
        #expect(flush.stderr.contains("WAS sent, but its copy could not be stored in your Sent folder"))
        #expect(flush.stderr.contains("refused the login for alex"))
        #expect(!flush.stderr.contains(wrong) && !flush.stdout.contains(wrong))
        #expect(server.messages(in: "Sent").isEmpty)

        // A fresh server: Dovecot slows down logins after failures from the same address.
        let fresh = try Dovecot(.tls(ca))
        let d = try Self.sandbox(sink: sink, server: fresh, ca: ca, password: wrong)
        let doctor = try d.run(["doctor"])
        #expect(doctor.status == 78, "\(doctor.stdout)")
        #expect(doctor.stdout.contains("FAIL  imap      the IMAP server 127.0.0.1:\(fresh.imapPort) refused the login for alex"), "\(doctor.stdout)")
        #expect(!doctor.stdout.contains(wrong))

        // A short imap.connect_timeout: Dovecot answers a failed login after 2 s, which is not
        // an unresponsive server.
        let quick = try Self.sandbox(sink: sink, server: fresh, ca: ca, password: wrong, connectTimeout: "1s")
        let quickDoctor = try quick.run(["doctor"])
        #expect(quickDoctor.status == 78, "\(quickDoctor.stdout)")
        #expect(quickDoctor.stdout.contains("FAIL  imap      the IMAP server 127.0.0.1:\(fresh.imapPort) refused the login for alex"), "\(quickDoctor.stdout)")
    }

    @Test("fuq doctor logs in, checks imap.folders and names the Sent folder; a missing folder fails with the ones there are")
    func doctor() throws {
        let sink = try SMTPSink()
        let ca = try TestCA()
        let server = try Dovecot(.tls(ca), folders: [("Sent", "\\Sent"), ("Archive", nil)])
        let good = try Self.sandbox(sink: sink, server: server, ca: ca, extra: "  folders: [INBOX, Archive]\n")
        let ok = try good.run(["doctor"])
        #expect(ok.status == 0, "\(ok.stdout)")
        #expect(ok.stdout.contains("ok    imap      logged in to 127.0.0.1:\(server.imapPort) as alex (imap.password_file"), "\(ok.stdout)")
        #expect(ok.stdout.contains("ok    folders   replies are looked for in \"INBOX\", \"Archive\""))
        #expect(ok.stdout.contains("ok    sent      a copy of each sent note goes to \"Sent\" (the folder marked \\Sent)"))

        let bad = try Self.sandbox(sink: sink, server: server, ca: ca, extra: "  folders: [INBOX, Archives]\n  sent_folder: Sent Items\n")
        let failed = try bad.run(["doctor"])
        #expect(failed.status == 78, "\(failed.stdout)")
        #expect(failed.stdout.contains("FAIL  folders   imap.folders names \"Archives\", which the mailbox does not have"), "\(failed.stdout)")
        #expect(failed.stdout.contains("FAIL  sent      imap.sent_folder is \"Sent Items\", which the mailbox does not have"))
        #expect(failed.stdout.contains("\"Archive\""), "the fix lists the folders there are")
    }

    @Test("non-ASCII folders (imap.folders, imap.sent_folder, the folder in imap.url): doctor finds them, flush stores the copy there")
    func nonASCIIFolders() throws {
        let sink = try SMTPSink()
        let ca = try TestCA()
        let server = try Dovecot(.tls(ca), folders: [("Ünïcödé", nil), ("Ärger/Ünter", nil)])
        let s = try Self.sandbox(sink: sink, server: server, ca: ca, extra: "  folders: [INBOX, \"Ärger/Ünter\"]\n  sent_folder: Ünïcödé\n")
        let doctor = try s.run(["doctor"])
        #expect(doctor.status == 0, "\(doctor.stdout)")
        #expect(doctor.stdout.contains("ok    folders   replies are looked for in \"INBOX\", \"Ärger/Ünter\""), "\(doctor.stdout)")
        #expect(doctor.stdout.contains("ok    sent      a copy of each sent note goes to \"Ünïcödé\" (imap.sent_folder)"), "\(doctor.stdout)")

        try Self.enqueue(s)
        let flush = try s.run(["flush"])
        #expect(flush.status == 0, "\(flush.stderr)")
        #expect(!flush.stderr.contains("warning"), "\(flush.stderr)")
        #expect(server.messages(in: "Ünïcödé").count == 1)
        #expect(!server.log.contains("8bit data"), "\(server.log)")
    }
}

extension SentCopyIntegrationTests {
    @Test("the daemon: at start an uncertain note found in Sent is recorded sent; a note it sends gets its copy in Sent")
    func daemon() throws {
        let sink = try SMTPSink()
        let ca = try TestCA()
        let server = try Dovecot(.tls(ca))
        let s = try Self.sandbox(sink: sink, server: server, ca: ca)
        let enqueue = try s.run(["enqueue", try s.file("i.yaml", FuqSandbox.interview(endingIn: -3)), "--at", "+1h"])
        #expect(enqueue.status == 0, "\(enqueue.stderr)")
        let notes = try s.queued()
        #expect(notes.count == 2)
        let (uncertain, due) = (notes[0]["id"] as! String, notes[1]["id"] as! String)
        try s.sql("UPDATE message SET state = 'uncertain' WHERE id = '\(uncertain)'")
        try s.sql("UPDATE message SET due = '\(FuqSandbox.dbDate(Date()))' WHERE id = '\(due)'")
        try server.deliver("From: Alex Kim <alex.kim@example.com>\nSubject: Thank you\nMessage-ID: \(notes[0]["message_id"] as! String)\n\nThank you.\n",
                           to: "Sent", flags: "S")

        let daemon = try DaemonProcess(s)
        #expect(daemon.waitStarted(), "\(daemon.log)")
        #expect(waitFor(timeout: 15) { server.messages(in: "Sent").count == 2 }, "no copy in Sent: \(daemon.log)")
        daemon.signal(SIGTERM)
        #expect(daemon.waitExit(timeout: 10) == 0)

        let states = Dictionary(uniqueKeysWithValues: try s.queued().map { ($0["id"] as! String, $0["state"] as! String) })
        #expect(states == [uncertain: "sent", due: "sent"])
        #expect(sink.messages().count == 1, "the uncertain note is not sent again")
        #expect(daemon.log.contains("found in the mailbox; recorded as sent"), "\(daemon.log)")
        let copy = try #require(server.messages(in: "Sent").first { $0.contains(notes[1]["message_id"] as! String) })
        #expect(copy.contains("Dear "))
        #expect(!daemon.log.contains("could not be stored"), "\(daemon.log)")
    }
}
