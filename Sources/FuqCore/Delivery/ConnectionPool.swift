import Foundation

/// The connections of one delivery run. With one, a note is sent inline on the caller's
/// thread; with more, each connection has a thread of its own (and its own libcurl handle,
/// which is only ever used from that thread) carrying one note at a time. The caller
/// (`DeliveryRunner.deliverAll`) alone touches the queue: connections only send and report.
final class ConnectionPool: @unchecked Sendable {
    /// A note whose attempt is over, waiting for its outcome to be written.
    struct Finished {
        var connection: Int
        var claimed: MessageRecord
        var result: DeliveryResult
        var started: Date
        var finished: Date
        var host: String
        /// The bytes sent, kept only when the server accepted them (for the copy in Sent).
        var data: Data?
    }

    /// One connection's thread and its mailbox (one note at most).
    private final class Lane: @unchecked Sendable {
        let wake = DispatchSemaphore(value: 0)
        var job: (MessageRecord, Date)?
        var quit = false
    }

    private let runner: DeliveryRunner
    private let condition = NSCondition()
    private var results: [Finished] = []
    private var lanes: [Int: Lane] = [:]

    init(runner: DeliveryRunner) { self.runner = runner }

    /// Hands `m` (already `sending` on disk) to `connection`.
    func send(_ m: MessageRecord, started: Date, over connection: Int) {
        guard runner.transports.count > 1 else {
            report(attempt(m, started: started, connection: connection))
            return
        }
        let lane = lanes[connection] ?? start(connection)
        lane.job = (m, started)
        lane.wake.signal()
    }

    private func attempt(_ m: MessageRecord, started: Date, connection: Int) -> Finished {
        let transport = runner.transports[connection]
        // The queue is not trusted: a row edited by hand could carry a line break into a header.
        if let problem = DeliveryRunner.headerProblem(m) {
            return Finished(connection: connection, claimed: m, result: DeliveryResult(outcome: .failed, code: nil, text: problem),
                            started: started, finished: runner.now(), host: transport.host, data: nil)
        }
        let envelope = runner.envelope(for: m, date: started)
        let result = transport.send(envelope)
        return Finished(connection: connection, claimed: m, result: result, started: started, finished: runner.now(), host: transport.host,
                        data: result.outcome == .sent ? envelope.data : nil)
    }

    private func report(_ finished: Finished) {
        condition.lock()
        results.append(finished)
        condition.signal()
        condition.unlock()
    }

    private func start(_ connection: Int) -> Lane {
        let lane = Lane()
        lanes[connection] = lane
        let thread = Thread { [self] in
            while true {
                lane.wake.wait()
                if lane.quit { return }
                guard let (m, started) = lane.job else { continue }
                lane.job = nil
                report(attempt(m, started: started, connection: connection))
            }
        }
        thread.name = "fuq-smtp-\(connection + 1)"
        thread.start()
        return lane
    }

    /// The attempts finished so far (perhaps none), without waiting.
    func takeResults() -> [Finished] {
        condition.lock()
        defer { condition.unlock() }
        let taken = results
        results = []
        return taken
    }

    /// At least one finished attempt: waits for one when none has finished yet. Call only
    /// with a note in flight.
    func waitForResults() -> [Finished] {
        condition.lock()
        defer { condition.unlock() }
        while results.isEmpty { condition.wait() }
        let taken = results
        results = []
        return taken
    }

    /// This connection is not used again in the run; its thread ends.
    func retire(_ connection: Int) {
        guard let lane = lanes.removeValue(forKey: connection) else { return }
        lane.quit = true
        lane.wake.signal()
    }

    /// Ends every connection thread (none has a note in flight by then).
    func close() {
        for connection in Array(lanes.keys) { retire(connection) }
    }
}
