import CLinux
import Foundation

/// Records of text fields kept in order to be read back once, holding little memory: the first
/// `memoryLimit` bytes stay in memory; past that they go to an unnamed temporary file (Linux
/// `O_TMPFILE` in `$TMPDIR` or /tmp: it disappears with the process, Ctrl-C included).
///
/// Why: `fuq status` measures every row before it prints the first (the columns are as wide
/// as their widest cell). Keeping 100,000 formatted rows would cost ~40 MiB; reading the queue
/// twice costs a second pass over every row's pages. The spool is written and read sequentially,
/// from the page cache.
///
/// Nothing is lost when the file cannot be made or written (no temporary folder, disk full):
/// the rest stays in memory, in order.
public final class RecordSpool {
    private let memoryLimit: Int
    private let directory: String
    /// Encoded records not (yet) in the file: each field a 4-byte little-endian length and its
    /// UTF-8 bytes, each record its field count first.
    private var pending: [UInt8] = []
    private var fd: Int32 = -1
    /// Bytes safely in the file.
    private var fileLength = 0
    /// The file could not be made or written: keep everything in memory from now on.
    private var fileFailed = false

    /// - Parameters:
    ///   - memoryLimit: bytes kept in memory before the file is used.
    ///   - directory: where the unnamed file goes (nil: `$TMPDIR`, else /tmp).
    public init(memoryLimit: Int = 256 << 10, directory: String? = nil) {
        self.memoryLimit = memoryLimit
        pending.reserveCapacity(memoryLimit + 4096)
        self.directory = directory ?? ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Whether some records went to the file (for tests).
    var usedFile: Bool { fileLength > 0 }

    public func append(_ fields: [String]) {
        put(UInt32(fields.count))
        for field in fields {
            var field = field
            field.withUTF8 { bytes in
                put(UInt32(bytes.count))
                pending.append(contentsOf: bytes)
            }
        }
        if pending.count >= memoryLimit && !fileFailed { flush() }
    }

    private func put(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { pending.append(contentsOf: $0) }
    }

    /// Moves `pending` to the file; on any failure the file keeps only whole records (it is cut
    /// back to its last good length) and `pending` stays in memory.
    private func flush() {
        if fd < 0 {
            fd = open(directory, fuq_O_TMPFILE | O_RDWR | O_CLOEXEC, 0o600)
            guard fd >= 0 else { fileFailed = true; return }
        }
        var written = 0
        let ok = pending.withUnsafeBytes { raw -> Bool in
            while written < raw.count {
                let n = pwrite(fd, raw.baseAddress! + written, raw.count - written, off_t(fileLength + written))
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return false }
                written += n
            }
            return true
        }
        guard ok else {
            _ = ftruncate(fd, off_t(fileLength))
            fileFailed = true
            return
        }
        fileLength += written
        pending.removeAll(keepingCapacity: true)
    }

    /// Calls `each` with every record, in the order appended.
    public func forEach(_ each: ([String]) throws -> Void) throws {
        var reader = Reader(fd: fd, fileLength: fileLength, tail: pending)
        while let fields = try reader.next() { try each(fields) }
    }

    /// Reads the file in 32 KiB chunks, then the records still in memory.
    private struct Reader {
        let fd: Int32
        let fileLength: Int
        let tail: [UInt8]
        var buffer: [UInt8] = []
        var position = 0
        var fileOffset = 0
        var tailTaken = false

        init(fd: Int32, fileLength: Int, tail: [UInt8]) {
            self.fd = fd
            self.fileLength = fileLength
            self.tail = tail
        }

        /// Makes `n` bytes available at `position`; false at the end of everything.
        mutating func need(_ n: Int) throws -> Bool {
            while buffer.count - position < n {
                buffer.removeSubrange(0..<position)
                position = 0
                if fileOffset < fileLength {
                    let want = min(max(32768, n), fileLength - fileOffset)
                    var chunk = [UInt8](repeating: 0, count: want)
                    let got = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, want, off_t(fileOffset)) }
                    if got < 0 && errno == EINTR { continue }
                    guard got > 0 else { throw RecordSpoolError.unreadable(String(cString: strerror(errno))) }
                    buffer.append(contentsOf: chunk[0..<got])
                    fileOffset += got
                } else if !tailTaken {
                    // The file holds whole records, so nothing is left over here: take the
                    // records still in memory as they are (no copy of what may be megabytes).
                    buffer = buffer.count == position ? tail : Array(buffer[position...]) + tail
                    position = 0
                    tailTaken = true
                } else {
                    return false
                }
            }
            return true
        }

        mutating func number() throws -> Int? {
            guard try need(4) else { return nil }
            let value = buffer.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: position, as: UInt32.self)) }
            position += 4
            return Int(value)
        }

        mutating func next() throws -> [String]? {
            guard let fields = try number() else { return nil }
            var record: [String] = []
            record.reserveCapacity(fields)
            for _ in 0..<fields {
                guard let length = try number(), try need(length) else { throw RecordSpoolError.unreadable("cut short") }
                record.append(String(decoding: buffer[position..<position + length], as: UTF8.self))
                position += length
            }
            return record
        }
    }
}

/// The spool's file could not be read back (it is fuq's own temporary file: this means the disk
/// failed under it).
public enum RecordSpoolError: LocalizedError, Equatable {
    case unreadable(String)

    public var errorDescription: String? {
        switch self {
        case .unreadable(let reason): return "cannot read back fuq's temporary file: \(reason)"
        }
    }
}
