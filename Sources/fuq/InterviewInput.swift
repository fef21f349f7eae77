import ArgumentParser
import Foundation
import FuqCore

/// Reads an interview file (or standard input for `-`) the way every command does: a missing
/// file, a folder, an unreadable or non-UTF-8 file each say so (exit 66).
enum InterviewInput {
    /// The interview and its source as recorded (`-` for standard input). Either is read up
    /// to `InputFile.limit` (1 MiB; more is an error, exit 65, and memory stays bounded).
    static func read(_ file: String) throws -> (Interview, String) {
        let text: String
        if file == "-" {
            let data: Data
            do { data = try InputFile.read(fd: STDIN_FILENO) } catch {
                if case .tooLarge(let limit) = error { throw InputError.tooLarge(what: "standard input (the interview file)", limit: limit) }
                throw InterviewError.unreadable(path: "<stdin>", reason: error.reason)
            }
            text = String(decoding: data, as: UTF8.self)
        } else {
            do {
                text = try InputFile.text(atPath: file)
            } catch .tooLarge(let limit) {
                throw InputError.tooLarge(what: "the interview file \(file)", limit: limit)
            } catch .missing {
                throw InterviewError.unreadable(path: file, reason: "no such file (an example is Config/examples/interview.yaml)")
            } catch .folder {
                let inside = ((try? FileManager.default.contentsOfDirectory(atPath: file)) ?? [])
                    .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
                let hint = inside.isEmpty ? "give the path of the interview file itself"
                    : "give one of the interview files in it: " + inside.prefix(5).map { (file as NSString).appendingPathComponent($0) }.joined(separator: ", ")
                throw InterviewError.unreadable(path: file, reason: "it is a folder, not a file; \(TextSafety.printable(hint))")
            } catch .permission {
                throw InterviewError.unreadable(path: file, reason: "permission denied (`ls -l \(file)` shows who may read it)")
            } catch {
                throw InterviewError.unreadable(path: file, reason: error.reason)
            }
        }
        return (try Interview.parse(text, file: file == "-" ? "<stdin>" : file), file)
    }

    /// How the file was read, where the user should know (a wall time that happens twice).
    static func printNotes(_ interview: Interview, source: String) {
        for note in interview.notes {
            FileHandle.standardError.write(Data("fuq: note: \(source == "-" ? "<stdin>" : source): \(TextSafety.printable(note))\n".utf8))
        }
    }
}

/// The one-interviewer form of `enqueue` and `check`: the interview file's fields as flags.
struct InterviewFlagOptions: ParsableArguments {
    @Option(help: "Recipient address (one-interviewer form).") var to: String?
    @Option(help: "Recipient's full name.") var name: String?
    @Option(help: "Honorific for the salutation: Ms., Mr., Mx., Dr.") var honorific: String?
    @Option(name: .customLong("call-me"), help: "First name the interviewer asked to be called by.") var callMe: String?
    @Option(name: .customLong("last-name"), help: "The family name, when fuq cannot tell it from --name (\"García Márquez\").") var lastName: String?
    @Option(help: "The whole greeting instead (\"Professor Okafor\").") var salutation: String?
    @Option(help: "Company name.") var company: String?
    @Option(help: "Position you interviewed for.") var position: String?
    @Option(help: "When the interview ended: YYYY-MM-DDTHH:MM (in --timezone) or RFC 3339 with an offset.") var ended: String?
    @Option(help: "IANA time zone of the interview (default: yours).") var timezone: String?
    @Option(help: "What you discussed with this person.") var topic: String?
    @Option(help: "An extra paragraph for this person (optional).") var note: String?
    @Option(help: "A point to add or put right from the conversation (optional).") var clarify: String?
    @Option(help: "One sentence on what you bring to this role (optional).") var pitch: String?
    @Option(name: .customLong("decision-by"), help: "The day they said they would decide (YYYY-MM-DD): the follow-up waits until two business days after it.")
    var decisionBy: String?
    @Flag(name: .customLong("no-follow-up"), help: "Queue only the thank-you: no follow-up a week later for this interview.") var noFollowUp = false
    @Option(help: "1 (the default) or 2: one more short note a few business days after the first follow-up.") var nudges: String?

    var flags: InterviewFlags {
        var flags = InterviewFlags(to: to, name: name, honorific: honorific, callMe: callMe, company: company, position: position,
                                   ended: ended, timezone: timezone, topic: topic, note: note, lastName: lastName, salutation: salutation)
        flags.clarify = clarify
        flags.pitch = pitch
        flags.decisionBy = decisionBy
        flags.followUp = noFollowUp ? false : nil
        flags.nudges = nudges
        return flags
    }
}
