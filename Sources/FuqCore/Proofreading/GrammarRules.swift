import Foundation

/// A slip that spell checkers pass and coaches list for these notes, kept as data: each entry
/// has an example that must be caught and one that must not (tested one by one).
public struct GrammarRule: Sendable {
    public var id: String
    public var severity: ProofFinding.Severity
    /// Case-insensitive regular expression; the match is the excerpt.
    public var pattern: String
    public var message: String
    /// Matches that are fine when they start with one of these ("an hour", "a eu" for "a European").
    public var exceptions: [String] = []
    /// Text just before the match that makes it fine ("e.g. " before a small letter).
    public var notAfter: [String] = []
    public var caseSensitive = false
    /// The word after an article is an acronym ("an SRE", "a NASA"): sound decides, not letters.
    public var skipsAcronyms = false
    public var caught: String
    public var passed: String
}

public enum GrammarRules {
    public static let all: [GrammarRule] = [
        GrammarRule(id: "look-forward-to-ing", severity: .error,
                    pattern: #"\blook(?:ing)? forward to (hear|meet|speak|talk|work|join|discuss|learn|contribute|connect|see)\b"#,
                    message: "\"look forward to\" takes the -ing form: \"look forward to hearing\"",
                    caught: "I look forward to hear from you.", passed: "I look forward to hearing from you."),
        GrammarRule(id: "doubled-word", severity: .error, pattern: #"\b([A-Za-z]+)\s+\1\b"#,
                    message: "the same word twice in a row; remove one",
                    exceptions: ["had had", "that that", "is is", "bye bye"],
                    caught: "Thank you for the the conversation.", passed: "What I had had in mind was the pipeline."),
        GrammarRule(id: "a-an", severity: .error,
                    pattern: #"\ba (?=[aeio])[A-Za-z]+|\ban (?=[bcdfgjklmnpqrstvwxyz])[a-z]+|\ba (?:hour|honest|honou?r|heir)[a-z]*"#,
                    message: "use \"an\" before a vowel sound and \"a\" before a consonant sound",
                    exceptions: ["an hour", "an honest", "an honor", "an honour", "an heir", "a one", "a once", "a eu", "a ewe"],
                    skipsAcronyms: true,
                    caught: "It was a honor and a exciting conversation.", passed: "It was an honor, a one-hour talk with a European team, an SRE and an exciting one."),
        GrammarRule(id: "could-of", severity: .error, pattern: #"\b(could|would|should|must|might) of\b"#,
                    message: "\"could of\" is \"could have\" (also would/should/must/might have)",
                    caught: "I would of liked to ask more.", passed: "I would have liked to ask more."),
        GrammarRule(id: "its-it's", severity: .error,
                    pattern: #"\bit's (own|team|mission|customers|product|platform|culture|values|users)\b|\bits (a|an|been|clear|great|exciting|always|not)\b"#,
                    message: "\"its\" is the possessive (its team), \"it's\" means \"it is\" (it's clear)",
                    caught: "Acme and it's team; its clear why.", passed: "Acme and its team; it's clear why."),
        GrammarRule(id: "lowercase-i", severity: .error, pattern: #"(?<![\w'’.-])i(?=[ ,’'](?:am|was|have|had|m|ve|d|ll|would|will|look|enjoyed|appreciate|think|believe|hope|learned|really|also|can|could)\b)"#,
                    message: "the pronoun \"I\" is always a capital letter", caseSensitive: true,
                    caught: "Thank you; i was glad to talk, and i'm grateful.", passed: "Thank you; I was glad to talk about the i18n work and item i."),
        GrammarRule(id: "sentence-capital", severity: .warning, pattern: #"(?<=[.!?] )[a-z][a-z]+"#,
                    message: "a sentence starts with a small letter",
                    notAfter: ["e.g. ", "i.e. ", "etc. ", "vs. ", "approx. "], caseSensitive: true,
                    caught: "Thank you. it was great.", passed: "Thank you. It was great, e.g. the demo."),
    ]
}
