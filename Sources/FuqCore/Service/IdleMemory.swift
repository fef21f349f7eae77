import CLinux
import Foundation

/// Gives memory back while the daemon waits a long time for its next note.
///
/// What a waiting daemon held before this (measured, 10,000 notes waiting): 42 MiB resident,
/// of which 4 MiB were its own (heap, stacks, SQLite's page cache) and 38 MiB pages of its
/// binary, the Swift runtime, Foundation and ICU that it touched while starting and
/// delivering. Those are clean copies of files, which the daemon does not need while it
/// sleeps. So before a long wait:
///
/// - `malloc_trim(0)` returns the heap's free pages to the kernel;
/// - the read-only segments (code, constant data) of every loaded ELF object are unmapped from
///   the process (`MADV_DONTNEED`, `fuq_release_read_only_segments` in CLinux). The pages stay
///   in the kernel's page cache like those of any program that ran lately — still charged to
///   the service's memory cgroup until the kernel reclaims them, which it may do at once when
///   memory is short; touching one again (the next wake-up) maps it back from there, or reads
///   it from the file.
///
/// Never touched: writable segments and the RELRO range (relocated data: `MADV_DONTNEED`
/// would replace it with the file's unrelocated bytes), objects with text relocations, the
/// vDSO. The segments come from the dynamic loader (`dl_iterate_phdr`), not from
/// /proc/self/maps, and are released under its lock: no range can have been unmapped and
/// reused for other data in between. One cost: a debugger's breakpoint in code (a private copy
/// of that page) would be lost.
enum IdleMemory {
    /// Hands back what the process does not need while it waits; returns the bytes of code and
    /// constant data unmapped (resident or not).
    @discardableResult
    static func release() -> Int {
        malloc_trim(0)
        return fuq_release_read_only_segments()
    }
}
