import ArgumentParser
import Foundation
import FuqCore

extension Fuq {
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Proofread every note an interview file would produce, without queueing.",
            discussion: """
                The same checks `fuq enqueue` and `fuq edit` run: spelling (hunspell, sender.language), \
                grammar slips, placeholders, names, tone and form. Each finding names the recipient, \
                line:column in the note as `fuq edit` shows it (line 1 is the Subject), error or warning, \
                and a rule id. Errors refuse a note at enqueue; warnings do not. Accept one on purpose: \
                a word with --learn WORD (your personal dictionary, $XDG_CONFIG_HOME/fuq/words), a rule \
                with `allow: [RULE]` in the file or under one interviewer. Exit 0 without errors, 65 with.
                """
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: ArgumentHelp("Interview file, or - for standard input.", valueName: "file"))
        var file: String?

        @OptionGroup(title: "One interviewer, without a file") var interviewFlags: InterviewFlagOptions

        @Option(help: ArgumentHelp("Add WORD to your personal dictionary (then check FILE, if given).", valueName: "word"))
        var learn: String?

        @Flag(help: "Print the findings as a JSON array.") var json = false

        func validate() throws {
            if file != nil && !interviewFlags.flags.isEmpty {
                throw ValidationError("give either an interview file or the --to/--name/… flags, not both")
            }
            if file == nil && learn == nil && interviewFlags.flags.isEmpty {
                throw ValidationError("give an interview file to check (see Config/examples/interview.yaml), - for standard input, the --to/--name/… flags as for enqueue, or --learn WORD")
            }
        }

        func run() async throws {
            try reportingErrors {
                if let learn {
                    let path = FuqConfig.personalDictionaryPath()
                    let added = try NoteProofing.learn(learn, path: path)
                    FileHandle.standardError.write(Data("fuq: \(added ? "added" : "already had") \(learn) \(added ? "to" : "in") \(path)\n".utf8))
                }
                if file == nil && interviewFlags.flags.isEmpty { return }
                let config = try global.loadConfig()
                let (interview, source) = try file.map { try InterviewInput.read($0) } ?? (try interviewFlags.flags.interview(), "flags")
                InterviewInput.printNotes(interview, source: source)
                let template = try MessageTemplate.load("thank-you", directory: config.templatesDir)
                let findings = try Self.findings(interview, config: config, template: template)
                Display.printSpellingNotice(config)
                if json {
                    printJSON(findings.map { f -> [String: Any] in
                        ["recipient": f.recipient, "severity": f.severity.rawValue, "rule": f.rule, "message": f.message,
                         "excerpt": f.excerpt, "line": f.line, "column": f.column, "suggestions": f.suggestions]
                    })
                } else {
                    Self.printFindings(findings, source: source == "-" ? "<stdin>" : source, interview: interview)
                }
                if findings.contains(where: { $0.severity == .error }) { throw ExitCode(Exit.dataError) }
            }
        }

        /// Renders each note as it would read on the day after the interview's minimum delay, and proofreads it.
        static func findings(_ interview: Interview, config: FuqConfig, template: MessageTemplate) throws -> [ProofFinding] {
            let sendDate = interview.end.addingTimeInterval(config.policy.minDelay)
            let drafts = try interview.interviewers.map { person in
                let context = MessageContext(sender: config.sender, interview: interview, interviewer: person)
                let output = try template.render(context.templateValues(sendDate: sendDate))
                return NoteProofing.Draft(context: context, subject: output.subject, body: output.body, recipientEmail: person.email,
                                          messageID: "<x@\(EmailAddress.domain(of: config.sender.email ?? "a@example.com"))>",
                                          template: template, sendDate: sendDate)
            }
            return try NoteProofing.proofread(drafts, config: config, personalWords: NoteProofing.personalWords())
        }

        static func printFindings(_ findings: [ProofFinding], source: String, interview: Interview) {
            let errors = findings.filter { $0.severity == .error }.count
            let warnings = findings.count - errors
            for person in interview.interviewers {
                let mine = findings.filter { $0.recipient == person.name }
                guard !mine.isEmpty else { continue }
                print("\(Display.safe(source)): note to \(Display.safe(person.name)) <\(Display.safe(person.email))>")
                for f in mine {
                    let place = f.line > 0 ? "\(f.line):\(f.column): " : ""
                    print("  \(place)\(f.severity.rawValue)[\(f.rule)]: \(Display.safe(f.message))")
                }
            }
            let notes = interview.interviewers.count
            if findings.isEmpty {
                print("\(Display.safe(source)): \(notes) \(notes == 1 ? "note" : "notes"), no findings.")
            } else {
                print("\(errors) \(errors == 1 ? "error" : "errors"), \(warnings) \(warnings == 1 ? "warning" : "warnings") in \(notes) \(notes == 1 ? "note" : "notes")."
                    + (errors > 0 ? " Errors stop `fuq enqueue`; fix the text, `fuq check --learn WORD`, or `allow: [RULE]`." : ""))
            }
        }
    }
}
