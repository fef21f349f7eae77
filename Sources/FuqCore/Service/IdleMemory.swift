import CLinux
import Foundation

/// Gives memory back while the daemon waits a long time for its next note: the heap's free
/// pages (`malloc_trim`), the only memory of its own it does not need meanwhile.
///
/// The pages of its binary and shared libraries are left mapped: they are clean copies of
/// files, which the kernel reclaims on its own when memory is short, and unmapping them only
/// cost refaults at the next wake-up.
enum IdleMemory {
    /// Hands the heap's free pages back to the system.
    static func release() {
        malloc_trim(0)
    }
}
