import CSystemd
import Foundation

/// The desktop channel: org.freedesktop.Notifications.Notify on the session bus, through sd-bus.
public enum DesktopChannel {
    /// How long a call may wait for the notification server.
    static let timeoutMilliseconds: UInt64 = 5000

    /// Whether a session bus is there to try: the user unit and a desktop session have one;
    /// a server, cron or the system unit have none.
    public static func hasSessionBus(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        if let address = environment["DBUS_SESSION_BUS_ADDRESS"], !address.isEmpty { return true }
        guard let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty else { return false }
        var info = stat()
        return stat(runtime + "/bus", &info) == 0 && (info.st_mode & S_IFMT) == S_IFSOCK
    }

    /// Shows `notice`; returns the server's notification id, or why it could not.
    public static func show(_ notice: Notice, markup: Bool) -> Result<UInt32, NoticeFailure> {
        show(summary: notice.summary, body: notice.body, critical: notice.kind.isCritical, markup: markup)
    }

    /// Whether the server reads markup in bodies (`body-markup`); nil when it cannot be asked.
    public static func readsMarkup() -> Result<Bool, NoticeFailure> {
        guard hasSessionBus() else { return .failure(.unavailable("no session bus (DBUS_SESSION_BUS_ADDRESS is not set)")) }
        var list = [CChar](repeating: 0, count: 1024)
        var error = [CChar](repeating: 0, count: 512)
        let r = fuq_desktop_capabilities(timeoutMilliseconds, &list, list.count, &error, error.count)
        guard r == 0 else {
            let text = cText(error)
            return .failure(r == -ENOENT || r == -ECONNREFUSED || text.contains("ServiceUnknown") ? .unavailable(text) : .failed(text))
        }
        return .success(cText(list).split(separator: " ").contains("body-markup"))
    }

    /// The body as a server that reads markup must get it: `&`, `<` and `>` escaped, so a
    /// company name or a stranger's subject line is shown as text, never as a link or a tag.
    /// (The summary is plain text by the specification.)
    static func escapedForMarkup(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// - Parameter markup: the server reads markup in bodies (`readsMarkup()`): the body is escaped.
    public static func show(summary: String, body: String, critical: Bool, markup: Bool) -> Result<UInt32, NoticeFailure> {
        guard hasSessionBus() else { return .failure(.unavailable("no session bus (DBUS_SESSION_BUS_ADDRESS is not set)")) }
        var id: UInt32 = 0
        var error = [CChar](repeating: 0, count: 512)
        let r = fuq_desktop_notify("fuq", summary, markup ? escapedForMarkup(body) : body, critical ? 2 : 1, timeoutMilliseconds, &id, &error, error.count)
        guard r == 0 else {
            let text = cText(error)
            // No bus to connect to, or nobody serving notifications on it.
            if r == -ENOENT || r == -ECONNREFUSED || text.contains("ServiceUnknown") || text.contains("was not provided") {
                return .failure(.unavailable(text))
            }
            return .failure(.failed(text))
        }
        return .success(id)
    }

    /// The notification server's name and version, or why there is none.
    public static func probe() -> Result<String, NoticeFailure> {
        guard hasSessionBus() else { return .failure(.unavailable("no session bus (DBUS_SESSION_BUS_ADDRESS is not set)")) }
        var info = [CChar](repeating: 0, count: 256)
        var error = [CChar](repeating: 0, count: 512)
        let r = fuq_desktop_probe(timeoutMilliseconds, &info, info.count, &error, error.count)
        guard r == 0 else { return .failure(r == -ENOENT || r == -ECONNREFUSED ? .unavailable(cText(error)) : .failed(cText(error))) }
        return .success(cText(info))
    }
}

/// The text in a C buffer, up to its terminating zero.
private func cText(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Why a channel did not tell.
public enum NoticeFailure: Error, Equatable, CustomStringConvertible {
    /// The channel cannot work here (no session bus): silent, not an error.
    case unavailable(String)
    case failed(String)

    public var description: String {
        switch self {
        case .unavailable(let text): return "unavailable: \(text)"
        case .failed(let text): return "failed: \(text)"
        }
    }
}

/// The command channel: `notify.command`, run without a shell, in its own process group, with
/// the event in its environment and as JSON on its standard input, killed at its timeout.
public enum CommandChannel {
    /// What the command printed, at most this much, for the log.
    static let outputLimit = 2000

    public struct Run: Sendable, Equatable {
        /// The exit status (128 + signal when killed by one); nil when it timed out.
        public var status: Int32?
        /// What it printed on standard output and error, cut to `outputLimit`.
        public var output: String
        /// fuq was asked to stop (SIGTERM, Ctrl-C) while it ran: it was killed, not finished.
        public var interrupted = false
    }

    /// The event as JSON, one object: what a script reads from its standard input.
    public static func json(_ notice: Notice) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        struct Payload: Encodable {
            var event: String, id: String?, to: String, summary: String, body: String, action: String
            var urgency: String, company: String?, interview: String?, at: Date
        }
        let payload = Payload(event: notice.kind.rawValue, id: notice.id, to: notice.to, summary: notice.summary, body: notice.body,
                              action: notice.action, urgency: notice.urgency, company: notice.company, interview: notice.interview, at: notice.at)
        return (try? encoder.encode(payload)) ?? Data("{}".utf8)
    }

    /// The variables the command finds the event in.
    public static func environment(_ notice: Notice) -> [String: String] {
        ["FUQ_EVENT": notice.kind.rawValue, "FUQ_ID": notice.id ?? "", "FUQ_TO": notice.to, "FUQ_SUMMARY": notice.summary,
         "FUQ_BODY": notice.body, "FUQ_ACTION": notice.action, "FUQ_URGENCY": notice.urgency]
    }

    /// Runs `argv` with `extra` added to fuq's environment and `input` on its standard input.
    /// - Parameters:
    ///   - shouldContinue: polled while it runs; false (fuq is stopping) kills it at once.
    ///   - tick: called a few times a second while it runs (the daemon's watchdog).
    public static func run(_ argv: [String], extra: [String: String], input: Data, timeout: TimeInterval,
                           shouldContinue: () -> Bool = { true }, tick: () -> Void = {}) -> Result<Run, NoticeFailure> {
        guard let program = argv.first else { return .failure(.failed("no command")) }
        var toChild: [Int32] = [0, 0], fromChild: [Int32] = [0, 0]
        guard pipe(&toChild) == 0 else { return .failure(.failed("no pipe")) }
        guard pipe(&fromChild) == 0 else { close(toChild[0]); close(toChild[1]); return .failure(.failed("no pipe")) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 2)
        for fd in toChild + fromChild { posix_spawn_file_actions_addclose(&actions, fd) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        PasswordSource.prepareChild(&attributes, ownGroup: true)

        var environment = ProcessInfo.processInfo.environment
        for (key, value) in extra { environment[key] = value }
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        let args: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for p in envp + args { free(p) } }
        var pid: pid_t = 0
        // A bare name is looked up on PATH (posix_spawnp), a path is run as it is.
        let spawned = program.contains("/") ? posix_spawn(&pid, program, &actions, &attributes, args, envp)
                                            : posix_spawnp(&pid, program, &actions, &attributes, args, envp)
        close(toChild[0])
        close(fromChild[1])
        defer { close(fromChild[0]) }
        guard spawned == 0 else {
            close(toChild[1])
            return .failure(.failed("\(program) could not be started: \(String(cString: strerror(spawned)))"))
        }
        // The event is small (a pipe holds 64 KiB): written at once, then end of input.
        // A command that never reads it (or exited at once) must not kill fuq with SIGPIPE.
        let previous = signal(SIGPIPE, SIG_IGN)
        input.withUnsafeBytes { bytes in _ = write(toChild[1], bytes.baseAddress, bytes.count) }
        close(toChild[1])
        signal(SIGPIPE, previous)

        let deadline = Date().addingTimeInterval(timeout)
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        var timedOut = false
        var interrupted = false
        var status: Int32 = 0
        var reaped = false
        // Read until the output closes, then wait for the exit, both within the deadline.
        var open = true
        while !reaped {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { timedOut = true; break }
            if !shouldContinue() { interrupted = true; break }
            tick()
            if open {
                var pfd = pollfd(fd: fromChild[0], events: Int16(POLLIN), revents: 0)
                let ready = poll(&pfd, 1, Int32(min(left, 0.2) * 1000) + 1)
                if ready > 0 {
                    let n = buffer.withUnsafeMutableBytes { Glibc.read(fromChild[0], $0.baseAddress, $0.count) }
                    if n > 0 {
                        if output.count < outputLimit { output.append(contentsOf: buffer[0..<min(n, outputLimit - output.count)]) }
                    } else if n == 0 || errno != EINTR {
                        open = false
                    }
                }
            } else {
                usleep(10_000)
            }
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid || (r < 0 && errno != EINTR) { reaped = true }
        }
        // Whatever it started goes too (a background `sleep`, a stuck curl).
        kill(-pid, SIGKILL)
        if !reaped {
            kill(pid, SIGKILL)
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
        let text = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if interrupted { return .success(Run(status: nil, output: text, interrupted: true)) }
        if timedOut { return .success(Run(status: nil, output: text)) }
        let exited = status & 0x7f == 0
        return .success(Run(status: exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), output: text))
    }
}

/// The digest to yourself: one plain message listing what happened, each item with its command.
public enum DigestMail {
    /// "fuq: the follow-up to Dana Rivera waits for your go-ahead" or "fuq: 3 things need you".
    public static func subject(_ notices: [Notice]) -> String {
        if notices.count == 1, let only = notices.first { return "fuq: \(only.summary)" }
        let needing = notices.filter { $0.kind.needsYou }.count
        if needing == 0 { return "fuq: \(notices.count) updates on your notes" }
        return "fuq: \(needing) thing\(needing == 1 ? "" : "s") need\(needing == 1 ? "s" : "") you" + (needing < notices.count ? ", and \(notices.count - needing) update\(notices.count - needing == 1 ? "" : "s")" : "")
    }

    public static func body(_ notices: [Notice], zone: TimeZone) -> String {
        let when = DateFormatting.formatter("EEE d MMM HH:mm", zone)
        var lines = ["What happened since the last message from fuq (times \(DateFormatting.abbreviation(zone, at: notices.first?.at ?? Date()))):", ""]
        for notice in notices {
            lines.append("* \(notice.summary)  [\(when.string(from: notice.at))]")
            for line in TextWidth.wrap(notice.body, width: 70) { lines.append("  \(line)") }
            lines.append("  Run: \(notice.action)")
            lines.append("")
        }
        lines.append("`fuq status` shows every note; this message is sent to you alone, at most once an hour.")
        lines.append("Turn it off with `notify: {email: false}` in your fuq config.")
        return lines.joined(separator: "\n") + "\n"
    }
}
