import ArgumentParser
import Foundation
import FuqCore

extension Fuq {
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show where every message stands and why.",
            discussion: """
                Sent and cancelled messages are hidden unless --all. Times are yours; `fuq show ID` gives the \
                recipient's. The table fits $COLUMNS, else the terminal (100 columns when piped); states are \
                coloured only at a terminal, never with NO_COLOR set or TERM=dumb.
                """
        )

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Include sent and cancelled messages (and show each note's interview).") var all = false
        @Option(help: ArgumentHelp("Only the notes of this interview (its id, as `fuq enqueue` and `fuq show` print it, or a unique prefix).",
                                   valueName: "id"))
        var interview: String?
        @Flag(help: "Print a JSON array instead of the table.") var json = false
        @Argument(help: "Only this message (an id or a unique prefix).") var id: String?

        func validate() throws {
            if id != nil && interview != nil { throw ValidationError("give a message id or --interview ID, not both") }
            if let interview, interview.trimmingCharacters(in: .whitespaces).count < 2 {
                throw ValidationError("--interview needs at least 2 characters of an interview id (`fuq status --all` shows them)")
            }
        }

        func run() async throws {
            try reportingErrors {
                let config = try global.loadConfig()
                let store = try global.openQueue(config, readOnly: true)
                let interviewID = try interview.map { try store.interviewID($0) }
                let (messages, unreadable) = try id.map { ([try store.message($0)], []) }
                    ?? store.messagesReportingDamage(includeFinished: all, interview: interviewID)
                Display.warnDamaged(unreadable)
                if json {
                    printJSON(messages.map { MessageJSON.object($0, attempts: []) })
                    return
                }
                let terminal = Terminal.standardOutput
                let width = max(terminal.width, 20)
                func say(_ text: String) { print(TextWidth.wrap(text, width: width).joined(separator: "\n")) }
                if messages.isEmpty {
                    let hidden = all ? 0 : try interviewID.map { try store.messagesReportingDamage(includeFinished: true, interview: $0).records.count }
                        ?? (try store.counts()).filter { $0.key.isFinished }.values.reduce(0, +)
                    if let interviewID {
                        say(hidden > 0 ? "Nothing waiting in interview \(interviewID). \(hidden) finished message(s) hidden; `fuq status --all --interview \(interviewID)` shows them."
                                       : "Interview \(interviewID) has no messages.")
                    } else {
                        say(hidden > 0 ? "Nothing waiting. \(hidden) finished message(s) hidden; `fuq status --all` shows them."
                                       : "The queue is empty. Queue notes with `fuq enqueue FILE`.")
                    }
                    return
                }
                print(Self.table(messages, now: Date(), deliverer: DeliveryLock.currentHolder(queuePath: config.queuePath), terminal: terminal,
                                 showInterview: all && interviewID == nil))
                if messages.contains(where: { MessageState.deliverable.contains($0.state) }) {
                    say(Self.deliveryLine(queuePath: config.queuePath))
                    say("Queue: \(config.queuePath)")
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

        /// Two lines per message — the facts, then the reason or last error — never wider than
        /// `terminal.width`. When the facts do not fit on one line, the least important give way
        /// in this order: SUBJECT, the zone of the due time, the countdown ("in 3 h"), INTERVIEW
        /// (shown with `--all`), then TO is shortened with "…"; ID, STATE and the due time stay.
        /// - Parameter deliverer: who holds the queue's delivery lock now; a `sending` note with
        ///   nobody holding it was interrupted (its process died), not being sent.
        static func table(_ messages: [MessageRecord], now: Date, deliverer: DeliveryLock.Holder?, terminal: Terminal,
                          showInterview: Bool = false) -> String {
            let width = max(terminal.width, 20)
            let rows = messages.map { Row($0, now: now, interrupted: $0.state == .sending && deliverer == nil) }
            let layout = Layout.choose(rows, width: width, showInterview: showInterview)
            var lines = [layout.header()]
            let indent = String(repeating: " ", count: width >= 40 ? 7 : 2)
            for row in rows {
                lines.append(layout.line(row, terminal: terminal))
                lines += TextWidth.wrap(Display.safe(row.why), width: width - indent.count).map { indent + $0 }
            }
            return lines.joined(separator: "\n")
        }

        /// One message as the table shows it (every text already safe to print).
        struct Row {
            var id: String
            var to: String
            var state: String
            var color: Terminal.Color?
            /// Due time with the zone, without it, and date and time only.
            var due: [DueForm: String]
            var interview: String
            var subject: String
            var why: String

            init(_ m: MessageRecord, now: Date, interrupted: Bool) {
                id = Display.safe(m.id)
                to = Display.safe(m.recipientEmail)
                state = interrupted ? "interrupted" : m.state.rawValue
                switch m.state {
                case .sent: color = .green
                case .failed, .held: color = .red
                case .uncertain, .deferred, .expired: color = .yellow
                case .sending: color = interrupted ? .yellow : nil
                case .scheduled, .cancelled: color = nil
                }
                // A sent note shows when it went (its state says so), a waiting one when it is due.
                let sentAt = m.state == .sent ? m.sentAt : nil
                if sentAt != nil || MessageState.deliverable.contains(m.state) || m.state == .sending {
                    let when = sentAt ?? m.due
                    let moment = Display.moment(when, zone: Display.userZone).dropFirst(4)  // "24 Nov 18:23 EST"
                    let noZone = moment.split(separator: " ").prefix(3).joined(separator: " ")
                    let relative = Display.relative(when, now: now)
                    due = [.full: "\(moment) \(relative)", .noZone: "\(noZone) \(relative)", .short: noZone]
                } else {
                    // Held, failed, expired, uncertain: it waits for the user, not for a time.
                    let text = m.state == .cancelled ? "—" : "waits for you"
                    due = [.full: text, .noZone: text, .short: text]
                }
                interview = Display.safe(m.interviewId)
                subject = Display.safe(m.subject)
                // The advice names this note, ready to copy ("`fuq retry ID`" → "`fuq retry k7m2q`").
                let advice = m.state.advice.replacingOccurrences(of: " ID", with: " \(m.id)")
                switch m.state {
                case .scheduled: why = m.reason
                case .sent: why = "accepted: " + (m.serverReply ?? "")
                case .deferred: why = "will retry: " + (m.lastError ?? "")
                case .failed, .held, .uncertain, .expired:
                    why = m.lastError.map { $0 + " — " + advice } ?? advice
                case .sending where interrupted:
                    why = "interrupted while sending: the fuq that was sending it stopped, and none is running now. "
                        + "The next `fuq flush` or daemon start marks it uncertain (never resent on its own)."
                default: why = advice
                }
            }
        }

        enum DueForm { case full, noZone, short }

        /// Which columns the facts line has, and how wide each is (gaps included).
        struct Layout {
            var id: Int
            var to: Int
            var state: Int
            var due: Int
            var dueForm: DueForm
            var interview: Int
            var subject: Int
            /// The whole line's width: no cell goes past it.
            var width: Int

            /// The most complete layout that fits `width`, in the order the columns give way.
            static func choose(_ rows: [Row], width: Int, showInterview: Bool) -> Layout {
                func widest(_ texts: [String], header: String) -> Int { max(TextWidth.of(header), texts.map(TextWidth.of).max() ?? 0) + 2 }
                let id = widest(rows.map(\.id), header: "ID")
                let state = widest(rows.map(\.state), header: "STATE")
                let toNatural = widest(rows.map(\.to), header: "TO")
                let interviewNatural = showInterview ? widest(rows.map(\.interview), header: "INTERVIEW") : 0
                let subjectNatural = widest(rows.map(\.subject), header: "SUBJECT")
                func due(_ form: DueForm) -> Int { widest(rows.map { $0.due[form] ?? "" }, header: form == .short ? "DUE" : "DUE (your time)") }
                // (due form, minimum TO, with INTERVIEW, with SUBJECT), most complete first.
                let steps: [(DueForm, Int, Bool, Bool)] = [
                    (.full, 24, true, true), (.full, 24, true, false), (.noZone, 24, true, false),
                    (.short, 24, true, false), (.short, 12, false, false), (.short, 0, false, false),
                ]
                // The first step whose minimums fit; the last one always serves (its cells are cut
                // to the width when even ID, STATE and DUE do not fit).
                let (form, toMinimum, withInterview, withSubject) = steps.first { form, toMinimum, withInterview, withSubject in
                    id + state + due(form) + min(toNatural, toMinimum) + (withInterview ? min(interviewNatural, 12) : 0) + (withSubject ? 16 : 0) <= width
                } ?? steps[steps.count - 1]
                var layout = Layout(id: id, to: 0, state: state, due: due(form), dueForm: form, interview: 0, subject: 0, width: width)
                let interviewMin = withInterview ? min(interviewNatural, 12) : 0
                let subjectMin = withSubject ? 16 : 0
                // The room left goes to TO, then INTERVIEW, then SUBJECT, each up to what it needs.
                var room = max(0, width - id - state - layout.due)
                layout.to = min(toNatural, max(room - interviewMin - subjectMin, min(toNatural, toMinimum)))
                room -= layout.to
                layout.interview = withInterview ? min(interviewNatural, max(room - subjectMin, 0)) : 0
                room -= layout.interview
                layout.subject = withSubject ? min(subjectNatural, room) : 0
                return layout
            }

            /// Columns in the order shown, with their header and each row's text.
            private var columns: [(width: Int, header: String, text: (Row) -> String)] {
                [
                    (id, "ID", { $0.id }),
                    (to, "TO", { $0.to }),
                    (state, "STATE", { $0.state }),
                    (due, dueForm == .short ? "DUE" : "DUE (your time)", { [dueForm] row in row.due[dueForm] ?? "" }),
                    (interview, "INTERVIEW", { $0.interview }),
                    (subject, "SUBJECT", { $0.subject }),
                ].filter { $0.width > 0 }
            }

            func header() -> String {
                render(columns.map { ($0.width, $0.header, nil) })
            }

            func line(_ row: Row, terminal: Terminal) -> String {
                render(columns.map { ($0.width, $0.text(row), $0.header == "STATE" ? row.color : nil) }, terminal: terminal)
            }

            /// Each cell cut to its width less a 1-column gap (the last one: its full width) and
            /// padded, and never past the line's width; only the state is coloured, after
            /// measuring (escape codes take no columns).
            private func render(_ cells: [(width: Int, text: String, color: Terminal.Color?)], terminal: Terminal? = nil) -> String {
                var line = ""
                var used = 0
                for (index, cell) in cells.enumerated() {
                    let last = index == cells.count - 1 || used + cell.width >= width
                    let room = min(last ? cell.width : cell.width - 1, width - used)
                    guard room > 0 else { break }
                    let text = TextWidth.truncate(cell.text, to: room)
                    line += terminal?.paint(text, cell.color) ?? text
                    if last { break }
                    line += String(repeating: " ", count: cell.width - TextWidth.of(text))
                    used += cell.width
                }
                                return line
            }
        }
    }
}
