import Foundation
import Yams

/// A problem in a YAML file a person wrote, located to the line and key.
public struct YAMLProblem: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    /// Dotted path of the offending key, e.g. `policy.evening` or `interviewers[1].email`.
    public var key: String?
    public var problem: String

    public init(file: String, line: Int?, key: String?, problem: String) {
        self.file = file
        self.line = line
        self.key = key
        self.problem = problem
    }

    public var description: String {
        var where_ = file
        if let line { where_ += ":\(line)" }
        if let key, !key.isEmpty { where_ += ": \(key)" }
        return "\(where_): \(problem)"
    }
}

/// Reads a YAML document node by node, so every error names the file, line and key.
struct YAMLValue {
    let file: String
    let path: String
    let node: Node?
    /// Line of the key that introduced this value (falls back to the value's own line).
    let line: Int?

    static func document(_ text: String, file: String) throws -> YAMLValue {
        do {
            let node = try Yams.compose(yaml: text)
            return YAMLValue(file: file, path: "", node: node, line: node?.mark?.line)
        } catch let error as YamlError {
            if case .reader(_, let offset, let value, _) = error {
                // Said without Yams's echo of the text around it: a config line may hold a secret.
                let line = offset.map { Self.lineNumber(atOffset: $0, in: text) }
                let character = value >= 0 ? String(format: "U+%04X", Int(value)) : "an invalid byte"
                throw YAMLProblem(file: file, line: line, key: nil,
                                  problem: "a control character (\(character)) is in this line; remove it (retype the line if you cannot see it)")
            }
            let line = Self.line(of: error)
            // A tab where indentation is expected: the scanner says "tab" or that the character
            // "cannot start any token".
            let description = Self.describe(error)
            if description.contains("tab") || description.contains("cannot start any token"),
               let tabbed = Self.tabIndentedLine(in: text, near: line) {
                throw YAMLProblem(file: file, line: tabbed, key: nil,
                                  problem: "tabs are not allowed for indentation in YAML; use spaces (this line's indentation has a tab)")
            }
            throw YAMLProblem(file: file, line: line, key: nil, problem: "not valid YAML: \(description)")
        }
    }

    /// The line (1-based) whose indentation holds a tab: `line` itself if it does, else the
    /// first such line before it (a tab may confuse the parser a few lines later), else nil.
    static func tabIndentedLine(in text: String, near line: Int?) -> Int? {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        let tabbed = lines.indices.filter { lines[$0].prefix { $0 == " " || $0 == "\t" }.contains("\t") }.map { $0 + 1 }
        if let line, tabbed.contains(line) { return line }
        return tabbed.first { $0 <= (line ?? Int.max) } ?? (line == nil ? tabbed.first : nil)
    }

    /// The last key of `path` ("email" in `interviewers[1].email`): a message about the value
    /// need not name it again after the key.
    var leaf: String { String(path.split(separator: ".").last ?? "") }

    func fail(_ problem: String) -> YAMLProblem {
        YAMLProblem(file: file, line: line ?? node?.mark?.line, key: path, problem: problem)
    }

    var isNull: Bool {
        guard let node else { return true }
        // Only a plain scalar can be null: "null" or "~" in quotes is that text.
        if case .scalar(let s) = node, s.tag.description.hasSuffix(":null") || (s.style == .plain && (s.string.isEmpty || s.string == "~" || s.string == "null")) {
            return true
        }
        return false
    }

    func string() throws -> String {
        guard let node, case .scalar(let scalar) = node else {
            throw fail("expected a text value, found \(kind)")
        }
        return scalar.string
    }

    /// A non-empty single-line text (header fields must never carry CR or LF), with no control
    /// characters and at most `limit` characters (what a mail header can carry).
    func line(_ what: String = "value", limit: Int = 200) throws -> String {
        let value = try string().trimmingCharacters(in: .whitespaces)
        if value.hasLineBreak {
            throw fail("\(what) must be a single line (it contains a line break); put it on one line")
        }
        if let problem = TextSafety.problem(in: value) { throw fail(what == leaf ? problem : "\(what): \(problem)") }
        if value.isEmpty { throw fail("\(what) is empty; give it a value") }
        if value.count > limit {
            throw fail("\(what) is \(value.count) characters long; fuq takes at most \(limit) here — shorten it")
        }
        return value
    }

    /// Free text over several lines (an extra paragraph): no control characters, at most `limit` characters.
    func paragraph(_ what: String, limit: Int = 2000) throws -> String {
        let value = try string().trimmingCharacters(in: .whitespacesAndNewlines)
        if let problem = TextSafety.problem(in: value, multiline: true) { throw fail(what == leaf ? problem : "\(what): \(problem)") }
        if value.count > limit { throw fail("\(what) is \(value.count) characters long; keep it under \(limit)") }
        return value
    }

    func bool() throws -> Bool {
        switch try string().lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw fail("expected true or false")
        }
    }

    func list() throws -> [YAMLValue] {
        if isNull { return [] }
        guard let node, case .sequence(let seq) = node else {
            throw fail("expected a list (lines starting with '- ' or [a, b]), found \(kind)")
        }
        return seq.enumerated().map { index, item in
            YAMLValue(file: file, path: "\(path)[\(index)]", node: item, line: item.mark?.line)
        }
    }

    /// The first scalar anywhere under this value whose text is `text` (a `TODO` left by
    /// `fuq new`), with its key path and line.
    func firstScalar(equalTo text: String) -> YAMLValue? {
        guard let node else { return nil }
        switch node {
        case .scalar(let scalar):
            return scalar.string == text ? self : nil
        case .mapping(let mapping):
            for (keyNode, valueNode) in mapping {
                let key = keyNode.string ?? ""
                let child = YAMLValue(file: file, path: path.isEmpty ? key : "\(path).\(key)", node: valueNode, line: valueNode.mark?.line ?? keyNode.mark?.line)
                if let found = child.firstScalar(equalTo: text) { return found }
            }
            return nil
        case .sequence(let sequence):
            for (index, item) in sequence.enumerated() {
                if let found = YAMLValue(file: file, path: "\(path)[\(index)]", node: item, line: item.mark?.line).firstScalar(equalTo: text) { return found }
            }
            return nil
        case .alias:
            return nil
        }
    }

    var isScalar: Bool {
        if let node, case .scalar = node { return true }
        return false
    }

    /// The `key: value` pairs of a section with keys of the user's choosing, in file order;
    /// nil when this is not a section.
    func entries() throws -> [(String, YAMLValue)]? {
        guard let node, case .mapping(let mapping) = node else { return nil }
        return mapping.map { keyNode, valueNode in
            let key = keyNode.string ?? ""
            return (key, YAMLValue(file: file, path: path.isEmpty ? key : "\(path).\(key)", node: valueNode, line: keyNode.mark?.line))
        }
    }

    func mapping(allowed: [String]) throws -> YAMLMapping {
        if isNull { return YAMLMapping(owner: self, pairs: [:], lines: [:]) }
        guard let node, case .mapping(let mapping) = node else {
            throw fail("expected a section of `key: value` lines, found \(kind)")
        }
        var pairs: [String: Node] = [:]
        var lines: [String: Int] = [:]
        for (keyNode, valueNode) in mapping {
            let key = keyNode.string ?? ""
            let keyLine = keyNode.mark?.line
            guard allowed.contains(key) else {
                let keyPath = path.isEmpty ? key : "\(path).\(key)"
                var message = "unknown key"
                if let guess = closest(key, in: allowed) { message += "; did you mean `\(guess)`?" }
                else { message += "; known keys here: \(allowed.joined(separator: ", "))" }
                throw YAMLProblem(file: file, line: keyLine, key: keyPath, problem: message)
            }
            pairs[key] = valueNode
            lines[key] = keyLine
        }
        return YAMLMapping(owner: self, pairs: pairs, lines: lines)
    }

    private var kind: String {
        guard let node else { return "nothing" }
        switch node {
        case .scalar: return "a text value"
        case .mapping: return "a section"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// The 1-based line holding the byte at `offset` (libyaml's reader counts bytes).
    static func lineNumber(atOffset offset: Int, in text: String) -> Int {
        1 + text.utf8.prefix(max(0, offset)).reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        case .duplicatedKeysInMapping(_, let context):
            return context.mark.line > 0 ? context.mark.line : nil
        default:
            return nil
        }
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _), .composer(let context, let problem, _, _):
            if let context { return "\(problem) (\(context.text))" }
            return problem
        case .duplicatedKeysInMapping(let duplicates, _):
            // The keys only (the context holds the whole text, which may hold a secret).
            let keys = duplicates.prefix(3).map { "`\(TextSafety.printable(String($0.prefix(40))))`" }.joined(separator: ", ")
            return "\(keys) appears twice in one section; keep one of them"
        default:
            // Never `\(error)`: Yams's description quotes the text, which may hold a secret.
            return "the file cannot be read as YAML"
        }
    }
}

struct YAMLMapping {
    let owner: YAMLValue
    let pairs: [String: Node]
    let lines: [String: Int]

    subscript(key: String) -> YAMLValue? {
        guard let node = pairs[key] else { return nil }
        let path = owner.path.isEmpty ? key : "\(owner.path).\(key)"
        let value = YAMLValue(file: owner.file, path: path, node: node, line: lines[key])
        return value.isNull ? nil : value
    }

    func require(_ key: String, hint: String) throws -> YAMLValue {
        if let value = self[key] { return value }
        let path = owner.path.isEmpty ? key : "\(owner.path).\(key)"
        throw YAMLProblem(file: owner.file, line: owner.line, key: path, problem: "missing; \(hint)")
    }
}

/// The allowed key nearest to a mistyped one (at most 2 edits, a swap of neighbours counting
/// as one), for "did you mean".
func closest(_ word: String, in candidates: [String]) -> String? {
    let scored = candidates.map { ($0, Spelling.distance(word, $0)) }
    guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= 2 else { return nil }
    return best.0
}
