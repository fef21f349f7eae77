import Foundation

/// SIGINT (Ctrl-C) and SIGTERM during `fuq flush` / `fuq send-now`: the note in flight is
/// finished and recorded, no further note is started, and the command exits 130 / 143 —
/// as the daemon does. A second signal stops at once (that note then becomes `uncertain`).
enum Interruption {
    nonisolated(unsafe) private static var received: Int32 = 0

    /// The signal received, or nil.
    static var signal: Int32? { received == 0 ? nil : received }

    /// Exit status for the signal received (128 + its number), or nil.
    static var exitStatus: Int32? { signal.map { 128 + $0 } }

    static func install() {
        // Touch the storage here, not first inside the handler (lazy initialisation there is not
        // async-signal-safe).
        received = 0
        for sig in [SIGINT, SIGTERM] {
            _ = Glibc.signal(sig) { sig in
                Interruption.received = sig
                // Only async-signal-safe calls here: a fixed message, and the default action
                // back for the next one.
                let message: StaticString = "\nfuq: finishing the note in flight, then stopping (again to stop at once)\n"
                _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
                _ = Glibc.signal(sig, SIG_DFL)
            }
        }
    }
}
