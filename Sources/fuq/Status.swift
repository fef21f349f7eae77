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
        @Option(help: ArgumentHelp("Only notes in this state (scheduled, sending, sent, deferred, failed, uncertain, cancelled, expired, held); "
                                   + "several as a comma-separated list or repeated. Sent and cancelled ones need no --all.", valueName: "state"))
        var state: [String] = []
        @Option(help: ArgumentHelp("Only notes due at or after this moment: YYYY-MM-DD (midnight, your time), YYYY-MM-DDTHH:MM (your time), "
                                   + "an RFC 3339 time with its offset, or a duration back from now (7d, 12h).", valueName: "date"))
        var since: String?
        @Option(parsing: .unconditional, help: ArgumentHelp("At most this many notes, the earliest due first.", valueName: "n")) var limit: Int?
        @Flag(help: "Print a JSON array instead of the table.") var json = false
        @Argument(help: "Only this message (an id or a unique prefix).") var id: String?

        func validate() throws {
            if id != nil && interview != nil { throw ValidationError("give a message id or --interview ID, not both") }
            if id != nil && (!state.isEmpty || since != nil || limit != nil) {
                throw ValidationError("a message id shows that one note; --state, --since and --limit filter a list: give one or the other")
            }
            if let interview, interview.trimmingCharacters(in: .whitespaces).count < 2 {
                throw ValidationError("--interview needs at least 2 characters of an interview id (`fuq status --all` shows them)")
            }
            _ = try states()
            if let since, Self.moment(since, now: Date(), zone: Display.userZone) == nil {
                throw ValidationError("--since \(TextSafety.printable(since)) is not a date fuq can read; give YYYY-MM-DD (e.g. "
                    + "\(DateFormatting.iso8601(Date(), in: Display.userZone).prefix(10))), YYYY-MM-DDTHH:MM, an RFC 3339 time such as "
                    + "2026-11-24T18:00:00-05:00, or a duration back from now such as 7d")
            }
            if let limit, limit < 1 { throw ValidationError("--limit \(limit) is not a number of notes; give 1 or more") }
        }

        /// The states asked for with --state, nil for none.
        func states() throws -> [MessageState]? {
            guard !state.isEmpty else { return nil }
            var result: [MessageState] = []
            for word in state.flatMap({ $0.split(separator: ",") }).map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
                guard let value = MessageState(rawValue: word) else {
                    let names = MessageState.allCases.map(\.rawValue)
                    let near = Spelling.closest(word, in: names)
                    throw ValidationError("--state \(TextSafety.printable(word)) is not a state" + (near.map { "; did you mean \($0)?" } ?? ".")
                        + " States: \(names.joined(separator: ", ")).")
                }
                if !result.contains(value) { result.append(value) }
            }
            return result.isEmpty ? nil : result
        }

        /// `--since`: a date (midnight on the user's clock), a wall time on it, an RFC 3339
        /// time with its offset, or a duration back from `now` ("7d").
        static func moment(_ text: String, now: Date, zone: TimeZone) -> Date? {
            let text = text.trimmingCharacters(in: .whitespaces)
            if let back = DurationText.parse(text) { return now.addingTimeInterval(-back) }
            let iso = ISO8601DateFormatter()
            for options: ISO8601DateFormatter.Options in [[.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds]] {
                iso.formatOptions = options
                if let date = iso.date(from: text) { return date }
            }
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = zone
            f.isLenient = false
            for format in ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm"] {
                f.dateFormat = format
                if let date = f.date(from: text) { return date }
            }
            return nil
        }

        func run() async throws {
            try reportingErrors {
                let config = try global.loadConfig()
                let store = try global.openQueue(config, readOnly: true)
                let interviewID = try interview.map { try store.interviewID($0) }
                let states = try states()
                let filter = MessageFilter(includeFinished: all || states != nil, states: states, interview: interviewID,
                                           since: since.flatMap { Self.moment($0, now: Date(), zone: Display.userZone) }, limit: limit)
                let single = try id.map { MessageSummary(try store.message($0)) }
                let out = OutputBuffer()
                defer { out.flush() }
                if json {
                    try store.withListing { listing in
                        var first = true
                        out.write("[")
                        func emit(_ m: MessageSummary) {
                            out.write(first ? "\n" : ",\n")
                            first = false
                            MessageJSON.write(m, to: out)
                        }
                        if let single { emit(single) } else {
                            let unreadable = try listing.forEach(filter, emit)
                            out.flush()
                            Display.warnDamaged(unreadable)
                        }
                        out.write(first ? "]\n" : "\n]\n")
                    }
                    return
                }
                let terminal = Terminal.standardOutput
                let width = max(terminal.width, 20)
                func say(_ text: String) { out.write(TextWidth.wrap(text, width: width).joined(separator: "\n") + "\n") }
                let deliverer = DeliveryLock.currentHolder(queuePath: config.queuePath)
                let now = Date()
                if single == nil, states == nil {
                    let items = try Self.needsYou(store, interview: interviewID, holder: deliverer)
                    if !items.isEmpty {
                        out.write("Needs you:\n")
                        // "  k7m2q  what happened: `command`", wrapped under its text.
                        for (id, text) in items {
                            // Narrow terminals: the id on a line of its own, the text under it.
                            let wide = width >= 40
                            let prefix = wide ? "  " + id.padding(toLength: max(5, id.count), withPad: " ", startingAt: 0) + "  " : "  "
                            if !wide { for piece in TextWidth.wrap(id, width: max(1, width - 2)) { out.write("  \(piece)\n") } }
                            let lines = TextWidth.wrap(text, width: max(1, width - prefix.count))
                            for (n, line) in lines.enumerated() {
                                out.write((n == 0 ? prefix : String(repeating: " ", count: prefix.count)) + line.replacingOccurrences(of: "\u{A0}", with: " ") + "\n")
                            }
                        }
                        out.write("\n")
                    }
                }
                try store.withListing { listing in
                    // One pass over the queue builds each row and measures the columns; the rows
                    // wait in a spool (memory, then a temporary file) until the widths are known.
                    var widths = Widths()
                    var waiting = false
                    let spool = RecordSpool()
                    func add(_ m: MessageSummary) {
                        let row = Row(m, now: now, interrupted: m.state == .sending && deliverer == nil, why: true)
                        widths.add(row)
                        spool.append(row.fields)
                        waiting = waiting || MessageState.deliverable.contains(m.state)
                    }
                    let unreadable = try single.map { add($0); return [] } ?? listing.forEach(filter, add)
                    Display.warnDamaged(unreadable)
                    guard widths.count > 0 else {
                        try sayNothing(listing, filter: filter, interviewID: interviewID, say: say)
                        return
                    }
                    let layout = Layout.choose(widths, width: width, showInterview: all && interviewID == nil)
                    let indent = String(repeating: " ", count: width >= 40 ? 7 : 2)
                    out.write(layout.header() + "\n")
                    try spool.forEach { fields in
                        let row = Row(fields: fields)
                        out.write(layout.line(row, terminal: terminal))
                        out.write("\n")
                        let why = Display.safe(row.why)
                        for line in TextWidth.of(why) <= width - indent.count ? [why] : TextWidth.wrap(why, width: width - indent.count) {
                            out.write(indent)
                            out.write(line)
                            out.write("\n")
                        }
                    }
                    if waiting {
                        say(Self.deliveryLine(queuePath: config.queuePath))
                        say("Queue: \(config.queuePath)")
                    }
                }
            }
        }

        /// What an empty listing says: why nothing shows, and how to see what is hidden.
        private func sayNothing(_ listing: QueueStore.Listing, filter: MessageFilter, interviewID: String?, say: (String) -> Void) throws {
            if filter.states != nil || filter.since != nil {
                var everything = filter
                everything.states = nil
                everything.since = nil
                everything.includeFinished = true
                let total = try listing.count(everything)
                say("No note matches these filters (\(total) note(s)\(interviewID.map { " in interview \($0)" } ?? "") in the queue); "
                    + "`fuq status --all` lists every one.")
                return
            }
            var finished = filter
            finished.includeFinished = true
            let hidden = all ? 0 : try listing.count(finished)
            if let interviewID {
                say(hidden > 0 ? "Nothing waiting in interview \(interviewID). \(hidden) finished message(s) hidden; `fuq status --all --interview \(interviewID)` shows them."
                               : "Interview \(interviewID) has no messages.")
            } else {
                say(hidden > 0 ? "Nothing waiting. \(hidden) finished message(s) hidden; `fuq status --all` shows them."
                               : "The queue is empty. Queue notes with `fuq enqueue FILE`.")
            }
        }

        /// The "Needs you" block: each note (or problem) that waits on the user, with the
        /// command that acts on it; empty when nothing waits.
        static func needsYou(_ store: QueueStore, interview: String?, holder: DeliveryLock.Holder?) throws -> [(id: String, text: String)] {
            let waiting = try store.needsYou()
            var items: [(id: String, text: String)] = []
            if let holder, holder.isDaemon, let reason = holder.paused, !waiting.notes.contains(where: { $0.1 == .paused }) {
                items.append(("-", "fuq paused delivery: \(Display.safe(reason)). Fix it (\(Self.unbroken("`fuq doctor`"))), then \(Self.unbroken("`systemctl --user reload fuq`"))"))
            }
            for (m, kind) in waiting.notes where interview == nil || m.interviewId == interview {
                let notice = Notice.about(m, kind: kind, detail: m.lastError, interview: try store.interview(m.interviewId), at: m.updatedAt)
                items.append((m.id, "\(Display.safe(notice.summary)): \(Self.unbroken("`\(notice.action)`"))"))
            }
            for i in waiting.mailbox where interview == nil || i.id == interview {
                items.append((i.id, "fuq cannot read your mailbox for \(Display.safe(i.company)) (\(Display.safe(i.mailboxNote ?? ""))): \(Self.unbroken("`fuq doctor`"))"))
            }
            return items
        }

        /// A command kept on one line when the block wraps (spaces that `TextWidth.wrap` does not
        /// break at; turned back into spaces when written), so it can be copied whole.
        static func unbroken(_ command: String) -> String { command.replacingOccurrences(of: " ", with: "\u{A0}") }

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

        /// One message as the table shows it (every text already safe to print).
        struct Row {
            var id: String
            var to: String
            var state: String
            var color: Terminal.Color?
            /// Due time with the zone, without it, and date and time only.
            var dueFull: String
            var dueNoZone: String
            var dueShort: String
            var interview: String
            var subject: String
            var why = ""

            func due(_ form: DueForm) -> String {
                switch form {
                case .full: return dueFull
                case .noZone: return dueNoZone
                case .short: return dueShort
                }
            }

            /// The row as the spool keeps it, and back.
            var fields: [String] { [id, to, state, color?.rawValue ?? "", dueFull, dueNoZone, dueShort, interview, subject, why] }

            init(fields: [String]) {
                (id, to, state, color) = (fields[0], fields[1], fields[2], Terminal.Color(rawValue: fields[3]))
                (dueFull, dueNoZone, dueShort) = (fields[4], fields[5], fields[6])
                (interview, subject, why) = (fields[7], fields[8], fields[9])
            }

            /// - Parameter why: build the reason line too.
            init(_ m: MessageSummary, now: Date, interrupted: Bool, why withWhy: Bool) {
                id = Display.safe(m.id)
                to = Display.safe(m.recipientEmail) + (m.isFollowUp ? (m.nudge > 1 ? " (follow-up 2)" : " (follow-up)") : "")
                state = interrupted ? "interrupted" : m.state.rawValue
                switch m.state {
                case .sent: color = .green
                case .failed, .held, .bounced: color = .red
                case .uncertain, .deferred, .expired: color = .yellow
                case .sending: color = interrupted ? .yellow : nil
                case .scheduled, .cancelled: color = nil
                }
                // A sent note shows when it went (its state says so), a waiting one when it is due.
                let sentAt = m.state == .sent ? m.sentAt : nil
                if sentAt != nil || MessageState.deliverable.contains(m.state) || m.state == .sending {
                    let when = sentAt ?? m.due
                    let moment = Display.moment(when, zone: Display.userZone, now: now).dropFirst(4)  // "24 Nov 18:23 EST"
                    let noZone = moment[..<(moment.lastIndex(of: " ") ?? moment.endIndex)]  // "24 Nov 18:23"
                    let relative = Display.relative(when, now: now)
                    dueFull = "\(moment) \(relative)"
                    dueNoZone = "\(noZone) \(relative)"
                    dueShort = String(noZone)
                } else {
                    // Held, failed, expired, uncertain: it waits for the user, not for a time.
                    let waitsForNote = m.isFollowUp && (m.lastError ?? "").hasPrefix(QueueStore.waitsForParent)
                    let text = m.state == .cancelled ? "—" : waitsForNote ? "after its note" : "waits for you"
                    (dueFull, dueNoZone, dueShort) = (text, text, text)
                }
                interview = Display.safe(m.interviewId)
                subject = Display.safe(m.subject)
                guard withWhy else { return }
                // The advice names this note, ready to copy ("`fuq retry ID`" → "`fuq retry k7m2q`").
                var advice: String { m.state.advice.replacingOccurrences(of: " ID", with: " \(m.id)") }
                switch m.state {
                case .scheduled: why = m.reason
                case .sent: why = "accepted: " + (m.serverReply ?? "")
                case .deferred: why = "will retry: " + (m.lastError ?? "")
                case .held where m.isFollowUp && m.lastError != nil:
                    // The follow-up's reason already says what to do.
                    why = m.lastError ?? ""
                case .cancelled where !m.reason.isEmpty && m.isFollowUp:
                    why = m.reason
                case .failed, .held, .uncertain, .expired, .bounced:
                    why = m.lastError.map { $0 + " — " + advice } ?? advice
                case .sending where interrupted:
                    why = "interrupted while sending: the fuq that was sending it stopped, and none is running now. "
                        + "The next `fuq flush` or daemon start marks it uncertain (never resent on its own)."
                default: why = advice
                }
            }
        }

        /// The widest cell of each column over every row (headers included), measured as the
        /// rows are built.
        struct Widths {
            var count = 0
            var id = TextWidth.of("ID")
            var state = TextWidth.of("STATE")
            var to = TextWidth.of("TO")
            var interview = TextWidth.of("INTERVIEW")
            var subject = TextWidth.of("SUBJECT")
            var dueFull = TextWidth.of("DUE (your time)")
            var dueNoZone = TextWidth.of("DUE (your time)")
            var dueShort = TextWidth.of("DUE")

            mutating func add(_ row: Row) {
                count += 1
                id = max(id, TextWidth.of(row.id))
                state = max(state, TextWidth.of(row.state))
                to = max(to, TextWidth.of(row.to))
                interview = max(interview, TextWidth.of(row.interview))
                subject = max(subject, TextWidth.of(row.subject))
                dueFull = max(dueFull, TextWidth.of(row.dueFull))
                dueNoZone = max(dueNoZone, TextWidth.of(row.dueNoZone))
                dueShort = max(dueShort, TextWidth.of(row.dueShort))
            }

            func due(_ form: DueForm) -> Int {
                switch form {
                case .full: return dueFull
                case .noZone: return dueNoZone
                case .short: return dueShort
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
            static func choose(_ widths: Widths, width: Int, showInterview: Bool) -> Layout {
                // Each column's widest cell and a 2-column gap.
                let id = widths.id + 2
                let state = widths.state + 2
                let toNatural = widths.to + 2
                let interviewNatural = showInterview ? widths.interview + 2 : 0
                let subjectNatural = widths.subject + 2
                func due(_ form: DueForm) -> Int { widths.due(form) + 2 }
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

            /// The cells in the order shown (a column of width 0 is left out); only the state is coloured.
            private func cells(id: String, to: String, state: String, due: String, interview: String, subject: String,
                               color: Terminal.Color?) -> [(width: Int, text: String, color: Terminal.Color?)] {
                [(self.id, id, nil), (self.to, to, nil), (self.state, state, color), (self.due, due, nil),
                 (self.interview, interview, nil), (self.subject, subject, nil)].filter { $0.width > 0 }
            }

            func header() -> String {
                render(cells(id: "ID", to: "TO", state: "STATE", due: dueForm == .short ? "DUE" : "DUE (your time)", interview: "INTERVIEW",
                             subject: "SUBJECT", color: nil))
            }

            func line(_ row: Row, terminal: Terminal) -> String {
                render(cells(id: row.id, to: row.to, state: row.state, due: row.due(dueForm), interview: row.interview, subject: row.subject,
                             color: row.color), terminal: terminal)
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
