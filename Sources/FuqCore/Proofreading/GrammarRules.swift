import Foundation

/// A phrase rule, kept as data (like Vale's `existence` rules): a pattern, what is wrong, and an
/// example that must be caught and one that must not (each tested one by one). Adding a phrase
/// is a one-line change to a pattern here.
public struct PhraseRule: Sendable {
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
    /// The rule runs only on a note whose text (in small letters) holds one of these (empty:
    /// always): most notes never say "principle", and the pattern need not look for it.
    public var needs: [String] = []
    public var caught: String
    public var passed: String
}

/// Every phrase rule: the grammar slips and the tone rules.
public enum PhraseRules {
    public static let all: [PhraseRule] = GrammarRules.all + ConfusableRules.all + ConfusableRules.missingWords + ToneRules.all
}

/// Slips that spell checkers pass and coaches list for these notes.
public enum GrammarRules {
    public static let all: [PhraseRule] = [
        PhraseRule(id: "look-forward-to-ing", severity: .error,
                    pattern: #"\blook(?:ing|s)? forward to (hear|meet|speak|talk|work|join|discuss|learn|contribute|connect|see|continue|collaborate|receive|start|help|build|share|visit|get)\b"#,
                    message: "\"look forward to\" takes the -ing form: \"look forward to hearing\"",
                    caught: "I look forward to hear from you.", passed: "I look forward to hearing from you."),
        PhraseRule(id: "doubled-word", severity: .error, pattern: #"\b([A-Za-z]+)\s+\1\b(?!-)"#,
                    message: "the same word twice in a row; remove one",
                    exceptions: ["had had", "that that", "is is", "bye bye"],
                    caught: "Thank you for the the conversation.", passed: "What I had had in mind was the pipeline."),
        // a/an follows the sound, not the letter: "an hour", "a university", "an MBA", "a URL".
        PhraseRule(id: "a-an", severity: .error,
                    pattern: #"\b[Aa] (?=[aeio])[a-z]+|\b[Aa] (?=[AEIO][a-z])[A-Za-z]+|\b[Aa] (?:hour|honest|honou?r|heir)[a-z]*|\b[Aa] (?:un(?!i[cfloqstvx]|anim)|up[a-z]|um|utt|ush|ug|ult|ups)[a-z]*"#,
                    message: "use \"an\" before a vowel sound (an exciting, an hour, an update) and \"a\" before a consonant sound",
                    exceptions: ["a one", "a once", "a eu", "a ewe"], caseSensitive: true,
                    caught: "It was a honor and a exciting conversation about a update.", passed: "It was an honor, a one-hour talk with a European team, a unique and a useful one."),
        PhraseRule(id: "a-an", severity: .error,
                    pattern: #"\b[Aa]n (?=[bcdfgjklmnpqrstvwxyz])[a-z]+|\b[Aa]n (?=[BCDFGJKLMNPQRSTVWXYZ][a-z])[A-Za-z]+|\b[Aa]n (?:uni[cfloqstvx]|unanim|us[aeu]|uti|uro|ukr|uku|ubiq|eu|ewe|one\b|once\b|Eu|Uni[cfloqstvx]|Us[aeu]|Ut[ai]|Ukr|One\b)[a-z]*|\b[Aa]n (?:NASA|NATO|FIFA|NAFTA|LIDAR|RADAR|SCRUM|SOAP|MOOC|FAANG|RAID|LASER|SWAT|NAS|SAML|SOC)\b"#,
                    message: "use \"a\" before a consonant sound (a team, a university, a user, a one-day visit) and \"an\" before a vowel sound",
                    exceptions: ["an hour", "an honest", "an honor", "an honour", "an heir", "an herb"], caseSensitive: true,
                    caught: "It was an great chat about an university and an user study.", passed: "It was an honest chat about a university, a user study and an unusual one."),
        // Letters read one by one: "an MBA", "an SRE", "an M.Sc.", "a URL", "a PhD"; read as a word: "a NASA project".
        PhraseRule(id: "a-an", severity: .error,
                    pattern: #"\b[Aa] [AEFHILMNORSX](?:[A-Z0-9]{1,5}|Sc|Eng|Phil|Des|Arch)?s?(?:\.(?:[A-Za-z]{1,4}\.?)*)?(?![\p{L}\p{N}'’])|\b[Aa]n [BCDGJKPQTUVWYZ](?:[A-Z0-9]{1,5}|Sc|Eng|Phil|hD)?s?(?:\.(?:[A-Za-z]{1,4}\.?)*)?(?![\p{L}\p{N}'’])"#,
                    message: "a letter read out decides: \"an MBA\", \"an SRE\", \"an M.Sc.\" (em, ess), but \"a URL\", \"a PhD\" (you, pee)",
                    exceptions: ["a sql", "a faang", "a saas", "a nasa", "a nato", "a raid", "a lidar", "a laser", "a radar", "a scrum", "a soap", "a rest", "a oled", "a ios", "a xml"],
                    caseSensitive: true,
                    caught: "I have a MBA and a LLM project, and an URL.", passed: "I have an MBA, an M.Sc. and a PhD, an SRE role, a URL, a NASA grant and a SQL test."),
        PhraseRule(id: "could-of", severity: .error, pattern: #"\b(could|would|should|must|might) of\b"#,
                    message: "\"could of\" is \"could have\" (also would/should/must/might have)",
                    caught: "I would of liked to ask more.", passed: "I would have liked to ask more."),
        PhraseRule(id: "lowercase-i", severity: .error, pattern: #"(?<![\w'’.-])i(?=[ ,’'](?:am|was|have|had|m|ve|d|ll|would|will|look|enjoyed|appreciate|think|believe|hope|learned|really|also|can|could)\b)"#,
                    message: "the pronoun \"I\" is always a capital letter", caseSensitive: true,
                    caught: "Thank you; i was glad to talk, and i'm grateful.", passed: "Thank you; I was glad to talk about the i18n work and item i."),
        PhraseRule(id: "double-period", severity: .error, pattern: #"[^.\s]\.\.(?!\.)"#,
                    message: "two full stops; a name that ends with one (Inc., Ltd.) also ends the sentence — write one",
                    caught: "the role at Acme Robotics, Inc.. It was great.", passed: "the role at Acme Robotics, Inc. It was great… and more..."),
        PhraseRule(id: "sentence-capital", severity: .warning, pattern: #"(?<=[.!?] )(?<!\b\p{Lu}\. )(?<!\.\p{L}{1,3}\. )[a-z][a-z]+"#,
                    message: "a sentence starts with a small letter",
                    notAfter: ["e.g. ", "i.e. ", "etc. ", "vs. ", "approx. ", "Inc. ", "Ltd. ", "Corp. ", "Co. ", "Bros. ", "No. ", "St. ",
                               "Mr. ", "Mrs. ", "Ms. ", "Mx. ", "Dr. ", "Prof. ", "Jr. ", "Sr. ", "Rev. ", "Hon. ", "Sra. ", "Dra. ", "Mme. "],
                    caseSensitive: true,
                    caught: "Thank you. it was great.", passed: "Thank you. It was great, e.g. the demo. Dear Ms. de la Fuente, Mr. van der Meer and J. de Vries."),
    ]
}

/// Lines that read wrong to a hiring team (etiquette.md, "Tone"): warnings — the note is queued.
public enum ToneRules {
    static let days = "(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight|eod|eow|end of (?:the )?(?:day|week|month)|next week|this week|the \\d|\\d)"

    public static let all: [PhraseRule] = [
        PhraseRule(id: "demanding", severity: .warning,
                   pattern: #"\bwhen (?:will|can|should|do) I (?:hear|expect|know|get)\b|\bI (?:expect|need) (?:to hear|an answer|a decision|a response|to know)\b|\bwhy (?:haven't|have not|hasn't|has not|didn't|did not) (?:you|I|anyone)\b"#,
                   message: "reads as demanding; prefer \"I look forward to hearing about the next steps\"",
                   caught: "When will I hear back? I need an answer.", passed: "I will hear more about the team's plans when we next speak."),
        PhraseRule(id: "demanding", severity: .warning,
                   pattern: #"\b(?:please |kindly )?(?:respond|reply|answer|get back to me|let me know|tell me|inform me|update me)\b[^.!?\n]{0,40}?\b(?:by|before|no later than|within)\s+"# + days + #"[\w ]*|\b(?:let me know|respond|reply|get back to me|answer)\b[^.!?\n]{0,20}?\b(?:asap|as soon as possible|right away|immediately|urgently)\b"#,
                   message: "asks them to answer by a deadline; they set the timeline — prefer \"I look forward to hearing about the next steps\"",
                   caught: "Please get back to me by Friday with your decision.", passed: "I can start as soon as possible, and please let me know if I can send anything by email."),
        PhraseRule(id: "demanding", severity: .warning,
                   pattern: #"\b(?:let me know|tell me|inform me of|send me) your (?:final )?decision\b|\bI look forward to (?:your|the|receiving (?:your|the)) (?:offer|decision)\b(?!-)|\b(?:I am|I'm) (?:still )?waiting (?:for|on) (?:your|a|the) (?:decision|answer|reply|response|offer)\b"#,
                   message: "presses for a decision; prefer \"I look forward to hearing about the next steps\"",
                   caught: "I look forward to your offer.", passed: "I look forward to the decision-making process you described and to hearing from you."),
        PhraseRule(id: "pleading", severity: .warning,
                   pattern: #"\b(?:I|my family|my kids|my children|we) (?:really |truly |desperately |badly |so )?needs? (?:me to (?:get|land) )?(?:this|a|the|any) (?:job|role|position|opportunity|work|offer|chance)\b|\b(?:I(?:'d|’d| would| will|'ll|’ll)|I am willing to|I'm willing to) (?:happily |gladly )?(?:accept|take|do) (?:any|whatever) (?:position|role|job|salary|offer|title|work|level)\b|\bany (?:position|role|job|opening) (?:at all|you (?:have|can offer|may have)|whatsoever)\b"#,
                   message: "reads as pleading; a hiring team wants a peer who chose them — say what you would bring (\"I would welcome the chance to contribute to …\")",
                   caught: "I really need this job and would accept any position.", passed: "I need to prepare for the next round, and I would welcome any questions about the role."),
        PhraseRule(id: "pleading", severity: .warning,
                   pattern: #"\bplease,? (?:just )?(?:give|grant|offer) me (?:a|this|the|one|another|one more) (?:chance|shot|opportunity|try|job|break)\b|\bjust give me a (?:chance|shot)\b|\bI(?:'m|’m| am) (?:begging|pleading)\b|\bI beg (?:you|of you)\b|\bI(?:'m|’m| am) (?:\w+ )?desperate\b|\bI (?:\w+ )?desperately (?:need|want|hope)\b|\bI(?:'ll|’ll| will| would) do anything\b|\bI (?:know|realise|realize) I(?:'m|’m| am) (?:not|probably not|far from) (?:the )?(?:best|strongest|ideal|most qualified|right)\b|\bI(?:'m|’m| am) (?:not (?:worthy|good enough)|unworthy)\b|\b(?:my last|my only) (?:hope|chance)\b"#,
                   message: "reads as pleading or self-deprecating; keep to what you offer and the conversation you had",
                   caught: "Please give me a chance; I am begging you.", passed: "Please give me a call if anything is unclear; I would welcome the chance to help."),
        PhraseRule(id: "attachment", severity: .warning,
                   pattern: #"\b(?:please )?(?:see|find) (?:the )?(?:attached|enclosed)\b|\bI(?:'ve| have)? (?:attached|enclosed)\b|\b(?:I am|I'm) attaching\b|\b(?:attached|enclosed) (?:is|are|please find|you will find|you'll find)\b|\bin the attachment\b|\bthe attached (?:file|document|pdf|resume|résumé|cv|portfolio|slides)\b"#,
                   message: "fuq sends no attachments, so the note would promise a file that is not there; link to it instead (sender.links, or a URL in the text)",
                   caught: "Please see attached my portfolio.", passed: "My portfolio is at https://example.org/work, and I am attached to the idea."),
    ]
}
