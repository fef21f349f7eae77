import Foundation
import Testing
import Yams

/// `fuq new`: each invitation in Invitations/ (the shapes Google, Outlook/Exchange, Teams, Apple,
/// Zoom and applicant-tracking systems send), drafted by the real binary and compared with what
/// a person reading the invitation would write (NAME.expected.yaml); refusals; a round trip to
/// `enqueue --dry-run`. Dates in the fixtures are tokens ({{D+3}}): nothing rots.
@Suite("fuq new: drafting the interview file from the invitation", .serialized)
struct NewTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Invitations")

    /// The fixture's text with its tokens replaced (as Invitations/README.md and validate.py say).
    static func substitute(_ text: String, ics: Bool, today: Date = Date()) throws -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            out += rest[..<open.lowerBound]
            let token = String(rest[open.upperBound..<close.lowerBound])
            rest = rest[close.upperBound...]
            let utc = { (format: String, date: Date) -> String in
                let f = DateFormatter()
                f.locale = Locale(identifier: "en_US_POSIX")
                f.timeZone = .gmt
                f.dateFormat = format
                return f.string(from: date)
            }
            if token.hasPrefix("D"), let n = Int(token.dropFirst()) {
                out += utc(ics ? "yyyyMMdd" : "yyyy-MM-dd", today.addingTimeInterval(Double(n) * 86400))
            } else if token == "NOW" {
                out += utc("yyyyMMdd'T'HHmmss'Z'", today)
            } else if token == "MAILDATE" {
                out += utc("EEE, dd MMM yyyy HH:mm:ss '+0000'", today)
            } else if token.hasPrefix("INCLUDE:") || token.hasPrefix("BASE64:") {
                let name = String(token.split(separator: ":", maxSplits: 1)[1])
                let body = try substitute(String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8), ics: true, today: today)
                if token.hasPrefix("INCLUDE:") {
                    out += body.trimmingCharacters(in: CharacterSet(charactersIn: "\r\n"))
                } else {
                    let b = Data(body.utf8).base64EncodedString()
                    out += stride(from: 0, to: b.count, by: 76).map { i in
                        String(b[b.index(b.startIndex, offsetBy: i)..<b.index(b.startIndex, offsetBy: min(i + 76, b.count))])
                    }.joined(separator: "\r\n")
                }
            } else {
                throw CocoaError(.coderInvalidValue, userInfo: [NSLocalizedDescriptionKey: "unknown token \(token)"])
            }
        }
        return out + rest
    }

    /// A sandbox whose user is Alex Kim (two addresses) in New York, as the expectations assume.
    static func sandbox() throws -> FuqSandbox {
        let s = try FuqSandbox()
        s.environment["TZ"] = "America/New_York"
        try s.writeConfig(FuqSandbox.standardConfig + "\n  aliases: [alex@alexkim.example]\n")
        return s
    }

    static let fixtures = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
        .filter { $0.hasSuffix(".expected.yaml") }.map { String($0.dropLast(".expected.yaml".count)) }.sorted()

    static func instant(_ text: String, zone: String) -> Date? {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        if text.hasSuffix("Z") {
            f.timeZone = .gmt
            f.dateFormat = "yyyy-MM-dd'T'HH:mm'Z'"
        } else {
            f.timeZone = TimeZone(identifier: zone)
            f.dateFormat = "yyyy-MM-dd'T'HH:mm"
        }
        return f.date(from: text)
    }

    @Test("each invitation gives the draft a person would write: zone, times, interviewers, lead, recruiter, guesses, who is left out", arguments: fixtures)
    func fixture(_ name: String) throws {
        let s = try Self.sandbox()
        let file = (try? FileManager.default.contentsOfDirectory(atPath: Self.folder.path))?.first { $0.hasPrefix(name + ".") && !$0.hasSuffix(".yaml") }
        let source = try #require(file)
        let path = try s.file(source, try Self.substitute(String(contentsOf: Self.folder.appendingPathComponent(source), encoding: .utf8), ics: true))
        var expected = try #require(try Yams.load(yaml: Self.substitute(String(contentsOf: Self.folder.appendingPathComponent(name + ".expected.yaml"), encoding: .utf8), ics: false)) as? [String: Any])
        if let same = expected["same_as"] as? String {
            expected = try #require(try Yams.load(yaml: Self.substitute(String(contentsOf: Self.folder.appendingPathComponent(same), encoding: .utf8), ics: false)) as? [String: Any])
        }
        let result = try s.run(["new", path])
        if let refuse = expected["refuse"] as? [String: Any] {
            #expect(result.status == 65, "\(result.stdout) \(result.stderr)")
            let phrase = ["recurring": "is a repeating event", "cancel": "is a cancellation"][refuse["reason"] as? String ?? ""] ?? "?"
            #expect(result.stderr.contains(phrase), "\(result.stderr)")
            #expect(result.stdout.isEmpty)
            return
        }
        #expect(result.status == 0, "\(result.stderr)")
        let draft = try #require(try Yams.load(yaml: result.stdout) as? [String: Any], "\(result.stdout)")
        let interview = try #require(draft["interview"] as? [String: Any])
        let zone = try #require(interview["timezone"] as? String)
        #expect(zone == expected["timezone"] as? String, "\(result.stdout)")
        for key in ["start", "end"] {
            let want = try #require(expected[key] as? String)
            let got = try #require(interview[key] as? String)
            #expect(Self.instant(got, zone: zone) == Self.instant(want, zone: zone), "\(key): \(got) in \(zone), expected \(want)")
        }
        for key in ["company", "position"] {
            let want = (expected[key] as? [String: Any])?["guess"] as? String
            #expect(draft[key] as? String == want, "\(key): \(draft[key] ?? "nil")")
        }
        let people = try #require(draft["interviewers"] as? [[String: Any]])
        let wanted = try #require(expected["interviewers"] as? [[String: Any]])
        #expect(people.map { $0["email"] as? String } == wanted.map { $0["email"] as? String }, "\(result.stdout)")
        #expect(people.map { $0["name"] as? String } == wanted.map { $0["name"] as? String }, "\(result.stdout)")
        #expect(people.map { $0["lead"] as? Bool ?? false } == wanted.map { $0["lead"] as? Bool ?? false }, "\(result.stdout)")
        for p in people {
            #expect(p["topic"] as? String == "TODO" && p["honorific"] as? String == "TODO", "only the user knows: \(p)")
        }
        let recruiter = draft["recruiter"] as? [String: Any]
        let wantRecruiter = expected["recruiter"] as? [String: Any]
        #expect(recruiter?["email"] as? String == wantRecruiter?["email"] as? String, "\(result.stdout)")
        #expect(recruiter?["name"] as? String == wantRecruiter?["name"] as? String, "\(result.stdout)")
        // Everyone left out is named in a comment, with why.
        let comments = result.stdout.components(separatedBy: "# Left out:").dropFirst().joined()
        for left in expected["left_out"] as? [[String: Any]] ?? [] {
            let who = (left["email"] as? String) ?? (left["name"] as? String) ?? "?"
            let room = (left["name"] as? String).map { comments.contains($0) } ?? false
            #expect(comments.contains(who) || room || (left["why"] as? String == "room" && comments.contains("(a room)")), "\(who) is not listed as left out: \(comments)")
        }
        // What the draft says it guessed.
        #expect(result.stdout.contains("# guessed from") || draft["company"] as? String == "TODO")
        // A draft is not a note to send: check refuses it while a TODO is in it.
        let saved = try s.file("draft.yaml", result.stdout)
        let check = try s.run(["check", saved])
        #expect(check.status == 65 && check.stderr.contains("still TODO (left by `fuq new`)"), "\(check.stderr)")
    }

    @Test("round trip: fuq new, every TODO filled, then enqueue --dry-run plans one note per interviewer at the invitation's times")
    func roundTrip() throws {
        let s = try Self.sandbox()
        let path = try s.file("invite.ics", try Self.substitute(String(contentsOf: Self.folder.appendingPathComponent("outlook-exchange.ics"), encoding: .utf8), ics: true))
        let new = try s.run(["new", path, "-o", "globex.yaml"])
        #expect(new.status == 0, "\(new.stderr)")
        #expect(new.stderr.contains("TODO(s) to fill"), "\(new.stderr)")
        #expect(try s.run(["new", path, "-o", "globex.yaml"]).status == 73, "an existing file is not replaced without --force")
        var text = try String(contentsOfFile: s.root.appendingPathComponent("globex.yaml").path, encoding: .utf8)
        var topics = ["the streaming ingestion rewrite", "how the data platform team runs on-call", "the dbt migration"].makeIterator()
        text = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            if line.contains("honorific: TODO") { return line.replacingOccurrences(of: "TODO", with: "Dr.").components(separatedBy: "    #")[0] }
            if line.contains("topic: TODO") { return "    topic: \(topics.next() ?? "the team")" }
            return String(line)
        }.joined(separator: "\n")
        #expect(!text.contains(": TODO"), "\(text)")
        let filled = try s.file("filled.yaml", text)
        let dry = try s.run(["enqueue", filled, "--dry-run"])
        #expect(dry.status == 0, "\(dry.stdout) \(dry.stderr)")
        #expect(dry.stdout.contains("Priya Natarajan") && dry.stdout.contains("Samuel O'Neill"), "\(dry.stdout)")
        #expect(dry.stdout.contains("Globex"), "\(dry.stdout)")

        // Queued, then the same invitation again: nothing new. Then the update (SEQUENCE 2).
        let queued = try s.run(["enqueue", filled])
        #expect(queued.status == 0, "\(queued.stderr)")
        let again = try s.run(["new", path, "-o", "again.yaml"])
        #expect(again.status == 0 && again.stderr.contains("already holds this invitation (sequence 0); nothing new"), "\(again.stderr)")
        #expect(!FileManager.default.fileExists(atPath: s.root.appendingPathComponent("again.yaml").path))
        let update = try s.file("update.ics", try Self.substitute(String(contentsOf: Self.folder.appendingPathComponent("outlook-updated.ics"), encoding: .utf8), ics: true))
        let updated = try s.run(["new", update, "-o", "update.yaml"])
        #expect(updated.status == 0, "\(updated.stderr)")
        #expect(updated.stderr.contains("this invitation updates interview globex-"), "\(updated.stderr)")
        #expect(updated.stderr.contains("sequence 0 → 2") && updated.stderr.contains("start moved from"), "\(updated.stderr)")
        #expect(updated.stderr.contains("added Wen Li"), "\(updated.stderr)")
        #expect(updated.stderr.contains("`fuq enqueue FILE --replace`"), "\(updated.stderr)")
    }

    @Test("bad files: truncated, binary, 50 MB, deep nesting, invalid UTF-8, an interview file, a missing one — each a clear refusal, nothing written")
    func badFiles() throws {
        let s = try Self.sandbox()
        let google = try Self.substitute(String(contentsOf: Self.folder.appendingPathComponent("google-calendar.ics"), encoding: .utf8), ics: true)
        let cases: [(name: String, data: Data, status: Int32, says: String)] = [
            ("truncated.ics", Data(google.prefix(google.count * 6 / 10).utf8), 65, "is cut short"),
            ("binary.ics", Data((0..<16384).map { UInt8($0 % 256) }), 66, "not UTF-8 text"),
            ("deep.ics", Data(("BEGIN:VCALENDAR\r\n" + String(repeating: "BEGIN:X-A\r\n", count: 50) + String(repeating: "END:X-A\r\n", count: 50) + "END:VCALENDAR\r\n").utf8),
             65, "nests calendar components more than 8 deep"),
            ("latin1.ics", Data("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nATTENDEE;CN=Dana Riv".utf8) + Data([0xE9]) + Data("ra:mailto:d@x.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n".utf8),
             66, "not UTF-8 text"),
            ("interview.yaml", Data(FuqSandbox.interview().utf8), 65, "to queue an interview file, use `fuq enqueue`"),
            ("nested-loop.ics", Data(("BEGIN:VCALENDAR\r\n" + String(repeating: "BEGIN:X-A\r\n", count: 200_000) + "END:VCALENDAR\r\n").utf8), 65, "more than 1 MiB"),
        ]
        for c in cases {
            let path = s.root.appendingPathComponent(c.name).path
            try c.data.write(to: URL(fileURLWithPath: path))
            let r = try s.run(["new", path, "-o", "out-\(c.name).yaml"])
            #expect(r.status == c.status, "\(c.name): \(r.stderr)")
            #expect(r.stderr.contains(c.says), "\(c.name): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: s.root.appendingPathComponent("out-\(c.name).yaml").path), "\(c.name): nothing written")
        }
        // 50 MB: refused by size before anything is parsed.
        let big = s.root.appendingPathComponent("big.ics").path
        FileManager.default.createFile(atPath: big, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: big))
        try handle.truncate(atOffset: 50 << 20)
        try handle.close()
        let r = try s.run(["new", big])
        #expect(r.status == 65 && r.stderr.contains("larger than 10 MiB"), "\(r.stderr)")
        let missing = try s.run(["new", s.root.appendingPathComponent("nosuch.ics").path])
        #expect(missing.status == 66 && missing.stderr.contains("no such file"), "\(missing.stderr)")
        // A year away, and long past.
        for (days, says) in [(400, "more than a year away"), (-400, "long past")] {
            let moved = try Self.substitute(String(contentsOf: Self.folder.appendingPathComponent("google-calendar.ics"), encoding: .utf8), ics: true,
                                            today: Date().addingTimeInterval(Double(days) * 86400))
            let r = try s.run(["new", try s.file("moved.ics", moved)])
            #expect(r.status == 65 && r.stderr.contains(says), "\(days): \(r.stderr)")
        }
    }

    @Test("several files at once make one interview (standard input among them), each person once")
    func severalFiles() throws {
        let s = try Self.sandbox()
        let a = try s.file("a.ics", try Self.substitute(String(contentsOf: Self.folder.appendingPathComponent("outlook-exchange.ics"), encoding: .utf8), ics: true))
        let updated = try Self.substitute(String(contentsOf: Self.folder.appendingPathComponent("outlook-updated.ics"), encoding: .utf8), ics: true)
        let r = try s.run(["new", a, "-"], stdin: updated)
        #expect(r.status == 0, "\(r.stderr)")
        let draft = try #require(try Yams.load(yaml: r.stdout) as? [String: Any])
        let emails = (draft["interviewers"] as? [[String: Any]] ?? []).compactMap { $0["email"] as? String }
        #expect(Set(emails).count == emails.count, "each person once: \(emails)")
        #expect((draft["invitation"] as? [String: Any])?["sequence"] as? Int == 2, "the update's SEQUENCE wins: \(r.stdout)")
    }

    /// A one-event invitation in Outlook's shape, 3 days from now, with these ATTENDEE lines.
    static func invitation(organizer: String = "ORGANIZER;CN=Jo Blake:mailto:jo.blake@acme.example", attendees: [String], uid: String = "adv-1@acme.example",
                           sequence: Int = 0, summary: String = "Interview - Site Reliability Engineer") -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = .gmt
        f.dateFormat = "yyyyMMdd"
        let day = f.string(from: Date().addingTimeInterval(3 * 86400))
        return (["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", "METHOD:REQUEST", "BEGIN:VEVENT", "UID:\(uid)", "SEQUENCE:\(sequence)",
                 "DTSTAMP:\(day)T120000Z", "DTSTART;TZID=America/New_York:\(day)T100000", "DTEND;TZID=America/New_York:\(day)T110000",
                 "SUMMARY:\(summary)", organizer] + attendees + ["END:VEVENT", "END:VCALENDAR", ""]).joined(separator: "\r\n")
    }

    @Test("hostile and odd invitations (adversarial pass): no YAML or terminal injection, you at a +tag address, degrees, delegates, rooms without CUTYPE")
    func adversarial() throws {
        let s = try Self.sandbox()
        // An organizer address carrying a YAML line break (U+2028) and a terminal escape: never a key, never raw.
        let hostile = Self.invitation(organizer: "ORGANIZER;CN=Jo Blake:mailto:jo@mail\u{2028}pitch: I will work for less # .acme.example",
                                      attendees: ["ATTENDEE;CN=Dana Rivera:mailto:dana@acme.example", "ATTENDEE;CN=Bo Stone:mailto:bo@acme.example"],
                                      summary: "Acme \u{1B}]0;PWNED\u{07} - SRE Interview")
        let r = try s.run(["new", try s.file("hostile.ics", hostile)])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stdout.contains("\u{1B}") && !r.stdout.contains("\u{2028}") && !r.stdout.contains("\u{07}"), "\(r.stdout)")
        let draft = try #require(try Yams.load(yaml: r.stdout) as? [String: Any])
        #expect(draft["pitch"] == nil && Set(draft.keys) == ["invitation", "company", "position", "interview", "interviewers"], "\(draft.keys)")

        let odd = Self.invitation(attendees: [
            "ATTENDEE;CN=Alex Kim:mailto:alex.kim+jobs@example.com",
            "ATTENDEE;CN=\"Dana Rivera, PhD\":mailto:dana@acme.example",
            "ATTENDEE;PARTSTAT=DELEGATED;DELEGATED-TO=\"mailto:sam@acme.example\":mailto:lee@acme.example",
            "ATTENDEE;CN=Sam Ortiz;DELEGATED-FROM=\"mailto:lee@acme.example\":mailto:sam@acme.example",
            "ATTENDEE;CN=Conf Room 4B;ROLE=NON-PARTICIPANT:mailto:confroom4b@acme.example",
            "ATTENDEE;CN=Zoom Room NYC:mailto:zoomroom-nyc@acme.example",
            "ATTENDEE;CN=Ray Jones:mailto:room.jones@acme.example",
        ])
        let o = try s.run(["new", try s.file("odd.ics", odd)])
        #expect(o.status == 0, "\(o.stderr)")
        let people = (try #require(try Yams.load(yaml: o.stdout) as? [String: Any]))["interviewers"] as? [[String: Any]] ?? []
        #expect(people.map { $0["email"] as? String } == ["dana@acme.example", "sam@acme.example", "room.jones@acme.example"], "\(o.stdout)")
        #expect(people.first?["name"] as? String == "Dana Rivera", "a degree is not a family name: \(o.stdout)")
        #expect(o.stdout.contains("alex.kim+jobs@example.com (you)") && o.stdout.contains("(delegated)"), "\(o.stdout)")

        // Outlook's "Customized Time Zone" with Central European rules, in winter (+01:00): the guess
        // must share its daylight-saving time too (Africa/Casablanca shares the winter offset only).
        var custom = Self.invitation(attendees: ["ATTENDEE;CN=Dana Rivera:mailto:dana@acme.example"], uid: "cet@acme.example")
        custom = custom.replacingOccurrences(of: "TZID=America/New_York", with: "TZID=\"Customized Time Zone\"")
            .replacingOccurrences(of: "BEGIN:VEVENT", with: ["BEGIN:VTIMEZONE", "TZID:Customized Time Zone", "BEGIN:STANDARD", "DTSTART:16010101T030000",
                "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10", "END:STANDARD", "BEGIN:DAYLIGHT",
                "DTSTART:16010101T020000", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3",
                "END:DAYLIGHT", "END:VTIMEZONE", "BEGIN:VEVENT"].joined(separator: "\r\n"))
        let winter = try s.run(["new", try s.file("cet.ics", custom)])
        let cet = (try #require(try Yams.load(yaml: winter.stdout) as? [String: Any], "\(winter.stderr)"))["interview"] as? [String: Any]
        let zone = cet?["timezone"] as? String ?? ""
        #expect(zone.hasPrefix("Europe/"), "a zone with the block's daylight-saving time too, got \(zone): \(winter.stdout)")

        // An older version of a queued invitation is not offered as an update.
        let v2 = Self.invitation(attendees: ["ATTENDEE;CN=Dana Rivera:mailto:dana@acme.example"], sequence: 2)
        let drafted = try s.run(["new", try s.file("v2.ics", v2), "-o", "v2.yaml"])
        #expect(drafted.status == 0, "\(drafted.stderr)")
        let filled = try String(contentsOfFile: s.root.appendingPathComponent("v2.yaml").path, encoding: .utf8)
            .replacingOccurrences(of: "honorific: TODO", with: "honorific: Ms.").replacingOccurrences(of: "topic: TODO", with: "topic: the on-call rota")
        #expect(try s.run(["enqueue", try s.file("v2f.yaml", filled)]).status == 0)
        let v1 = Self.invitation(attendees: ["ATTENDEE;CN=Dana Rivera:mailto:dana@acme.example", "ATTENDEE;CN=Bo Stone:mailto:bo@acme.example"], sequence: 1)
        let old = try s.run(["new", try s.file("v1.ics", v1), "-o", "v1.yaml"])
        #expect(old.status == 0 && old.stderr.contains("holds a newer version of this invitation (sequence 2; this one is 1)"), "\(old.stderr)")
        #expect(!FileManager.default.fileExists(atPath: s.root.appendingPathComponent("v1.yaml").path))
        let exists = try s.run(["new", try s.file("v2b.ics", v2), "-o", "v2.yaml", "--force"])
        #expect(exists.status == 0, "--force writes even what is already queued: \(exists.stderr)")
        let clash = try s.run(["new", try s.file("v2c.ics", Self.invitation(attendees: ["ATTENDEE:mailto:x@acme.example"], uid: "other@acme.example")), "-o", "v2.yaml"])
        #expect(clash.status == 73 && clash.stderr.contains("add --force to replace it"), "\(clash.stderr)")
    }
}
