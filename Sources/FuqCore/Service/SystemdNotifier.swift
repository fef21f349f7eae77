import Foundation

/// The `sd_notify` datagram protocol, without libsystemd: one `AF_UNIX` datagram per message
/// to `$NOTIFY_SOCKET` (a path, or `@name` in the abstract namespace). Does nothing when the
/// variable is unset (not run by systemd with `Type=notify`).
public final class SystemdNotifier: @unchecked Sendable {
    private let address: String?
    /// Half of `$WATCHDOG_USEC`, when systemd asks for keep-alives.
    public let watchdogInterval: TimeInterval?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        address = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        let pidMatches = environment["WATCHDOG_PID"].map { Int32($0) == getpid() } ?? true
        watchdogInterval = environment["WATCHDOG_USEC"].flatMap { Double($0) }.flatMap { pidMatches && $0 > 0 ? $0 / 2_000_000 : nil }
    }

    public func ready(status: String) { send("READY=1\nSTATUS=\(status)") }
    public func status(_ text: String) { send("STATUS=\(text)") }
    public func watchdog() { send("WATCHDOG=1") }
    public func stopping() { send("STOPPING=1") }
    public func reloading() { send("RELOADING=1") }

    static let datagramCloexec: Int32 = 2 | 0o2000000

    public func send(_ text: String) {
        guard let address else { return }
        // SOCK_DGRAM | SOCK_CLOEXEC, by value (Linux's ABI): in a release build the C names come
        // into this module only through the CCurl module, which only the transport files import.
        let fd = socket(AF_UNIX, Self.datagramCloexec, 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        var path = Array(address.utf8)
        if path.first == UInt8(ascii: "@") { path[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: addr.sun_path)
        guard path.count < capacity else { return }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, byte) in path.enumerated() { raw[i] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + path.count + (path.first == 0 ? 0 : 1))
        let bytes = Array(text.utf8)
        _ = withUnsafePointer(to: &addr) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddrPointer in
                bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), sockaddrPointer, length) }
            }
        }
    }
}
