import CTimerFD
import Foundation

/// Gives memory back while the daemon waits a long time for its next note.
///
/// What a waiting daemon held before this (measured, 10,000 notes waiting): 42 MiB resident,
/// of which 4 MiB were its own (heap, stacks, SQLite's page cache) and 38 MiB pages of its
/// binary, the Swift runtime, Foundation and ICU that it touched while starting and
/// delivering. Those are clean copies of files, which the daemon does not need while it sleeps.
/// So before a long wait:
///
/// - `malloc_trim(0)` returns the heap's free pages to the kernel;
/// - every read-only, file-backed mapping without a private (copy-on-write) page is unmapped
///   from the process (`MADV_DONTNEED`). The pages stay in the kernel's page cache like those of
///   any program that ran lately, reclaimable when memory is short; touching one again (the
///   next wake-up) maps it back from there, or reads it from the file.
///
/// A mapping with a private page (relocated data, a debugger's breakpoint) is left alone:
/// `MADV_DONTNEED` would throw that page away. Writable mappings are never touched.
public enum IdleMemory {
    /// One line of `/proc/self/smaps` that matters here.
    struct Mapping: Equatable {
        var start: UInt
        var end: UInt
        var writable: Bool
        var path: String
        /// Kibibytes of private (anonymous, copy-on-write) pages in this mapping.
        var anonymousKiB: Int
        /// Kibibytes of it in memory now.
        var residentKiB: Int

        /// Safe to unmap: a file's pages, read-only, none of them a private copy.
        var releasable: Bool { !writable && path.hasPrefix("/") && anonymousKiB == 0 && residentKiB > 0 }
    }

    /// Parses `/proc/self/smaps` text (a header line per mapping, then `Key: value kB` lines).
    static func mappings(smaps: String) -> [Mapping] {
        var result: [Mapping] = []
        for line in smaps.split(separator: "\n", omittingEmptySubsequences: true) {
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard let first = fields.first else { continue }
            if first.hasSuffix(":") {
                guard !result.isEmpty, fields.count >= 2, let kib = Int(fields[1]) else { continue }
                if first == "Anonymous:" { result[result.count - 1].anonymousKiB = kib }
                if first == "Rss:" { result[result.count - 1].residentKiB = kib }
                continue
            }
            // 7f12a000-7f12b000 r--p 00000000 fd:01 1234    /usr/lib/x86_64-linux-gnu/libc.so.6
            let range = first.split(separator: "-")
            guard range.count == 2, let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16),
                  fields.count >= 2 else { continue }
            let path = fields.count >= 6 ? String(fields[5]).trimmingCharacters(in: .whitespaces) : ""
            result.append(Mapping(start: start, end: end, writable: fields[1].contains("w"), path: path,
                                  anonymousKiB: 0, residentKiB: 0))
        }
        return result
    }

    /// Hands back what the process does not need while it waits; returns the kibibytes of
    /// file pages it unmapped (0 where `/proc` cannot be read).
    @discardableResult
    public static func release() -> Int {
        malloc_trim(0)
        guard let smaps = ProcFile.text("/proc/self/smaps") else { return 0 }
        var released = 0
        for mapping in mappings(smaps: smaps) where mapping.releasable {
            guard let address = UnsafeMutableRawPointer(bitPattern: mapping.start) else { continue }
            let length = Int(mapping.end - mapping.start)
            if madvise(address, length, MADV_DONTNEED) == 0 { released += mapping.residentKiB }
        }
        return released
    }
}
