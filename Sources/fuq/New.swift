import ArgumentParser
import Foundation
import FuqCore

extension Fuq {
    struct New: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draft an interview file from the calendar invitation (.ics, or the .eml that carries it).",
            discussion: """
                Reads the invitation with libical: the times and their zone (an IANA name, a Windows \
                zone name through CLDR, or the file's own VTIMEZONE), every interviewer with their \
                address (you, rooms, groups and those who declined left out; the chair is the lead; \
                the organizer is the recruiter), and guesses of the company and the position, marked \
                as guesses. Several files, or a loop of several events, make one interview. What only \
                you know — each interviewer's honorific and topic — is left as TODO, which `fuq check` \
                and `fuq enqueue` refuse until it is written. Nothing is queued. \
                Exit 0 written; 64 usage; 65 the invitation cannot be drafted (a cancellation, a \
                repeating event, long past or a year away, not iCalendar); 66 a file cannot be read; \
                73 -o names a file that exists (--force replaces it).
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The invitation(s): .ics files, .eml files, or - for standard input.", valueName: "invitation"))
        var files: [String]
        @Option(name: .shortAndLong, help: ArgumentHelp("Write the draft here instead of standard output.", valueName: "file"))
        var output: String?
        @Flag(help: "Replace the -o file if it exists.") var force = false

        func validate() throws {
            if files.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be given once") }
        }

        func run() async throws {
            try reportingErrors {
                let config = try global.loadConfig()
                var read: [InvitationFile] = []
                for file in files {
                    let (text, name) = try Self.text(of: file)
                    let calendar = InvitationMail.isMail(text) ? try InvitationMail.calendar(in: text, name: name) : text
                    read.append(try InvitationReader.read(calendar, name: name))
                }
                let me = Set(([config.sender.email] + config.sender.aliases).compactMap { $0?.lowercased() })
                let draft = try InvitationDraft.make(read, me: me, myName: config.sender.name, userZone: Display.userZone, now: Date())
                let text = draft.render()
                if let update = try Self.updateNote(draft, queuePath: config.queuePath) {
                    if update.unchanged, !force {
                        FileHandle.standardError.write(Data("\(update.text)\n".utf8))
                        return
                    }
                    FileHandle.standardError.write(Data("\(update.text)\n".utf8))
                }
                if let given = output {
                    let output = given.hasPrefix("/") ? given : FileManager.default.currentDirectoryPath + "/" + given
                    if !force, FileManager.default.fileExists(atPath: output) {
                        FileHandle.standardError.write(Data("fuq: error: \(TextSafety.printable(given)) exists; choose another name, or add --force to replace it\n".utf8))
                        throw ExitCode(Exit.cantCreate)
                    }
                    try ConfigFileWriter.write(text, to: output, replacing: force)
                    FileHandle.standardError.write(Data("Wrote \(given): \(draft.interviewers.count) interviewer(s), \(draft.todoCount) TODO(s) to fill; then `fuq check \(given)` and `fuq enqueue \(given)`.\n".utf8))
                } else {
                    print(text, terminator: "")
                    FileHandle.standardError.write(Data("\(draft.todoCount) TODO(s) to fill; save this as a file, then `fuq check FILE` and `fuq enqueue FILE`.\n".utf8))
                }
            }
        }

        /// When the invitation is one already queued: what changed and how to apply it, or that
        /// nothing did (then nothing is written unless --force).
        static func updateNote(_ draft: InvitationDraft, queuePath: String) throws -> (text: String, unchanged: Bool)? {
            guard !draft.uids.isEmpty, FileManager.default.fileExists(atPath: queuePath),
                  let store = try? QueueStore(path: queuePath, readOnly: true),
                  let queued = try store.interviews(invitationUIDs: draft.uids).first else { return nil }
            let notes = try store.messages(interview: queued.id).filter { !$0.isFollowUp && $0.state != .cancelled }
            let had = Set(notes.map { $0.recipientEmail.lowercased() })
            let has = Set(draft.interviewers.map { $0.email.lowercased() })
            var changes: [String] = []
            let zone = TimeZone(identifier: queued.timezone) ?? draft.zone
            let when = DateFormatting.dayTime(in: zone)
            if let was = queued.startsAt, abs(was.timeIntervalSince(draft.start)) >= 60 {
                changes.append("start moved from \(when.string(from: was)) to \(when.string(from: draft.start))")
            }
            if abs(queued.endsAt.timeIntervalSince(draft.end)) >= 60 {
                changes.append("end moved from \(when.string(from: queued.endsAt)) to \(when.string(from: draft.end))")
            }
            for p in draft.interviewers where !had.contains(p.email.lowercased()) { changes.append("added \(p.name ?? p.email) <\(p.email)>") }
            for n in notes where !has.contains(n.recipientEmail.lowercased()) {
                changes.append("\(n.recipientName) <\(n.recipientEmail)> is no longer invited (`fuq cancel \(n.id)` if their note should not go)")
            }
            let sequence = "sequence \(queued.invitationSequence ?? 0) → \(draft.sequence)"
            let name = "interview \(queued.id) (\(queued.company), \(queued.position))"
            if draft.sequence < (queued.invitationSequence ?? 0) {
                return ("\(name) holds a newer version of this invitation (sequence \(queued.invitationSequence ?? 0); this one is \(draft.sequence)); "
                    + "nothing written (--force writes the draft anyway)", true)
            }
            if changes.isEmpty && draft.sequence <= (queued.invitationSequence ?? 0) {
                return ("\(name) already holds this invitation (sequence \(queued.invitationSequence ?? 0)); nothing new, nothing written (--force writes the draft anyway)", true)
            }
            return ("this invitation updates \(name); \(sequence)" + (changes.isEmpty ? "" : ": " + changes.joined(separator: "; "))
                + ". Fill the TODOs, then `fuq enqueue FILE --replace` applies it (notes already sent stay sent)", false)
        }

        /// `data` with every fold (CRLF or LF, then a space or a tab) removed.
        static func unfolded(_ data: Data) -> Data {
            var out = Data(capacity: data.count)
            let bytes = [UInt8](data)
            var i = 0
            while i < bytes.count {
                if bytes[i] == 13, i + 2 < bytes.count, bytes[i + 1] == 10, bytes[i + 2] == 32 || bytes[i + 2] == 9 { i += 3; continue }
                if bytes[i] == 10, i + 1 < bytes.count, bytes[i + 1] == 32 || bytes[i + 1] == 9 { i += 2; continue }
                out.append(bytes[i])
                i += 1
            }
            return out
        }

        /// The text of `file` (standard input for `-`), up to 10 MiB: an email may carry attachments.
        static func text(of file: String) throws -> (String, String) {
            let limit = 10 << 20
            let read: Data
            if file == "-" {
                do { read = try InputFile.read(fd: STDIN_FILENO, limit: limit) } catch {
                    if case .tooLarge(let l) = error { throw InputError.tooLarge(what: "standard input (the invitation)", limit: l) }
                    throw InvitationError("cannot read standard input: \(error.reason)", unreadable: true)
                }
            } else {
                do { read = try InputFile.data(atPath: file, limit: limit) } catch .tooLarge(let l) {
                    throw InputError.tooLarge(what: "the invitation \(file)", limit: l)
                } catch .missing {
                    throw InvitationError("cannot read the invitation \(file): no such file", unreadable: true)
                } catch {
                    throw InvitationError("cannot read the invitation \(file): \(error.reason)", unreadable: true)
                }
            }
            let name = file == "-" ? "standard input" : TextSafety.printable(file)
            var data = read
            if data.starts(with: [0xEF, 0xBB, 0xBF]) { data = Data(data.dropFirst(3)) }
            // A line folded inside a UTF-8 character (RFC 5545 allows it): unfolded as bytes first.
            if String(validating: data, as: UTF8.self) == nil {
                data = Self.unfolded(data)
            }
            guard let text = String(validating: data, as: UTF8.self) else {
                throw InvitationError("cannot read \(name): it is not UTF-8 text (save the invitation as UTF-8, or give the .ics file itself)", unreadable: true)
            }
            return (text, name)
        }
    }
}
