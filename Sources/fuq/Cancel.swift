import ArgumentParser
import Foundation
import FuqCore

extension Fuq {
    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel messages so they are never sent.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Message ids (or unique prefixes).") var ids: [String] = []
        @Option(help: ArgumentHelp("Cancel every unsent message of this interview (its id or a unique prefix; `fuq status --all` shows them).",
                                   valueName: "id"))
        var interview: String?

        func validate() throws {
            if ids.isEmpty == (interview == nil) {
                throw ValidationError("give message ids, or --interview ID, but not both")
            }
            if let interview, interview.trimmingCharacters(in: .whitespaces).count < 2 {
                throw ValidationError("--interview needs at least 2 characters of an interview id (`fuq status --all` shows them)")
            }
        }

        func run() async throws {
            try reportingErrors {
                let store = try global.openQueue(try global.loadConfig())
                // Every id is checked first; a damaged row (unreadable dates, written by hand)
                // can only be removed.
                var messages: [MessageRecord] = []
                var damaged: [String] = []
                for id in ids {
                    do { messages.append(try store.message(id)) } catch QueueError.damaged(let bad, _) { damaged.append(bad) }
                }
                let now = Date()
                for id in damaged {
                    print("Removed \(try store.removeDamaged(id)), which could not be read back.")
                }
                if let given = interview {
                    let interview = try store.interviewID(given)
                    let cancelled = try store.cancel(interview: interview, now: now)
                    print(cancelled.isEmpty ? "Nothing to cancel in \(interview): every message is already sent or cancelled."
                                            : "Cancelled \(cancelled.count) message(s) of \(interview): \(cancelled.map(\.id).joined(separator: ", ")).")
                    return
                }
                for m in messages {
                    try store.update(m.id, to: .cancelled, action: "cancel", now: now)
                    print("Cancelled \(m.id) to \(Display.safe(m.recipientName)) <\(Display.safe(m.recipientEmail))>.")
                    // Its follow-ups go with it (they would follow a note that never went out).
                    for f in try store.messages(interview: m.interviewId)
                    where f.isFollowUp && f.state == .cancelled && f.id != m.id && f.reason.hasSuffix("\(m.id) was cancelled") {
                        print("Cancelled \(f.id), the follow-up to \(Display.safe(f.recipientName)) that waited for it.")
                    }
                }
            }
        }
    }

    struct Reschedule: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move a message to a time you choose.",
            discussion: "TIME: RFC 3339, YYYY-MM-DDTHH:MM (in the recipient's zone), now, +90s, +30m, +2h. Never in the past.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Message id (or a unique prefix).") var id: String
        @Option(help: ArgumentHelp("The new send time.", valueName: "time")) var at: String

        func run() async throws {
            try reportingErrors {
                let config = try global.loadConfig()
                let store = try global.openQueue(config)
                let now = Date()
                let m = try store.message(id)
                let context = m.decodedContext
                let when = try AtTime.parse(at, zone: m.zone, now: now, interviewEnd: context?.interviewEnd)
                let schedule = config.policy.scheduleExplicit(at: when, zone: m.zone, interviewEnd: context?.interviewEnd ?? when, atText: at)
                let updated = try store.update(m.id, to: .scheduled, action: "reschedule", now: now) { message in
                    message.due = schedule.due
                    message.latest = schedule.latest
                    message.reason = schedule.reason
                    message.lastError = nil
                }
                print("Rescheduled \(updated.id) to \(Display.safe(updated.recipientName)): \(Display.dueBoth(updated.due, recipientZone: updated.zone, now: now)).")
                // Its follow-ups' plans move with it (never shown due before the note they follow).
                try store.replanFollowUps(of: updated.id, policy: config.policy, now: now)
            }
        }
    }
}
