import ArgumentParser
import Foundation
import FuqCore
import Logging
import ServiceLifecycle

extension Fuq {
    struct Daemon: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send each message when it is due; run by systemd (Type=notify).",
            discussion: """
                Sleeps until the next due message — no polling — and wakes early when the queue \
                changes. SIGTERM/SIGINT: finish the message in flight, exit 0. SIGHUP: reload the \
                config (a bad one is reported and the old one kept). Exit 75 if another fuq \
                delivers from the same queue.
                """
        )
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            var logger = Logger(label: "fuq") { JournalLogHandler(label: $0, environment: environment) }
            logger.logLevel = global.level(default: .info)
            let global = self.global
            let daemon: DeliveryDaemon = try reportingErrors {
                let config = try global.loadDeliveryConfig()
                return try DeliveryDaemon(
                    config: config, loadConfig: { try global.loadConfig() }, logger: logger,
                    makeTransport: { smtp in try CurlSMTPTransport(settings: smtp, password: try PasswordSource.resolve(smtp)) })
            }
            var quiet = logger
            quiet.logLevel = .warning
            let group = ServiceGroup(configuration: .init(services: [daemon], gracefulShutdownSignals: [.sigterm, .sigint], logger: quiet))
            do {
                try await group.run()
            } catch {
                let text = (error as? LocalizedError)?.errorDescription ?? "\(error)"
                logger.critical("stopped on an error", metadata: ["error": "\(text)"])
                throw ExitCode(Exit.code(for: error) == Exit.dataError ? Exit.ioError : Exit.code(for: error))
            }
        }
    }
}
