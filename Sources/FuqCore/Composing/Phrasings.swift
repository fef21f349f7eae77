import Foundation
import Mustache
import Yams

/// The wording of fuq's built-in notes, as data (`Config/phrasings.yaml`, embedded as
/// `BuiltInPhrasings.yaml`): for each slot of a note (the opening sentence, the reaction, the
/// bridge to the pitch, the close…) a list of alternatives in two registers. Each note picks one
/// alternative per slot by its phrasing number, so the notes of a panel differ in every slot
/// (etiquette.md, "Personal, not swapped"). An alternative is a small Mustache template over
/// the note's own values (`{{position}}`, `{{interviewer.topic}}`, `{{interview.date}}`…).
public enum Phrasings {
    /// How a note speaks: `senior` to a Director, VP, Head of, Chief or Principal — fewer
    /// adjectives, no "eager", a business-level close.
    public enum Register: String, Codable, Sendable, CaseIterable {
        case standard, senior
    }

    /// Section → slot → register → alternatives.
    typealias Table = [String: [String: [String: [String]]]]

    /// `FUQ_PHRASINGS=FILE` reads the phrasings from FILE instead (for trying new wording
    /// without a rebuild; scripts/gen-phrasings then embeds it).
    static let table: Table = {
        var text = BuiltInPhrasings.yaml
        if let path = ProcessInfo.processInfo.environment["FUQ_PHRASINGS"], let own = try? InputFile.text(atPath: path) { text = own }
        guard let parsed = try? Yams.load(yaml: text) as? [String: Any] else { return [:] }
        var table: Table = [:]
        for (section, slots) in parsed {
            for (slot, registers) in (slots as? [String: Any]) ?? [:] {
                for (register, list) in (registers as? [String: Any]) ?? [:] {
                    table[section, default: [:]][slot, default: [:]][register] = (list as? [Any])?.map { "\($0)" } ?? []
                }
            }
        }
        return table
    }()

    /// Every slot of `section`, with its alternatives in `register`.
    public static func alternatives(_ section: String, _ slot: String, _ register: Register) -> [String] {
        table[section]?[slot]?[register.rawValue] ?? table[section]?[slot]?[Register.standard.rawValue] ?? []
    }

    /// The register a position asks for: "VP of Engineering", "Head of Data", "Principal
    /// Engineer", "Chief Technology Officer", "Director, Platform" are senior; `register:` in the
    /// interview file overrides.
    public static func register(position: String, override: Register?) -> Register {
        if let override { return override }
        return position.range(of: #"(?i)\b(?:director|vp|svp|evp|vice[ -]president|head of|chief|principal|c[tefoip]o|partner)\b"#,
                              options: .regularExpression) != nil ? .senior : .standard
    }

    /// Which alternative of `count` (at least 5) note number `number` uses in slot `slot`
    /// (0-based): the first five of a panel share none in any slot.
    static func index(_ number: Int, slot: Int, count: Int) -> Int {
        guard count > 0 else { return 0 }
        let n = ((number % 25) + 25) % 25
        // a: the person's place in the panel (distinct for its first five); b: the interview's
        // turn, shared by the panel, which rotates each slot by its own step.
        let (a, b) = (n % 5, n / 5)
        let beyond = number >= 25 ? number / 5 : 0    // a panel over 25 goes on turning
        // Each slot starts its own way into the list (3 apart), so alternative i of one slot
        // does not always meet alternative i of the next.
        return (a + b * (slot + 1) + slot * 3 + beyond + count) % count
    }

    /// The slots of the thank-you, in order (their place decides the alternative).
    public static let thankYouSlots = ["opening", "reaction", "pitch", "clarify", "close", "sign_off"]
    /// The follow-up's body slots (one of them is used per note) and its sign-off.
    public static let followUpSlots = ["lead", "recruiter", "recruiter_screened", "nudge", "nudge_recruiter", "sign_off"]

    /// The chosen, rendered text of each slot of one note's `section` ("thank_you" or
    /// "follow_up"): `phrases.opening` and so on, placed by the built-in templates. A follow-up
    /// without sign-offs of its own takes the thank-you's. British senders get British
    /// spelling of fuq's own words (`BritishSpelling`).
    static func rendered(_ section: String, number: Int, register: Register, values: [String: Any], british: Bool) -> [String: String] {
        var out: [String: String] = [:]
        let slots = section == "follow_up" ? followUpSlots : thankYouSlots
        for (k, slot) in slots.enumerated() {
            var list = alternatives(section, slot, register)
            if list.isEmpty, slot == "sign_off" { list = alternatives("thank_you", "sign_off", register) }
            guard !list.isEmpty, let template = compiled(list[index(number, slot: k, count: list.count)]) else { continue }
            let text = template.render(values).trimmingCharacters(in: .whitespaces)
            out[slot] = british ? BritishSpelling.apply(text) : text
        }
        return out
    }

    /// Each alternative parsed once per process (a flush renders every note, proofreading twice).
    private static func compiled(_ source: String) -> MustacheTemplate? {
        // Plain text, as the templates are: no HTML escaping of "O'Brien & Sons".
        try? templates.value(for: source) { try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + source) }
    }

    private static let templates = LockedCache<String, MustacheTemplate>()
}

/// The few American spellings fuq's own phrasings could use, written the British way for an
/// en_GB (en_AU, en_IN, en_NZ, en_IE, en_ZA) sender. Applied to fuq's words only, never to the
/// user's (their topic, note and pitch are theirs).
public enum BritishSpelling {
    static let words: [(String, String)] = [
        ("organize", "organise"), ("organized", "organised"), ("organizing", "organising"), ("organization", "organisation"),
        ("prioritize", "prioritise"), ("prioritized", "prioritised"), ("recognize", "recognise"), ("recognized", "recognised"),
        ("realize", "realise"), ("realized", "realised"), ("apologize", "apologise"), ("specialize", "specialise"),
        ("emphasize", "emphasise"), ("summarize", "summarise"), ("analyze", "analyse"), ("analyzed", "analysed"),
        ("color", "colour"), ("favor", "favour"), ("favorite", "favourite"), ("behavior", "behaviour"), ("honor", "honour"),
        ("center", "centre"), ("catalog", "catalogue"), ("candor", "candour"), ("toward", "towards"),
    ]

    public static func apply(_ text: String) -> String {
        var out = text
        for (us, gb) in words {
            for variant in [(us, gb), (us.prefix(1).uppercased() + us.dropFirst(), gb.prefix(1).uppercased() + gb.dropFirst())] {
                out = out.replacingOccurrences(of: "\\b\(variant.0)\\b", with: variant.1, options: .regularExpression)
            }
        }
        return out
    }

    /// Languages written with British spelling.
    public static func isBritish(_ language: String?) -> Bool {
        guard let language else { return false }
        return ["en_GB", "en_AU", "en_IN", "en_NZ", "en_IE", "en_ZA"].contains(language)
    }
}
