import Foundation

/// Which wording of each paragraph a note uses, so that the notes of one panel are not the
/// same text with the names swapped (etiquette.md, "Personal, not swapped").
///
/// A template offers up to five wordings (`a`–`e`) of up to four paragraphs (`first`–`fourth`)
/// as Mustache sections: `{{#phrasing.first_a}}…{{/phrasing.first_a}}`. Note number `n` uses
/// wording `(a + k·b) mod 5` for paragraph `k`, where `a = n mod 5` and `b = n / 5 mod 5`: two
/// different numbers below 25 are two different lines over the five letters, so they share the
/// wording of at most one paragraph.
public enum Phrasing {
    public static let letters = ["a", "b", "c", "d", "e"]
    public static let paragraphs = ["first", "second", "third", "fourth"]

    /// The letter of paragraph `paragraph` (0-based) for note number `number`.
    public static func letter(_ number: Int, paragraph: Int) -> String {
        let n = ((number % 25) + 25) % 25
        return letters[(n % 5 + paragraph * (n / 5)) % 5]
    }

    /// The template values: `first_c: true`, `second_d: true`, … for note number `number`.
    public static func sections(_ number: Int) -> [String: Bool] {
        var values: [String: Bool] = [:]
        for (k, paragraph) in paragraphs.enumerated() { values["\(paragraph)_\(letter(number, paragraph: k))"] = true }
        return values
    }

    /// The interviewer's place in the panel, turned by the interview (so a candidate's single
    /// notes to different companies do not all read alike). The first five of a panel share no
    /// paragraph's wording at all.
    public static func number(for interviewer: Interviewer, in interview: Interview) -> Int {
        let place = interview.interviewers.firstIndex(of: interviewer) ?? 0
        let hash = stableHash("\(interview.company.lowercased())|\(interview.position.lowercased())")
        let turn = Int(hash % 5), second = Int(hash / 5 % 5)
        // The panel shares `second` (numbers a + 5·second, a distinct per person), so its first
        // five still share no paragraph; another interview turns the phrasings further.
        // Up to 25 people get 25 different (a, b) pairs; the sixth to tenth take the next turn.
        return place < 25 ? (place + turn) % 5 + 5 * ((second + place / 5) % 5) : place
    }
}
