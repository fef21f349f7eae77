import ArgumentParser
import Foundation
import FuqCore

extension Fuq {
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show where every message stands and why.",
            discussion: "Sent and cancelled messages are hidden unless --all. Times are yours; `fuq show ID` gives the recipient's."
        )

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Include sent and cancelled messages.") var all = false
        @Flag(help: "Print a JSON array instead of the table.") var json = false
        @Argument(help: "Only this message (an id or a unique prefix).") var id: String?

        func run() async throws {
            try reportingErrors {
                let config = try global.loadConfig()
                let store = try global.openQueue(config, readOnly: true)
                let (messages, unreadable) = try id.map { ([try store.message($0)], []) } ?? store.messagesReportingDamage(includeFinished: all)
                Display.warnDamaged(unreadable)
                if json {
                    printJSON(messages.map { MessageJSON.object($0, attempts: []) })
                    return
                }
                if messages.isEmpty {
                    let hidden = all ? 0 : (try store.counts()).filter { $0.key.isFinished }.values.reduce(0, +)
                    print(hidden > 0 ? "Nothing waiting. \(hidden) finished message(s) hidden; `fuq status --all` shows them."
                                     : "The queue is empty. Queue notes with `fuq enqueue FILE`.")
                    return
                }
                print(Self.table(messages, now: Date(), deliverer: DeliveryLock.currentHolder(queuePath: config.queuePath)))
                if messages.contains(where: { MessageState.deliverable.contains($0.state) }) {
                    print(Display.wrap(Self.deliveryLine(queuePath: config.queuePath), width: 100, indent: ""))
                    print("Queue: \(config.queuePath)")
                }
            }
        }

        /// Says whether anything will actually send the waiting notes.
        static func deliveryLine(queuePath: String) -> String {
            switch DeliveryLock.currentHolder(queuePath: queuePath) {
            case let holder? where holder.isDaemon && holder.paused != nil:
                return "The daemon is running (pid \(holder.pid)) but has PAUSED delivery: \(holder.paused ?? ""). Nothing is sent until "
                    + "you fix it and run `fuq retry ID` (or `fuq send-now ID`, or `systemctl --user reload fuq`)."
            case let holder? where holder.isDaemon:
                return "The daemon is running (pid \(holder.pid)): notes leave at their due times."
            case let holder?:
                return "A `fuq \(holder.role)` (pid \(holder.pid)) is delivering now."
            case nil:
                return "No fuq daemon is running on this queue: due notes wait for `fuq flush`, or start it with `systemctl --user start fuq`."
            }
        }

        /// Two lines per message, at most 100 columns: the facts, then the reason or last error.
        /// - Parameter deliverer: who holds the queue's delivery lock now; a `sending` note with
    ///   nobody holding it was interrupted (its process died), not being sent.
    static func table(_ messages: [MessageRecord], now: Date, deliverer: DeliveryLock.Holder?) -> String {
            var lines = [Display.pad("ID", 7) + Display.pad("TO", 24) + Display.pad("STATE", 13) + Display.pad("DUE (your time)", 32) + "SUBJECT"]
            for m in messages {
                let due = "\(Display.moment(m.due, zone: Display.userZone).dropFirst(4)) \(Display.relative(m.due, now: now))"
                let interrupted = m.state == .sending && deliverer == nil
                var row = Display.pad(m.id, 7) + Display.pad(Display.safe(m.recipientEmail), 24)
                    + Display.pad(interrupted ? "interrupted" : m.state.rawValue, 13)
                if m.state == .sent, let sent = m.sentAt {
                    row += Display.pad("sent \(Display.relative(sent, now: now))", 32)
                } else if MessageState.deliverable.contains(m.state) {
                    row += Display.pad(due, 32)
                } else {
                    // Held, failed, expired, uncertain: it waits for the user, not for a time.
                    row += Display.pad(m.state == .cancelled ? "—" : "waits for you", 32)
                }
                row += Display.cut(Display.safe(m.subject), 100 - row.count)
                lines.append(row)
                let why: String
                switch m.state {
                case .scheduled: why = m.reason
                case .sent: why = "accepted: " + (m.serverReply ?? "")
                case .deferred: why = "will retry: " + (m.lastError ?? "")
                case .failed, .held, .uncertain, .expired:
                    why = m.lastError.map { $0 + " — " + m.state.advice } ?? m.state.advice
                case .sending where interrupted:
                    why = "interrupted while sending: the fuq that was sending it stopped, and none is running now. "
                        + "The next `fuq flush` or daemon start marks it uncertain (never resent on its own)."
                default: why = m.state.advice
                }
                lines.append("       " + Display.wrap(Display.safe(why), width: 92, indent: "       "))
            }
            return lines.joined(separator: "\n")
        }
    }
}
