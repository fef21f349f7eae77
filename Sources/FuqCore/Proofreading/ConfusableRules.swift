import Foundation

/// Words a spelling check cannot see because both spellings are words: the wrong one is told by
/// the word next to it. Each rule is scoped to contexts where only one reading is English
/// ("there team", "more then", "will effect the team"), the way Harper scopes its rules: a
/// pattern that could also be right somewhere ("is there time", "to effect change", "back then")
/// is left out rather than guessed. `ConfusableTests` runs every rule over ordinary sentences that
/// use the same words rightly (ProofreadingCases/sentences).
public enum ConfusableRules {
    /// Nouns a possessive goes with in these notes ("their team", "its roadmap").
    static let nouns = "(?:own|team|teams|work|products?|platforms?|customers|clients|users|approach|plans|roadmap|goals|company|"
        + "engineers|experience|feedback|mission|values|culture|offices?|services|infrastructure|codebase|stack|processes|insights|"
        + "perspective|projects|expertise|organi[sz]ation|department|colleagues|staff|members|leadership|vision|strategy|growth|"
        + "success|history|employees|partners|tools|pipelines?|architecture|community|brand|reputation|interviewers|"
        + "candidates|managers|founders|research|documentation|priorities|business|industry|field|careers?|backgrounds?|"
        + "kindness|hospitality|insight|guidance|advice|input|generosity|honesty|openness|patience|thoughts|ideas)"
    /// More nouns, for the forms that no "it's time to" can clash with.
    static let moreNouns = "(?:time|path|journey|story|passion|energy|style|attention|headcount|data|scope|size|scale|questions|"
        + "days|people|work|role|company|mission|goal|help|support|email|message|note|call|reply|offer|consideration|"
        + "presentation|demo|talk|answers?|explanation|patience|enthusiasm|curiosity|team's|company's)"
    /// Prepositions, after which "it's", "you're", "they're" cannot be "it is", "you are", "they are".
    static let prepositions = "(?:of|in|on|beyond|for|with|from|by|into|through|within|across|behind|under|about|at|during|toward|towards|despite)"
    /// Be-verbs and others after which "there" is the place or the pronoun ("is there time").
    static let thereLeft = "(?<!\\b(?:is|are|was|were|be|been|isn't|aren't|wasn't|weren't|get|got|go|went|out|over|here|from|up|down|back|still|also|not|and|be|in)\\s)"
    static let comparatives = "(?:more|less|fewer|rather|other|better|worse|greater|larger|smaller|faster|slower|higher|lower|bigger|easier|harder|"
        + "longer|shorter|stronger|simpler|cheaper|quicker|safer|clearer|richer|deeper|wider|broader|newer|older|smarter|happier|"
        + "busier|calmer|closer|fewer|further|farther|louder|lighter|heavier|riskier|costlier|sooner)"
    /// Adjectives that are no verb ("to close", "to slow down" and "to brief" are left out).
    static let adjectives = "(?:early|late|long|short|much|many|big|small|busy|soon|hard|easy|complex|complicated|quick|"
        + "expensive|young|large|vague|risky|tired|nervous|modest|humble|ambitious|optimistic|strict|generous|good|tight|brief|"
        + "close|slow|narrow|fast|detailed|formal|casual|abstract|theoretical|optimistic|focused|broad)"

    public static let all: [PhraseRule] = [
        // its / it's (the id of the rule before issue 24, which `allow:` lists may name)
        PhraseRule(id: "its-it's", severity: .error,
                   pattern: #"\bit['’]s "# + nouns + #"\b"#,
                   message: "\"its\" is the possessive (its team); \"it's\" means \"it is\" or \"it has\"",
                   needs: ["it’s", "it's"],
                   caught: "I admire Acme and it's mission.", passed: "I admire Acme and its mission; it's clear why it has grown."),
        PhraseRule(id: "its-it's", severity: .error,
                   pattern: #"\b"# + prepositions + #" it['’]s\b(?! (?:been|got|not)\b)|\b(?:has|have|had|doubled|tripled|halved|grew|grown|owns|lost|built|changed|improved|shares|increased|reduced|expanded|scaled|rebuilt|redesigned|open-sourced|shipped|launched|reached|cut|made|publishes|published|releases|released|runs|ran|manages|managed|handles|handled|tests|trains|trained|serves|served|measures|measured|tracks|tracked|keeps|documents|documented|earns|earned|protects|protected|appreciated|enjoyed|loved|admire|admired|respect|respected|value|valued) it['’]s\b(?! (?:been|got|not|a|an|the|clear|worth|easy|hard|possible|likely|important|time)\b)"#,
                   message: "\"its\" is the possessive (beyond its scope, doubled its headcount); \"it's\" means \"it is\" or \"it has\"",
                   needs: ["it’s", "it's"],
                   caught: "The team doubled it's headcount, well beyond it's plan.", passed: "The team doubled its headcount; I think it's clear, and I made it clear it's worth it."),
        PhraseRule(id: "its-it's", severity: .error,
                   pattern: #"\bits (?:a|an|the|my|your|our|their|this|that|been|always|not|no longer|so|very|really|also|just|going|getting|becoming|likely|possible|worth|true that|clear that|(?:great|exciting|easy|hard|important|good|nice|rare|encouraging|inspiring|fascinating|wonderful|fun|clear|obvious|convenient|fine|okay|helpful|useful|better|easier|best) (?:to|that|how|when|if|seeing|hearing|working)\b)\b"#,
                   message: "\"it's\" (it is, it has) is meant here; \"its\" is the possessive (its team)",
                   needs: ["its "],
                   caught: "Its been a pleasure, and its clear the team cares.", passed: "The team and its goals: it's been a pleasure, and its great engineers showed it."),
        // there / their / they're
        PhraseRule(id: "confusable", severity: .error,
                   pattern: thereLeft + #"\bthere "# + nouns + #"\b"#,
                   message: "\"their\" is the possessive (their team); \"there\" is a place or \"there is\"",
                   needs: ["there"],
                   caught: "I enjoyed hearing about there roadmap.", passed: "There is a lot to learn, and their roadmap is clear; is there time to meet?"),
        PhraseRule(id: "confusable", severity: .error,
                   pattern: #"\b(?:for|about|with|thank|thanks|thanked) there (?!to\b|is\b|are\b|was\b|were\b|being\b|be\b|will\b|and\b|or\b|again\b|too\b|as\b|in\b|on\b|at\b|first\b|now\b|yet\b|already\b)[a-z]+|"# + thereLeft + #"\bthere (?!years\b|months\b|weeks\b|days\b|hours\b|minutes\b|times\b|ages\b|tends\b|seems\b|remains\b|exists\b|appears\b|follows\b|comes\b|goes\b|lies\b|stands\b|lives\b|happens\b|arises\b|emerges\b|was\b|is\b|has\b|as\b|always\b|perhaps\b|plus\b|unless\b|across\b|thus\b|yes\b|afterwards\b|towards\b|nevertheless\b|besides\b|less\b|sometimes\b|nowadays\b|overseas\b|regardless\b|this\b|his\b|was\b|does\b|us\b|yours\b|ours\b|theirs\b|hers\b)[a-z]{3,}s\b(?![-'’])|\b(?:hope|think|know|sure|glad|heard|seems|because|if|that|when|since|while) there (?!being\b|nothing\b|something\b|anything\b|everything\b)\w+ing\b"#,
                   message: "\"their\" (their questions) or \"they're\" (they're enjoying) is meant; \"there\" is a place or \"there is\"",
                   needs: ["there"],
                   caught: "Please thank the engineers for there questions; I hope there enjoying the launch.", passed: "Thank you for being there; I hope there is time, and I know there is nothing for there to be."),
        PhraseRule(id: "confusable", severity: .error,
                   pattern: #"\b(?:know|hope|think|sure|because|if|since|when|that|while) their (?:busy|happy|right|ready|not|so|very|too|also|still|going|interested|excited|able|in|here|there|both|all|already|now|currently|hiring|building|growing|expanding|looking|planning|working)\b(?![-'’\w])(?! (?:process|plan|plans|team|manager|bar|pipeline|budget|needs|goals|work|schedule|calendar|strategy|approach|roadmap|efforts|site|space|board)\b)|\b(?:is|are|was|were) their (?:a|an|any|anything|anyone|someone|no|enough|still)\b|\b(?:like|heard|hear|seems|sounds like) their (?:hiring|building|growing|expanding|planning|looking|working|going) (?=(?:for|more|two|three|several|new|quickly|again|aggressively|engineers|a|an|to)\b)|\bthey['’]re (?:is|was|has been|are)\b"#,
                   message: "\"they're\" (they are) or \"there\" (there is) is meant; \"their\" is the possessive",
                   needs: ["their", "they"],
                   caught: "I know their busy, and is their a chance they're is room?", passed: "I know their team is busy because their process is long; is there a chance they're free?"),
        PhraseRule(id: "confusable", severity: .error,
                   pattern: #"\btheir (?:is|are|was|were|will be|would be|has been|have been|seems?|appears?|isn't|aren't|wasn't|weren't)\b"#,
                   message: "\"there\" is meant (there is, there are); \"their\" is the possessive",
                   needs: ["their"],
                   caught: "I think their are many ways to help.", passed: "I think there are many ways to help their team."),
        PhraseRule(id: "confusable", severity: .error,
                   pattern: #"\bthey['’]re (?:"# + nouns + "|" + moreNouns + #")\b|\b"# + prepositions + #" they['’]re\b"#,
                   message: "\"their\" is the possessive (their team); \"they're\" means \"they are\"",
                   needs: ["they"],
                   caught: "I liked how they're team works.", passed: "I liked how their team works; they're proud of it."),
        PhraseRule(id: "confusable", severity: .error,
                   pattern: #"(?<!\b(?:is|are|was|were|be|isn't|aren't|wasn't|weren't)\s)\bthere (?:going to|doing|looking for|hiring|planning to|trying to|building|working on)\b|\btheir (?:going to|planning to|trying to|looking for|doing well|not)\b"#,
                   message: "\"they're\" (they are) is meant here",
                   needs: ["there", "their"],
                   caught: "I heard there hiring for two more roles.", passed: "I heard they're hiring; is there going to be a second round? Their hiring process and building work help."),
        // your / you're
        PhraseRule(id: "confusable", severity: .error,
                   pattern: #"\byour (?:a|an|the|not|also|right that|correct|going to|looking for|able|interested|so right|absolutely)\b|\b(?:hope|if|when|whenever|know|sure|since|because|while|as soon as|tell|see|hear|glad|noticed|felt|sense) your (?:proud|excited|pleased|thrilled|keen|eager|open|new to|having|going|doing|getting|coming|leaving|enjoying|feeling|hoping|free|ready|busy|available|still|away|back|done|finished|happy|okay|well|welcome|right|in|on)\b(?![-'’])(?! (?:time|schedule|team|calendar|process|week|day|feedback|input|review|plans?|work|role|hours|side|end|own|list|agenda|board|site|call|way)\b)"#,
                   message: "\"you're\" (you are) is meant here; \"your\" is the possessive (your team)",
                   needs: ["your"],
                   caught: "I hope your not too busy, and your right that it matters.", passed: "Thank you for your welcome; I hope your team is well and you're not too busy."),
        PhraseRule(id: "confusable", severity: .error,
                   pattern: #"\b(?:appreciate|appreciated|enjoyed|loved|liked|valued|admire|admired|respect|respected|welcomed|received|took|considered|heard|followed|read) (?:you|they)['’]re\b(?! (?:not|so|very|too|right|going|doing|looking|hiring|building|still|also|planning|working|busy|free|ready|open|willing|able|interested|considering|taking|the|a|an)\b)|\byou['’]re (?:"# + nouns + "|" + moreNouns + #")\b|\b"# + prepositions + #" you['’]re\b|\bto you['’]re (?:"# + nouns + "|" + moreNouns + #")\b"#,
                   message: "\"your\" is the possessive (your team); \"you're\" means \"you are\"",
                   needs: ["you’re", "you're"],
                   caught: "Thank you for you're time.", passed: "Thank you for your time; you're very kind."),
        // whose / who's
        PhraseRule(id: "confusable", severity: .error,
                   pattern: #"\bwho['’]s (?:"# + nouns + "|" + moreNouns + #"|name|job|background|responsibility|product|project|code)\b|\b(?:a|an|the|one|someone|anyone|person|engineer|intern|manager|founder|colleague|lead|designer|team|company|startup) who['’]s (?!(?:been|got|gone|done|had|also|now|still|just|already|always|never|not|new|there|here|in|on|at|from|with|about|for|going|a|an|the|my|your|our|his|her|their|its|this|that|very|so|too|really|quite|more|most|less|responsible|interested|happy|keen|excited|available|based|currently|next|up|out|back|free|right|best|able|willing|open|likely|senior|junior|head|worked|led|built|spent|made|shipped|run|seen|taken|given|written|known|over|under|into|behind|ahead|only|even|both|all|each|part|leading|coming)\b)(?![a-z]+(?:ing|ed|ly|ful|ous|ive|able|ible|al|ic|ent|ant|ary|ish|less)\b)[a-z]{3,}\b"#,
                   message: "\"whose\" is the possessive (whose team); \"who's\" means \"who is\" or \"who has\"",
                   needs: ["who’s", "who's"],
                   caught: "I met an engineer who's team runs the pipeline.", passed: "I met an engineer whose team runs it, and someone who's been there ten years."),
        PhraseRule(id: "confusable", severity: .error,
                   pattern: #"\bwhose (?:going|coming|been|doing|leading|hiring|joining|responsible|in charge|interested|on the|the|a|an|also|now|currently|already|worked|led|built|had|seen|done|spent|written|shipped|run|managed|got|taken)\b"#,
                   message: "\"who's\" (who is, who has) is meant here; \"whose\" is the possessive",
                   needs: ["whose"],
                   caught: "I spoke with Sam, whose been on the team for years.", passed: "I spoke with Sam, whose team I would join, and who's been there for years."),
        // then / than
        PhraseRule(id: "confusable", severity: .error,
                   pattern: #"\b"# + comparatives + #" then\b(?![,.;:!?])|\b(?:more|less|fewer) \w+ then\b(?![,.;:!?])|\brather (?:[\w'’-]+ ){1,6}then\b(?![,.;:!?])|\b"# + comparatives + #" (?:[\w'’-]+ ){1,6}then (?:with|in|at|on|to|for|by|from|a|an|any|ever|I|we|you|they|usual|expected|before|planned|anyone|anything|the|chase|spend|rely|build|use|work)\b"#,
                   message: "after a comparative it is \"than\" (more than, better than); \"then\" is about time",
                   exceptions: ["more and then", "more, then", "less and then", "rather than then"],
                   needs: ["then"],
                   caught: "It was more useful then I expected, and faster then the old way.", passed: "It was more useful than I expected; we talked, then walked through the demo, and back then it was slower."),
        PhraseRule(id: "confusable", severity: .error,
                   pattern: #"\b(?:and|since|until|back|by) than\b|(?:^|[.!?]\s+)Than\b"#,
                   message: "\"then\" (next, at that time) is meant here; \"than\" compares",
                   needs: ["than"],
                   caught: "We reviewed the design and than the roadmap.", passed: "We reviewed the design and then the roadmap, which is bigger than before, even than I expected."),
        // affect / effect
        PhraseRule(id: "confusable", severity: .error,
                   pattern: #"\b(?:will|would|could|can|may|might|should|must|shall|does|did|not|won't|wouldn't|can't|cannot|couldn't|doesn't|didn't|directly|negatively|positively|greatly|really|adversely|seriously) effect\b(?! (?:change|changes|a change|real change|lasting change|meaningful change|positive change|the change|the changes|reform|transformation|a transformation|a turnaround|a shift)\b)|\b(?:changes|decisions|delays|choices|factors|issues|problems|policies|cuts|outages) effect (?:the|our|your|their|my|how|what|us|them|you|everyone|morale|delivery|people|users|customers|teams)\b"#,
                   message: "the verb is \"affect\" (it will affect the team); \"effect\" is the noun (the effect), or \"effect change\"",
                   needs: ["effect"],
                   caught: "The migration will effect every team.", passed: "The migration will affect every team; its effect was clear, and she wants to effect change."),
        PhraseRule(id: "confusable", severity: .error,
                   pattern: #"\b(?:the|an|no|any|positive|negative|big|real|lasting|significant|huge|direct|measurable|immediate|little|ripple) affect (?:of|on|it|that|your|their|our|this|these|those|my|his|her)\b|\baffects? (?:on|upon) (?:the|our|your|their|my|how|team|teams|people|users)\b"#,
                   message: "the noun is \"effect\" (the effect on the team); \"affect\" is the verb",
                   needs: ["affect"],
                   caught: "I saw the affect on the team's morale.", passed: "I saw the effect on morale, and how it can affect the team."),
        // lose / loose
        PhraseRule(id: "confusable", severity: .error,
                   pattern: #"(?<!\b(?:cut|let|break|broke|broken|hang|turn|turned|set|came|come|comes|run|running|ran|shake|shook|tear|tore|work|worked|pry|pried|worn|wear|knot|knots|shaken) )\bloose (?:the|our|your|their|my|his|her|its|a|an|track|sight|focus|time|money|data|customers|users|momentum|touch|context|interest|weight|it|them|us|me|any|sleep|trust|patience|faith|confidence|motivation|talent|value|steam|ground|hope|heart)\b"#,
                   message: "\"lose\" (to lose track) is meant; \"loose\" means not tight",
                   needs: ["loose"],
                   caught: "I never want to loose track of users.", passed: "I never want to lose track of users, and I like loose coupling and tying up loose ends."),
        PhraseRule(id: "confusable", severity: .error,
                   pattern: #"\b(?:be|become|becoming|being|been|am|is|was|were|feel|felt|remain) apart of\b"#,
                   message: "\"part of\" (or \"a part of\") is meant; \"apart\" means separate",
                   needs: ["apart of"],
                   caught: "I would love to be apart of the team.", passed: "I would love to be part of the team, and we worked apart of necessity for a year."),
        PhraseRule(id: "confusable", severity: .error,
                   pattern: #"\bloosing\b"#,
                   message: "\"losing\" (to lose) is meant; \"loosing\" means setting free",
                   needs: ["loosing"],
                   caught: "We shipped without loosing a single event.", passed: "We shipped without losing a single event, and the knot was loose."),
        PhraseRule(id: "confusable", severity: .error,
                   pattern: #"\blose(?:ly)? (?:coupl\w*|ends|fit|connection between|threads?|collection|set|group|network|federation|structure|guidelines?|rules?|interpretation|definition|standards?)\b|\b(?:was|were|is|are|came|come|comes|coming|a|very|quite|fairly|rather|somewhat|too|cut|hang|break|broke|let|turned|shaken|work|worked) lose\b(?! (?:the|a|an|my|your|our|their|his|her|its|track|sight|focus|time|money|data|trust|touch|it|them|us|me|momentum|interest|sleep|weight|any|some|out|heart|faith|patience|face|ground|hope|customers|users|people|talent|value|steam|context|more|much|everything|nothing|sight)\b)"#,
                   message: "\"loose\" (loose coupling, loose ends) is meant; \"lose\" is the verb",
                   needs: ["lose"],
                   caught: "The services have lose coupling.", passed: "The services have loose coupling, and we lose nothing."),
        // to / too
        PhraseRule(id: "confusable", severity: .error,
                   pattern: #"\b(?:was|is|were|are|be|been|being|seemed|seems|felt|feels|feel|much|way|not|never|a bit|a little|it's|that's|little|slightly|far|came|come|arrived|started|ended|finished|ran|went|got|left) to "# + adjectives + #"\b(?![-'’])(?! (?:adopters|stage|stages|career|days|hours|morning|evening|access|warning|middle|end|term|teams|friends|use|effect|news|practice|practices|work|engineers|people|candidates|the|a|an|my|your|our|their|them|him|her|us|me|it|this|that|these|those|everyone|you|down|up|out|off|things|in|on|gaps|deals|tickets|issues|loops|the gap|conclusions|decisions|retirement|prominence|fame|power|terms|grips|light|life|mind|rest|notice|market|bed|town|school|work|office|lunch|dinner|class|harm|bear|pass|age)\b)"#,
                   message: "\"too\" (too early, too long) is meant; \"to\" goes before a verb or a place",
                   needs: ["to "],
                   caught: "The call was to short, and it is never to early to learn.", passed: "The call was too short; I want to learn and to talk to early adopters, and this is key to long-term growth."),
        PhraseRule(id: "confusable", severity: .error,
                   pattern: #"\btoo (?:meet|talk|speak|hear|learn|work|join|discuss|see|help|be|contribute|share|build|continue|know|finish|thank|lead|answer|ask|start|support|follow|make|take|give|find|keep|try|write|read|send|provide|bring|move|improve|grow|stay|say|let|hearing|meeting|working|speaking|talking|apply|explore|review|schedule|visit|connect|reach|express|offer|show|ensure|become)\b"#,
                   message: "\"to\" (to meet) is meant; \"too\" means also or excessively",
                   needs: ["too "],
                   caught: "I was glad too meet the team.", passed: "I was glad to meet the team, and the lead too."),
        // advice / advise
        PhraseRule(id: "confusable", severity: .error,
                   pattern: #"\b(?:your|the|some|good|great|any|helpful|thoughtful|practical|valuable|much|career|honest|kind|generous|wise|useful|excellent|candid|sound|specific|concrete|best|of|this|such|her|his|their|my|our|expert|sage|no|friendly|solid) advise\b|\badvise (?:you gave|you shared|you offered|on how to)\b"#,
                   message: "the noun is \"advice\" (your advice); \"advise\" is the verb",
                   needs: ["advise"],
                   caught: "Thank you for your advise on the portfolio.", passed: "Thank you for your advice; please advise if anything else would help."),
        PhraseRule(id: "confusable", severity: .error,
                   pattern: #"\b(?:will|would|could|can|please|I|we|you|they|he|she|often|usually|always|regularly|also|happy to|glad to|able to|to better|used to|asked to|'d|’d) advice (?:you|me|us|them|him|her|the|my|our|your|their|clients|customers|teams|people|on|against|whether|how|if|any|anyone|everyone|new|junior|founders|leaders)\b"#,
                   message: "the verb is \"advise\" (please advise); \"advice\" is the noun",
                   needs: ["advice"],
                   caught: "I would be happy to advice on the migration.", passed: "I would be happy to advise on the migration, and I valued your advice to me."),
        // principal / principle
        PhraseRule(id: "confusable", severity: .error,
                   pattern: #"\bin principal\b|\b(?:design|engineering|guiding|core|first|basic|key|underlying|same|these|those|product|security|moral) principals\b|\bprincipals? of (?:least|separation|the matter|design|good|sound|simplicity|openness)\b|\bon principal\b|\bmatter of principal\b|\b(?:the|a|that|this|one) principal of (?!the\b|a\b|an\b|our\b|my\b|your\b)|\bstands? by (?:its|our|their|my|your|his|her) principals\b|\bprincipals? (?:I|we) (?:value|believe in|hold|follow|share|live by)\b"#,
                   message: "\"principle\" (a rule, in principle, the principle of least privilege) is meant; \"principal\" means chief",
                   needs: ["principal"],
                   caught: "We follow the principal of least privilege.", passed: "We follow the principle of least privilege; the principal engineer agreed in principle."),
        PhraseRule(id: "confusable", severity: .error,
                   pattern: #"\bprinciple (?:engineers?|architects?|designers?|consultants?|scientists?|investigators?|reasons?|concerns?|goals?|roles?|authors?|product managers?|software engineers?|researchers?|analysts?|developers?|owners?|partners?|aim|challenge|risk|source)\b"#,
                   message: "\"principal\" (chief: Principal Engineer, the principal reason) is meant; \"principle\" is a rule",
                   needs: ["principle"],
                   caught: "I met the principle engineer of the platform team.", passed: "I met the principal engineer, who explained a principle of the design."),
        // compliment / complement
        PhraseRule(id: "confusable", severity: .error,
                   pattern: #"\b(?:would|will|could|might|nicely|well|that|which) compliments? (?:the|your|our|their|each other|one another|existing|its|my)\b(?! (?:demo|talk|presentation|work|design|team|writing|code|answer|engineers?|speakers?)\b(?!['’]))|\bcompliment(?:s|ed|ing)? each other\b|\bcomplimentary (?:skills|strengths|experience|expertise|backgrounds|roles)\b|\b(?:natural|perfect|ideal|useful|strong|necessary|logical) compliments? to\b"#,
                   message: "\"complement\" (go well with: skills that complement the team) is meant; \"compliment\" is praise",
                   needs: ["compliment"],
                   caught: "My experience would compliment the team's strengths.", passed: "My experience would complement the team's strengths; she complimented the demo."),
        PhraseRule(id: "confusable", severity: .error,
                   pattern: #"\b(?:for|the|a|your|kind|nice|lovely|generous|that|such a|warm|real|nicest|best|kindest|highest|great|huge|big|sincere|genuine) complements?\b(?! (?:of|to|each|one|the|our|your|their|my|existing|nicely|well)\b)"#,
                   message: "\"compliment\" (praise: thank you for the compliment) is meant; \"complement\" means something that completes",
                   needs: ["complement"],
                   caught: "Thank you for the kind complement about my demo.", passed: "Thank you for the kind compliment; my skills complement the team, a complement of six."),
    ]

    /// Words left out ("to be part that effort", "one the best"): the sentence still reads as
    /// English to a spelling check.
    public static let missingWords: [PhraseRule] = [
        PhraseRule(id: "missing-word", severity: .error,
                   pattern: #"\b(?:be|become|becoming|being|been|am|was|were|is) part (?:that|this|the|your|our|their|such)\b"#,
                   message: "\"of\" is missing: \"part of that\"",
                   needs: ["part "],
                   caught: "I would love to be part that effort.", passed: "I would love to be part of that effort; the part that I enjoyed most was the demo."),
        PhraseRule(id: "missing-word", severity: .error,
                   pattern: #"(?<!\bno |\bthe |\bthis |\bthat |\bevery |\bsome )\bone (?:the|our|your|their|my|his|her|its|these|those) (?:best|most|biggest|first|few|main|key|highlights?|reasons?|things?|parts?|many|great|hardest|strongest|largest|clearest|toughest|nicest|favou?rite|finest|top|last|only)\b"#,
                   message: "\"of\" is missing: \"one of the best\"",
                   needs: ["one "],
                   caught: "It was one the best conversations I have had.", passed: "It was one of the best conversations; no one the team trusts more, and one the size of ours."),
        PhraseRule(id: "missing-word", severity: .error,
                   pattern: #"\blook(?:ing|s|ed)? forward (?:hearing|meeting|speaking|talking|working|joining|discussing|learning|seeing|continuing|receiving|connecting|contributing|the|your|our)\b"#,
                   message: "\"to\" is missing: \"look forward to hearing\"",
                   needs: ["forward"],
                   caught: "I look forward hearing from you.", passed: "I look forward to hearing from you, and I am looking forward to the next steps."),
        PhraseRule(id: "missing-word", severity: .error,
                   pattern: #"\b(?:excited|eager|glad|happy|proud|thrilled|love|like|hope|honou?red|delighted|keen) to part of\b"#,
                   message: "\"be\" is missing: \"to be part of\"",
                   needs: ["part of"],
                   caught: "I would be excited to part of the team.", passed: "I would be excited to be part of the team."),
        PhraseRule(id: "missing-word", severity: .error,
                   pattern: #"\b(?:grateful|thankful) (?:the|your|this|that) (?:chance|opportunity|time|conversation|invitation)\b|\bthank(?:s| you) (?:the|your) (?:time|opportunity|chance|conversation|invitation|interview|call|meeting|tour|feedback|insights?|consideration|help)\b"#,
                   message: "\"for\" is missing: \"thank you for your time\"",
                   needs: ["thank"],
                   caught: "Thank you the time you spent with me.", passed: "Thank you for the time you spent with me; thank you, the team was kind."),
        PhraseRule(id: "missing-word", severity: .error,
                   pattern: #"\binterested (?:the|this|your|a|an|that|joining|working|learning|contributing|hearing)\b"#,
                   message: "\"in\" is missing: \"interested in the role\"",
                   needs: ["interested"],
                   caught: "I am very interested the role.", passed: "I am very interested in the role and in joining the team."),
        PhraseRule(id: "missing-word", severity: .error,
                   pattern: #"\b(?:chance|opportunity|pleasure|able|eager|excited|glad|happy|keen|pleased|delighted|thrilled|ready|willing|hope|want|wanted) (?:learn|meet|speak|talk|join|discuss|contribute|hear|share|help|continue|visit|show|answer|explain|walk|send|provide|take|give|bring|build|support|start|follow|connect|review|prepare|make|get|keep|run|work|catch|go|tell|say|ask)\b(?! (?:out|up)\b)|\b(?:would|will|could|should|I['’]d|I['’]ll|we['’]d) (?:glad|happy|pleased|delighted|thrilled|excited|grateful|honou?red|keen|eager|able|willing|interested|available|ready|proud)\b"#,
                   message: "\"to\" is missing: \"a chance to learn\", \"able to join\"",
                   exceptions: ["time share", "time talk", "time help", "like meet", "love meet", "want help", "like help", "love help", "time show"],
                   caught: "I would welcome the chance learn more, and I am eager contribute.", passed: "I would welcome the chance to learn more, and I am eager to contribute."),
    ]
}
