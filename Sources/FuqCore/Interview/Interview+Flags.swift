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
    public var clarify: String?
    public var pitch: String?
    /// `--decision-by`: the day they said they would decide (`decision_by:`).
    public var decisionBy: String?
    /// `--no-follow-up` sets it false (`follow_up: false`); nil: the config decides.
    public var followUp: Bool?
    /// `--nudges 1|2` (`nudges:`).
    public var nudges: String?

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
        [to, name, honorific, callMe, lastName, salutation, company, position, ended, timezone, topic, note, clarify, pitch, decisionBy, nudges]
            .allSatisfy { $0 == nil } && followUp == nil
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
        if pitch != nil { yaml += "pitch: \(quoted(pitch))\n" }
        if decisionBy != nil { yaml += "decision_by: \(quoted(decisionBy))\n" }
        if let followUp { yaml += "follow_up: \(followUp)\n" }
        if nudges != nil { yaml += "nudges: \(quoted(nudges))\n" }
        yaml += "interview:\n"
        if ended != nil { yaml += "  end: \(quoted(ended))\n" }
        yaml += "  timezone: \(quoted(timezone ?? Self.systemZone))\n"
        yaml += "interviewers:\n  - lead: true\n"
        for (key, value) in [("name", name), ("honorific", honorific), ("call_me", callMe), ("last_name", lastName), ("salutation", salutation),
                             ("email", to), ("topic", topic), ("note", note), ("clarify", clarify)] {
            if let value { yaml += "    \(key): \(quoted(value))\n" }
        }
        do {
            return try Interview.parse(yaml, file: "command line")
        } catch InterviewError.invalid(let problem) {
            var problem = Self.inFlagTerms(problem)
            if timezone == nil, problem.problem.hasPrefix("--timezone") || problem.key == "--timezone" {
                let tz = ProcessInfo.processInfo.environment["TZ"].map { " (TZ=\(TextSafety.printable($0)))" } ?? ""
                problem.problem += " — this is your system's zone\(tz), taken because --timezone was not given; give the interview's zone, e.g. --timezone America/New_York"
            }
            throw InterviewError.invalid(problem)
        }
    }

    /// The zone the flags form uses without --timezone: the system's, by an IANA name fuq
    /// accepts. A `TZ` fuq cannot use is passed on as written, so it is refused like any
    /// unknown zone ("give --timezone") instead of becoming GMT.
    static var systemZone: String {
        switch SystemZone.read() {
        case .zone(_, let name): return name
        case .unusable(let tz): return tz.isEmpty ? "TZ" : tz
        }
    }

    /// A problem found in the YAML the flags became, told in the flags the user typed:
    /// `--company is missing; give `--company "Acme Robotics"`` rather than `company:`.
    static func inFlagTerms(_ yaml: YAMLProblem) -> YAMLProblem {
        var problem = yaml
        problem.line = nil
        var text = problem.problem
        // Hints name keys as a file has them (`company: Acme Robotics`, `last_name:`).
        let pattern = try! NSRegularExpression(pattern: "`([a-z_]+):( [^`]*)?`")
        for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).reversed() {
            guard let whole = Range(match.range, in: text), let keyRange = Range(match.range(at: 1), in: text),
                  let flag = keyFlags[String(text[keyRange])] else { continue }
            var value = Range(match.range(at: 2), in: text).map { String(text[$0].dropFirst()) } ?? ""
            if value.contains(" ") { value = "\"\(value)\"" }
            text.replaceSubrange(whole, with: "`\(flag)\(value.isEmpty ? "" : " " + value)`")
        }
        text = text.replacingOccurrences(of: "add `", with: "give `")
        if let key = problem.key, let flag = flagNames[key] {
            let leaf = String(key.split(separator: ".").last ?? "")
            if text.hasPrefix("missing; ") {
                // "--company is missing; give `--company "Acme Robotics"`"
                text = "\(flag) is missing; " + text.dropFirst("missing; ".count)
                problem.key = nil
            } else if text.hasPrefix(leaf + " ") || text.hasPrefix(leaf + ":") {
                // "company is empty" → "--company is empty".
                text = flag + text.dropFirst(leaf.count)
                problem.key = nil
            } else {
                problem.key = flag
            }
        }
        problem.problem = text
        return problem
    }

    /// Interview-file key paths → the flag that sets them.
    static let flagNames = ["company": "--company", "position": "--position", "interview.end": "--ended", "interview.timezone": "--timezone",
                            "interviewers[0].name": "--name", "interviewers[0].honorific": "--honorific", "interviewers[0].call_me": "--call-me",
                            "interviewers[0].email": "--to", "interviewers[0].topic": "--topic", "interviewers[0].note": "--note", "interview": "--ended",
                            "interviewers[0].last_name": "--last-name", "interviewers[0].salutation": "--salutation",
                            "decision_by": "--decision-by", "nudges": "--nudges"]

    /// Key names as hints write them → flags.
    static let keyFlags = ["company": "--company", "position": "--position", "end": "--ended", "timezone": "--timezone", "name": "--name",
                           "honorific": "--honorific", "call_me": "--call-me", "email": "--to", "topic": "--topic", "note": "--note",
                           "last_name": "--last-name", "salutation": "--salutation", "decision_by": "--decision-by",
                           "nudges": "--nudges"]
}
