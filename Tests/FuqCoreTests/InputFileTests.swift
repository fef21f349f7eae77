import Foundation
import Testing
@testable import FuqCore

@Suite("Reading what a person hands fuq: bounded, and named for what it is")
struct InputFileTests {
    /// `count` bytes written into a pipe by another thread, read back with `InputFile.read`.
    func readPipe(_ count: Int, limit: Int) throws(InputFile.Problem) -> Data {
        var fds: [Int32] = [0, 0]
        precondition(pipe(&fds) == 0)
        let (readEnd, writeEnd) = (fds[0], fds[1])
        let writer = Thread {
            let chunk = [UInt8](repeating: UInt8(ascii: "y"), count: 4096)
            var left = count
            while left > 0 {
                let n = chunk.withUnsafeBytes { write(writeEnd, $0.baseAddress, min(left, $0.count)) }
                if n <= 0 { break }
                left -= n
            }
            close(writeEnd)
        }
        signal(SIGPIPE, SIG_IGN)
        writer.start()
        defer { close(readEnd) }
        return try InputFile.read(fd: readEnd, limit: limit)
    }

    @Test("a stream up to the limit is read whole; one byte more is refused")
    func limit() throws {
        #expect(try readPipe(300_000, limit: 300_000).count == 300_000)
        #expect(throws: InputFile.Problem.tooLarge(limit: 300_000)) { try readPipe(300_001, limit: 300_000) }
        #expect(throws: InputFile.Problem.tooLarge(limit: 1 << 20)) { try readPipe(5 << 20, limit: 1 << 20) }
        #expect(InputError.tooLarge(what: "standard input", limit: 1 << 20).errorDescription?.hasPrefix("standard input is larger than 1 MiB") == true)
    }

    @Test("a file too large is refused before it is read; what is not a file says what it is")
    func kinds() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fuq-input-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let big = folder.appendingPathComponent("big.yaml").path
        try Data(count: 2000).write(to: URL(fileURLWithPath: big))
        #expect(throws: InputFile.Problem.tooLarge(limit: 1000)) { try InputFile.text(atPath: big, limit: 1000) }
        #expect(try InputFile.data(atPath: big, limit: 2000).count == 2000)
        let fifo = folder.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let loop = folder.appendingPathComponent("loop").path
        try FileManager.default.createSymbolicLink(atPath: loop, withDestinationPath: loop)
        let latin1 = folder.appendingPathComponent("latin1.yaml").path
        try Data([0x4A, 0x6F, 0x73, 0xE9]).write(to: URL(fileURLWithPath: latin1))
        #expect(throws: InputFile.Problem.notAFile(kind: "a named pipe (FIFO)")) { try InputFile.text(atPath: fifo) }
        #expect(throws: InputFile.Problem.notAFile(kind: "a device (the empty device /dev/null)")) { try InputFile.text(atPath: "/dev/null") }
        #expect(throws: InputFile.Problem.symlinkLoop) { try InputFile.text(atPath: loop) }
        #expect(throws: InputFile.Problem.folder) { try InputFile.text(atPath: folder.path) }
        #expect(throws: InputFile.Problem.missing) { try InputFile.text(atPath: folder.appendingPathComponent("nope").path) }
        #expect(throws: InputFile.Problem.notUTF8) { try InputFile.text(atPath: latin1) }
    }
}
