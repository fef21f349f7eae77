import ArgumentParser
import Foundation
import FuqCore

extension Fuq {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Everything about one message: the email, its schedule reasoning, its attempts.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Message id (or a unique prefix).") var id: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try reportingErrors {
                let config = try global.loadConfig()
                let store = try global.openQueue(config, readOnly: true)
                let m = try store.message(id)
                let attempts = try store.attempts(for: m.id)
                if json {
                    printJSON(MessageJSON.full(m, attempts: attempts, sender: config.sender, now: Date()))
                    return
                }
                let now = Date()
                let interrupted = m.state == .sending && DeliveryLock.currentHolder(queuePath: config.queuePath) == nil
                let kind = m.isFollowUp ? (m.nudge > 1 ? " (one more follow-up)" : " (follow-up)") : m.isLead ? " (lead interviewer)" : ""
                print("Message \(m.id) — \(interrupted ? "interrupted while sending" : m.state.rawValue)\(kind)")
                print("  interview  \(m.interviewId)")
                print("  to         \(Display.safe(m.recipientName)) <\(Display.safe(m.recipientEmail))>")
                print("  due        \(Self.column(Display.dueBoth(m.due, recipientZone: m.zone, now: now)))")
                print("  latest     \(Display.moment(m.latest, zone: m.zone)) (\(Display.relative(m.latest, now: now)))")
                print("  why        \(Self.column(Display.safe(m.reason)))")
                if let days = config.policy.holidays.describe(zone: m.zone) { print("  holidays   \(Self.column(days))") }
                if m.isFollowUp { for line in Self.followUpLines(m, config: config) { print(line) } }
                if let error = m.lastError { print("  last error \(Self.column(Display.safe(error)))") }
                if let sent = m.sentAt { print("  sent       \(Self.column(Display.moment(sent, zone: m.zone) + ": " + Display.safe(m.serverReply ?? "")))") }
                let waitsForYou = m.isFollowUp && m.state == .scheduled && config.imap == nil && !FollowUpGate.hasGoAhead(m, config: config)
                let advice = interrupted
                    ? "the fuq sending it stopped; the next `fuq flush` or daemon start marks it uncertain (never resent on its own)"
                    : waitsForYou ? "at its due time it waits for you: `fuq confirm \(m.id)` if nobody has answered by then, "
                        + "`fuq replied \(m.interviewId)` if they have"
                    : m.isFollowUp && [.held, .cancelled].contains(m.state) ? FollowUpAdvice.nextStep(m)
                    : m.state.advice.replacingOccurrences(of: #"(?<!-)\bID\b"#, with: m.id, options: .regularExpression)
                print("  next step  \(Self.column(advice))")
                print("")
                print("  Attempts: \(attempts.isEmpty ? "none yet" : "")")
                for a in attempts {
                    let code = a.smtpCode.map { " \($0)" } ?? ""
                    print("    \(Display.moment(a.startedAt, zone: Display.userZone))  \(Display.safe(a.outcome))\(code)  \(Display.safe(a.serverText ?? ""))")
                }
                print("")
                print("  The email (the Date header and \"today\"/\"yesterday\" are set when it is sent):")
                print("  ------------------------------------------------------------------------")
                print("  Message-ID: \(Display.safe(m.messageId))")
                print("  To: \(Display.safe(m.recipientName)) <\(Display.safe(m.recipientEmail))>")
                print("  Subject: \(Display.safe(m.subject))")
                if let parent = m.referenceIDs.last {
                    print("  In-Reply-To: \(Display.safe(parent))")
                    print("  References: \(Display.safe(m.referenceIDs.joined(separator: " ")))")
                }
                print("")
                for line in m.body.split(separator: "\n", omittingEmptySubsequences: false) { print("  \(Display.safe(String(line)))") }
            }
        }

        /// A value after its 13-column label, wrapped so the line fits 80 columns.
        static func column(_ text: String) -> String {
            Display.wrap(text, width: 66, indent: String(repeating: " ", count: 13))
        }

        /// What a follow-up waits for: the note it follows, and whether it needs your go-ahead.
        static func followUpLines(_ m: MessageRecord, config: FuqConfig) -> [String] {
            var lines: [String] = []
            if let parent = m.inReplyTo {
                lines.append("  follows    " + column("\(Display.safe(parent)): goes only after that note has gone, and only if nobody has answered"))
            }
            let goAhead: String
            if let confirmed = m.confirmedAt {
                goAhead = "given \(Display.moment(confirmed, zone: Display.userZone)): it goes at its time (still not if they answer)"
            } else if config.imap != nil {
                goAhead = "not needed: fuq reads your mailbox before it goes (a colleague's mail holds it for `fuq confirm \(m.id)`)"
            } else if config.followUp.sendUnlessCancelled {
                goAhead = "not needed (follow_up.send_unless_cancelled); `fuq replied \(m.interviewId)` or `fuq cancel \(m.id)` if they answer"
            } else {
                goAhead = "needed: without imap: fuq cannot see replies"
            }
            lines.append("  go-ahead   " + column(goAhead))
            return lines
        }
    }
}
