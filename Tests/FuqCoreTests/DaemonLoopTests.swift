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

@Suite("Daemon loop")
struct DaemonLoopTests {
    @Test("a held outcome pauses delivery (the second due note is not tried); a change to the queue resumes it")
    func heldPausesUntilQueueChanges() throws {
        let path = temporaryQueuePath()
        var plan = try samplePlan()
        let now = Date()
        for i in plan.messages.indices {
            plan.messages[i].due = now.addingTimeInterval(-10 + Double(i))
            plan.messages[i].latest = now.addingTimeInterval(86400)
        }
        let store = try QueueStore(path: path)
        try store.enqueue(plan.interview, messages: plan.messages)
        var settings = sampleConfig
        settings.queuePath = path
        let config = settings
        let transport = RecordingTransport(.held)
        let daemon = try DeliveryDaemon(config: config, loadConfig: { config }, logger: Logger(label: "test"),
                                        notifier: SystemdNotifier(environment: [:]), makeTransport: { _ in transport })
        let done = DispatchSemaphore(value: 0)
        Thread { try? daemon.loop(); done.signal() }.start()

        let deadline = Date().addingTimeInterval(5)
        while transport.sent.isEmpty && Date() < deadline { usleep(10_000) }
        usleep(500_000)
        #expect(transport.sent.count == 1, "after a refused login the next note must not be tried")
        let states = try store.messages(includeFinished: true).map(\.state).sorted { $0.rawValue < $1.rawValue }
        #expect(states == [.held, .scheduled])

        // The user fixes the password and releases the note (`fuq retry`): the queue changes.
        transport.outcome = .sent
        let held = try #require(try store.messages(includeFinished: true).first { $0.state == .held })
        try store.update(held.id, to: .scheduled, action: "retry", now: Date()) { $0.due = Date() }
        let resumed = Date().addingTimeInterval(5)
        while transport.sent.count < 3 && Date() < resumed { usleep(10_000) }
        #expect(transport.sent.count == 3)
        #expect(try store.messages(includeFinished: true).allSatisfy { $0.state == .sent })

        daemon.requestStop()
        #expect(done.wait(timeout: .now() + 5) == .success, "the loop stops when asked")
    }
}
