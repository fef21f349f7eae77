import Foundation

/// Finds a password: `password_command`, else `password_file`, else a systemd credential
/// (`$CREDENTIALS_DIRECTORY/smtp-password`, `…/imap-password`). The password lives only in
/// memory. Every message names the keys of the section it came from (`smtp.*` or `imap.*`).
public enum PasswordSource {
    /// How long `password_command` may take.
    public static let commandTimeout: TimeInterval = 30

    /// Where one section keeps its password: its keys and its systemd credential's name.
    public struct Keys: Sendable, Equatable {
        /// `smtp` or `imap`: the prefix of the keys in messages.
        public var section: String
        public var command: String?
        public var file: String?
        /// The file name under `$CREDENTIALS_DIRECTORY`.
        public var credential: String

        public init(section: String, command: String?, file: String?, credential: String) {
            self.section = section
            self.command = command
            self.file = file
            self.credential = credential
        }

        public static func smtp(_ smtp: SMTPSettings) -> Keys {
            Keys(section: "smtp", command: smtp.passwordCommand, file: smtp.passwordFile, credential: "smtp-password")
        }

        public static func imap(_ imap: IMAPConfig) -> Keys {
            Keys(section: "imap", command: imap.passwordCommand, file: imap.passwordFile, credential: "imap-password")
        }

        /// True when one of this section's sources is there to be read.
        func isAvailable(environment: [String: String]) -> Bool {
            command != nil || file != nil || credentialPath(environment: environment) != nil
        }

        /// `$CREDENTIALS_DIRECTORY/NAME` when that file exists.
        func credentialPath(environment: [String: String]) -> String? {
            environment["CREDENTIALS_DIRECTORY"].map { $0 + "/" + credential }.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
        }
    }

    public static func resolve(_ smtp: SMTPSettings, environment: [String: String] = ProcessInfo.processInfo.environment,
                               commandTimeout: TimeInterval = PasswordSource.commandTimeout) throws -> String? {
        if let password = try resolve(.smtp(smtp), environment: environment, commandTimeout: commandTimeout) { return password }
        if smtp.username != nil {
            throw DeliveryError.password("smtp.username is set but no password source is: add smtp.password_command or smtp.password_file, or start fuq with systemd LoadCredential=smtp-password:…")
        }
        return nil
    }

    /// The password from `keys`' sources, nil when none of them is set.
    public static func resolve(_ keys: Keys, environment: [String: String] = ProcessInfo.processInfo.environment,
                               commandTimeout: TimeInterval = PasswordSource.commandTimeout) throws -> String? {
        if let command = keys.command {
            return try runCommand(command, key: "\(keys.section).password_command", timeout: commandTimeout)
        }
        if let path = keys.file ?? keys.credentialPath(environment: environment) {
            var info = stat()
            guard stat(path, &info) == 0 else { throw DeliveryError.password("cannot read the password file \(path)\(keys.file != nil ? " (\(keys.section).password_file)" : "")") }
            let setting = keys.file != nil ? " (\(keys.section).password_file)" : ""
            // A folder, a FIFO or a device is no password file (and chmod on a link to /dev/zero
            // would change the device); a file far longer than any password is not one either.
            guard info.st_mode & S_IFMT == S_IFREG else {
                let kind = info.st_mode & S_IFMT == S_IFDIR ? "a folder" : info.st_mode & S_IFMT == S_IFIFO ? "a named pipe" : "not a regular file"
                throw DeliveryError.password("the password file \(path)\(setting) is \(kind); give the path of a text file holding the password on its first line")
            }
            guard info.st_size <= Self.maxPasswordFile else {
                throw DeliveryError.password("the password file \(path)\(setting) is \(info.st_size) bytes, far more than a password; give the file that holds only the password, on its first line")
            }
            if keys.file != nil, info.st_mode & 0o077 != 0 {
                throw DeliveryError.password("the password file \(path) (\(keys.section).password_file) is readable by others; run `chmod 600 \(path)`")
            }
            guard let data = FileManager.default.contents(atPath: path), String(data: data, encoding: .utf8) != nil else {
                throw DeliveryError.password("cannot read the password file \(path) as UTF-8 text; check that it is a text file and readable by you")
            }
            let named = "\(path)\(keys.file != nil ? " (\(keys.section).password_file)" : "")"
            let (line, more) = firstLine(data)
            guard !line.isEmpty else {
                throw DeliveryError.password(more
                    ? "the first line of the password file \(named) is blank, and fuq reads only the first line; put the password on it"
                    : "the password file \(named) is empty; write the password on its first line")
            }
            return line
        }
        return nil
    }

    /// No password file is longer (a passphrase, a token or an OAuth refresh token fit easily).
    static let maxPasswordFile = 16 * 1024

    /// The first line of `data` without its line end (LF, or CR LF as Windows editors write
    /// it), and whether anything but blanks follows it.
    static func firstLine(_ data: Data) -> (line: String, more: Bool) {
        let bytes = [UInt8](data)
        let end = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        var line = bytes[..<end]
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        let rest = bytes[min(end + 1, bytes.count)...]
        let more = rest.contains { ![UInt8(ascii: "\r"), UInt8(ascii: "\n"), UInt8(ascii: " "), UInt8(ascii: "\t")].contains($0) }
        return (String(decoding: line, as: UTF8.self), more)
    }
}

extension PasswordSource {
    /// After the first line arrives, how long the command may take to exit (to report a
    /// failing status) before it is stopped and the line used.
    static let exitGrace: TimeInterval = 0.5

    /// Runs `key`'s command (`smtp.password_command`, `imap.token_command`, …) in its own
    /// process group and returns its first output line as
    /// soon as it is read. The whole group is killed afterwards and on a timeout, so nothing it
    /// started (a `sleep`, a stuck helper) outlives it holding the pipe.
    static func runCommand(_ command: String, key: String = "smtp.password_command", timeout: TimeInterval) throws -> String {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw DeliveryError.password("\(key) could not be started (no pipe)") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group (to kill it whole), default signal handling and no blocked
        // signals (a parent may have blocked some).
        // At a terminal the command stays in our process group, so a helper that prompts on
        // the terminal (a passphrase) can still read it; elsewhere (the daemon) it gets its own.
        let ownGroup = isatty(STDIN_FILENO) == 0
        prepareChild(&attributes, ownGroup: ownGroup)

        let argv: [UnsafeMutablePointer<CChar>?] = [String](["/bin/sh", "-c", command]).map { strdup($0) } + [nil]
        defer { for arg in argv { free(arg) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, environ)
        close(fds[1])
        defer { close(fds[0]) }
        guard spawned == 0 else {
            throw DeliveryError.password("\(key) could not be started (\(String(cString: strerror(spawned)))); run it by hand to check")
        }
        // The group goes in every case; reaping the shell never blocks for long after SIGKILL.
        var status: Int32 = 0
        var reaped = false
        func reap(waitUpTo grace: TimeInterval) {
            let deadline = Date().addingTimeInterval(grace)
            while !reaped {
                let r = waitpid(pid, &status, WNOHANG)
                if r == pid || (r < 0 && errno != EINTR) { reaped = true; break }
                if Date() >= deadline { break }
                usleep(5_000)
            }
        }
        defer {
            if ownGroup { kill(-pid, SIGKILL) }
            // The command itself too: it may have left the group (setsid), and a blocking wait
            // must never outlast the timeout.
            if !reaped { kill(pid, SIGKILL) }
            if !reaped { while waitpid(pid, &status, 0) < 0 && errno == EINTR {} }
        }

        let (data, outcome) = readFirstLine(fds[0], until: Date().addingTimeInterval(timeout))
        switch outcome {
        case .timedOut:
            throw DeliveryError.password("\(key) did not finish within \(Int(timeout)) s; run it by hand (is it waiting for input?)")
        case .line:
            reap(waitUpTo: exitGrace)
        case .endOfFile:
            reap(waitUpTo: max(0, timeout))
        }
        if reaped {
            let exited = status & 0x7f == 0
            let code = exited ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            guard code == 0 else {
                throw DeliveryError.password("\(key) exited with status \(code); run it by hand to see why")
            }
        }
        let (line, more) = firstLine(data)
        guard !line.isEmpty else {
            throw DeliveryError.password(more || data.first == UInt8(ascii: "\n") || data.starts(with: [13, 10])
                ? "\(key) printed a blank first line, and fuq reads only the first line; make it print the password first"
                : "\(key) printed nothing")
        }
        return line
    }

    /// A child fuq starts (a password command, `notify.command`): in its own process group when
    /// `ownGroup` (to kill it whole), default signal handling and no blocked signals (a parent
    /// may have blocked some).
    static func prepareChild(_ attributes: inout posix_spawnattr_t, ownGroup: Bool) {
        posix_spawnattr_setflags(&attributes, Int16((ownGroup ? POSIX_SPAWN_SETPGROUP : 0) | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
    }

    enum ReadOutcome { case line, endOfFile, timedOut }

    /// Reads `fd` until a line feed, EOF or `deadline`.
    static func readFirstLine(_ fd: Int32, until deadline: Date) -> (Data, ReadOutcome) {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return (data, .timedOut) }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, Int32(min(left, 3600) * 1000) + 1)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return (data, .endOfFile) }
            data.append(contentsOf: buffer[0..<n])
            if buffer[0..<n].contains(UInt8(ascii: "\n")) { return (data, .line) }
        }
    }
}

/// Why delivery cannot start.
public enum DeliveryError: LocalizedError, Equatable {
    /// No usable password.
    case password(String)
    /// `smtp.url` is missing or not allowed.
    case settings(String)
    /// Another fuq process is delivering from this queue (nil `holder`: not known who).
    case busy(path: String, holder: DeliveryLock.Holder?)

    public var errorDescription: String? {
        switch self {
        case .password(let text): return text
        case .settings(let text): return text
        case .busy(let path, let holder):
            let who = holder.map { $0.isDaemon ? "the fuq daemon (pid \($0.pid))" : "another `fuq \($0.role)` (pid \($0.pid))" }
                ?? "another fuq (the daemon, or a flush)"
            return "\(who) is delivering from \(path); wait for it or stop it first. "
                + "With the daemon running, `fuq send-now ID` hands a note to it."
        }
    }
}
