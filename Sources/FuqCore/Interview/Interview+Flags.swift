import Foundation

/// The one-interviewer form of `fuq enqueue` (flags instead of a file).
public struct InterviewFlags: Sendable {
    public var to: String?
    public var name: String?
    public var honorific: String?
    public var callMe: String?
    public var lastName: String?
    public var salutation: String?
    public var company: String?
    public var position: String?
    public var ended: String?
    public var timezone: String?
    public var topic: String?
    public var note: String?

    public init(to: String? = nil, name: String? = nil, honorific: String? = nil, callMe: String? = nil, company: String? = nil,
                position: String? = nil, ended: String? = nil, timezone: String? = nil, topic: String? = nil, note: String? = nil,
                lastName: String? = nil, salutation: String? = nil) {
        self.to = to
        self.name = name
        self.honorific = honorific
        self.callMe = callMe
        self.lastName = lastName
        self.salutation = salutation
        self.company = company
        self.position = position
        self.ended = ended
        self.timezone = timezone
        self.topic = topic
        self.note = note
    }

    public var isEmpty: Bool {
        [to, name, honorific, callMe, lastName, salutation, company, position, ended, timezone, topic, note].allSatisfy { $0 == nil }
    }

    /// Builds the same `Interview` a file would give, by writing the flags as YAML and reading
    /// that: one set of checks and messages for both forms.
    public func interview() throws -> Interview {
        func quoted(_ value: String?) -> String {
            guard let value else { return "" }
            // Every character YAML would refuse raw is escaped, so the checks below (not the YAML
            // reader) say what is wrong with it.
            var escaped = ""
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\\": escaped += "\\\\"
                case "\"": escaped += "\\\""
                case "\n": escaped += "\\n"
                case "\r": escaped += "\\r"
                case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0xFEFF:
                    escaped += String(format: "\\u%04X", scalar.value)
                default: escaped.unicodeScalars.append(scalar)
                }
            }
            return "\"\(escaped)\""
        }
        var yaml = ""
        if company != nil { yaml += "company: \(quoted(company))\n" }
        if position != nil { yaml += "position: \(quoted(position))\n" }
        yaml += "interview:\n"
        if ended != nil { yaml += "  end: \(quoted(ended))\n" }
        yaml += "  timezone: \(timezone.map { quoted($0) } ?? quoted(TimeZone.current.identifier))\n"
        yaml += "interviewers:\n  - lead: true\n"
        for (key, value) in [("name", name), ("honorific", honorific), ("call_me", callMe), ("last_name", lastName), ("salutation", salutation),
                             ("email", to), ("topic", topic), ("note", note)] {
            if let value { yaml += "    \(key): \(quoted(value))\n" }
        }
        do {
            return try Interview.parse(yaml, file: "command line")
        } catch InterviewError.invalid(var problem) {
            // Name the flag, not the YAML key the flags became.
            problem.line = nil
            problem.key = problem.key.map(Self.flagName)
            problem.problem = problem.problem.replacingOccurrences(of: "`last_name: ", with: "`--last-name \"")
                .replacingOccurrences(of: "(e.g. `--last-name \"", with: "(e.g. `--last-name \"")
                .replacingOccurrences(of: "`last_name:`", with: "`--last-name`").replacingOccurrences(of: "`salutation:`", with: "`--salutation`")
                .replacingOccurrences(of: "`call_me:`", with: "`--call-me`").replacingOccurrences(of: "`honorific:`", with: "`--honorific`")
                .replacingOccurrences(of: "add `", with: "give `")
            if let range = problem.problem.range(of: #"`--last-name "[^`]*`"#, options: .regularExpression) {
                problem.problem.replaceSubrange(range, with: problem.problem[range].dropLast() + "\"`")
            }
            throw InterviewError.invalid(problem)
        }
    }

    static func flagName(_ key: String) -> String {
        let table = ["company": "--company", "position": "--position", "interview.end": "--ended", "interview.timezone": "--timezone",
                     "interviewers[0].name": "--name", "interviewers[0].honorific": "--honorific", "interviewers[0].call_me": "--call-me",
                     "interviewers[0].email": "--to", "interviewers[0].topic": "--topic", "interviewers[0].note": "--note", "interview": "--ended",
                     "interviewers[0].last_name": "--last-name", "interviewers[0].salutation": "--salutation"]
        return table[key] ?? key
    }
}
