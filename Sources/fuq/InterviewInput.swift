import Foundation
import FuqCore

/// Reads an interview file (or standard input for `-`) the way every command does: a missing
/// file, a folder, an unreadable or non-UTF-8 file each say so (exit 66).
enum InterviewInput {
    /// The interview and its source as recorded (`-` for standard input).
    static func read(_ file: String) throws -> (Interview, String) {
        let text: String
        if file == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isFolder) else {
                throw InterviewError.unreadable(path: file, reason: "no such file (an example is Config/examples/interview.yaml)")
            }
            if isFolder.boolValue {
                let inside = ((try? FileManager.default.contentsOfDirectory(atPath: file)) ?? [])
                    .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
                let hint = inside.isEmpty ? "give the path of the interview file itself"
                    : "give one of the interview files in it: " + inside.prefix(5).map { (file as NSString).appendingPathComponent($0) }.joined(separator: ", ")
                throw InterviewError.unreadable(path: file, reason: "it is a folder, not a file; \(TextSafety.printable(hint))")
            }
            guard access(file, R_OK) == 0 else {
                throw InterviewError.unreadable(path: file, reason: "permission denied (`ls -l \(file)` shows who may read it)")
            }
            guard let contents = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw InterviewError.unreadable(path: file, reason: "it is not UTF-8 text (save it as UTF-8)")
            }
            text = contents
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
