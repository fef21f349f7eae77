import Foundation
import Testing
@testable import FuqCore

@Suite("The status table's spool: rows back in order, whatever they hold, wherever they were kept")
struct RecordSpoolTests {
    /// 5,000 records of odd fields: empty, newlines, the separator bytes a naive format would
    /// use, emoji, long text crossing the reader's 32 KiB chunks.
    static let records: [[String]] = (0..<5000).map { i in
        ["m\(i)", "", "line\nbreak\u{1F}\u{0}", String(repeating: "é🙂", count: i % 7), i % 997 == 0 ? String(repeating: "x", count: 70_000) : "short"]
    }

    func roundTrip(_ spool: RecordSpool) throws -> [[String]] {
        for record in Self.records { spool.append(record) }
        var back: [[String]] = []
        try spool.forEach { back.append($0) }
        return back
    }

    @Test("past its memory limit the spool goes to an unnamed temporary file; every record comes back, in order")
    func throughFile() throws {
        let spool = RecordSpool(memoryLimit: 4096)
        #expect(try roundTrip(spool) == Self.records)
        #expect(spool.usedFile)
    }

    @Test("no usable temporary folder: everything stays in memory, nothing is lost")
    func noFolder() throws {
        let spool = RecordSpool(memoryLimit: 4096, directory: "/nonexistent-\(UUID().uuidString)")
        #expect(try roundTrip(spool) == Self.records)
        #expect(!spool.usedFile)
    }

    @Test("under its memory limit it never makes a file; an empty spool reads back nothing")
    func inMemory() throws {
        let spool = RecordSpool()
        spool.append(["a", "b"])
        var back: [[String]] = []
        try spool.forEach { back.append($0) }
        #expect(back == [["a", "b"]] && !spool.usedFile)
        var none = 0
        try RecordSpool().forEach { _ in none += 1 }
        #expect(none == 0)
    }
}
