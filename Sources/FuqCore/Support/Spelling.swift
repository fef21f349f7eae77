/// "Did you mean": the known word nearest to a mistyped one.
public enum Spelling {
    /// Edits between `a` and `b`: insertions, deletions, substitutions and swaps of two
    /// neighbouring characters ("statsu" → "status" is one edit), case ignored.
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased()), b = Array(b.lowercased())
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }

    /// The candidate nearest to `word` when it is close enough to be a slip of the fingers:
    /// at most `maxDistance` edits, and fewer than half the word's length (so "xy" suggests
    /// nothing); on a tie, the first candidate in the order given.
    public static func closest(_ word: String, in candidates: [String], maxDistance: Int = 2) -> String? {
        let limit = min(maxDistance, max(0, (word.count - 1) / 2))
        let scored = candidates.map { ($0, distance(word, $0)) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= limit, best.1 > 0 || word != best.0 else { return nil }
        return best.0
    }
}
