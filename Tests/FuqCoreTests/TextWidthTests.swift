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
}
