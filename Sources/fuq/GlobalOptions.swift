import ArgumentParser
import Foundation
import FuqCore
import Logging

/// Flags every subcommand shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Config file (default: $FUQ_CONFIG, else ~/.config/fuq/config.yaml).", valueName: "path"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Queue database (default: queue.path from the config, else ~/.local/share/fuq/queue.sqlite).", valueName: "path"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("Log level on stderr: trace, debug, info, notice, warning, error (default: $FUQ_LOG_LEVEL, else info for the daemon and warning for the rest).", valueName: "level"))
    var logLevel: String?

    func validate() throws {
        if let logLevel, Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level \(logLevel) is not a level; use trace, debug, info, notice, warning or error")
        }
    }

    /// The level asked for with --log-level or $FUQ_LOG_LEVEL, else `fallback`.
    func level(default fallback: Logger.Level) -> Logger.Level {
        logLevel.flatMap { Logger.Level(rawValue: $0) }
            ?? ProcessInfo.processInfo.environment["FUQ_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? fallback
    }

    func loadConfig() throws -> FuqConfig {
        var config = try FuqConfig.load(explicitPath: self.config)
        // --db is relative to where the command runs (queue.path to the config file's folder).
        if let db { config.queuePath = FuqConfig.absolute(db, base: "") }
        return config
    }

    /// The config for commands that send: `sender.email` must be set.
    func loadDeliveryConfig() throws -> FuqConfig {
        let config = try loadConfig()
        guard config.sender.email != nil else {
            throw ConfigError.missingKey(key: "sender.email", file: config.source, hint: "notes are sent from it")
        }
        return config
    }

    /// - Parameter readOnly: for commands that only look (`status`, `show`): nothing is
    ///   created or written, so a running daemon never mistakes a look for a change.
    func openQueue(_ config: FuqConfig, readOnly: Bool = false) throws -> QueueStore {
        try QueueStore(path: config.queuePath, readOnly: readOnly)
    }

    /// Opens the queue and resolves every id first, so a typo in the third id fails the
    /// command before the first two are changed.
    func openQueue(resolving ids: [String]) throws -> (QueueStore, [MessageRecord]) {
        let store = try openQueue(try loadConfig())
        return (store, try ids.map { try store.message($0) })
    }
}

/// The documented exit codes (sysexits.h).
enum Exit {
    static let usage: Int32 = 64
    static let dataError: Int32 = 65
    static let noInput: Int32 = 66
    static let cantCreate: Int32 = 73
    static let ioError: Int32 = 74
    static let tempFail: Int32 = 75
    static let config: Int32 = 78

    static func code(for error: Error) -> Int32 {
        switch error {
        case is ConfigError: return config
        case is ConfigWriteError: return cantCreate
        case is InitError: return usage
        case let error as TemplateError:
            if case .missingVariable = error { return dataError }
            if case .notAFile = error { return noInput }
            return config
        case let error as QueueError:
            switch error {
            case .locked: return tempFail
            case .idTooShort: return usage
            case .cannotOpen, .notAQueue, .newerQueue, .database, .replaced: return ioError
            default: return dataError
            }
        case let error as InterviewError:
            if case .unreadable = error { return noInput }
            return dataError
        case let error as InvitationError: return error.unreadable ? noInput : dataError
        case is SchedulingError, is EtiquetteError: return dataError
        case is SpellingError: return config
        case let error as NoteProofing.LearnError:
            if case .cannotWrite = error { return cantCreate }
            return usage
        case let error as DeliveryError:
            if case .busy = error { return tempFail }
            return config
        default: return dataError
        }
    }
}

/// Runs a command body; known errors become one clear line on stderr and a documented exit code.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ExitCode {
        throw error
    } catch let error as ValidationError {
        throw error
    } catch {
        // Stored or typed text quoted in a message never drives the terminal.
        let text = TextSafety.printable((error as? LocalizedError)?.errorDescription ?? "\(error)", multiline: true)
        // Under systemd the line carries journald's "error" priority.
        let priority = ProcessInfo.processInfo.environment["JOURNAL_STREAM"].map { $0.isEmpty ? "" : "<3>" } ?? ""
        FileHandle.standardError.write(Data("\(priority)fuq: error: \(text)\n".utf8))
        throw ExitCode(Exit.code(for: error))
    }
}

func printJSON(_ value: Any) {
    let data = (try? JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data("[]".utf8)
    print(String(decoding: data, as: UTF8.self))
}
