import Foundation
import GRDB
import Testing
@testable import FuqCore

/// A small deterministic generator (SplitMix64): the same seed gives the same inputs, so a
/// failure is reproducible from the seed printed with it.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Pieces people (and adversaries) type: real forms, typos, huge numbers, control characters.
enum Fragments {
    static let at = ["now", "+", "-", "+90s", "+30m", "+2h", "+1d", "+1h30m", "+99999999999999d", "+999999999999999999999d",
                     "9999-12-31T23:59:59Z", "0001-01-01T00:00Z", "2026-11-24T18:30", "T", ":", "Z", "+05:00", "-05:00", " ",
                     "1e9", "e", "d", "h", "m", "s", "00", "59", "60", "24", "13", "2026", "10000", "\u{0}", "\u{1B}", "٣", "½",
                     ".", ",", "NaN", "inf", "18:30", "-1d", "+0s", "2026-02-30T10:00"]
    static let text = ["Dana", " ", "Rivera", "de la", "\u{0}", "\u{7}", "\u{1B}[2J", "\u{202E}", "\u{2066}", "\u{FEFF}", "\r", "\n",
                       "\t", "\"", "'", ":", "#", "- ", "{{", "}}", "&", "é", "李", "🙂", "\\", "%", "_", String(repeating: "x", count: 150)]

    static func random(_ pieces: [String], count: ClosedRange<Int>, using g: inout SeededGenerator) -> String {
        (0..<Int.random(in: count, using: &g)).map { _ in pieces.randomElement(using: &g)! }.joined()
    }
}

@Suite("Random input never traps and never stores what cannot be read back")
struct InputPropertyTests {
    static let now = instant("2026-11-24T15:35", "America/New_York")
    static let end = instant("2026-11-24T15:30", "America/New_York")

    @Test("random --at texts: refused with a SchedulingError, or a time between the interview's end and a year later that the queue stores and reads back", arguments: [1, 2, 3])
    func atTexts(seed: UInt64) throws {
        var g = SeededGenerator(state: seed)
        let store = try QueueStore(path: temporaryQueuePath())
        var plan = try samplePlan(now: Self.now)
        try store.enqueue(plan.interview, messages: [plan.messages[0]])
        let id = plan.messages[0].id
        let zones = [TimeZone(identifier: "America/New_York")!, TimeZone(identifier: "Asia/Kolkata")!, TimeZone(identifier: "UTC")!]
        var accepted = 0
        for _ in 0..<700 {
            let text = Fragments.random(Fragments.at, count: 1...5, using: &g)
            let zone = zones.randomElement(using: &g)!
            do {
                let date = try AtTime.parse(text, zone: zone, now: Self.now, interviewEnd: Self.end)
                #expect(date >= Self.now && date >= Self.end && date.timeIntervalSince(Self.end) <= AtTime.horizon, "seed \(seed): \(text.debugDescription)")
                let schedule = SendWindowPolicy.standard.scheduleExplicit(at: date, zone: zone, interviewEnd: Self.end, atText: text)
                try store.update(id, to: .scheduled, action: "reschedule", now: Self.now) {
                    $0.due = schedule.due
                    $0.latest = schedule.latest
                    $0.reason = schedule.reason
                }
                let back = try store.message(id)
                #expect(back.due == schedule.due, "seed \(seed): \(text.debugDescription) read back")
                accepted += 1
            } catch is SchedulingError {
                // refused with a message: fine
            }
        }
        #expect(try store.messagesReportingDamage(includeFinished: true).unreadable.isEmpty)
        #expect(accepted > 0, "the generator also produces valid times")
        plan.messages.removeAll()
    }

    @Test("random ids: a QueueError (too short, none, ambiguous) or the message itself, never a wildcard match", arguments: [7, 8])
    func ids(seed: UInt64) throws {
        var g = SeededGenerator(state: seed)
        let store = try QueueStore(path: temporaryQueuePath())
        let plan = try samplePlan(now: Self.now)
        try store.enqueue(plan.interview, messages: plan.messages)
        let real = plan.messages.map(\.id)
        for _ in 0..<500 {
            let id = Fragments.random(["%", "_", "*", "?", "[", "", " ", "\u{0}"] + real.map { String($0.prefix(2)) } + real, count: 0...3, using: &g)
            do {
                let found = try store.message(id)
                #expect(found.id.hasPrefix(id.trimmingCharacters(in: .whitespaces).lowercased()), "seed \(seed): \(id.debugDescription) → \(found.id)")
            } catch let error as QueueError {
                switch error {
                case .idTooShort: #expect(id.trimmingCharacters(in: .whitespaces).count < 2)
                case .noSuchMessage, .ambiguousID: break
                default: Issue.record("seed \(seed): \(id.debugDescription) gave \(error)")
                }
            }
        }
    }

    @Test("random field values in an interview file: refused with a located problem, or an interview whose every field can go out and reads back from the queue", arguments: [11, 12, 13])
    func fields(seed: UInt64) throws {
        var g = SeededGenerator(state: seed)
        let store = try QueueStore(path: temporaryQueuePath())
        var stored = 0
        for round in 0..<150 {
            func value() -> String {
                // Mostly ordinary words, so that some interviews pass every check and are stored.
                let clean = ["Dana", "Rivera", "Acme", "platform", "de la", "é", "李", "O'Brien", "&", "Jr."]
                let raw = Fragments.random(Int.random(in: 0..<10, using: &g) < 7 ? clean : Fragments.text, count: 1...4, using: &g)
                // As a YAML double-quoted scalar, escaping what YAML itself would refuse.
                var out = "\""
                for scalar in raw.unicodeScalars {
                    switch scalar {
                    case "\"": out += "\\\""
                    case "\\": out += "\\\\"
                    case _ where scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0xFEFF: out += String(format: "\\u%04X", scalar.value)
                    default: out.unicodeScalars.append(scalar)
                    }
                }
                return out + "\""
            }
            let yaml = """
                company: \(value())
                position: \(value())
                interview:
                  end: 2026-11-24T15:30
                  timezone: America/New_York
                interviewers:
                  - name: \(value())
                    honorific: Ms.
                    email: person\(round)@acme.example
                    topic: \(value())
                    note: \(value())
                """
            let interview: Interview
            do {
                interview = try Interview.parse(yaml, file: "fuzz.yaml")
            } catch let error as InterviewError {
                #expect(error.errorDescription?.contains("fuzz.yaml") == true)
                continue
            }
            let person = interview.interviewers[0]
            for text in [interview.company, interview.position, person.name, person.topic] {
                #expect(TextSafety.problem(in: text) == nil, "seed \(seed): \(text.debugDescription) accepted")
            }
            var config = sampleConfig
            config.queuePath = store.path
            let planner = EnqueuePlanner(config: config, template: try MessageTemplate.load("thank-you", directory: nil), now: Self.now) { prefix in
                prefix + ShortID.random(length: 6)
            }
            let plan: EnqueuePlan
            do { plan = try planner.plan(interview, at: nil, source: "fuzz") } catch {
                continue
            }
            try store.enqueue(plan.interview, messages: plan.messages, duplicates: .also, now: Self.now)
            let back = try store.message(plan.messages[0].id)
            #expect(back.recipientName == person.name && back.subject == plan.messages[0].subject)
            stored += 1
        }
        #expect(try store.messagesReportingDamage(includeFinished: true).unreadable.isEmpty)
        #expect(stored > 0, "seed \(seed): some random interviews are fine and stored")
    }

    @Test("durations with huge numbers are refused, never overflow", arguments: ["99999999999999d", "1e9s", "999999999h", "0", "", "5", "h"])
    func durations(_ text: String) {
        if let seconds = DurationText.parse(text) {
            #expect(seconds.isFinite && seconds < 1e14)
        }
    }

    @Test("loopback is decided on the parsed address", arguments: [
        ("127.0.0.1", true), ("127.1.2.3", true), ("::1", true), ("[::1]", true), ("localhost", true), ("LOCALHOST", true),
        ("127.0.0.1.nip.io", false), ("1127.0.0.1", false), ("::2", false), ("0:0:0:0:0:0:0:1", true), ("128.0.0.1", false),
        ("example.com", false), ("", false),
    ])
    func loopback(_ host: String, _ expected: Bool) {
        #expect(SMTPSettings.isLoopback(host: host) == expected)
    }

    @Test("a URL with a user name or password is never printed as is", arguments: [
        ("smtp://alex:pw@host:587", "smtp://***@host:587"), ("smtps://a@b@host", "smtps://***@host"), ("smtps://host:465", "smtps://host:465"),
    ])
    func redaction(_ url: String, _ expected: String) {
        #expect(SMTPSettings.redacted(url).hasPrefix(expected))
        #expect(!SMTPSettings.redacted(url).contains("pw") && !SMTPSettings.redacted(url).contains("a@b"))
    }

    @Test("password_command: the first line is taken at once and the whole process group is killed, on success and on a timeout")
    func passwordCommandGroup() throws {
        func running(_ marker: String) -> Bool {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/pgrep")
            p.arguments = ["-f", marker]
            p.standardOutput = FileHandle.nullDevice
            try? p.run()
            p.waitUntilExit()
            return p.terminationStatus == 0
        }
        let started = Date()
        #expect(try PasswordSource.resolve(SMTPSettings(username: "a", passwordCommand: "sleep 301.5171 & echo s3cret; sleep 302.5171")) == "s3cret")
        #expect(Date().timeIntervalSince(started) < 5, "did not wait for the command to exit")
        usleep(200_000)
        #expect(!running("30[12].5171"), "nothing it started is left running")

        #expect(throws: DeliveryError.self) {
            try PasswordSource.resolve(SMTPSettings(username: "a", passwordCommand: "sleep 303.5171 & sleep 304.5171"), commandTimeout: 1)
        }
        usleep(200_000)
        #expect(!running("30[34].5171"), "a timed-out command's children are killed too")
    }
}

@Suite("Time zone names")
struct TimeZoneNameTests {
    /// Every zone in tzdata's zone1970.tab and every old name it keeps as a link (the
    /// `backward` file, compiled into tzdata.zi as `L TARGET NAME` lines) is accepted and
    /// means the same zone as its target.
    @Test("every zone of the system's tz database is accepted, old names included")
    func sweep() throws {
        let zone1970 = try String(contentsOfFile: "/usr/share/zoneinfo/zone1970.tab", encoding: .utf8)
        let names = zone1970.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { $0.split(separator: "\t").dropFirst(2).first.map(String.init) }
        #expect(names.count > 300)
        for name in names { #expect(TimeZoneName.lookup(name) != nil, "\(name)") }
        let links = try String(contentsOfFile: "/usr/share/zoneinfo/tzdata.zi", encoding: .utf8)
            .split(separator: "\n").filter { $0.hasPrefix("L ") }.map { $0.split(separator: " ").map(String.init) }
        #expect(links.count > 100)
        let probe = Date(timeIntervalSince1970: 1_800_000_000)
        for link in links where link[2].contains("/") {
            let zone = TimeZoneName.lookup(link[2])
            #expect(zone != nil, "\(link[2])")
            if let zone, let target = TimeZone(identifier: link[1]) {
                #expect(zone.secondsFromGMT(for: probe) == target.secondsFromGMT(for: probe), "\(link[2]) → \(link[1])")
            }
        }
        for name in ["Asia/Kolkata", "US/Eastern", "US/Pacific", "Asia/Saigon", "America/Buenos_Aires", "Etc/GMT+5"] {
            #expect(TimeZoneName.lookup(name) != nil, "\(name)")
        }
    }

    @Test("bare abbreviations are refused with a suggestion", arguments: [("EST", "America/New_York"), ("IST", "Asia/Kolkata"), ("PST", "America/Los_Angeles")])
    func abbreviations(_ name: String, _ suggestion: String) {
        #expect(TimeZoneName.lookup(name) == nil)
        #expect(TimeZoneName.suggestion(for: name) == suggestion)
        #expect(TimeZoneName.lookup("Foo/Bar") == nil && TimeZoneName.lookup("asia/kolkata") == nil)
    }
}

@Suite("Invisible characters in names and greetings, by Unicode property")
struct InvisibleCharacterTests {
    @Test("every invisible character is refused by property (format, Default_Ignorable), not by a list",
          arguments: [0x200B, 0x200E, 0xFEFF, 0x2060, 0x200C, 0x00AD, 0x180E, 0x034F, 0xE0041, 0x3164, 0x2064, 0x200D, 0xFE0F])
    func refused(code: UInt32) throws {
        let scalar = try #require(Unicode.Scalar(code))
        let name = "Dana" + String(scalar) + " Rivera"
        let problem = TextSafety.problem(in: name)
        #expect(problem?.contains(String(format: "U+%04X", code)) == true, "\(String(format: "U+%04X", code)) accepted in \(name.debugDescription)")
        #expect(TextSafety.problem(in: name, multiline: true) != nil)
        #expect(!TextSafety.printable(name).unicodeScalars.contains(scalar))
    }

    @Test("letters, accents, and the joiners and variation selectors real names and text need are kept", arguments: [
        "José Müller", "Zoë O’Brien", "Nguyễn Thị Minh Khai", "مهدی\u{200C}زاده", "क्\u{200D}ष", "山田 太郎", "Okafor ❤\u{FE0F}", "Çağrı Şahin",
    ])
    func kept(name: String) {
        #expect(TextSafety.problem(in: name) == nil, "\(name.debugDescription) refused: \(TextSafety.problem(in: name) ?? "")")
        #expect(TextSafety.printable(name) == name)
    }
}

@Suite("Interview and config values read strictly")
struct StrictValueTests {
    /// An interview that ended two hours ago (UTC), with `extra` keys.
    static func yaml(_ extra: String) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd'T'HH:mm"
        let end = Date().addingTimeInterval(-2 * 3600)
        return """
            company: Acme Robotics
            position: Platform Engineer
            interview:
              start: \(f.string(from: end.addingTimeInterval(-3600)))
              end: \(f.string(from: end))
              timezone: UTC
            interviewers:
              - name: Dana Rivera
                honorific: Ms.
                email: dana@acme.example
                topic: the build farm
            \(extra)
            """
    }

    static func day(_ daysFromNow: Double) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: Date().addingTimeInterval(daysFromNow * 86400))
    }

    func problem(_ extra: String) -> String? {
        do { _ = try Interview.parse(Self.yaml(extra), file: "i.yaml"); return nil } catch { return (error as? LocalizedError)?.errorDescription ?? "\(error)" }
    }

    @Test("nudges beyond 2, however many digits, says 'at most 2' (not a length)", arguments: ["18446744073709551616", "3", "0", "99999999999999999999999999999"])
    func nudges(text: String) {
        let problem = problem("nudges: \(text)")
        #expect(problem?.contains("at most 2") == true, "\(problem ?? "accepted")")
        #expect(problem?.contains("characters") == false, "\(problem ?? "")")
    }

    @Test("decision_by with a time is refused, saying to write the day; a day is read")
    func decisionBy() {
        let day = Self.day(7)
        for text in ["\(day)T10:00", "\(day) 10:00", "\(day)T10:00:00Z"] {
            let problem = problem("decision_by: \"\(text)\"")
            #expect(problem?.contains("has a time") == true && problem?.contains("write \(day)") == true, "\(text): \(problem ?? "accepted")")
        }
        #expect(problem("decision_by: \(day)") == nil)
    }

    @Test("durations: each unit once, largest first", arguments: [("1h1h", nil), ("30m1h", nil), ("1h30m", 5400.0), ("2d", 172_800.0), ("90s", 90.0),
                                                                 ("1d2h3m4s", 93_784.0), ("1m1m", nil), ("٣h", nil)])
    func durations(text: String, seconds: Double?) {
        #expect(DurationText.parse(text) == seconds.map { TimeInterval($0) })
    }
}

extension StrictValueTests {
    func greeting(_ honorific: String, name: String = "Alex Rivera") throws -> String {
        let yaml = Self.yaml("").replacingOccurrences(of: "honorific: Ms.", with: "honorific: \(honorific)")
            .replacingOccurrences(of: "name: Dana Rivera", with: "name: \(name)")
        return try Interview.parse(yaml, file: "i.yaml").interviewers[0].salutation
    }

    @Test("honorifics: a usual one in its usual case, Sir and Dame with the given name, two at once refused in one clear message")
    func honorifics() throws {
        #expect(try greeting("ms.") == "Ms. Rivera")
        #expect(try greeting("MR") == "Mr Rivera")
        #expect(try greeting("Dr.") == "Dr. Rivera")
        #expect(try greeting("Sir") == "Sir Alex")
        #expect(try greeting("dame") == "Dame Alex")
        #expect(try greeting("Rabbi") == "Rabbi Rivera")
        let error = #expect(throws: InterviewError.self) { try greeting("Ms. Dr.") }
        let text = error?.errorDescription ?? ""
        #expect(text.contains("\"Ms. Dr.\" is two honorifics") && text.contains("Dear Dr. Rivera,") && text.contains("honorific: Dr."), "\(text)")
        #expect(throws: InterviewError.self) { try greeting("Sir", name: "Madonna") }
    }
}
