import ArgumentParser
import Foundation
import FuqCore

extension Fuq {
    struct Replied: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record that they answered: every follow-up of that interview is cancelled.",
            discussion: """
                Give the interview's id, or the id of any of its notes (`fuq status --all` shows both). \
                With `imap` configured fuq notices most replies itself; this is for an answer by phone, \
                from another address, or before the next check.
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The interview id, or any of its notes' ids (or a unique prefix).", valueName: "interview-or-id"))
        var target: String
        @Option(help: ArgumentHelp("Who answered and how, for the record (shown by `fuq status`).", valueName: "text"))
        var note: String?

        func validate() throws {
            if let note, note.count > 300 || note.contains(where: \.isNewline) {
                throw ValidationError("--note is one line of at most 300 characters")
            }
        }

        func run() async throws {
            try reportingErrors {
                let store = try global.openQueue(try global.loadConfig())
                let interview = try store.interviewID(named: target)
                let now = Date()
                let text = AttentionKind.replyByUser + (note.map { ": " + TextSafety.printable($0) } ?? "")
                let cancelled = try store.recordReply(interview: interview, at: now, note: text, now: now)
                if cancelled.isEmpty {
                    print("Recorded that they replied to \(interview). No follow-up was waiting, so nothing was cancelled.")
                } else {
                    print("Recorded that they replied to \(interview); cancelled its follow-up\(cancelled.count == 1 ? "" : "s"): "
                        + cancelled.map { "\($0.id) to \(Display.safe($0.recipientName))" }.joined(separator: ", ") + ".")
                }
            }
        }
    }

    struct Confirm: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give a follow-up the go-ahead: it leaves at its time (or the reader's next business morning).",
            discussion: """
                Without `imap` in the config fuq cannot see a reply, so a due follow-up waits for this. \
                It also releases a follow-up held because someone else at the company wrote. \
                `fuq replied` instead cancels it.
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Follow-up ids (or unique prefixes).") var ids: [String]

        func run() async throws {
            try reportingErrors {
                let config = try global.loadConfig()
                let store = try global.openQueue(config)
                let now = Date()
                // Every id is checked first: a thank-you or a sent note fails the command before any change.
                let messages = try ids.map { try store.message($0) }
                for m in messages where !m.isFollowUp {
                    throw QueueError.invalidTransition(id: m.id, from: m.state, action: "confirm",
                                                       advice: "Only a follow-up waits for a go-ahead; a thank-you leaves at its due time on its own.")
                }
                for m in messages {
                    let confirmed = try store.confirmFollowUp(m.id, policy: config.policy, now: now)
                    let parent = try confirmed.inReplyTo.flatMap { try? store.message($0) }
                    if let parent, parent.state != .sent {
                        print("Confirmed \(confirmed.id) to \(Display.safe(confirmed.recipientName)) ahead of time: it goes once "
                            + "\(parent.isFollowUp ? "the first follow-up" : "the thank-you") \(parent.id) has gone and its week has passed, "
                            + "never if they answer (now \(parent.state.rawValue)).")
                    } else {
                        print("Confirmed \(confirmed.id) to \(Display.safe(confirmed.recipientName)): due \(Display.dueBoth(confirmed.due, recipientZone: confirmed.zone, now: now)).")
                    }
                }
            }
        }
    }
}
