import Foundation

/// Reads Linux's `/proc` files whole.
///
/// They report a size of 0, and each `read` returns at most a page of lines; Foundation's
/// `String(contentsOfFile:)` stops after the first (measured: /proc/locks cut at 4,095 bytes
/// when a desktop holds a few dozen locks, /proc/self/smaps at 3.8 KB). This reads to the end.
public enum ProcFile {
    /// The file's text, or nil when it cannot be opened or read.
    public static func text(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { return nil }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
