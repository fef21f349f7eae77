import ArgumentParser
import Foundation
import FuqCore

extension Fuq {
    struct Enqueue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue one thank-you note per interviewer.",
            discussion: """
                Reads an interview file (YAML; `-` reads standard input), or the one-interviewer flags. \
                Each note is scheduled by the send-window policy in the recipient's time zone; --at \
                overrides it (never in the past). Everything is queued in one transaction, or nothing.
                """
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: ArgumentHelp("Interview file, or - for standard input.", valueName: "file"))
        var file: String?

        @OptionGroup(title: "One interviewer, without a file") var interviewFlags: InterviewFlagOptions

        @Option(help: ArgumentHelp("Send at this time instead: RFC 3339, YYYY-MM-DDTHH:MM (recipient's zone), now, +90s, +2h.", valueName: "time"))
        var at: String?

        @Flag(name: .customLong("dry-run"), help: "Show what would be queued, with the rendered notes; store nothing.")
        var dryRun = false

        @Flag(help: "Print the queued messages as JSON.") var json = false

        @Flag(help: "If a thank-you to one of these addresses is already waiting, cancel it and queue this one instead (one transaction).")
        var replace = false

        @Flag(help: "Queue this note even though one to the same address is waiting or was sent in the last 14 days (a deliberate second note).")
        var also = false

        var flags: InterviewFlags { interviewFlags.flags }

        func validate() throws {
            if replace && also { throw ValidationError("--replace and --also contradict each other; choose one") }
            if file != nil && !flags.isEmpty {
                throw ValidationError("give either an interview file or the --to/--name/… flags, not both"
                    + " (with a file, write `decision_by:`, `nudges:` or `follow_up: false` in it instead of --decision-by, --nudges, --no-follow-up)")
            }
            if file == nil && flags.isEmpty {
                throw ValidationError("give an interview file (see Config/examples/interview.yaml), - for standard input, or --to, --name, --honorific, --company, --position, --ended, --topic")
            }
        }

        func run() async throws {
            try reportingErrors {
                let config = try global.loadConfig()
                let (interview, source) = try readInterview()
                InterviewInput.printNotes(interview, source: source)
                let template = try MessageTemplate.load("thank-you", directory: config.templatesDir)
                let now = Date()
                let store = dryRun ? nil : try global.openQueue(config)
                var issued = Set<String>()
                var planner = EnqueuePlanner(config: config, template: template, now: now) { prefix in
                    let id = try store?.unusedID(length: prefix.isEmpty ? 5 : 4, prefix: prefix, existing: issued)
                        ?? prefix + ShortID.random(length: prefix.isEmpty ? 5 : 4)
                    issued.insert(id)
                    return id
                }
                planner.personalWords = NoteProofing.personalWords()
                planner.followUpTemplate = try MessageTemplate.loadOrBuiltIn(MessageRecord.followUpKind, directory: config.templatesDir)
                defer { Display.printSpellingNotice(config) }
                let plan = try planner.plan(interview, at: at, source: source)
                Display.printWarnings(plan.warnings)
                for m in plan.thankYous where m.reason.hasPrefix(SendWindowPolicy.movedLatePrefix) {
                    FileHandle.standardError.write(Data(("fuq: warning: the note to \(Display.safe(m.recipientName)) <\(Display.safe(m.recipientEmail))> "
                        + "(\(m.recipientZone)) is past the usual deadline on their clock; it goes at their next sensible time, "
                        + "\(Display.moment(m.due, zone: m.zone, now: now)). The others keep their times. "
                        + "To choose its time yourself, `fuq reschedule \(dryRun ? "ID" : m.id) --at …`\(dryRun ? " once it is queued" : ""), "
                        + "or `fuq cancel \(dryRun ? "ID" : m.id)`.\n").utf8))
                }
                if dryRun, !also, FileManager.default.fileExists(atPath: config.queuePath) {
                    // What the real run would refuse or replace, said now.
                    let existing = try QueueStore(path: config.queuePath, readOnly: true)
                    for same in try existing.duplicates(of: plan.messages, policy: replace ? .replace : .refuse, now: now) {
                        print("Would cancel \(same.id) to \(Display.safe(same.recipientEmail)) (--replace).")
                    }
                }
                let replaced = try store?.enqueue(plan.interview, messages: plan.messages,
                                                  duplicates: replace ? .replace : also ? .also : .refuse, now: now) ?? []
                for m in replaced {
                    FileHandle.standardError.write(Data("fuq: cancelled \(m.id) to \(Display.safe(m.recipientEmail)): \(Display.safe(m.reason))\n".utf8))
                }
                if json {
                    printJSON(plan.messages.map { dryRun ? MessageJSON.planned($0) : MessageJSON.object($0, attempts: []) })
                } else {
                    printPlan(plan, now: now)
                }
            }
        }

        func readInterview() throws -> (Interview, String) {
            guard let file else { return (try flags.interview(), "flags") }
            return try InterviewInput.read(file)
        }

        /// The note's greeting line ("Dear Ms. de la Cruz,"): its first line that is not empty.
        static func greeting(_ body: String) -> String {
            body.split(separator: "\n").first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map(String.init) ?? ""
        }

        func printFollowUp(_ message: MessageRecord, now: Date) {
            print("")
            let what = message.nudge > 1 ? "One more note" : "Follow-up"
            print("  \(what) to \(Display.safe(message.recipientName)) <\(Display.safe(message.recipientEmail))>, only if nobody has answered by then:")
            print("  \(dryRun ? "-----" : message.id)  subject \(Display.safe(message.subject))")
            print("         due   \(Display.dueBoth(message.due, recipientZone: message.zone, now: now))")
            print("         why   \(Display.safe(message.reason))")
            if dryRun {
                for line in message.body.split(separator: "\n", omittingEmptySubsequences: false) {
                    print("         | \(line)")
                }
            }
        }

        func printPlan(_ plan: EnqueuePlan, now: Date) {
            let count = plan.thankYous.count
            let noun = count == 1 ? "note" : "notes"
            let head = dryRun ? "Dry run — would queue" : "Queued"
            // A dry run stores nothing, so it has no ids to show (they would never exist).
            let interview = dryRun ? "" : " (interview \(plan.interview.id))"
            print("\(head) \(count) thank-you \(noun) for \(plan.interview.company), \(plan.interview.position)\(interview):")
            for message in plan.messages {
                if message.isFollowUp {
                    printFollowUp(message, now: now)
                    continue
                }
                print("")
                print("  \(dryRun ? "-----" : message.id)  \(message.recipientName) <\(message.recipientEmail)>")
                print("         greets \(Display.safe(Self.greeting(message.body)))")
                print("         due   \(Display.dueBoth(message.due, recipientZone: message.zone, now: now))")
                print("         why   \(message.reason)")
                if dryRun {
                    print("         subject: \(message.subject)")
                    for line in message.body.split(separator: "\n", omittingEmptySubsequences: false) {
                        print("         | \(line)")
                    }
                }
            }
            if !dryRun {
                print("")
                print("See them with `fuq status`; `fuq show ID` shows a note in full.")
                if !plan.followUps.isEmpty {
                    print("A follow-up never goes out once they have replied: `fuq replied \(plan.interview.id)` cancels it; "
                        + "with `imap` configured fuq also notices a reply itself, and without it asks for your go-ahead (`fuq confirm ID`).")
                }
            }
        }
    }
}
