import ArgumentParser
import Foundation
import FuqCore

/// A mistyped command caught before parsing: swift-argument-parser would call `fuq statsu`
/// an "unexpected argument" and print the whole usage, and `fuq help nosuch` would show the
/// general help and exit 0.
enum UnknownCommand {
    /// What is wrong with the command word in `arguments`, or nil when it is a command (or
    /// an option such as `--help`, `--version`, `--generate-completion-script`, which the
    /// parser handles).
    static func problem(in arguments: [String], commands: [String]) -> String? {
        guard let first = arguments.first, !first.hasPrefix("-") else { return nil }
        if first == "help" {
            let names = arguments.dropFirst().filter { !$0.hasPrefix("-") }
            guard let name = names.first else { return nil }
            if !commands.contains(name) && name != "help" {
                return "there is no command '\(shown(name))' to show help for.\(suggestion(for: name, in: commands) { "fuq help \($0)" })\n"
                    + "`fuq --help` lists the commands."
            }
            if let extra = names.dropFirst().first {
                return "'\(name)' has no subcommand '\(shown(extra))'; `fuq help \(name)` shows its help."
            }
            return nil
        }
        guard !commands.contains(first) && first != "help" else { return nil }
        if first.lowercased().hasSuffix(".yaml") || first.lowercased().hasSuffix(".yml") {
            return "unknown command '\(shown(first))'. To queue the notes in that interview file: fuq enqueue \(shown(first))"
        }
        return "unknown command '\(shown(first))'.\(suggestion(for: first, in: commands) { $0 })\n`fuq --help` lists the commands."
    }

    /// " Did you mean 'status'?" for a near miss (a slip of the fingers, or the start of one
    /// command's name), else "".
    private static func suggestion(for word: String, in commands: [String], _ form: (String) -> String) -> String {
        let prefixed = word.count >= 3 ? commands.filter { $0.hasPrefix(word.lowercased()) } : []
        guard let guess = Spelling.closest(word, in: commands) ?? (prefixed.count == 1 ? prefixed[0] : nil) else { return "" }
        return " Did you mean '\(form(guess))'?"
    }

    /// Typed text as it may be printed (no control characters; a paste of a paragraph cut short).
    private static func shown(_ text: String) -> String {
        let safe = TextSafety.printable(text)
        return safe.count > 40 ? String(safe.prefix(40)) + "…" : safe
    }
}

extension Fuq {
    /// Checks the command word, then runs the command as swift-argument-parser would.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let commands = configuration.subcommands.map { $0._commandName }
        if let problem = UnknownCommand.problem(in: arguments, commands: commands) {
            FileHandle.standardError.write(Data("fuq: \(problem)\n".utf8))
            Foundation.exit(Exit.usage)
        }
        await main(arguments)
    }
}
