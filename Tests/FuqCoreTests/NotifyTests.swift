import Foundation
import Testing
@testable import FuqCore

@Suite("notify: config, what is told, the digest's words")
struct NotifyUnitTests {
    static func parse(_ notify: String, sender: String = "sender:\n  email: alex@example.com\n") throws -> NotifySettings {
        try FuqConfig.parse(sender + notify, file: "config.yaml", environment: ["HOME": "/home/alex"]).notify
    }

    @Test("defaults: desktop on, no digest, no command, 30 s, sent not told")
    func defaults() throws {
        #expect(try Self.parse("") == NotifySettings())
        #expect(try Self.parse("notify:\n  email: true\n").email == "alex@example.com")
        #expect(try Self.parse("notify:\n  email: me@elsewhere.example\n").email == "me@elsewhere.example")
        #expect(try Self.parse("notify:\n  command: [~/bin/tell, --topic, job search]\n").command == ["/home/alex/bin/tell", "--topic", "job search"])
        #expect(try Self.parse("notify:\n  command: notify-send --urgency=low\n").command == ["notify-send", "--urgency=low"])
        #expect(try Self.parse("notify:\n  command: ~/bin/tell-me job\n").command == ["/home/alex/bin/tell-me", "job"])
        #expect(try Self.parse("notify:\n  timeout: 2m\n  sent: yes\n  desktop: no\n") == NotifySettings(desktop: false, timeout: 120, sent: true))
    }

    @Test("refusals name the key and say what to write", arguments: [
        ("notify:\n  command: curl -d \"$FUQ_BODY\" ntfy.sh/x\n", "runs without a shell"),
        ("notify:\n  command: []\n", "notify.command: empty"),
        ("notify:\n  command: [bin/tell-me]\n", "relative path"),
        ("notify:\n  email: true\n", "sender.email, which is not set"),
        ("notify:\n  email: not an address\n", "notify.email"),
        ("notify:\n  timeout: 0s\n", "from 1s to 2m"),
        ("notify:\n  timeout: 5m\n", "from 1s to 2m"),
        ("notify:\n  desktp: true\n", "did you mean `desktop`"),
    ])
    func refusals(_ yaml: String, _ says: String) throws {
        do {
            _ = try Self.parse(yaml, sender: yaml.contains("email: true") ? "" : "sender:\n  email: alex@example.com\n")
            Issue.record("accepted: \(yaml)")
        } catch {
            let text = (error as? LocalizedError)?.errorDescription ?? "\(error)"
            #expect(text.contains(says), "\(text)")
            #expect(text.contains("config.yaml:"), "names the file and line: \(text)")
        }
    }

    @Test("each held reason is its own kind; a follow-up waiting for its parent, and `fuq replied`, are not told")
    func kinds() {
        #expect(AttentionKind.of(state: .held, text: FollowUpGate.goAheadPrefix + ": fuq has no mailbox", isFollowUp: true) == .confirm)
        #expect(AttentionKind.of(state: .held, text: "hr@acme.example wrote on Tue 1 Dec (\"Hi\"); \(FollowUpGate.colleagueMarker). …", isFollowUp: true) == .colleague)
        #expect(AttentionKind.of(state: .held, text: FollowUpGate.uncheckedPrefix + " (timeout)", isFollowUp: true) == .mailbox)
        #expect(AttentionKind.of(state: .held, text: QueueStore.waitsForParent + " k7m2q", isFollowUp: true) == nil)
        #expect(AttentionKind.of(state: .held, text: "its thank-you k7m2q bounced: …", isFollowUp: true) == nil)
        #expect(AttentionKind.of(state: .held, text: "535 authentication failed", isFollowUp: false) == .paused)
        #expect(AttentionKind.of(state: .cancelled, text: "they replied: dana@acme.example wrote on …", isFollowUp: true) == .replied)
        #expect(AttentionKind.of(state: .cancelled, text: "they replied: \(AttentionKind.replyByUser): Dana called", isFollowUp: true) == nil)
        #expect(AttentionKind.of(state: .cancelled, text: "you cancelled it", isFollowUp: true) == nil)
        for state in [MessageState.scheduled, .deferred, .sending] { #expect(AttentionKind.of(state: state, text: nil, isFollowUp: false) == nil) }
        #expect(AttentionKind.failed.isCritical && AttentionKind.bounced.isCritical && AttentionKind.paused.isCritical)
        #expect(!AttentionKind.confirm.isCritical && !AttentionKind.expired.isCritical && !AttentionKind.uncertain.isCritical)
    }

    static func notice(_ kind: AttentionKind) -> Notice {
        Notice(kind: kind, id: "k7m2q", to: "Dana Rivera <dana@acme.example>", summary: "Follow-up to Dana Rivera waits for your go-ahead",
               body: "…", action: "fuq confirm k7m2q", company: "Acme", interview: "acme-k7m2", at: Date(timeIntervalSince1970: 1_800_000_000))
    }

    @Test("the digest's subject starts with fuq: and counts what needs you apart from the news")
    func digestSubject() {
        #expect(DigestMail.subject([Self.notice(.confirm)]) == "fuq: Follow-up to Dana Rivera waits for your go-ahead")
        #expect(DigestMail.subject(Array(repeating: Self.notice(.failed), count: 3)) == "fuq: 3 things need you")
        #expect(DigestMail.subject([Self.notice(.failed), Self.notice(.replied)]) == "fuq: 1 thing needs you, and 1 update")
        #expect(DigestMail.subject([Self.notice(.sent), Self.notice(.replied)]) == "fuq: 2 updates on your notes")
        let body = DigestMail.body([Self.notice(.confirm)], zone: TimeZone(identifier: "UTC")!)
        #expect(body.contains("Run: fuq confirm k7m2q"))
    }

    @Test("the command's JSON carries every field")
    func json() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: CommandChannel.json(Self.notice(.failed))) as? [String: Any])
        #expect(Set(object.keys) == ["event", "id", "to", "summary", "body", "action", "urgency", "company", "interview", "at"])
        #expect(object["urgency"] as? String == "critical")
        #expect(object["at"] as? String == "2027-01-15T08:00:00Z")
    }
}
