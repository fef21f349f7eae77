import Foundation
import Mustache

/// A Mustache template for one kind of message: a `Subject:` line, a blank line, then the body.
///
/// Variables: `sender.name`, `sender.email`, `sender.phone`, `sender.links` (list), `company`,
/// `position`, `interviewer.name`, `.first_name`, `.last_name`, `.honorific`, `.salutation`,
/// `.email`, `.topic`, `.note`, `interview.when` ("today", "yesterday", "on Friday" — as the
/// recipient reads it on the day it is sent) and `interview.date` ("Tuesday, November 24").
public struct MessageTemplate: Sendable, Equatable {
    public var name: String
    /// The whole file, kept with each queued message so a later edit cannot change it.
    public var source: String

    public init(name: String, source: String) {
        self.name = name
        self.source = source
    }

    /// Loads `NAME.mustache` from `directory`, or the built-in copy when `directory` is nil.
    public static func load(_ name: String, directory: String?) throws -> MessageTemplate {
        guard let directory else {
            guard let builtIn = BuiltInTemplates.all[name] else { throw TemplateError.notFound(name: name, directory: "(built in)") }
            return MessageTemplate(name: name, source: builtIn)
        }
        let path = (directory as NSString).appendingPathComponent("\(name).mustache")
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw TemplateError.notAFile(path: path)
        }
        let text: String
        do {
            text = try InputFile.text(atPath: path)
        } catch .tooLarge(let limit) {
            throw InputError.tooLarge(what: "the template \(path)", limit: limit)
        } catch {
            throw TemplateError.notFound(name: name, directory: directory)
        }
        let template = MessageTemplate(name: name, source: text)
        // Checked now, so a mistake is reported with the file's own line numbers.
        _ = try Self.compiled.value(for: text) { try Compiled(template, file: path) }
        return template
    }

    /// `NAME.mustache` from `directory` when it has one, else the built-in copy: a folder of
    /// your own thank-you templates need not also hold a follow-up.
    public static func loadOrBuiltIn(_ name: String, directory: String?) throws -> MessageTemplate {
        if let directory, FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent("\(name).mustache")) {
            return try load(name, directory: directory)
        }
        return try load(name, directory: nil)
    }

    /// Renders subject and body with `context`; a variable outside any section that has no
    /// value is an error, never an empty gap in a message someone will read.
    public func render(_ context: [String: Any]) throws -> (subject: String, body: String) {
        let compiled = try Self.compiled.value(for: source) { try Compiled(self) }
        for variable in compiled.required where Self.lookup(variable, in: context) == nil {
            throw TemplateError.missingVariable(template: name, variable: variable)
        }
        var subject = compiled.subject.render(context).trimmingCharacters(in: .whitespaces)
        if subject.hasLineBreak {
            throw TemplateError.malformed(template: name, problem: "the rendered subject contains a line break")
        }
        var body = compiled.body.render(context)
        // "…at ACME Robotics, Inc.." — a company whose name ends with a full stop, at the end of
        // a sentence: one stop ends both (the template cannot know the name's last letter).
        if let company = context["company"] as? String, company.hasSuffix("."), company.count > 1 {
            body = body.replacingOccurrences(of: company + ".", with: company)
            subject = subject.replacingOccurrences(of: company + ".", with: company)
        }
        // Tidy: no trailing spaces, at most one blank line in a row, exactly one final newline.
        var tidy: [Substring] = []
        for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = line
            while let last = line.last, last.isWhitespace { line.removeLast() }
            if !(line.isEmpty && (tidy.last?.isEmpty ?? true)) { tidy.append(line) }
        }
        while tidy.last?.isEmpty == true { tidy.removeLast() }
        return (subject, tidy.joined(separator: "\n") + "\n")
    }

    /// A template parsed once per process: a flush renders the same few templates many times.
    private struct Compiled {
        var subject: MustacheTemplate
        var body: MustacheTemplate
        var required: [String]

        /// - Parameter file: the template's path, for errors (default: its name).
        init(_ template: MessageTemplate, file: String? = nil) throws {
            let file = file ?? "\(template.name).mustache"
            let (subjectSource, bodySource) = try template.parts(file: file)
            let bodyLine = template.source.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n")[0]
                .filter { $0 == "\n" }.count + 3
            subject = try MessageTemplate.compile(subjectSource, source: template.source, file: file, line: 1, column: 9)
            body = try MessageTemplate.compile(bodySource, source: template.source, file: file, line: bodyLine, column: 1)
            required = MessageTemplate.requiredVariables(in: template.source)
        }
    }

    private static let compiled = LockedCache<String, Compiled>()

    func parts(file: String) throws -> (subject: String, body: String) {
        let normalized = source.replacingOccurrences(of: "\r\n", with: "\n")
        guard normalized.hasPrefix("Subject:"), let split = normalized.range(of: "\n\n") else {
            throw TemplateError.syntax(file: file, line: 1, column: 1, problem: "the template does not start with a `Subject:` line and a blank line",
                                       fix: "write `Subject: Thank you for the {{position}} interview – {{sender.name}}`, a blank line, then the body")
        }
        let subject = String(normalized[normalized.index(normalized.startIndex, offsetBy: 8)..<split.lowerBound])
        return (subject, String(normalized[split.upperBound...]))
    }

    /// The prefix every part is compiled with: plain text mail, no HTML escaping of names
    /// like "O'Brien & Sons".
    private static let contentType = "{{% CONTENT_TYPE: TEXT}}"

    /// - Parameters: `line`/`column`: where `text` starts in the template file `source`, so
    ///   a mistake is reported where the user sees it.
    private static func compile(_ text: String, source: String, file: String, line: Int, column: Int) throws -> MustacheTemplate {
        do {
            return try MustacheTemplate(string: contentType + text)
        } catch let error as MustacheTemplate.ParserError {
            // A section opened and not closed (or closed by another name) is found by name in
            // the whole file: the parser only notices at the end of the text.
            if let section = sectionProblem(in: source) {
                throw TemplateError.syntax(file: file, line: section.line, column: section.column, problem: section.problem, fix: section.fix)
            }
            let at = error.context
            let lineNumber = line + at.lineNumber - 1
            let columnNumber = at.lineNumber == 1 ? max(1, at.columnNumber - contentType.count + column - 1) : at.columnNumber
            let (problem, fix): (String, String)
            switch error.error {
            case MustacheTemplate.Error.unfinishedName:
                (problem, fix) = ("a tag is not closed properly", "end each tag with }} (e.g. {{sender.name}}); a name has no spaces or brackets")
            case MustacheTemplate.Error.expectedSectionEnd, MustacheTemplate.Error.sectionCloseNameIncorrect:
                // Balanced in the whole file, so it spans the Subject line and the body.
                (problem, fix) = ("a section is opened in the Subject line and closed in the body (they are separate parts)",
                                  "open and close each {{#…}} section within the Subject line, or within the body")
            case MustacheTemplate.Error.invalidSetDelimiter:
                (problem, fix) = ("a {{=…=}} delimiter change cannot be read", "remove it; fuq's templates use {{ and }}")
            default:
                if "\(error.error)".contains("overflow") {
                    (problem, fix) = ("the template ends inside a tag ({{ without }})", "close the tag with }}")
                } else {
                    (problem, fix) = ("a tag cannot be read (\(error.error))", "check the {{…}} tags on this line against Config/templates/thank-you.mustache")
                }
            }
            throw TemplateError.syntax(file: file, line: lineNumber, column: columnNumber, problem: problem, fix: fix)
        } catch {
            throw TemplateError.syntax(file: file, line: line, column: column, problem: "not valid Mustache (\(error))", fix: "compare it with Config/templates/thank-you.mustache")
        }
    }

    /// The first section in `source` closed by another name, closed without being opened, or
    /// never closed — with its line and column.
    static func sectionProblem(in source: String) -> (line: Int, column: Int, problem: String, fix: String)? {
        let text = source.replacingOccurrences(of: "\r\n", with: "\n")
        let ns = text as NSString
        func position(_ location: Int) -> (Int, Int) {
            let before = ns.substring(to: location)
            let line = before.filter { $0 == "\n" }.count + 1
            let column = (before.components(separatedBy: "\n").last ?? "").count + 1
            return (line, column)
        }
        let pattern = try! NSRegularExpression(pattern: #"\{\{\s*([#^/])\s*([^}]*?)\s*\}\}"#)
        var open: [(name: String, sigil: String, location: Int)] = []
        for match in pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            let sigil = ns.substring(with: match.range(at: 1))
            let name = ns.substring(with: match.range(at: 2))
            guard sigil == "/" else {
                open.append((name, sigil, match.range.location))
                continue
            }
            let (line, column) = position(match.range.location)
            guard let top = open.popLast() else {
                return (line, column, "{{/\(name)}} closes a section that was never opened", "remove it, or open the section with {{#\(name)}} before it")
            }
            if top.name != name {
                let (openLine, _) = position(top.location)
                return (line, column, "{{/\(name)}} does not match the open section {{\(top.sigil)\(top.name)}} (line \(openLine))",
                        "close it with {{/\(top.name)}}, or rename one of the two so they match")
            }
        }
        if let top = open.last {
            let (line, column) = position(top.location)
            return (line, column, "the section {{\(top.sigil)\(top.name)}} is never closed", "add {{/\(top.name)}} where its text ends")
        }
        return nil
    }

    /// Variables used outside any section (`{{x}}`, `{{{x}}}`, `{{&x}}`); inside `{{#s}}…{{/s}}`
    /// names are relative and optional by design.
    static func requiredVariables(in text: String) -> [String] {
        let pattern = try! NSRegularExpression(pattern: #"\{\{(\{?)\s*([#^/&!>%]?)\s*([^}]*?)\s*\}?\}\}"#)
        var depth = 0
        var result: [String] = []
        let ns = text as NSString
        for match in pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            let sigil = ns.substring(with: match.range(at: 2))
            let name = ns.substring(with: match.range(at: 3))
            switch sigil {
            case "#", "^": depth += 1
            case "/": depth -= 1
            case "!", ">", "%": continue
            default: if depth == 0, name != "." { result.append(name) }
            }
        }
        return result
    }

    static func lookup(_ path: String, in context: [String: Any]) -> Any? {
        var current: Any? = context
        for key in path.split(separator: ".") {
            guard let dict = current as? [String: Any], let next = dict[String(key)] else { return nil }
            current = next
        }
        if let text = current as? String, text.trimmingCharacters(in: .whitespaces).isEmpty { return nil }
        return current
    }
}

/// Problems with message templates.
public enum TemplateError: LocalizedError, Equatable {
    /// No `NAME.mustache` in the templates directory.
    case notFound(name: String, directory: String)
    /// The template file is not in the expected shape.
    case malformed(template: String, problem: String)
    /// A mistake in a template file at a line and column: what is wrong, how to fix it.
    case syntax(file: String, line: Int, column: Int, problem: String, fix: String)
    /// The template's path is a folder, not a file.
    case notAFile(path: String)
    /// The template uses a variable that has no value for this message.
    case missingVariable(template: String, variable: String)

    public var errorDescription: String? {
        switch self {
        case .notFound(let name, let directory):
            return "template \(name).mustache not found in \(directory); check templates.dir in the config or copy Config/templates/ there"
        case .malformed(let template, let problem):
            return "template \(template).mustache is malformed: \(problem)"
        case .syntax(let file, let line, let column, let problem, let fix):
            return "\(file):\(line):\(column): \(problem); \(fix). Nothing was queued."
        case .notAFile(let path):
            return "the template \(path) is a folder, not a file; templates.dir must be the folder that holds thank-you.mustache"
        case .missingVariable(let template, let variable):
            let hint: String
            if variable.hasPrefix("sender.") {
                hint = "set `\(variable.dropFirst("sender.".count)):` under `sender:` in your config file"
            } else if variable.hasPrefix("interviewer.") {
                hint = "add `\(variable.dropFirst("interviewer.".count))` to that interviewer in the interview file"
            } else {
                hint = "add it to the interview file or remove {{\(variable)}} from the template"
            }
            return "template \(template).mustache uses {{\(variable)}} but it has no value; \(hint). Nothing was enqueued."
        }
    }
}
