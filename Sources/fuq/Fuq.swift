import ArgumentParser
import Foundation
import FuqCore

@main
struct Fuq: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuq",
        abstract: "The interview follow-up queue: thank-you notes sent at a sensible time, once.",
        discussion: """
            Exit codes: 0 ok, 64 usage (an unknown command too), 65 bad data (interview file, \
            addresses, a note that fails proofreading, an impossible state change), 66 input file \
            missing, unreadable or a folder, 73 `init` would overwrite a config (or cannot create it), \
            74 queue unreadable, 75 temporary failure (queue locked, server unavailable), 78 bad configuration.
            """,
        version: "0.1.0",
        subcommands: [Init.self, New.self, Enqueue.self, Check.self, Status.self, Show.self, Cancel.self, Reschedule.self, Edit.self, SendNow.self, Flush.self, Retry.self, MarkSent.self, Replied.self, Confirm.self, Doctor.self, Daemon.self]
    )
}
