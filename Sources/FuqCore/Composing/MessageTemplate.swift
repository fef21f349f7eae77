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
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw TemplateError.notFound(name: name, directory: directory)
        }
        let template = MessageTemplate(name: name, source: text)
        _ = try template.parts()
        return template
    }

    /// Renders subject and body with `context`; a variable outside any section that has no
    /// value is an error, never an empty gap in a message someone will read.
    public func render(_ context: [String: Any]) throws -> (subject: String, body: String) {
        let compiled = try Self.compiled.value(for: source) { try Compiled(self) }
        for variable in compiled.required where Self.lookup(variable, in: context) == nil {
            throw TemplateError.missingVariable(template: name, variable: variable)
        }
        let subject = compiled.subject.render(context).trimmingCharacters(in: .whitespaces)
        if subject.hasLineBreak {
            throw TemplateError.malformed(template: name, problem: "the rendered subject contains a line break")
        }
        let body = compiled.body.render(context)
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

        init(_ template: MessageTemplate) throws {
            let (subjectSource, bodySource) = try template.parts()
            subject = try MessageTemplate.compile(subjectSource, name: template.name)
            body = try MessageTemplate.compile(bodySource, name: template.name)
            required = MessageTemplate.requiredVariables(in: template.source)
        }
    }

    private static let compiled = LockedCache<String, Compiled>()

    func parts() throws -> (subject: String, body: String) {
        let normalized = source.replacingOccurrences(of: "\r\n", with: "\n")
        guard normalized.hasPrefix("Subject:"), let split = normalized.range(of: "\n\n") else {
            throw TemplateError.malformed(template: name, problem: "it must start with a `Subject: …` line followed by a blank line and the body")
        }
        let subject = String(normalized[normalized.index(normalized.startIndex, offsetBy: 8)..<split.lowerBound])
        return (subject, String(normalized[split.upperBound...]))
    }

    private static func compile(_ text: String, name: String) throws -> MustacheTemplate {
        do {
            // Plain text mail: no HTML escaping of names like "O'Brien & Sons".
            return try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + text)
        } catch {
            throw TemplateError.malformed(template: name, problem: "not valid Mustache (\(error))")
        }
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
    /// The template uses a variable that has no value for this message.
    case missingVariable(template: String, variable: String)

    public var errorDescription: String? {
        switch self {
        case .notFound(let name, let directory):
            return "template \(name).mustache not found in \(directory); check templates.dir in the config or copy Config/templates/ there"
        case .malformed(let template, let problem):
            return "template \(template).mustache is malformed: \(problem)"
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
