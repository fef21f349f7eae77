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
                print("Message \(m.id) — \(interrupted ? "interrupted while sending" : m.state.rawValue)\(m.isLead ? " (lead interviewer)" : "")")
                print("  interview  \(m.interviewId)")
                print("  to         \(Display.safe(m.recipientName)) <\(Display.safe(m.recipientEmail))>")
                print("  due        \(Display.dueBoth(m.due, recipientZone: m.zone, now: now))")
                print("  latest     \(Display.moment(m.latest, zone: m.zone)) (\(Display.relative(m.latest, now: now)))")
                print("  why        \(Display.wrap(Display.safe(m.reason), width: 86, indent: "             "))")
                if let error = m.lastError { print("  last error \(Display.safe(error))") }
                if let sent = m.sentAt { print("  sent       \(Display.moment(sent, zone: m.zone)): \(Display.safe(m.serverReply ?? ""))") }
                let advice = interrupted
                    ? "the fuq sending it stopped; the next `fuq flush` or daemon start marks it uncertain (never resent on its own)"
                    : m.state.advice.replacingOccurrences(of: "ID", with: m.id)
                print("  next step  \(advice)")
                print("")
                print("  Attempts: \(attempts.isEmpty ? "none yet" : "")")
                for a in attempts {
                    let code = a.smtpCode.map { " \($0)" } ?? ""
                    print("    \(Display.moment(a.startedAt, zone: Display.userZone))  \(Display.safe(a.outcome))\(code)  \(Display.safe(a.serverText ?? ""))")
                }
                print("")
                print("  The email (the Date header and \"today\"/\"yesterday\" are set when it is sent):")
                print("  ------------------------------------------------------------------------")
                print("  Message-ID: \(m.messageId)")
                print("  To: \(Display.safe(m.recipientName)) <\(Display.safe(m.recipientEmail))>")
                print("  Subject: \(Display.safe(m.subject))")
                print("")
                for line in m.body.split(separator: "\n", omittingEmptySubsequences: false) { print("  \(Display.safe(String(line)))") }
            }
        }
    }
}
