import Testing
@testable import FuqCore

@Suite("Did you mean")
struct SpellingTests {
    static let commands = ["enqueue", "status", "show", "cancel", "reschedule", "edit", "send-now", "flush", "retry", "mark-sent", "doctor", "daemon", "help"]

    @Test("a slip of the fingers suggests the command; a different word suggests nothing", arguments: [
        ("statsu", "status"), ("stauts", "status"), ("shwo", "show"), ("STATUS", "status"), ("sendnow", "send-now"),
        ("enque", "enqueue"), ("flsuh", "flush"), ("cancle", "cancel"), ("doctro", "doctor"), ("retyr", "retry"),
        ("marksent", "mark-sent"), ("hlep", "help"), ("xyz", nil), ("ab", nil), ("list", nil), ("delete", nil), ("queue", "enqueue"),
    ] as [(String, String?)])
    func suggestion(_ typed: String, _ expected: String?) {
        #expect(Spelling.closest(typed, in: Self.commands) == expected, "\(typed)")
    }

    @Test("a swap of two neighbours is one edit")
    func distance() {
        #expect(Spelling.distance("statsu", "status") == 1)
        #expect(Spelling.distance("status", "status") == 0)
        #expect(Spelling.distance("", "show") == 4)
        #expect(Spelling.distance("kitten", "sitting") == 3)
    }
}
