import Foundation

extension InvitationDraft {
    /// The word every field only the user can fill holds; `fuq check` and `fuq enqueue` refuse it.
    public static let todo = "TODO"

    /// How many TODOs the user must fill.
    public var todoCount: Int { render().components(separatedBy: ": \(Self.todo)").count - 1 }

    /// The interview file, commented: where each value came from, what was guessed, who was
    /// left out and why.
    public func render() -> String {
        let wall = DateFormatting.formatter("yyyy-MM-dd'T'HH:mm", zone)
        let utc = DateFormatting.formatter("EEE d MMM HH:mm 'UTC'", .gmt)
        var out = "# Drafted by `fuq new` from \(Self.oneLine(sources.joined(separator: ", "))).\n"
        out += "# Fill every TODO (fuq check and fuq enqueue refuse the file until then), then:\n"
        out += "#   fuq check FILE && fuq enqueue FILE\n"
        if !uids.isEmpty {
            out += "invitation:\n  uid: \(Self.quoted(uids.joined(separator: " ")))\n  sequence: \(sequence)\n"
        }
        out += "company: \(company.map(Self.quoted) ?? Self.todo)    # \(company == nil ? "" : "guessed from ")\(Self.oneLine(companyFrom)); check it\n"
        out += "position: \(position.map(Self.quoted) ?? Self.todo)    # \(position == nil ? "" : "guessed from ")\(Self.oneLine(positionFrom)); check it\n"
        out += "interview:\n"
        out += "  start: \(wall.string(from: start))    # \(utc.string(from: start))\n"
        out += "  end: \(wall.string(from: end))\n"
        out += "  timezone: \(zone.identifier)    # \(Self.oneLine(zoneFrom))\n"
        out += "interviewers:\n"
        if interviewers.isEmpty {
            out += "  - name: \(Self.todo)    # the invitation names nobody but you\n    email: \(Self.todo)\n    topic: \(Self.todo)\n"
        }
        for p in interviewers {
            out += "  - name: \(p.name.map(Self.quoted) ?? Self.todo)\(p.note.map { "    # \(Self.oneLine($0))" } ?? "")\n"
            out += "    honorific: \(Self.todo)    # Ms. / Mr. / Mx. / Dr. — or replace this line with `call_me: NAME` if they asked\n"
            out += "    email: \(Self.quoted(p.email))\n"
            if p.lead { out += "    lead: true    # the invitation's chair\n" }
            out += "    topic: \(Self.todo)    # what *this* person discussed with you\n"
        }
        if let r = recruiter {
            out += "recruiter:    # \(Self.oneLine(recruiterNote ?? ""))\n"
            out += "  name: \(r.name.map(Self.quoted) ?? Self.todo)\(r.note.map { "    # \(Self.oneLine($0))" } ?? "")\n"
            out += "  honorific: \(Self.todo)\n"
            out += "  email: \(Self.quoted(r.email))\n"
        }
        if !leftOut.isEmpty {
            out += "# Left out:\n"
            for l in leftOut { out += "#   \(Self.oneLine(l.who)) (\(l.why))\n" }
        }
        return out
    }

    /// Text for a comment: control characters and line breaks of every kind (YAML also breaks
    /// lines at U+0085, U+2028 and U+2029) shown as escapes, never acted on.
    static func oneLine(_ text: String) -> String {
        var out = ""
        for scalar in TextSafety.printable(text).unicodeScalars {
            if ["\u{85}", "\u{2028}", "\u{2029}", "\u{FEFF}"].contains(scalar) || scalar.properties.generalCategory == .control {
                out += String(format: "\\u{%X}", scalar.value)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A YAML double-quoted scalar (nothing read as YAML syntax).
    static func quoted(_ value: String) -> String {
        "\"" + TextSafety.printable(value).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
