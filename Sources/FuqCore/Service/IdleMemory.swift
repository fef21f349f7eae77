import CLinux
import Foundation

/// Gives memory back while the daemon waits a long time for its next note.
///
/// A waiting daemon held 42 MiB (10,000 notes waiting): 4 MiB of its own, 38 MiB pages of its
/// binary, the Swift runtime, Foundation and ICU touched while starting and delivering —
/// clean copies of files it does not need while it sleeps. So before a long wait it returns
/// the heap's free pages (`malloc_trim`) and unmaps its read-only ELF segments
/// (`fuq_release_read_only_segments` in CLinux, which says what is never touched and why).
/// The pages stay in the page cache, charged to the service's cgroup until the kernel
/// reclaims them; the next wake-up maps back what it touches. A debugger's breakpoint in
/// fuq's code would be lost.
enum IdleMemory {
    /// Hands back what the process does not need while it waits; returns the bytes of code and
    /// constant data unmapped (resident or not).
    @discardableResult
    static func release() -> Int {
        malloc_trim(0)
        return fuq_release_read_only_segments()
    }
}
