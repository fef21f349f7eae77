import Foundation
import Testing
@testable import FuqCore

/// What `fuq init` writes is what the loader reads back, whatever the answers look like.
@Suite("Config written by fuq init")
struct ConfigDraftTests {
    @Test("values YAML would otherwise misread come back exactly", arguments: [
        "Alex Kim", "yes", "no", "null", "~", "- dash", "@handle", "Kim: Alex", "Alex # Kim", "\"quoted\"", "back\\slash",
        "'single'", "{curly}", "[square]", "*star", "&amp", "!tag", "%percent", "José Ñúñez-O'Brien", "金 敏俊", "123", "1e3",
        "0x1F", "2026-11-26", "true", "https://alex.example/#work?x=1&y=2",
    ])
    func roundTrip(value: String) throws {
        let draft = ConfigDraft(name: value, email: "alex@example.com", phone: value, links: [value, "https://example.com"],
                                smtpURL: "smtps://smtp.example.com:465", smtpUsername: value, password: .command(value))
        let config = try FuqConfig.parse(draft.render(), file: "config.yaml", environment: ["HOME": "/home/alex"])
        #expect(config.sender == Sender(name: value, email: "alex@example.com", phone: value, links: [value, "https://example.com"]))
        #expect(config.smtp == SMTPSettings(url: "smtps://smtp.example.com:465", username: value, passwordCommand: value))
        #expect(config.policy == .standard)
        #expect(config.templatesDir == nil)
        #expect(FuqConfig.problem(key: "sender.name", value: value) == nil)
    }

    @Test("each password source, tls: none and queue.path as the loader reads them")
    func sources() throws {
        let env = ["HOME": "/home/alex"]
        func parsed(_ draft: ConfigDraft) throws -> FuqConfig {
            try FuqConfig.parse(draft.render(), file: "/home/alex/.config/fuq/config.yaml", environment: env)
        }
        var draft = ConfigDraft(name: "Alex Kim", email: "alex@example.com", phone: "+1 555 0100", smtpURL: "smtp://127.0.0.1:2525",
                                tls: .none, queuePath: "/srv/fuq/queue.sqlite")
        var config = try parsed(draft)
        #expect(config.smtp == SMTPSettings(url: "smtp://127.0.0.1:2525", tls: .none))
        #expect(config.queuePath == "/srv/fuq/queue.sqlite")
        #expect(config.sender.links.isEmpty)

        draft.smtpUsername = "alex"
        draft.password = .file("~/.config/fuq/smtp-password")
        config = try parsed(draft)
        #expect(config.smtp.passwordFile == "/home/alex/.config/fuq/smtp-password")
        #expect(config.smtp.passwordCommand == nil)

        draft.password = .credential
        config = try parsed(draft)
        #expect(config.smtp.passwordFile == nil && config.smtp.passwordCommand == nil)
        #expect(config.smtp.username == "alex")
        #expect(!draft.render().split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("password") })
    }

    @Test("one answer is judged by the loader's own rules")
    func problems() {
        #expect(FuqConfig.problem(key: "sender.email", value: "alex@example.com") == nil)
        #expect(FuqConfig.problem(key: "sender.email", value: "alex@gmial.com")?.contains("did you mean alex@gmail.com?") == true)
        #expect(FuqConfig.problem(key: "sender.email", value: "Alex <alex@example.com>") != nil)
        #expect(FuqConfig.problem(key: "smtp.url", value: "smtps://smtp.gmail.com:465") == nil)
        #expect(FuqConfig.problem(key: "smtp.url", value: "smtps://a:b@smtp.gmail.com:465")?.contains("not allowed") == true)
        #expect(FuqConfig.problem(key: "smtp.url", value: "smtp.gmail.com") != nil)
        #expect(FuqConfig.problem(key: "sender.name", value: "") == "sender.name is empty; give it a value")
        #expect(FuqConfig.problem(key: "sender.name", value: String(repeating: "a", count: 101))?.contains("at most 100") == true)
        #expect(FuqConfig.problem(key: "sender.links", value: "https://example.com/\u{202E}") != nil)
        #expect(FuqConfig.problem(key: "smtp.tls", value: "none") == nil)
        #expect(FuqConfig.problem(key: "smtp.tls", value: "off") != nil)
    }

    @Test("path: --config, else $FUQ_CONFIG, else the XDG default, ~ expanded")
    func path() {
        let env = ["HOME": "/home/alex", "XDG_CONFIG_HOME": "/home/alex/.cfg"]
        #expect(FuqConfig.path(explicitPath: nil, environment: env) == "/home/alex/.cfg/fuq/config.yaml")
        #expect(FuqConfig.path(explicitPath: nil, environment: env.merging(["FUQ_CONFIG": "~/fuq.yaml"]) { $1 }) == "/home/alex/fuq.yaml")
        #expect(FuqConfig.path(explicitPath: "/etc/fuq/config.yaml", environment: env.merging(["FUQ_CONFIG": "x"]) { $1 }) == "/etc/fuq/config.yaml")
    }
}
