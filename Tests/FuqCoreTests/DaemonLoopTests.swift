import Foundation
import GRDB
import Logging
import Testing
@testable import FuqCore

/// A transport that records what it is asked to send and answers as told. Unit tests only:
/// delivery itself is proven against real servers in FuqIntegrationTests.
final class RecordingTransport: MailTransport, @unchecked Sendable {
    let host = "recording:25"
    private let lock = NSLock()
    private var _outcome: DeliveryResult.Outcome
    private var _sent: [Envelope] = []

    init(_ outcome: DeliveryResult.Outcome) { _outcome = outcome }

    var outcome: DeliveryResult.Outcome {
        get { lock.withLock { _outcome } }
        set { lock.withLock { _outcome = newValue } }
    }
    var sent: [Envelope] { lock.withLock { _sent } }

    func send(_ envelope: Envelope) -> DeliveryResult {
        lock.withLock {
            _sent.append(envelope)
            return DeliveryResult(outcome: _outcome, code: _outcome == .held ? 535 : 250, text: _outcome == .held ? "535 5.7.8 no" : "250 ok")
        }
    }
}

/// The test's clock: the daemon reads it for every decision.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var _now: Date
    init(_ now: Date) { _now = now }
    var now: Date {
        get { lock.withLock { _now } }
        set { lock.withLock { _now = newValue } }
    }
}

/// Stands in for the timerfd/inotify waiter: records the deadline of every wait and blocks it
/// until the test says how it ends. No real time passes.
final class ScriptedWaiter: DaemonWaiting, @unchecked Sendable {
    private let condition = NSCondition()
    private var deadlines: [Date?] = []
    private var consumed = 0
    private var replies: [Waiter.Wake] = []

    func wait(until deadline: Date?, idleLimit: TimeInterval?) -> Waiter.Wake {
        condition.lock()
        defer { condition.unlock() }
        deadlines.append(deadline)
        condition.broadcast()
        while replies.isEmpty { condition.wait() }
        return replies.removeFirst()
    }

    func send(_ command: UInt8) { reply(.command(command)) }
    func drainQueueEvents() {}

    /// The deadline of the daemon's next wait (`.some(nil)`: it waits with no deadline);
    /// nil if it did not come to wait within 5 s.
    func nextWait() -> Date?? {
        condition.lock()
        defer { condition.unlock() }
        let limit = Date().addingTimeInterval(5)
        while deadlines.count <= consumed {
            if !condition.wait(until: limit) { return nil }
        }
        consumed += 1
        return .some(deadlines[consumed - 1])
    }

    func reply(_ wake: Waiter.Wake) {
        condition.lock()
        replies.append(wake)
        condition.broadcast()
        condition.unlock()
    }
}

@Suite("Daemon loop")
struct DaemonLoopTests {
    /// A queue holding the sample panel (two notes) with the given due times, and a daemon on
    /// it driven by a test clock and a scripted waiter.
    struct Rig {
        let store: QueueStore
        let ids: [String]
        let clock: TestClock
        let waiter = ScriptedWaiter()
        let transport: RecordingTransport
        let daemon: DeliveryDaemon
        let done = DispatchSemaphore(value: 0)

        init(dues: [TimeInterval], outcome: DeliveryResult.Outcome = .sent, start: Date = instant("2026-11-24T18:00", "America/New_York")) throws {
            let path = temporaryQueuePath()
            var plan = try samplePlan()
            for i in plan.messages.indices {
                plan.messages[i].due = start.addingTimeInterval(dues[i])
                plan.messages[i].latest = start.addingTimeInterval(86400)
            }
            store = try QueueStore(path: path)
            try store.enqueue(plan.interview, messages: plan.messages)
            ids = plan.messages.map(\.id)
            clock = TestClock(start)
            var settings = sampleConfig
            settings.queuePath = path
            let config = settings
            let transport = RecordingTransport(outcome)
            let clock = clock
            self.transport = transport
            daemon = try DeliveryDaemon(config: config, loadConfig: { config }, logger: Logger(label: "test"),
                                        notifier: SystemdNotifier(environment: [:]), now: { clock.now },
                                        waiter: waiter, makeTransport: { _ in transport })
            let daemon = daemon, done = done
            Thread { try? daemon.loop(); done.signal() }.start()
        }

        func due(_ id: String) throws -> Date { try store.message(id).due }

        func stop() -> Bool {
            daemon.requestStop()
            return done.wait(timeout: .now() + 5) == .success
        }
    }

    @Test("sleeps until exactly the next due time, sends then, and sleeps on the next one")
    func sleepsUntilDue() throws {
        let rig = try Rig(dues: [600, 3600])
        #expect(rig.waiter.nextWait() == .some(try rig.due(rig.ids[0])), "the first wait ends at the first due time")
        #expect(rig.transport.sent.isEmpty)
        rig.clock.now = try rig.due(rig.ids[0])
        rig.waiter.reply(.timer)
        #expect(rig.waiter.nextWait() == .some(try rig.due(rig.ids[1])))
        #expect(rig.transport.sent.count == 1)
        #expect(try rig.store.message(rig.ids[0]).state == .sent)
        #expect(rig.stop())
    }

    @Test("a change to the queue wakes it and the new earliest due time is used")
    func queueChangeReschedulesWait() throws {
        let rig = try Rig(dues: [3600, 7200])
        #expect(rig.waiter.nextWait() == .some(try rig.due(rig.ids[0])))
        // The CLI reschedules the second note to 10 minutes from now.
        let sooner = rig.clock.now.addingTimeInterval(600)
        try rig.store.update(rig.ids[1], to: .scheduled, action: "reschedule", now: rig.clock.now) { $0.due = sooner }
        rig.waiter.reply(.queueChanged)
        #expect(rig.waiter.nextWait() == .some(sooner))
        #expect(rig.transport.sent.isEmpty)
        #expect(rig.stop())
    }

    @Test("after a long suspend, resumed at 02:00 New York time: Dana (New York) moves to her morning; José (Berlin, 08:00) is sent")
    func resumeAtNight() throws {
        let rig = try Rig(dues: [1380, 1560])   // 18:23 and 18:26 New York time
        _ = rig.waiter.nextWait()
        rig.clock.now = instant("2026-11-25T02:00", "America/New_York")
        rig.waiter.reply(.timer)
        let next = try #require(rig.waiter.nextWait())
        #expect(rig.transport.sent.map(\.recipients) == [["jose@acme.example"]], "only the reader whose clock is in a window")
        let dana = try rig.store.message(rig.ids[0])
        #expect(dana.recipientEmail == "dana.rivera@acme.example")
        #expect(dana.state == .scheduled)
        #expect(dana.reason.contains("missed"), "\(dana.reason)")
        #expect(SendWindowPolicy.standard.isInsideWindow(dana.due, zone: dana.zone))
        #expect(next == dana.due, "it now sleeps until Dana's morning")
        #expect(try rig.store.message(rig.ids[1]).state == .sent)
        #expect(rig.stop())
    }

    @Test("a held outcome pauses delivery (no deadline, the other due note untried); other writes keep it paused, `fuq retry` resumes it")
    func heldPausesUntilQueueChanges() throws {
        let rig = try Rig(dues: [0, 1], outcome: .held)
        rig.clock.now = rig.clock.now.addingTimeInterval(5)
        #expect(rig.waiter.nextWait() == .some(nil), "paused: it waits for a change, not for a due time")
        #expect(rig.transport.sent.count == 1, "after a refused login the next note is not tried")
        let states = try rig.ids.map { try rig.store.message($0).state }
        #expect(states == [.held, .scheduled])

        // Any other write to the queue (a `status` used to look like one, an enqueue, a
        // reschedule) does not make it log in again with the refused password.
        try rig.store.update(rig.ids[1], to: .scheduled, action: "reschedule", now: rig.clock.now) { $0.reason = "touched" }
        rig.waiter.reply(.queueChanged)
        #expect(rig.waiter.nextWait() == .some(nil), "still paused")
        #expect(rig.transport.sent.count == 1, "no second login after an unrelated change")

        // The user fixes the password and releases the note (`fuq retry`): the queue changes.
        rig.transport.outcome = .sent
        rig.clock.now = rig.clock.now.addingTimeInterval(5)
        let now = rig.clock.now
        try rig.store.update(rig.ids[0], to: .scheduled, action: "retry", now: now) { $0.releaseNow(now, reason: "released by `fuq retry`") }
        rig.waiter.reply(.queueChanged)
        #expect(rig.waiter.nextWait() == .some(nil), "nothing left to wait for")
        #expect(rig.transport.sent.count == 3)
        #expect(try rig.ids.allSatisfy { try rig.store.message($0).state == .sent })
        #expect(rig.stop())
    }
}
