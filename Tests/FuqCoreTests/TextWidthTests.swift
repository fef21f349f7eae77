import Foundation
import Testing
@testable import FuqCore

@Suite("Terminal width of text")
struct TextWidthTests {
    @Test("columns per text: CJK and emoji are 2 wide, accents and joiners add nothing", arguments: [
        ("dana.rivera@acme.example", 24), ("Zoë", 3), ("Zoe\u{0308}", 3), ("李雷", 4), ("김민준", 6), ("ｆｕｌｌ", 8),
        ("👍", 2), ("👍🏽", 2), ("👩‍👩‍👧", 2), ("🇩🇪", 2), ("❤️", 2), ("1️⃣", 2), ("a\u{200B}b", 2), ("", 0),
    ] as [(String, Int)])
    func width(_ text: String, _ columns: Int) {
        #expect(TextWidth.of(text) == columns, "\(text)")
    }

    @Test("truncation keeps whole graphemes, ends in …, never passes the width")
    func truncate() {
        #expect(TextWidth.truncate("dana.rivera@acme.example", to: 30) == "dana.rivera@acme.example")
        #expect(TextWidth.truncate("dana.rivera@acme.example", to: 10) == "dana.rive…")
        #expect(TextWidth.truncate("李雷李雷", to: 6) == "李雷…", "a wide character that would straddle the edge is left out")
        #expect(TextWidth.truncate("ab👩‍👩‍👧cd", to: 4) == "ab…", "a ZWJ family is never split")
        #expect(TextWidth.truncate("ab👩‍👩‍👧cd", to: 5) == "ab👩‍👩‍👧…")
        #expect(TextWidth.truncate("Zoe\u{0308} Saldaña", to: 4) == "Zoe\u{0308}…", "the accent stays on its letter")
        for width in 1...12 {
            for text in ["李雷 Kim 👍🏽 🇩🇪 Zoë", "abcdefghijklmnop", "👩‍👩‍👧👩‍👩‍👧👩‍👩‍👧"] {
                let cut = TextWidth.truncate(text, to: width)
                #expect(TextWidth.of(cut) <= width, "\(text) at \(width): \(cut)")
                #expect(text.hasPrefix(cut.hasSuffix("…") ? String(cut.dropLast()) : cut))
                #expect(TextWidth.of(TextWidth.pad(text, to: width)) == width)
            }
        }
    }

    @Test("wrapping breaks between words, and inside a word only when it is longer than a line")
    func wrap() {
        #expect(TextWidth.wrap("interview ended Thu 15:30 EST", width: 16) == ["interview ended", "Thu 15:30 EST"])
        #expect(TextWidth.wrap("see /home/alex/.local/share/fuq/queue.sqlite", width: 12)
            == ["see", "/home/alex/.", "local/share/", "fuq/queue.sq", "lite"])
        for line in TextWidth.wrap("李雷李雷李雷李雷 👍🏽👍🏽👍🏽👍🏽👍🏽", width: 5) { #expect(TextWidth.of(line) <= 5, "\(line)") }
    }

    @Test("the one-column shortcut agrees with the grapheme rules for every scalar it takes")
    func simpleScalars() {
        for value in UInt32(0)..<0x2100 {
            guard let scalar = Unicode.Scalar(value), TextWidth.isSimple(scalar) else { continue }
            let character = Character(scalar)
            #expect(TextWidth.of(character) == 1, "U+\(String(value, radix: 16))")
            // Next to any other simple scalar it stays a grapheme of its own.
            for neighbour in ["a", "é", "–"] {
                #expect((String(character) + neighbour).count == 2, "U+\(String(value, radix: 16)) + \(neighbour)")
            }
        }
        #expect(TextWidth.of("Thank you – Zoë") == 15)
        #expect(TextWidth.truncate("Thank you for the interview – Alex", to: 12) == "Thank you f…")
    }
}
