import Foundation
import Testing
@testable import FuqCore

/// A password typed into a server URL — in whatever shape the URL is mistyped — never reaches
/// an error message or a log line.
@Suite("Server URLs never show a password")
struct URLSecretTests {
    static let marker = "S3cretMarker"

    /// Shapes people type (and mistype) around a user name and password.
    static func randomURL(using g: inout SeededGenerator) -> String {
        let schemes = ["smtp", "smtps", "imap", "imaps", "SMTPS", "smpt", "", "http"]
        let separators = ["://", ":/", ":", ":///", "//", "", ": //"]
        let users = ["alex", "alex%40example.org", "alex@example.org", "", "a:b"]
        let hosts = ["host", "mail.example.org", "127.0.0.1", "[::1]", "", "host name", "host:25", "host:99999", "h\u{7}st"]
        let shapes: [(String, String, String, String, String) -> String] = [
            { s, sep, u, pw, h in "\(s)\(sep)\(u):\(pw)@\(h)" },
            { s, sep, u, pw, h in "\(s)\(sep)\(u):\(pw)@\(h):25" },
            { s, sep, _, pw, h in "\(s)\(sep)\(h)?password=\(pw)" },
            { s, sep, _, pw, h in "\(s)\(sep)\(h)/INBOX?pass=\(pw)&x=1" },
            { s, sep, _, pw, h in "\(s)\(sep)\(h)#\(pw)" },
            { s, sep, u, pw, h in "\(s)\(sep)\(u);AUTH=PLAIN:\(pw)@\(h)" },
            { s, sep, u, pw, h in "\(s)\(sep)\(u):\(pw)@\(h)/INBOX" },
            { s, sep, u, pw, h in "\(s)\(sep)\(u):\(pw)@@\(h)" },
            { s, sep, u, pw, h in "\(s)\(sep)\(u):\(pw)\(h)" },
            { _, _, u, pw, h in "\(u):\(pw)@\(h):25" },
            { s, sep, u, pw, h in "\(s)\(sep)\(u):\(pw)@\(h) " },
            { s, sep, u, pw, h in "\(s)\(sep)\(u):\(pw) @\(h)" },
            { s, sep, _, pw, h in "\(s)\(sep)\(h)/\(pw)@" },
        ]
        let shape = shapes.randomElement(using: &g)!
        return shape(schemes.randomElement(using: &g)!, separators.randomElement(using: &g)!, users.randomElement(using: &g)!,
                     marker, hosts.randomElement(using: &g)!)
    }

    static func config(smtp: String, imap: String) -> String {
        """
        sender:
          name: Alex Kim
          email: alex@example.org
          phone: "+1 555 0100"
        smtp:
          url: '\(smtp.replacingOccurrences(of: "'", with: "''"))'
          username: alex
          password_file: /nonexistent
        imap:
          url: '\(imap.replacingOccurrences(of: "'", with: "''"))'
          username: alex
          password_file: /nonexistent
        """
    }

    @Test("the issue's shapes are shown without the password, with the host when one can be told", arguments: [
        ("smtp:/alex:S3cretMarker@host", "smtp://***@host"),
        ("smtps:alex:S3cretMarker@host", "smtps://***@host"),
        ("alex:S3cretMarker@host:25", "alex://***@host:25"),
        ("smtp://host?password=S3cretMarker", "smtp://host/***"),
        ("smtps://mail.example.org:465#S3cretMarker", "smtps://mail.example.org:465/***"),
        ("smtps://alex:S3cretMarker@mail.example.org:465", "smtps://***@mail.example.org:465"),
        ("smtp://127.0.0.1:2525/alex:S3cretMarker", "smtp://127.0.0.1:2525/***"),
        ("smtp://127.0.0.1:2525/alex@S3cretMarker", "smtp://127.0.0.1:2525/***"),
        ("smtp://127.0.0.1:3700/alex%3AS3cretMarker", "smtp://127.0.0.1:3700/***"),
        ("smtp://127.0.0.1:3700/alex;S3cretMarker", "smtp://127.0.0.1:3700/***"),
    ])
    func issueShapes(url: String, shown: String) throws {
        let text = SMTPSettings.redacted(url)
        #expect(!text.contains(Self.marker), "\(url) → \(text)")
        #expect(text.hasPrefix(shown), "\(url) → \(text)")
        // What the config loader says of it: no password, and no password offered as the host.
        let error = try #require(throws: (any Error).self) { try FuqConfig.parse(Self.config(smtp: url, imap: "imaps://imap.example.org:993/INBOX"), file: "config.yaml", environment: [:]) }
        let said = (error as? LocalizedError)?.errorDescription ?? "\(error)"
        #expect(!said.contains(Self.marker), "\(url) → \(said)")
    }

    @Test("plain server URLs are shown as written", arguments: [
        "smtps://smtp.example.org:465", "smtp://127.0.0.1:2525", "imaps://imap.example.org:993/INBOX",
        "imaps://imap.gmail.com:993/[Gmail]/All Mail", "imap://[::1]:143/Ärger/Ünter",
    ])
    func plainShown(url: String) {
        #expect(SMTPSettings.redacted(url) == url)
    }

    @Test("random mistyped URLs in smtp.url and imap.url: whatever the loader says never holds the password", arguments: [11, 12, 13])
    func randomURLs(seed: UInt64) {
        var g = SeededGenerator(state: seed)
        var refused = 0
        for _ in 0..<600 {
            let smtp = Self.randomURL(using: &g)
            let imap = Bool.random(using: &g) ? Self.randomURL(using: &g) : "imaps://imap.example.org:993/INBOX"
            #expect(!SMTPSettings.redacted(smtp).contains(Self.marker), "seed \(seed): \(smtp.debugDescription)")
            do {
                let config = try FuqConfig.parse(Self.config(smtp: smtp, imap: imap), file: "config.yaml", environment: [:])
                // Accepted: nothing it shows may hold the marker either.
                #expect(!(config.smtp.url.map(SMTPSettings.redacted) ?? "").contains(Self.marker), "seed \(seed): \(smtp.debugDescription)")
            } catch {
                refused += 1
                let text = (error as? LocalizedError)?.errorDescription ?? "\(error)"
                #expect(!text.contains(Self.marker), "seed \(seed): \(smtp.debugDescription) / \(imap.debugDescription) → \(text)")
                #expect(!"\(error)".contains(Self.marker), "seed \(seed): \(smtp.debugDescription) (description)")
            }
            #expect(FuqConfig.problem(key: "smtp.url", value: smtp).map { !$0.contains(Self.marker) } ?? true, "seed \(seed): init's check of \(smtp.debugDescription)")
        }
        // Every generated URL holds a password: each must be refused.
        #expect(refused == 600)
    }
}

@Suite("The user's own zone")
struct SystemZoneTests {
    @Test("TZ is read as fuq reads zones: a name it cannot use is unusable, never GMT", arguments: [
        ("America/NewYork", nil), ("Nowhere/Bogus", nil), ("<+0545>-5:45", nil), ("EST5EDT", nil), ("EST", nil),
        ("UTC", "UTC"), ("", "UTC"), ("GMT", "GMT"), (":Europe/Paris", "Europe/Paris"), ("/usr/share/zoneinfo/Asia/Tokyo", "Asia/Tokyo"),
    ] as [(String, String?)])
    func tz(tz: String, name: String?) {
        let read = SystemZone.read(environment: ["TZ": tz], systemIdentifier: "Europe/Berlin")
        if let name {
            guard case .zone(_, let got) = read else { Issue.record("\(tz) → \(read)"); return }
            #expect(got == name)
        } else {
            #expect(read == .unusable(tz: tz))
            #expect(read.displayZone.secondsFromGMT() == 0)
        }
    }

    @Test("GMT is a zone (the tz database's link to Etc/GMT); no suggestion ever repeats the name as written")
    func gmt() {
        #expect(TimeZoneName.lookup("GMT")?.secondsFromGMT() == 0)
        #expect(TimeZoneName.suggestion(for: "GMT") != "GMT")
        for link in ["GMT0", "GMT+0", "UCT", "Universal", "Zulu", "Greenwich"] { #expect(TimeZoneName.lookup(link)?.secondsFromGMT() == 0, "\(link)") }
    }

    @Test("without TZ, the system's zone; Foundation's GMT for UTC is called UTC")
    func system() {
        #expect(SystemZone.read(environment: [:], systemIdentifier: "GMT") == .zone(TimeZoneName.lookup("UTC")!, name: "UTC"))
        #expect(SystemZone.read(environment: [:], systemIdentifier: "Europe/Berlin") == .zone(TimeZone(identifier: "Europe/Berlin")!, name: "Europe/Berlin"))
    }
}

@Suite("An edited note")
struct NoteEditingTests {
    @Test("a CR in the edited Subject is named as such (not as a malformed template), and nothing changes", arguments: [
        "Subject: Thank you\rBcc: evil@x.example\n\nDear Dana,\nThanks.\n",
        "Subject: Thank you\u{1B}[2J\n\nDear Dana,\nThanks.\n",
    ])
    func subjectControl(edited: String) {
        do {
            _ = try NoteEditing.template(fromEdited: edited, original: "Subject: Thank you\n\nDear Dana,\nThank you.\n")
            Issue.record("accepted \(edited.debugDescription)")
        } catch {
            let text = (error as? LocalizedError)?.errorDescription ?? ""
            #expect(text.contains("the Subject line") && text.contains("control character") && !text.contains("template"), "\(text)")
        }
    }
}

@Suite("Log lines")
struct LogLineTests {
    @Test("a value from the queue with control characters is shown escaped, never raw on the terminal or in the journal", arguments: [false, true])
    func escaped(journal: Bool) {
        let line = JournalLogHandler.line(level: .warning, message: "deferred", metadata: ["mail.to": "x\u{1B}]0;PWNED\u{07}@a.example\r\nBcc: e@x"], journal: journal)
        #expect(!line.contains("\u{1B}") && !line.contains("\u{07}") && !line.contains("\r"))
        #expect(line.filter { $0 == "\n" }.count == 1 && line.hasSuffix("\n"))
        #expect(line.contains("PWNED"), "the text is kept, escaped: \(line)")
    }
}

@Suite("A config with a key twice")
struct DuplicateKeyTests {
    @Test("names the key and its line, never quotes the file (a password may be in it)")
    func duplicate() {
        let text = "sender:\n  name: Alex Kim\n  name: S3cretMarker\nsmtp:\n  url: smtps://mail.example.org:465\n"
        #expect(throws: YAMLProblem.self) { try FuqConfig.parse(text, file: "config.yaml", environment: [:]) }
        do {
            _ = try FuqConfig.parse(text, file: "config.yaml", environment: [:])
        } catch {
            let said = (error as? LocalizedError)?.errorDescription ?? "\(error)"
            #expect(said.contains("`name` appears twice") && said.contains("config.yaml:2") && !said.contains("S3cretMarker"), "\(said)")
        }
    }
}
