import Foundation
import Logging

/// Log lines on stderr. Under systemd (`$JOURNAL_STREAM` set) each line starts with the
/// syslog priority in angle brackets (`<6>` info, `<4>` warning, `<3>` error), which journald
/// turns into the entry's priority; systemd adds its own time stamp, so none is written.
/// Otherwise: "2026-11-24T18:23:41Z warning: text key=value".
public struct JournalLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    private let journal: Bool

    public init(label: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        journal = environment["JOURNAL_STREAM"].map { !$0.isEmpty } ?? false
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String,
                    file: String, function: String, line: UInt) {
        FileHandle.standardError.write(Data(Self.line(level: level, message: message, metadata: metadata.merging(extra ?? [:]) { $1 }, journal: journal).utf8))
    }

    /// One log line as written.
    static func line(level: Logger.Level, message: Logger.Message, metadata all: Logger.Metadata, journal: Bool) -> String {
        // Values can come from the queue (an address edited by hand): control characters are
        // shown as \u{…}, never sent to the terminal or the journal as they are.
        let fields = all.keys.sorted().map { key -> String in
            let value = TextSafety.printable("\(all[key]!)")
            return value.contains(" ") ? "\(key)=\"\(value)\"" : "\(key)=\(value)"
        }
        let text = ([TextSafety.printable(message.description)] + fields).joined(separator: " ")
        if journal { return "<\(Self.priority(level))>\(text)\n" }
        return "\(Date().formatted(.iso8601)) \(level): \(text)\n"
    }

    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }
}
