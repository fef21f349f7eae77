import Foundation

/// "The same text with the name swapped" (etiquette.md, "Personal, not swapped"): how alike
/// two notes of one panel read once the values swapped per reader — names, greeting, address,
/// topic — are set aside. A `note:` or `clarify:` paragraph is kept: it is what makes a note personal.
public enum NoteSimilarity {
    /// Above this share of words in common, two notes read as one text with the names swapped.
    public static let threshold = 0.8

    public struct Note: Sendable {
        public var recipient: String
        public var body: String
        /// The values swapped per reader, masked before comparing.
        public var personal: [String]

        public init(recipient: String, body: String, personal: [String]) {
            self.recipient = recipient
            self.body = body
            self.personal = personal
        }

        public init(recipient: String, body: String, person: MessageContext.Person) {
            let p = person.interviewer
            self.init(recipient: recipient, body: body, personal: [p.name, p.firstName, p.lastName, p.salutation, p.callMe, p.honorific,
                                                                    p.email, p.topic].compactMap { $0 })
        }
    }

    /// The words of `body` with each personal value replaced by one marker, as numbers
    /// (`vocabulary` gives each distinct word one).
    static func words(_ note: Note, vocabulary: inout [Substring: Int]) -> [Int] {
        var text = note.body
        for value in note.personal.filter({ $0.count > 1 }).sorted(by: { $0.count > $1.count }) {
            text = text.replacingOccurrences(of: value, with: " \u{2022} ", options: .caseInsensitive)
        }
        return text.lowercased().split { !$0.isLetter && !$0.isNumber && $0 != "\u{2022}" && $0 != "'" && $0 != "’" }.map { word in
            if let id = vocabulary[word] { return id }
            vocabulary[word] = vocabulary.count
            return vocabulary.count - 1
        }
    }

    /// The share of words the two have in common, in order (2·LCS / total, as difflib's ratio),
    /// and where the longest run of words they share ends in `a` and how long it is.
    static func compare(_ a: [Int], _ b: [Int]) -> (ratio: Double, runEnd: Int, runLength: Int) {
        guard !a.isEmpty, !b.isEmpty else { return (a.count == b.count ? 1 : 0, 0, 0) }
        var previous = [Int](repeating: 0, count: b.count + 1), current = previous
        var runPrevious = previous, runCurrent = previous
        var longest = (length: 0, end: 0)
        for i in 1...a.count {
            for j in 1...b.count {
                if a[i - 1] == b[j - 1] {
                    current[j] = previous[j - 1] + 1
                    runCurrent[j] = runPrevious[j - 1] + 1
                    if runCurrent[j] > longest.length { longest = (runCurrent[j], i) }
                } else {
                    current[j] = max(previous[j], current[j - 1])
                    runCurrent[j] = 0
                }
            }
            swap(&previous, &current)
            swap(&runPrevious, &runCurrent)
        }
        return (2 * Double(previous[b.count]) / Double(a.count + b.count), longest.end, longest.length)
    }

    /// An upper bound of `compare`'s ratio from the words alone, order ignored: cheap, and
    /// enough to rule out most pairs of a large panel.
    static func bound(_ a: [Int: Int], _ b: [Int: Int], total: Int) -> Double {
        guard total > 0 else { return 1 }
        let common = a.reduce(0) { $0 + min($1.value, b[$1.key] ?? 0) }
        return 2 * Double(common) / Double(total)
    }

    /// At most one warning per note: the earlier note of the panel it reads most like, when
    /// that is over the threshold. `checked` are the notes being proofread; `neighbours` the
    /// rest of the panel (compared with, not reported on).
    public static func findings(_ checked: [Note], neighbours: [Note] = []) -> [ProofFinding] {
        var vocabulary: [Substring: Int] = [:]
        let words = checked.map { Self.words($0, vocabulary: &vocabulary) }
        let neighbourWords = neighbours.map { Self.words($0, vocabulary: &vocabulary) }
        let names = vocabulary.reduce(into: [Int: Substring]()) { $0[$1.value] = $1.key }
        let bags = (words + neighbourWords).map { $0.reduce(into: [Int: Int]()) { $0[$1, default: 0] += 1 } }
        var found: [ProofFinding] = []
        for (i, note) in checked.enumerated() {
            let candidates = Array(0..<i) + neighbours.indices.map { checked.count + $0 }
            var best: (ratio: Double, other: Int, runEnd: Int, runLength: Int)?
            for k in candidates {
                let other = k < checked.count ? words[k] : neighbourWords[k - checked.count]
                guard bound(bags[i], bags[k], total: words[i].count + other.count) > threshold else { continue }
                let (ratio, runEnd, runLength) = compare(words[i], other)
                if ratio > threshold, ratio > (best?.ratio ?? 0) { best = (ratio, k, runEnd, runLength) }
            }
            guard let best else { continue }
            let otherName = best.other < checked.count ? checked[best.other].recipient : neighbours[best.other - checked.count].recipient
            let shared = words[i][(best.runEnd - best.runLength)..<best.runEnd].compactMap { names[$0] }
            let passage = shared.prefix(14).map { $0 == "\u{2022}" ? "…" : String($0) }.joined(separator: " ") + (shared.count > 14 ? " …" : "")
            found.append(ProofFinding(
                recipient: note.recipient, severity: .warning, rule: "similar",
                message: "reads \(Int((best.ratio * 100).rounded()))% like the note to \(otherName) once names and topics are set aside (both say \"\(passage)\"); "
                    + "a panel compares notes — write something only \(note.recipient) would recognise, or use the built-in template's phrasings",
                excerpt: passage))
        }
        return found
    }
}
