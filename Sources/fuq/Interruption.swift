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

/// Signals while `fuq edit` waits for the editor. SIGTERM and SIGHUP (fuq stopped, the
/// terminal closed): the editor is sent SIGTERM, so it is not left behind, and fuq then removes
/// its draft and exits. SIGINT and SIGQUIT go to the editor (it shares the terminal) and fuq
/// waits on, as `git commit` does: Ctrl-C in vi is an editing key. Handlers, not SIG_IGN, so
/// the editor starts with the default actions.
enum EditorSignals {
    /// The editor's pid while it runs (0 otherwise), for the handler.
    nonisolated(unsafe) static var editor: pid_t = 0
    /// SIGTERM or SIGHUP, once received; else 0.
    nonisolated(unsafe) static var received: Int32 = 0

    static func install() {
        editor = 0
        received = 0
        for sig in [SIGTERM, SIGHUP] {
            _ = Glibc.signal(sig) { sig in
                // Async-signal-safe only: two stores and kill(2).
                EditorSignals.received = sig
                if EditorSignals.editor > 0 { kill(EditorSignals.editor, SIGTERM) }
            }
        }
        for sig in [SIGINT, SIGQUIT] { _ = Glibc.signal(sig) { _ in } }
    }

    /// How the editor ended.
    enum Ending {
        case exit(Int32)
        case signal(Int32)

        var code: Int32 {
            switch self {
            case .exit(let code): return code
            case .signal(let sig): return 128 + sig
            }
        }
    }

    struct SpawnError: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `arguments` in fuq's own process group — the terminal's foreground, where an editor
    /// may read the keyboard and Ctrl-C reaches it (Foundation's `Process` starts a group of its
    /// own) — with the default signal actions, and waits for it.
    static func run(_ arguments: [String]) throws -> Ending {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t(), none = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGPIPE] { sigaddset(&defaults, sig) }
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, arguments[0], nil, &attributes, argv, environ)
        guard spawned == 0 else { throw SpawnError(description: String(cString: strerror(spawned))) }
        editor = pid
        // A signal that came before the editor's pid was known.
        if received != 0 { kill(pid, SIGTERM) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        editor = 0
        let signal = status & 0x7F
        return signal == 0 ? .exit((status >> 8) & 0xFF) : .signal(signal)
    }

    /// SIGTERM and SIGHUP get their default actions back. SIGINT and SIGQUIT keep the no-op
    /// handler until fuq exits: a Ctrl-C sent to the whole group may reach fuq a moment after
    /// the editor died of it, and must not kill fuq midway through removing the draft (what
    /// is left — reading the draft and one transaction — takes milliseconds).
    static func restore() {
        for sig in [SIGTERM, SIGHUP] { _ = Glibc.signal(sig, SIG_DFL) }
    }
}
