import ArgumentParser
import Foundation
import FuqCore

extension Fuq {
    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change one queued note: its words in your editor, or its recipient.",
            discussion: """
                Opens the note (Subject and body) in $VISUAL or $EDITOR, like `git commit`. When you \
                save and quit, every proofreading check runs again and the note is stored in one \
                transaction, keeping its id, due time and Message-ID. An unchanged file changes \
                nothing (exit 0); an emptied file abandons the edit (exit 65). Without a terminal \
                (a script, cron), give the new text with --file FILE or --file - (standard input), \
                in the same form: `Subject: …`, a blank line, the body. With --to or --name the \
                recipient changes instead, without an editor. A note that fails a check is not \
                stored; your text is kept in a file whose path is printed.
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Message id (or a unique prefix).") var id: String
        @Option(help: "Send it to this address instead.") var to: String?
        @Option(help: "The recipient's full name (the greeting follows it).") var name: String?
        @Option(name: .customLong("last-name"), help: "Their family name, when fuq cannot tell it from the name.") var lastName: String?
        @Option(help: "The whole greeting instead (\"Professor Okafor\").") var salutation: String?
        @Option(help: ArgumentHelp("The new text instead of an editor (- for standard input): `Subject: …`, a blank line, the body.",
                                   valueName: "file"))
        var file: String?

        func validate() throws {
            if file != nil && (to != nil || name != nil || lastName != nil || salutation != nil) {
                throw ValidationError("--file replaces the note's words; --to, --name, --last-name and --salutation change its recipient. Give one or the other")
            }
            if let to, let problem = EmailAddress.problem(with: to) {
                throw ValidationError("--to \(to): \(problem)")
            }
            for (flag, value) in [("--last-name", lastName), ("--salutation", salutation)] {
                guard let value else { continue }
                if value.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("\(flag) is empty") }
                if let problem = TextSafety.problem(in: value) { throw ValidationError("\(flag): \(problem)") }
                if value.count > 100 { throw ValidationError("\(flag) is \(value.count) characters long; at most 100") }
            }
            if let name {
                if name.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--name is empty") }
                if let problem = TextSafety.problem(in: name) { throw ValidationError("--name: \(problem)") }
                if name.count > 100 { throw ValidationError("--name is \(name.count) characters long; at most 100") }
            }
        }

        func run() async throws {
            try reportingErrors {
                let config = try global.loadConfig()
                let store = try global.openQueue(config)
                let original = try store.message(id)
                if original.isFollowUp && (to != nil || name != nil || lastName != nil || salutation != nil) {
                    throw QueueError.invalidTransition(id: original.id, from: original.state, action: "re-address",
                        advice: "A follow-up goes to the person its thank-you went to, in the same thread; change the thank-you's address instead "
                            + "(before it is sent), or cancel this follow-up (`fuq cancel \(original.id)`). Its words can be edited with `fuq edit \(original.id)`.")
                }
                guard MessageState.editable.contains(original.state) else {
                    let advice: String
                    switch original.state {
                    case .sending: advice = "It is being sent right now."
                    case .sent, .cancelled, .uncertain: advice = "Only a note that has not gone out can be changed; queue a new one with `fuq enqueue` (add --also if the first one went out)."
                    default: advice = original.state.nextStep(for: original.id)
                    }
                    throw QueueError.invalidTransition(id: original.id, from: original.state, action: "edit", advice: advice)
                }
                guard var context = original.decodedContext else {
                    throw QueueError.damaged(id: original.id, reason: "its stored context cannot be read")
                }
                var edited = original
                var draft: URL?
                if to != nil || name != nil || lastName != nil || salutation != nil {
                    let before = context.interviewer
                    if let to { context.interviewer.email = to; edited.recipientEmail = to }
                    if let name {
                        let name = name.trimmingCharacters(in: .whitespaces)
                        let panel = try store.messages(interview: original.interviewId).filter { $0.id != original.id }
                        if let other = panel.first(where: { $0.recipientName.lowercased() == name.lowercased() }) {
                            throw QueueError.invalidTransition(id: original.id, from: original.state, action: "rename",
                                                               advice: "\(name) is another interviewer of this interview (\(other.id)); each note goes to its own person.")
                        }
                        context.interviewer.name = name
                        edited.recipientName = name
                        // A new person: what was given for the old name no longer applies.
                        context.interviewer.lastName = nil
                        context.interviewer.salutation = nil
                    }
                    if let lastName { context.interviewer.lastName = lastName.trimmingCharacters(in: .whitespaces) }
                    if let salutation { context.interviewer.salutation = salutation.trimmingCharacters(in: .whitespaces) }
                    if let why = context.interviewer.interviewer.greetingProblem {
                        throw InterviewError.invalid(YAMLProblem(file: "command line", line: nil, key: "--name",
                            problem: "fuq cannot tell the family name in \"\(context.interviewer.name)\": \(why). Nothing was changed; "
                                + "add --last-name \"…\" (or --salutation \"…\" for the whole greeting)"))
                    }
                    edited.context = String(decoding: try JSONEncoder.fuq.encode(context), as: UTF8.self)
                    // An edited note has the greeting written out: it follows the new name too.
                    edited.template = NoteEditing.renamed(edited.template, from: before, to: context.interviewer)
                } else if let file {
                    guard let template = try editedFromFile(original, file: file) else { return }
                    edited.template = template
                } else {
                    guard let (template, file) = try editInEditor(original) else { return }
                    edited.template = template
                    draft = file
                }
                do {
                    try storeEdit(edited, original: original, context: context, config: config, store: store)
                    if let draft { try? FileManager.default.removeItem(at: draft.deletingLastPathComponent()) }
                } catch {
                    if let draft {
                        FileHandle.standardError.write(Data("fuq: your edited text is kept in \(draft.path) (fix it, then run `fuq edit \(original.id)` again and copy it in)\n".utf8))
                    }
                    throw error
                }
            }
        }

        func storeEdit(_ edited: MessageRecord, original: MessageRecord, context: MessageContext, config: FuqConfig, store: QueueStore) throws {
                var edited = edited
                let rendered: (subject: String, body: String)
                do {
                    rendered = try MessageTemplate(name: edited.templateName, source: edited.template)
                        .render(context.templateValues(sendDate: edited.due))
                } catch let error as TemplateError {
                    throw NoteEditing.EditError.malformed(error.errorDescription ?? "\(error)")
                }
                edited.apply(rendered: rendered)
                try check(edited, original: original, context: context, config: config, store: store)
                let stored: MessageRecord
                do { stored = try store.replaceContent(of: original, with: edited, now: Date()) } catch { throw Self.explain(error) }
                let when = stored.state == .scheduled || stored.state == .deferred
                    ? "still due \(Display.dueBoth(stored.due, recipientZone: stored.zone, now: Date()))"
                    : "still \(stored.state.rawValue): \(stored.state.advice.replacingOccurrences(of: #"(?<!-)\bID\b"#, with: stored.id, options: .regularExpression))"
                print("Stored \(stored.id) to \(Display.safe(stored.recipientName)) <\(stored.recipientEmail)>; \(when). `fuq show \(stored.id)` shows it.")
        }

        /// Runs the same checks as `fuq enqueue`; errors refuse.
        func check(_ edited: MessageRecord, original: MessageRecord, context: MessageContext, config: FuqConfig, store: QueueStore) throws {
            let panelMessages = try store.messages(interview: original.interviewId).filter { $0.id != original.id && $0.state != .cancelled }
            let neighbours = panelMessages.compactMap { m in
                m.decodedContext.map { NoteProofing.Draft(context: $0, subject: m.subject, body: m.body, recipientEmail: m.recipientEmail,
                                                          messageID: m.messageId, template: nil, sendDate: m.due) }
            }
            let draft = NoteProofing.Draft(context: context, subject: edited.subject, body: edited.body, recipientEmail: edited.recipientEmail,
                                           messageID: edited.messageId, template: MessageTemplate(name: edited.templateName, source: edited.template),
                                           sendDate: edited.due)
            let findings = try NoteProofing.proofread([draft], neighbours: neighbours, config: config, personalWords: NoteProofing.personalWords())
            Display.printSpellingNotice(config)
            if findings.contains(where: { $0.severity == .error }) { throw EtiquetteError(findings: findings) }
            Display.printWarnings(findings)
        }

        /// `replaceContent` refuses a new address that already has a note; say it for `edit`.
        static func explain(_ error: Error) -> Error {
            guard case QueueError.duplicate(let existing, let recipient, let state, _, _) = error else { return error }
            return QueueError.addressTaken(existingID: existing, recipient: recipient, state: state)
        }

        /// The note's new text from `--file` (or standard input for `-`), read as from the editor;
        /// nil when unchanged.
        func editedFromFile(_ m: MessageRecord, file: String) throws -> String? {
            let original = try NoteEditing.editableText(m)
            let what = file == "-" ? "standard input (the edited note)" : "the edited note \(file)"
            let data: Data
            do {
                data = file == "-" ? try InputFile.read(fd: STDIN_FILENO) : try InputFile.data(atPath: file)
            } catch .tooLarge(let limit) {
                throw InputError.tooLarge(what: what, limit: limit)
            } catch {
                throw NoteEditing.EditError.malformed("cannot read \(what): \(error.reason)")
            }
            guard let text = String(validating: data, as: UTF8.self) else {
                throw NoteEditing.EditError.malformed("\(what) is not UTF-8 text")
            }
            guard let template = try NoteEditing.template(fromEdited: text, original: original) else {
                print("No change to \(m.id); nothing stored.")
                return nil
            }
            return template
        }

        /// Opens the note in the user's editor; returns the new template, or nil when unchanged.
        /// Without a terminal and without VISUAL or EDITOR it refuses (vi would wait forever).
        /// SIGTERM or SIGHUP while the editor runs end the editor, remove the draft and exit
        /// 143 / 129; Ctrl-C belongs to the editor (as with `git commit`).
        func editInEditor(_ m: MessageRecord) throws -> (String, URL)? {
            let environment = ProcessInfo.processInfo.environment
            let chosen = [environment["VISUAL"], environment["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty }
            if chosen == nil && isatty(STDIN_FILENO) != 1 {
                FileHandle.standardError.write(Data(("fuq: error: fuq edit opens an editor, but there is no terminal (standard input is not one) "
                    + "and neither VISUAL nor EDITOR is set; nothing changed. Give the new text with --file FILE, or pipe it in with --file -: "
                    + "a `Subject: …` line, a blank line, then the body (`fuq show \(m.id)` shows the note as it is).\n").utf8))
                throw ExitCode(Exit.usage)
            }
            let text = try NoteEditing.editableText(m)
            // A fresh private folder (mkdtemp: 0700, never one someone else made in advance).
            var template = Array((FileManager.default.temporaryDirectory.path + "/fuq-edit-\(m.id)-XXXXXX").utf8CString)
            guard let made = mkdtemp(&template) else {
                throw NoteEditing.EditError.malformed("cannot create a temporary folder for the draft: \(String(cString: strerror(errno)))")
            }
            let folder = URL(fileURLWithPath: String(cString: made), isDirectory: true)
            let file = folder.appendingPathComponent("\(m.id).txt")
            try text.write(to: file, atomically: true, encoding: .utf8)
            var keep = false
            defer { if !keep { try? FileManager.default.removeItem(at: folder) } }

            let editor = chosen ?? "vi"
            EditorSignals.install()
            defer { EditorSignals.restore() }
            // exec: the editor is the process fuq waits for (and stops, if fuq is stopped).
            let status: EditorSignals.Ending
            do { status = try EditorSignals.run(["/bin/sh", "-c", "exec \(editor) \"$1\"", "sh", file.path]) } catch {
                throw NoteEditing.EditError.malformed("the editor (\(editor)) could not be started: \(error)")
            }
            if EditorSignals.received != 0 {
                FileHandle.standardError.write(Data("fuq: stopped by a signal while the editor was open; the editor was closed, the draft removed, nothing changed.\n".utf8))
                throw ExitCode(128 + EditorSignals.received)
            }
            if case .signal(let sig) = status {
                FileHandle.standardError.write(Data("fuq: the editor (\(editor)) was stopped by signal \(sig); nothing changed.\n".utf8))
                throw ExitCode(128 + sig)
            }
            guard case .exit(let code) = status, code == 0 else {
                FileHandle.standardError.write(Data("fuq: the editor (\(editor)) exited with status \(status.code); nothing changed.\n".utf8))
                throw ExitCode(Exit.dataError)
            }
            let data: Data
            do { data = try InputFile.data(atPath: file.path) } catch .missing {
                throw NoteEditing.EditError.emptied
            } catch .tooLarge(let limit) {
                throw InputError.tooLarge(what: "the edited note \(file.path)", limit: limit)
            } catch {
                throw NoteEditing.EditError.malformed("the edited file \(file.path) cannot be read: \(error.reason)")
            }
            guard let edited = String(validating: data, as: UTF8.self) else {
                keep = true
                FileHandle.standardError.write(Data("fuq: your edited text is kept in \(file.path)\n".utf8))
                throw NoteEditing.EditError.malformed("the file is not UTF-8 text (set your editor to save UTF-8)")
            }
            do {
                let parsed: String?
                do { parsed = try NoteEditing.template(fromEdited: edited, original: text) } catch NoteEditing.EditError.malformed(let problem) {
                    keep = true
                    FileHandle.standardError.write(Data("fuq: your edited text is kept in \(file.path) (fix it, then run `fuq edit \(m.id)` again and copy it in)\n".utf8))
                    throw NoteEditing.EditError.malformed(problem)
                }
                guard let template = parsed else {
                    print("No change to \(m.id); nothing stored.")
                    return nil
                }
                // If a check refuses it, the words are not lost (the caller removes the file once stored).
                keep = true
                return (template, file)
            }
        }
    }
}
