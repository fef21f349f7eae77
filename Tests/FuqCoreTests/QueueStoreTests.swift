import Foundation
import GRDB
import Testing
@testable import FuqCore

/// This test run's queues, all in one folder that is removed when the run ends (thousands of
/// runs used to leave a folder each behind in /tmp).
let testQueueFolder: URL = {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fuq-tests-\(getpid())")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    atexit {
        try? FileManager.default.removeItem(at: FileManager.default.temporaryDirectory.appendingPathComponent("fuq-tests-\(getpid())"))
    }
    return folder
}()

func temporaryQueuePath() -> String {
    testQueueFolder.appendingPathComponent("\(UUID().uuidString)/queue.sqlite").path
}

func sampleInterview() -> Interview {
    let zone = TimeZone(identifier: "America/New_York")!
    return Interview(
        company: "Acme Robotics", position: "Senior Platform Engineer", start: nil,
        end: instant("2026-11-24T15:30", "America/New_York"), zone: zone,
        interviewers: [
            Interviewer(name: "Dana Rivera", honorific: "Ms.", email: "dana.rivera@acme.example", topic: "the build farm", lead: true),
            Interviewer(name: "José Müller", honorific: "Mr.", email: "jose@acme.example", zone: TimeZone(identifier: "Europe/Berlin"), topic: "toil"),
        ])
}

let sampleConfig = FuqConfig(sender: Sender(name: "Alex Kim", email: "alex@example.com", phone: "+1 555 0100"))

func samplePlan(now: Date = instant("2026-11-24T15:35", "America/New_York")) throws -> EnqueuePlan {
    let planner = EnqueuePlanner(config: sampleConfig, template: try MessageTemplate.load("thank-you", directory: nil), now: now) { prefix in
        prefix + ShortID.random(length: 5)
    }
    // Thank-yous only (FollowUpTests plan follow-ups).
    var interview = sampleInterview()
    interview.followUp = false
    return try planner.plan(interview, at: nil, source: "test")
}

@Suite("Queue store")
struct QueueStoreTests {
    @Test("the queue file is created 0600 with WAL and synchronous=FULL")
    func fileMode() throws {
        let path = temporaryQueuePath()
        let store = try QueueStore(path: path)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let (journal, sync) = try store.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
        }
        #expect(journal == "wal")
        #expect(sync == 2)
    }

    @Test("a queue with a migration this fuq does not know (a newer fuq's) is refused, read-only or not, and left as it was",
          arguments: [false, true])
    func newerQueueRefused(readOnly: Bool) throws {
        let path = temporaryQueuePath()
        let plan = try samplePlan()
        try QueueStore(path: path).enqueue(plan.interview, messages: plan.messages)
        let raw = try DatabaseQueue(path: path)
        try raw.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-future')") }
        try raw.close()
        #expect(throws: QueueError.newerQueue(path: path, migration: "v99-future")) { try QueueStore(path: path, readOnly: readOnly) }
        let error = QueueError.newerQueue(path: path, migration: "v99-future")
        #expect(error.errorDescription?.contains("written by a newer fuq (migration v99-future); upgrade fuq") == true)
    }

    @Test("enqueue stores the interview and every message, durably, across reopen")
    func roundTrip() throws {
        let path = temporaryQueuePath()
        let plan = try samplePlan()
        try QueueStore(path: path).enqueue(plan.interview, messages: plan.messages)
        let reopened = try QueueStore(path: path)
        let stored = try reopened.messages(includeFinished: true)
        #expect(Set(stored.map(\.id)) == Set(plan.messages.map(\.id)))
        #expect(stored.allSatisfy { $0.state == .scheduled && $0.attempts == 0 })
        #expect(Set(stored.map(\.messageId)).count == 2)
        #expect(try reopened.interview(plan.interview.id)?.company == "Acme Robotics")
    }

    @Test("a transaction that fails half-way leaves nothing behind")
    func allOrNothing() throws {
        let path = temporaryQueuePath()
        var plan = try samplePlan()
        // The second message collides with the first on the unique Message-ID: the insert fails
        // after the interview and the first message were written inside the transaction.
        plan.messages[1].messageId = plan.messages[0].messageId
        let store = try QueueStore(path: path)
        #expect(throws: (any Error).self) { try store.enqueue(plan.interview, messages: plan.messages) }
        #expect(try store.messages(includeFinished: true).isEmpty)
        #expect(try store.interview(plan.interview.id) == nil)
    }

    @Test("a second enqueue of the same note is refused as a duplicate; after cancel it is allowed")
    func duplicates() throws {
        let store = try QueueStore(path: temporaryQueuePath())
        let first = try samplePlan()
        try store.enqueue(first.interview, messages: first.messages)
        let second = try samplePlan()
        #expect(throws: QueueError.self) { try store.enqueue(second.interview, messages: second.messages) }
        _ = try store.cancel(interview: first.interview.id, now: Date())
        try store.enqueue(second.interview, messages: second.messages)
        #expect(try store.messages(includeFinished: false).count == 2)
    }

    @Test("state changes follow the state machine", arguments: [
        (MessageState.sent, MessageState.scheduled, false), (.sent, .cancelled, false), (.cancelled, .scheduled, false),
        (.scheduled, .cancelled, true), (.uncertain, .sent, true), (.uncertain, .sending, false), (.failed, .scheduled, true),
        (.expired, .scheduled, true), (.held, .sending, false), (.sending, .uncertain, true),
    ])
    func transitions(from: MessageState, to: MessageState, allowed: Bool) throws {
        let store = try QueueStore(path: temporaryQueuePath())
        let plan = try samplePlan()
        try store.enqueue(plan.interview, messages: plan.messages)
        let id = plan.messages[0].id
        try store.transaction { db in try db.execute(sql: "UPDATE message SET state = ? WHERE id = ?", arguments: [from.rawValue, id]) }
        if allowed {
            #expect(try store.update(id, to: to, action: "test", now: Date()).state == to)
        } else {
            #expect(throws: QueueError.self) { try store.update(id, to: to, action: "test", now: Date()) }
            #expect(try store.message(id).state == from)
        }
    }

    @Test("ids resolve by unique prefix")
    func prefixes() throws {
        let store = try QueueStore(path: temporaryQueuePath())
        let plan = try samplePlan()
        try store.enqueue(plan.interview, messages: plan.messages)
        let id = plan.messages[0].id
        #expect(try store.message(String(id.prefix(4))).id == id || plan.messages[1].id.hasPrefix(id.prefix(4)))
        #expect(throws: QueueError.noSuchMessage("zzzzzz")) { try store.message("zzzzzz") }
    }
}

@Suite("Composing")
struct ComposingTests {
    @Test("the built-in template is the one shipped in Config/templates")
    func builtInMatchesFile() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = try String(contentsOf: root.appendingPathComponent("Config/templates/thank-you.mustache"), encoding: .utf8)
        #expect(try MessageTemplate.load("thank-you", directory: nil).source == file)
    }

    @Test("each panel note is personal, names the position, company and the reader's day")
    func rendering() throws {
        let plan = try samplePlan()
        let dana = plan.messages[0], jose = plan.messages[1]
        #expect(dana.body.hasPrefix("Dear Ms. Rivera,\n"))
        #expect(jose.body.hasPrefix("Dear Mr. Müller,\n"))
        #expect(dana.body.contains("Senior Platform Engineer") && dana.body.contains("Acme Robotics") && dana.body.contains(" today "))
        #expect(!dana.body.contains("toil") && !jose.body.contains("build farm"))
        #expect(dana.subject == "Thank you – Alex Kim – Senior Platform Engineer interview")
        // Two readers, two wordings: no paragraph of one is in the other.
        let paragraphs = { (body: String) in Set(body.components(separatedBy: "\n\n").dropFirst().dropLast()) }
        #expect(paragraphs(dana.body).isDisjoint(with: paragraphs(jose.body)), "\(dana.body)\n---\n\(jose.body)")
        #expect(dana.body.hasSuffix("Alex Kim\n+1 555 0100\n"))
    }

    @Test("'today' becomes 'yesterday' or a weekday when the note is read later", arguments: [
        ("2026-11-24T20:00", "today"), ("2026-11-25T08:00", "yesterday"), ("2026-11-27T08:00", "on Tuesday"), ("2026-12-09T08:00", "on November 24"),
    ])
    func relativeDay(readAt: String, phrase: String) {
        let zone = TimeZone(identifier: "America/New_York")!
        #expect(RelativeDay.phrase(for: instant("2026-11-24T15:30", "America/New_York"), readAt: instant(readAt, "America/New_York"), zone: zone) == phrase)
    }

    @Test("placeholders and demanding lines are caught")
    func etiquette() {
        let interview = Interview(company: "Acme", position: "SRE", start: nil, end: Date(), zone: .gmt,
                                  interviewers: [Interviewer(name: "Dana Rivera", honorific: "Ms.", email: "d@acme.example", topic: "x")])
        let context = MessageContext(sender: Sender(name: "Alex"), interview: interview, interviewer: interview.interviewers[0])
        let findings = Proofreader(speller: nil).check(subject: "Hi", body: "Dear [Interviewer Name], when will I hear back!!", context: context, others: [])
        let text = findings.map(\.message).joined(separator: "\n")
        #expect(text.contains("[Interviewer Name]"))
        #expect(text.contains("demanding"))
        #expect(text.contains("exclamation"))
        #expect(text.contains("vague subjects"))
        #expect(findings.contains { $0.rule == "subject-vague" && $0.severity == .warning })
        // A placeholder two shapes match is reported once; two different ones twice.
        for (body, count) in [("Dear Dana, I would love to join [COMPANY NAME].", 1), ("Dear [YOUR NAME], thanks from [COMPANY NAME].", 2)] {
            let found = Proofreader(speller: nil).check(subject: "Thank you", body: body, context: context, others: [])
            #expect(found.filter { $0.rule == "placeholder" }.count == count, "\(body): \(found.map(\.message))")
        }
    }

    @Test("config errors name the line and key")
    func configErrors() {
        #expect(throws: YAMLProblem(file: "c.yaml", line: 4, key: "policy.preference", problem: "expected first, evening or morning, got dusk")) {
            try FuqConfig.parse("sender:\n  name: A\npolicy:\n  preference: dusk\n", file: "c.yaml")
        }
    }

    @Test("quoted-printable: CRLF, = and non-ASCII escaped, trailing space kept visible, soft breaks at 76")
    func quotedPrintable() {
        #expect(MIMEComposer.quotedPrintable("a = b \nMüller\n") == "a =3D b=20\r\nM=C3=BCller\r\n")
        #expect(MIMEComposer.quotedPrintable("") == "\r\n")
        #expect(MIMEComposer.quotedPrintable("x\r\n\r\ny") == "x\r\n\r\ny\r\n")
        let long = String(repeating: "é", count: 40)
        let encoded = MIMEComposer.quotedPrintable(long)
        let lines = encoded.components(separatedBy: "\r\n").dropLast()
        #expect(lines.allSatisfy { $0.utf8.count <= 76 })
        #expect(lines.dropLast().allSatisfy { $0.hasSuffix("=") })
        // Every escape is whole (a soft break may fall between the two bytes of a character,
        // never inside "=XX"): decoding gives back the text.
        var bytes: [UInt8] = []
        for line in lines {
            var chars = Array(line.utf8)
            if chars.last == UInt8(ascii: "=") { chars.removeLast() }
            var i = 0
            while i < chars.count {
                if chars[i] == UInt8(ascii: "=") {
                    bytes.append(UInt8(String(decoding: chars[i + 1...i + 2], as: UTF8.self), radix: 16)!)
                    i += 3
                } else { bytes.append(chars[i]); i += 1 }
            }
        }
        #expect(String(decoding: bytes, as: UTF8.self) == long)
    }
}

@Suite("Status listing")
struct StatusListingTests {
    /// SQLite's plan for a listing: what it scans and whether it sorts.
    func plan(_ filter: MessageFilter, _ store: QueueStore) throws -> String {
        let (clause, arguments) = filter.sql
        return try store.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT \(MessageSummary.columns) FROM message \(clause)", arguments: arguments)
                .map { $0["detail"] as String }.joined(separator: "; ")
        }
    }

    @Test("every status filter reads rows in due order from an index: no full-table sort, so --limit stops early")
    func filtersUseIndexes() throws {
        let store = try QueueStore(path: temporaryQueuePath())
        let filters = [
            MessageFilter(includeFinished: true), MessageFilter(includeFinished: true, limit: 10),
            MessageFilter(includeFinished: true, since: Date(), limit: 10), MessageFilter(interview: "acme-k7m2"),
            MessageFilter(includeFinished: true, interview: "acme-k7m2", since: Date()),
        ]
        for filter in filters {
            let plan = try plan(filter, store)
            #expect(plan.contains("USING INDEX") && !plan.contains("TEMP B-TREE"), "\(filter): \(plan)")
        }
        // A state filter takes the (state, due) index.
        #expect(try plan(MessageFilter(states: [.failed]), store).contains("message_state_due"))
    }

    @Test("a listing reads back what was stored, and a row written by hand with a bad date is reported, not fatal")
    func listingMatchesRecords() throws {
        let store = try QueueStore(path: temporaryQueuePath())
        let plan = try samplePlan()
        try store.enqueue(plan.interview, messages: plan.messages)
        let listed = try store.withListing { listing -> [MessageSummary] in
            var all: [MessageSummary] = []
            let unreadable = try listing.forEach(MessageFilter(includeFinished: true)) { all.append($0) }
            #expect(unreadable.isEmpty)
            return all
        }
        let stored = try store.messages(includeFinished: true)
        #expect(listed == stored.map(MessageSummary.init))
        try store.transaction { db in try db.execute(sql: "UPDATE message SET due = 'soon' WHERE id = ?", arguments: [stored[0].id]) }
        let unreadable = try store.withListing { try $0.forEach(MessageFilter(includeFinished: true)) { _ in } }
        #expect(unreadable == [stored[0].id])
    }
}
