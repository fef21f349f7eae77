import Foundation
import Logging
import Testing
@testable import FuqCore

/// The second follow-up: when it is due, how it is planned with the thank-yous, how it moves
/// when the thank-you leaves, and what stops it (cancel, a reply, no go-ahead, a failed check).
@Suite("Follow-up planning rule")
struct FollowUpScheduleTests {
    static let ny = TimeZone(identifier: "America/New_York")!
    /// The reader's country's public holidays count (`policy.holidays: auto`).
    static let policy = SendWindowPolicy(holidays: HolidayRules(fallback: .init(regions: ["auto"])))

    static func local(_ date: Date, _ zone: TimeZone = ny) -> String {
        DateFormatting.formatter("EEE yyyy-MM-dd HH:mm", zone).string(from: date)
    }

    static func schedule(sent: String, decision: String? = nil, nudge: Int = 1, now: String? = nil, zone: TimeZone = ny) -> SendSchedule {
        let sentAt = instant(sent, zone.identifier)
        return policy.followUpSchedule(parentSent: sentAt, provisional: false, nudge: nudge,
                                       decisionBy: decision.map { Interview.day($0, zone: zone)! }, zone: zone, seed: 42,
                                       now: now.map { instant($0, zone.identifier) } ?? sentAt)
    }

    /// Inside the reader's business-morning window.
    static func inMorning(_ s: SendSchedule, _ zone: TimeZone = ny) -> Bool {
        let calendar = Calendar.gregorian(in: zone)
        let (start, end) = policy.morning.instants(on: calendar.startOfDay(for: s.due), calendar: calendar)
        return s.due >= start && s.due < end && policy.isBusinessDay(s.due, zone: zone)
    }

    @Test("a week of silence: sent Tue evening → the next Wednesday's business morning (never the same evening a week on)")
    func week() {
        let s = Self.schedule(sent: "2026-12-01T18:40")
        #expect(Self.local(s.due).hasPrefix("Wed 2026-12-09"))
        #expect(Self.inMorning(s))
        #expect(s.reason.contains("a week after the thank-you (sent Tue 1 Dec)"))
        #expect(s.latest > s.due)
    }

    @Test("sent on a Friday → a week later is Friday; if that is inside the morning it stays Friday")
    func fridayMorning() {
        let s = Self.schedule(sent: "2026-12-04T07:40")
        #expect(Self.local(s.due).hasPrefix("Fri 2026-12-11"))
        #expect(Self.inMorning(s))
    }

    @Test("a week lands on Saturday → Monday morning")
    func weekend() {
        let s = Self.schedule(sent: "2026-12-05T10:00")
        #expect(Self.local(s.due).hasPrefix("Mon 2026-12-14"))
        #expect(Self.inMorning(s))
    }

    @Test("decision_by + 2 business days wins when later: decision Fri 11 Dec → Tue 15 Dec (the weekend does not count)")
    func decisionAcrossWeekend() {
        let s = Self.schedule(sent: "2026-12-01T18:40", decision: "2026-12-11")
        #expect(Self.local(s.due).hasPrefix("Tue 2026-12-15"))
        #expect(Self.inMorning(s))
        #expect(s.reason.contains("2 business days after the day they said they would decide (Fri 11 Dec)"))
    }

    @Test("decision_by across Christmas: Thu 24 Dec + 2 business days is Tue 29 Dec, in the year-end quiet weeks → Mon 4 Jan, said in the why")
    func decisionAcrossHoliday() {
        let s = Self.schedule(sent: "2026-12-15T18:00", decision: "2026-12-24")
        #expect(Self.local(s.due).hasPrefix("Mon 2027-01-04"), "\(s.reason)")
        #expect(s.reason.contains("quiet weeks"), "\(s.reason)")
    }

    @Test("an early decision date does not bring the follow-up before a week of silence")
    func decisionEarly() {
        let s = Self.schedule(sent: "2026-12-01T18:40", decision: "2026-12-02")
        #expect(Self.local(s.due).hasPrefix("Wed 2026-12-09"))
        #expect(s.reason.contains("a week after the thank-you"))
    }

    @Test("nudges: the one more note waits ≥ 3 business days after the first follow-up (Fri → Wed)")
    func nudge() {
        let s = Self.schedule(sent: "2026-12-11T08:10", nudge: 2)
        #expect(Self.local(s.due).hasPrefix("Wed 2026-12-16"))
        #expect(Self.inMorning(s))
        #expect(s.reason.contains("3 business days after the first follow-up"))
    }

    @Test("on the reader's clock: Tokyo's morning, Tokyo's business days")
    func readerClock() {
        let tokyo = TimeZone(identifier: "Asia/Tokyo")!
        let s = Self.schedule(sent: "2026-12-01T18:40", zone: tokyo)
        #expect(Self.inMorning(s, tokyo))
        #expect(Self.local(s.due, tokyo).hasPrefix("Wed 2026-12-09"))
    }

    @Test("never in the past: recomputed late, it takes the next business morning after now")
    func notInThePast() {
        let s = Self.schedule(sent: "2026-12-01T18:40", now: "2026-12-20T12:00")
        #expect(Self.local(s.due).hasPrefix("Mon 2026-12-21"))
    }
}

@Suite("Follow-ups in the queue", .serialized)
struct FollowUpQueueTests {
    static let now = instant("2026-11-24T15:35", "America/New_York")
    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    static func plan(_ change: (inout Interview) -> Void = { _ in }, config: FuqConfig = sampleConfig) throws -> EnqueuePlan {
        var interview = sampleInterview()
        change(&interview)
        let planner = EnqueuePlanner(config: config, template: try MessageTemplate.load("thank-you", directory: nil), now: now) { prefix in
            prefix + ShortID.random(length: 5)
        }
        return try planner.plan(interview, at: nil, source: "test")
    }

    /// The planner of `fuq enqueue` at `now`, with the built-in template and random ids.
    static func planner(now: Date) throws -> EnqueuePlanner {
        EnqueuePlanner(config: sampleConfig, template: try MessageTemplate.load("thank-you", directory: nil), now: now) { prefix in
            prefix + ShortID.random(length: 5)
        }
    }

    static func stored(_ plan: EnqueuePlan) throws -> QueueStore {
        let store = try QueueStore(path: temporaryQueuePath())
        try store.enqueue(plan.interview, messages: plan.messages, now: now)
        return store
    }

    @Test("one follow-up to the lead, in the thread of the lead's thank-you, due after it")
    func planned() throws {
        let plan = try Self.plan()
        #expect(plan.thankYous.count == 2)
        let followUp = try #require(plan.followUps.first)
        #expect(plan.followUps.count == 1)
        let lead = try #require(plan.thankYous.first { $0.recipientEmail == "dana.rivera@acme.example" })
        #expect(followUp.recipientEmail == lead.recipientEmail)
        #expect(followUp.inReplyTo == lead.id)
        #expect(followUp.referenceIDs == [lead.messageId])
        #expect(followUp.subject == "Re: " + lead.subject)
        #expect(followUp.due > lead.due.addingTimeInterval(7 * 86400 - 3600))
        #expect(followUp.body.hasPrefix("Dear Ms. Rivera,"))
        #expect(followUp.kind == "follow-up")
        // It goes out as a reply: In-Reply-To and References name the thank-you.
        let headers = MIMEComposer.headerFields(DeliveryRunner.outgoing(followUp, sender: sampleConfig.sender, date: followUp.due))
        #expect(headers.first { $0.name == "In-Reply-To" }?.value == lead.messageId)
        #expect(headers.first { $0.name == "References" }?.value == lead.messageId)
    }

    @Test("follow_up: false plans none; nudges: 2 plans exactly one more, threaded after the first")
    func switches() throws {
        #expect(try Self.plan { $0.followUp = false }.followUps.isEmpty)
        var off = sampleConfig
        off.followUp.enabled = false
        #expect(try Self.plan(config: off).followUps.isEmpty)
        #expect(try Self.plan({ $0.followUp = true }, config: off).followUps.count == 1)
        let two = try Self.plan { $0.nudges = 2 }.followUps
        #expect(two.map(\.nudge) == [1, 2])
        #expect(two[1].inReplyTo == two[0].id)
        #expect(two[1].referenceIDs.count == 2 && two[1].referenceIDs.last == two[0].messageId)
        #expect(two[1].due.timeIntervalSince(two[0].due) >= 3 * 86400)
        // The one more note is the nudge's own wording, not the first follow-up's again.
        #expect(two[1].body != two[0].body && !two[1].body.contains("our conversation on") || two[1].body.contains("once more") || two[1].body.contains("brief"),
                "\(two[1].body)")
    }

    @Test("follow_up_to: recruiter → the recruiter, in a thread of its own")
    func recruiter() throws {
        let plan = try Self.plan {
            var sam = Interviewer(name: "Sam Lee", honorific: "Mx.", email: "sam.lee@acme.example", topic: "")
            sam.topic = $0.position
            $0.recruiter = sam
            $0.followUpTo = .recruiter
        }
        let followUp = try #require(plan.followUps.first)
        #expect(followUp.recipientEmail == "sam.lee@acme.example")
        #expect(followUp.referenceIDs.isEmpty)
        #expect(followUp.subject == "Following up – Alex Kim – Senior Platform Engineer interview")
        #expect(followUp.body.hasPrefix("Dear Mx. Lee,"))
    }

    @Test("every phrasing of the built-in follow-up, both notes, passes proofreading without a finding", arguments: 0..<5)
    func proofread(phrasing: Int) throws {
        let template = try MessageTemplate.load("follow-up", directory: nil)
        let interview = sampleInterview()
        for nudge in 1...2 {
            var context = MessageContext(sender: sampleConfig.sender, interview: interview, interviewer: interview.interviewers[0], phrasing: phrasing)
            context.nudge = nudge
            let due = Self.now.addingTimeInterval(8 * 86400)
            let output = try template.render(context.templateValues(sendDate: due))
            let sentences = output.body.split(separator: "\n").dropFirst().first { !$0.isEmpty }.map { $0.split(separator: ".").count } ?? 0
            #expect((2...5).contains(sentences), "nudge \(nudge): \(output.body)")
            let draft = NoteProofing.Draft(context: context, subject: "Re: Thank you – Alex Kim – Senior Platform Engineer interview", body: output.body,
                                           recipientEmail: "dana.rivera@acme.example", messageID: "<x@example.com>", template: template, sendDate: due)
            let findings = try NoteProofing.proofread([draft], config: sampleConfig, personalWords: [])
            #expect(findings.isEmpty, "phrasing \(phrasing), nudge \(nudge): \(findings.map { "\($0)" })")
        }
    }

    @Test("sending the thank-you moves the follow-up to a week after the real sending time, in one commit")
    func recomputedOnSend() throws {
        let plan = try Self.plan()
        let store = try Self.stored(plan)
        let lead = try #require(plan.thankYous.first { $0.isLead })
        let sentAt = lead.due.addingTimeInterval(3 * 86400)  // it left three days late (the machine was off)
        var runner = DeliveryRunner(store: store, transport: RecordingTransport(.sent), sender: sampleConfig.sender, logger: Self.logger,
                                    now: { sentAt })
        runner.policy = sampleConfig.policy
        try runner.deliverAll([lead.id]) { _ in }
        let followUp = try store.message(plan.followUps[0].id)
        #expect(followUp.due >= sentAt.addingTimeInterval(7 * 86400))
        #expect(followUp.due < sentAt.addingTimeInterval(12 * 86400))
        #expect(followUp.reason.contains("a week after the thank-you (sent "))
        #expect(followUp.state == .scheduled)
    }

    @Test("cancelling the thank-you cancels its follow-ups; `replied` cancels every follow-up of the interview")
    func cancelled() throws {
        let plan = try Self.plan { $0.nudges = 2 }
        let store = try Self.stored(plan)
        let lead = try #require(plan.thankYous.first { $0.isLead })
        try store.update(lead.id, to: .cancelled, action: "cancel", now: Self.now)
        for f in plan.followUps {
            let m = try store.message(f.id)
            #expect(m.state == .cancelled)
            #expect(m.reason.contains(lead.id))
        }

        let second = try Self.stored(try Self.plan())
        let interviewID = try second.interviewID(named: try #require(try second.messages(includeFinished: true).first).id)
        let cancelled = try second.recordReply(interview: interviewID, at: Self.now, note: "Dana called", now: Self.now)
        #expect(cancelled.count == 1)
        #expect(try second.interview(interviewID)?.replyNote == "Dana called")
        #expect(try second.message(cancelled[0].id).reason == "they replied: Dana called")
    }

    /// A queue whose lead thank-you went out `daysAgo` days ago, and its follow-up due now.
    static func dueFollowUp(_ change: (inout Interview) -> Void = { _ in }) throws -> (QueueStore, MessageRecord, MessageRecord, Date) {
        let plan = try Self.plan(change)
        let store = try Self.stored(plan)
        let lead = try #require(plan.thankYous.first { $0.isLead })
        try store.update(lead.id, to: .sending, action: "send", now: lead.due)
        try store.update(lead.id, to: .sent, action: "send", now: lead.due) { $0.sentAt = lead.due }
        let followUp = try store.message(plan.followUps[0].id)
        return (store, try store.message(lead.id), followUp, followUp.due)
    }

    @Test("without imap a due follow-up is held for the go-ahead; `confirm` releases it; send_unless_cancelled sends it")
    func goAhead() throws {
        let (store, _, followUp, due) = try Self.dueFollowUp()
        let gate = FollowUpGate(store: store, config: sampleConfig, openMailbox: nil, now: { due }, logger: Self.logger)
        let first = try gate.clear([followUp.id])
        #expect(first.send.isEmpty)
        #expect(try store.message(followUp.id).state == .held)
        #expect(try store.message(followUp.id).lastError?.contains("fuq confirm \(followUp.id)") == true)
        _ = try store.confirmFollowUp(followUp.id, policy: sampleConfig.policy, now: due)
        let confirmed = try store.message(followUp.id)
        #expect(confirmed.state == .scheduled && confirmed.confirmedAt == due)
        #expect(try gate.clear([followUp.id]).send == [followUp.id])

        var trusting = sampleConfig
        trusting.followUp.sendUnlessCancelled = true
        let (store2, _, followUp2, due2) = try Self.dueFollowUp()
        let open = FollowUpGate(store: store2, config: trusting, openMailbox: nil, now: { due2 }, logger: Self.logger)
        #expect(try open.clear([followUp2.id]).send == [followUp2.id])
    }

    @Test("a follow-up whose thank-you has not gone out is held, and scheduled again once it is sent")
    func waitsForParent() throws {
        let plan = try Self.plan()
        let store = try Self.stored(plan)
        let followUp = plan.followUps[0]
        let lead = try #require(plan.thankYous.first { $0.isLead })
        let gate = FollowUpGate(store: store, config: sampleConfig, openMailbox: nil, now: { followUp.due }, logger: Self.logger)
        #expect(try gate.clear([followUp.id]).send.isEmpty)
        #expect(try store.message(followUp.id).state == .held)
        try store.update(lead.id, to: .sending, action: "send", now: followUp.due)
        try store.update(lead.id, to: .sent, action: "send", now: followUp.due) { $0.sentAt = followUp.due }
        let again = try store.message(followUp.id)
        #expect(again.state == .scheduled)
        #expect(again.due > followUp.due.addingTimeInterval(6 * 86400))
    }

    static func mailbox(_ messages: [FetchedMessage]) -> RecordingMailbox {
        let box = RecordingMailbox()
        box.folderContents = ["INBOX": messages]
        return box
    }

    static func header(_ text: String, uid: UInt32 = 1, at: Date) -> FetchedMessage {
        MailFixture.message(uid: uid, text, at: at)
    }

    @Test("a reply in the thread cancels the follow-up and says who replied; silence (and an auto-reply) lets it go")
    func replyFound() throws {
        let (store, lead, followUp, due) = try Self.dueFollowUp()
        let reply = Self.header("From: Dana Rivera <dana.rivera@acme.example>\nSubject: Re: Thank you\nMessage-ID: <r@acme.example>\nReferences: \(lead.messageId)",
                                at: due.addingTimeInterval(-86400))
        let gate = FollowUpGate(store: store, config: sampleConfig, openMailbox: { Self.mailbox([reply]) }, now: { due }, logger: Self.logger)
        let result = try gate.clear([followUp.id])
        #expect(result.send.isEmpty)
        let m = try store.message(followUp.id)
        #expect(m.state == .cancelled)
        #expect(m.reason.contains("dana.rivera@acme.example wrote on"))
        #expect(try store.interview(m.interviewId)?.repliedAt != nil)

        let (store2, _, followUp2, due2) = try Self.dueFollowUp()
        let away = Self.header("From: dana.rivera@acme.example\nSubject: Out of Office: Thank you\nAuto-Submitted: auto-replied\nMessage-ID: <o@acme.example>",
                               at: due2.addingTimeInterval(-86400))
        let quiet = FollowUpGate(store: store2, config: sampleConfig, openMailbox: { Self.mailbox([away]) }, now: { due2 }, logger: Self.logger)
        #expect(try quiet.clear([followUp2.id]).send == [followUp2.id])
        #expect(try store2.interview(followUp2.interviewId)?.mailboxNote?.contains("automatic") == true)
    }

    @Test("a colleague at the company's domain holds it for the user; `confirm` after that lets it go")
    func colleague() throws {
        let (store, _, followUp, due) = try Self.dueFollowUp()
        let mail = Self.header("From: recruiting@acme.example\nSubject: Your interview\nMessage-ID: <c@acme.example>", at: due.addingTimeInterval(-3600))
        let gate = FollowUpGate(store: store, config: sampleConfig, openMailbox: { Self.mailbox([mail]) }, now: { due }, logger: Self.logger)
        #expect(try gate.clear([followUp.id]).send.isEmpty)
        let held = try store.message(followUp.id)
        #expect(held.state == .held)
        #expect(held.lastError?.contains("recruiting@acme.example wrote on") == true)
        _ = try store.confirmFollowUp(followUp.id, policy: sampleConfig.policy, now: due)
        let later = FollowUpGate(store: store, config: sampleConfig, openMailbox: { Self.mailbox([mail]) }, now: { due }, logger: Self.logger)
        #expect(try later.clear([followUp.id]).send == [followUp.id])
    }

    @Test("a go-ahead covers only the mail known when it was given: new mail from the company holds it again, whatever its date")
    func goAheadThenNewMail() throws {
        let (store, _, followUp, due) = try Self.dueFollowUp()
        let first = Self.header("From: recruiting@acme.example\nSubject: Your interview\nMessage-ID: <c1@acme.example>", at: due.addingTimeInterval(-7200))
        var box = [first]
        let gate = FollowUpGate(store: store, config: sampleConfig, openMailbox: { Self.mailbox(box) }, now: { due }, logger: Self.logger)
        #expect(try gate.clear([followUp.id]).send.isEmpty)
        _ = try store.confirmFollowUp(followUp.id, policy: sampleConfig.policy, now: due)
        // Written after the go-ahead, but dated a minute after the first mail (a server clock
        // behind, a forged Date): its date must not let the follow-up through.
        let second = Self.header("From: hr@acme.example\nSubject: An update on your application\nMessage-ID: <c2@acme.example>",
                                 uid: 2, at: due.addingTimeInterval(-7140))
        box = [first, second]
        #expect(try gate.clear([followUp.id]).send.isEmpty)
        let held = try store.message(followUp.id)
        #expect(held.state == .held)
        #expect(held.lastError?.contains("hr@acme.example wrote since your go-ahead") == true)
        #expect(FollowUpAdvice.nextStep(held).contains("fuq replied \(followUp.id)"))
        #expect(FollowUpAdvice.nextStep(held).contains("fuq confirm \(followUp.id)"))
        #expect(!FollowUpAdvice.nextStep(held).contains("doctor"))
        // A second go-ahead, given with both shown, lets it go.
        _ = try store.confirmFollowUp(followUp.id, policy: sampleConfig.policy, now: due)
        #expect(try gate.clear([followUp.id]).send == [followUp.id])
    }

    @Test("a go-ahead given ahead of time does not cover mail it never saw")
    func goAheadAheadOfTime() throws {
        let (store, _, followUp, due) = try Self.dueFollowUp()
        _ = try store.confirmFollowUp(followUp.id, policy: sampleConfig.policy, now: due.addingTimeInterval(-86400))
        let mail = Self.header("From: recruiting@acme.example\nSubject: Next steps\nMessage-ID: <n@acme.example>", at: due.addingTimeInterval(-90000))
        let gate = FollowUpGate(store: store, config: sampleConfig, openMailbox: { Self.mailbox([mail]) }, now: { due }, logger: Self.logger)
        #expect(try gate.clear([followUp.id]).send.isEmpty)
        #expect(try store.message(followUp.id).state == .held)
    }

    @Test("a second-round interview with the same person is no duplicate of a follow-up still waiting for the go-ahead: it supersedes it")
    func secondRound() throws {
        let (store, _, followUp, due) = try Self.dueFollowUp()
        let gate = FollowUpGate(store: store, config: sampleConfig, openMailbox: nil, now: { due }, logger: Self.logger)
        _ = try gate.clear([followUp.id])
        #expect(try store.message(followUp.id).state == .held)
        // Two weeks after that, a second round with the lead alone.
        let later = due.addingTimeInterval(14 * 86400)
        var round2 = sampleInterview()
        round2.end = later.addingTimeInterval(-3600)
        round2.interviewers = [round2.interviewers[0]]
        let planner = try Self.planner(now: later)
        let plan2 = try planner.plan(round2, at: nil, source: "test")
        let cancelled = try store.enqueue(plan2.interview, messages: plan2.messages, now: later)
        #expect(cancelled.map(\.id) == [followUp.id])
        let old = try store.message(followUp.id)
        #expect(old.state == .cancelled)
        #expect(old.reason.contains("superseded by your new interview \(plan2.interview.id) (you met"))
        #expect(try store.message(plan2.followUps[0].id).state == .scheduled)
        #expect(try store.message(plan2.thankYous[0].id).state == .scheduled)
    }

    /// Issue 25's adversarial pass (F13): the person met again need not be the second round's lead,
    /// and the second round need not plan a follow-up — they are in touch either way.
    @Test("a second round with the same person as a panelist, or without a follow-up of its own, still supersedes the first round's follow-up",
          arguments: ["panelist", "no follow-up"])
    func secondRoundAnyRole(_ shape: String) throws {
        let (store, _, followUp, due) = try Self.dueFollowUp()
        let later = due.addingTimeInterval(14 * 86400)
        var round2 = sampleInterview()
        round2.end = later.addingTimeInterval(-3600)
        var dana = round2.interviewers[0]
        if shape == "panelist" {
            dana.lead = false
            round2.interviewers = [Interviewer(name: "Lee Chang", honorific: "Mr.", email: "lee.chang@acme.example", topic: "the roadmap", lead: true), dana]
        } else {
            round2.interviewers = [dana]
            round2.followUp = false
        }
        let planner = try Self.planner(now: later)
        let plan2 = try planner.plan(round2, at: nil, source: "test")
        let cancelled = try store.enqueue(plan2.interview, messages: plan2.messages, now: later)
        #expect(cancelled.map(\.id) == [followUp.id])
        let old = try store.message(followUp.id)
        #expect(old.state == .cancelled && old.reason.contains("superseded by your new interview \(plan2.interview.id) (you met"), "\(old.reason)")
        if shape == "no follow-up" { #expect(old.reason.contains("not sent") && plan2.followUps.isEmpty) }
    }

    /// The second pass (N3): whoever the first round's follow-up goes to — its lead, or its
    /// recruiter — meeting any of its interviewers again supersedes it; a recruiter shared with
    /// another company's interview does not.
    @Test("a second round with any interviewer of the first supersedes its follow-up, also one to its recruiter; the same recruiter at another company does not")
    func secondRoundWhoeverItGoesTo() throws {
        let recruiter = Interviewer(name: "Jordan Blake", honorific: "Mr.", email: "jordan@agency.example", topic: "x")
        let first = try Self.plan { interview in
            interview.recruiter = recruiter
            interview.followUpTo = .recruiter
        }
        let store = try Self.stored(first)
        let followUp = try #require(first.followUps.first)
        #expect(followUp.recipientEmail == recruiter.email)
        let later = Self.now.addingTimeInterval(20 * 86400)
        func enqueue(_ change: (inout Interview) -> Void) throws -> [MessageRecord] {
            var round2 = sampleInterview()
            round2.end = later.addingTimeInterval(-3600)
            change(&round2)
            let planner = try Self.planner(now: later)
            let plan = try planner.plan(round2, at: nil, source: "test")
            return try store.enqueue(plan.interview, messages: plan.messages, duplicates: .also, now: later)
        }
        // Another company, the same agency recruiter, nobody met before: the Acme follow-up stays.
        let agency = try enqueue { interview in
            interview.company = "Globex"
            interview.interviewers = [Interviewer(name: "Lena Fischer", honorific: "Ms.", email: "lena@globex.example", topic: "routing", lead: true)]
            interview.recruiter = recruiter
            interview.followUpTo = .recruiter
        }
        #expect(agency.isEmpty)
        #expect(try store.message(followUp.id).state == .scheduled)
        // José, a panelist of the first round, alone in a second: the recruiter's follow-up goes.
        let cancelled = try enqueue { interview in
            var jose = interview.interviewers[1]
            jose.lead = true
            interview.interviewers = [jose]
        }
        #expect(cancelled.map(\.id) == [followUp.id])
        #expect(try store.message(followUp.id).state == .cancelled)
    }

    @Test("a thank-you rescheduled ten days out takes its follow-up's plan along: never shown due before its note")
    func rescheduledThankYou() throws {
        let plan = try Self.plan()
        let store = try Self.stored(plan)
        let lead = try #require(plan.thankYous.first { $0.isLead })
        let later = lead.due.addingTimeInterval(10 * 86400)
        try store.update(lead.id, to: .scheduled, action: "reschedule", now: Self.now) { $0.due = later; $0.latest = later.addingTimeInterval(3600) }
        #expect(try store.message(plan.followUps[0].id).due < later, "the stale plan, before the fix")
        try store.replanFollowUps(of: lead.id, policy: sampleConfig.policy, now: Self.now)
        let followUp = try store.message(plan.followUps[0].id)
        #expect(followUp.due >= later.addingTimeInterval(6 * 86400), "\(followUp.reason)")
        #expect(followUp.state == .scheduled)
    }

    @Test("a mailbox that cannot be read holds the follow-up with the reason: never sent blind")
    func unreadable() throws {
        let (store, _, followUp, due) = try Self.dueFollowUp()
        let gate = FollowUpGate(store: store, config: sampleConfig, openMailbox: {
            throw MailboxError.loginRefused(host: "imap.test", username: "alex", serverText: "NO [AUTHENTICATIONFAILED]")
        }, now: { due }, logger: Self.logger)
        #expect(try gate.clear([followUp.id]).send.isEmpty)
        let held = try store.message(followUp.id)
        #expect(held.state == .held)
        #expect(held.lastError?.hasPrefix(FollowUpGate.uncheckedPrefix) == true)
        #expect(held.lastError?.contains("refused the login") == true)
        // A go-ahead cannot get past a failed check: the advice is to fix the mailbox and retry, never `confirm`.
        let advice = FollowUpAdvice.nextStep(held)
        #expect(advice.contains("fuq retry \(followUp.id)") && advice.contains("fuq doctor"), "\(advice)")
        #expect(!advice.contains("fuq confirm"), "\(advice)")
        // A connection cut mid-answer says what to do next.
        let cut = MailboxError.failed(host: "imap.test", reason: "Failure when receiving data from the peer").errorDescription ?? ""
        #expect(cut.contains("try again") && cut.contains("fuq doctor"), "\(cut)")
    }

    @Test("a bounce of the lead's thank-you marks it bounced and holds the follow-up")
    func bounce() throws {
        let (store, lead, followUp, due) = try Self.dueFollowUp()
        let report = MailFixture.message(uid: 2, "From: MAILER-DAEMON@mx.acme.example\nSubject: Undelivered Mail\nMessage-ID: <b@mx.acme.example>\n"
            + "Content-Type: multipart/report; report-type=delivery-status; boundary=b", at: due.addingTimeInterval(-86400),
            body: "--b\r\n\r\nMessage-ID: \(lead.messageId)\r\n--b--\r\n")
        let gate = FollowUpGate(store: store, config: sampleConfig, openMailbox: { Self.mailbox([report]) }, now: { due }, logger: Self.logger)
        #expect(try gate.clear([followUp.id]).send.isEmpty)
        #expect(try store.message(lead.id).state == .bounced)
        #expect(try store.message(followUp.id).state == .held)
        #expect(try store.message(followUp.id).lastError?.contains("bounced") == true)
    }

    @Test("the periodic reply check runs only while a follow-up waits, and at most every few hours")
    func periodic() throws {
        let (store, lead, followUp, _) = try Self.dueFollowUp()
        let sentAt = try #require(lead.sentAt)
        var clock = sentAt.addingTimeInterval(60)
        let box = Self.mailbox([])
        let gate = FollowUpGate(store: store, config: sampleConfig, openMailbox: { box }, now: { clock }, logger: Self.logger)
        let next = try #require(try gate.nextReplyCheck())
        #expect(next == sentAt.addingTimeInterval(FollowUpGate.checkInterval(sampleConfig)))
        #expect(try gate.runDueReplyChecks().isEmpty && box.calls.isEmpty)
        clock = next
        _ = try gate.runDueReplyChecks()
        #expect(!box.calls.isEmpty)
        #expect(try gate.nextReplyCheck() == next.addingTimeInterval(FollowUpGate.checkInterval(sampleConfig)))
        // Nothing waits any more: no check is planned (the daemon then sleeps until the next note).
        try store.update(followUp.id, to: .cancelled, action: "cancel", now: clock)
        #expect(try gate.nextReplyCheck() == nil)
    }
}
