import Foundation
import FuqCore

/// How times and messages are shown to people.
enum Display {
    /// The user's own zone (`TZ`, else the system's); UTC when `TZ` is unusable, and then
    /// said to be UTC rather than "your time".
    static let systemZone = SystemZone.read()
    static let userZone: TimeZone = systemZone.displayZone

    /// "Tue 24 Nov 18:23 EST".
    static func moment(_ date: Date, zone: TimeZone, now: Date = Date()) -> String {
        DateFormatting.fullMoment(date, in: zone, now: now)
    }

    /// "in 3 h 10 min", "12 min ago", "now".
    static func relative(_ date: Date, now: Date) -> String {
        let delta = date.timeIntervalSince(now)
        if abs(delta) < 30 { return "now" }
        let text = DurationText.format(abs(delta))
        return delta > 0 ? "in \(text)" : "\(text) ago"
    }

    /// Recipient's time, then the user's if it differs, then relative.
    static func dueBoth(_ date: Date, recipientZone: TimeZone, now: Date) -> String {
        var text = "\(moment(date, zone: recipientZone)) (\(DateFormatting.zoneName(recipientZone)))"
        if userZone.secondsFromGMT(for: date) != recipientZone.secondsFromGMT(for: date) || userZone.identifier != recipientZone.identifier {
            text += systemZone.isUsable ? " · your time \(moment(date, zone: userZone))" : " · \(moment(date, zone: userZone))"
        }
        return text + " · \(relative(date, now: now))"
    }

    /// Proofreading warnings (the note is queued anyway), on stderr like a compiler's.
    static func printWarnings(_ findings: [ProofFinding]) {
        for finding in findings where finding.severity == .warning {
            FileHandle.standardError.write(Data("fuq: \(safe(finding.description))\n".utf8))
        }
        if findings.contains(where: { $0.severity == .warning }) {
            FileHandle.standardError.write(Data("fuq: (warnings do not stop a note; to silence one on purpose, add `allow: [RULE]` to the interview file or the interviewer)\n".utf8))
        }
    }

    /// Once per run: the word lists the spelling check could not read (it then trusts hunspell alone).
    static func printSpellingNotice(_ config: FuqConfig) {
        if let notice = Speller.fallbackNotice(config.language) {
            FileHandle.standardError.write(Data("fuq: \(notice)\n".utf8))
        }
        if let notice = SpellingEvidence.pendingNotice(config.language) {
            FileHandle.standardError.write(Data("fuq: \(notice)\n".utf8))
        }
    }

    /// One warning line on stderr per queue row that cannot be read back (it is skipped).
    static func warnDamaged(_ ids: [String]) {
        for id in ids {
            FileHandle.standardError.write(Data("fuq: warning: \(QueueError.damaged(id: id, reason: "a value fuq cannot use").errorDescription ?? id)\n".utf8))
        }
    }

    /// Stored text as it may be printed: control characters shown as `\u{…}`, never sent to the terminal.
    static func safe(_ text: String) -> String { TextSafety.printable(text) }

    /// Wraps `text` to `width`, every line after the first indented by `indent`.
    static func wrap(_ text: String, width: Int, indent: String) -> String {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if !current.isEmpty, current.count + 1 + word.count > width {
                lines.append(current)
                current = String(word)
            } else {
                current += current.isEmpty ? String(word) : " " + word
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines.joined(separator: "\n" + indent)
    }
}

/// The JSON shape of a message for `status --json`, `show --json` and `enqueue --json`.
enum MessageJSON {
    /// `show --json`: the message, its attempts, and the email as fuq would send it — the body
    /// rendered for the moment it goes ("today"/"yesterday" depend on it), the header fields
    /// as written (non-ASCII as RFC 2047 encoded-words) and the SMTP recipients. For a sent
    /// note, the body as it went out; otherwise rendered for its due time (now, if that passed),
    /// which is also the Date header's value.
    static func full(_ m: MessageRecord, attempts: [AttemptRecord], sender: Sender, now: Date) -> [String: Any] {
        var object = self.object(m, attempts: attempts)
        var note = m
        let date = m.state == .sent ? m.sentAt ?? m.updatedAt : max(m.due, now)
        if m.state != .sent, let context = m.decodedContext,
           let rendered = try? MessageTemplate(name: m.templateName, source: m.template).render(context.templateValues(sendDate: date)) {
            note.apply(rendered: rendered)
        }
        object["subject"] = note.subject
        object["body"] = note.body
        object["headers"] = MIMEComposer.headerFields(DeliveryRunner.outgoing(note, sender: sender, date: date)).map { ["name": $0.name, "value": $0.value] }
        object["recipients"] = DeliveryRunner.recipients(of: note, sender: sender)
        return object
    }

    /// `enqueue --dry-run --json`: nothing is stored, so the note has no id, interview id or
    /// Message-ID yet (null, and `dry_run: true`), rather than ones that will never exist.
    static func planned(_ m: MessageRecord) -> [String: Any] {
        var object = self.object(m, attempts: [])
        object["id"] = NSNull()
        object["interview"] = NSNull()
        object["message_id"] = NSNull()
        object["dry_run"] = true
        object["body"] = m.body
        return object
    }

    /// `status --json`: one object, written straight to `out` with the keys in the order
    /// `JSONSerialization` sorts them (the same text `printJSON` gives, without building it).
    static func write(_ m: MessageSummary, to out: OutputBuffer) {
        let zone = ZoneText(m.recipientZone)
        out.write("  {\n    \"attempts\" : ")
        out.write(String(m.attempts))
        out.write(",\n    \"due\" : ")
        out.writeJSON(zone.iso8601(m.due))
        out.write(",\n    \"id\" : ")
        out.writeJSON(m.id)
        out.write(",\n    \"interview\" : ")
        out.writeJSON(m.interviewId)
        out.write(",\n    \"kind\" : ")
        out.writeJSON(m.kind)
        out.write(",\n    \"last_error\" : ")
        out.writeJSON(m.lastError)
        out.write(",\n    \"latest\" : ")
        out.writeJSON(zone.iso8601(m.latest))
        out.write(",\n    \"lead\" : ")
        out.write(m.isLead ? "true" : "false")
        out.write(",\n    \"message_id\" : ")
        out.writeJSON(m.messageId)
        out.write(",\n    \"reason\" : ")
        out.writeJSON(m.reason)
        out.write(",\n    \"sent_at\" : ")
        out.writeJSON(m.sentAt.map(zone.iso8601))
        out.write(",\n    \"server_reply\" : ")
        out.writeJSON(m.serverReply)
        out.write(",\n    \"state\" : ")
        out.writeJSON(m.state.rawValue)
        out.write(",\n    \"subject\" : ")
        out.writeJSON(m.subject)
        out.write(",\n    \"timezone\" : ")
        out.writeJSON(m.recipientZone)
        out.write(",\n    \"to\" : ")
        out.writeJSON(m.recipientEmail)
        out.write(",\n    \"to_name\" : ")
        out.writeJSON(m.recipientName)
        out.write("\n  }")
    }

    /// A recipient zone's ISO 8601 text, the zone looked up once per object.
    struct ZoneText {
        let zone: TimeZone
        init(_ identifier: String) { zone = DateFormatting.zone(identifier) }
        func iso8601(_ date: Date) -> String { DateFormatting.iso8601(date, in: zone) }
    }

    static func object(_ m: MessageRecord, attempts: [AttemptRecord]) -> [String: Any] {
        var object: [String: Any] = [
            "id": m.id, "interview": m.interviewId, "to": m.recipientEmail, "to_name": m.recipientName,
            "subject": m.subject, "state": m.state.rawValue, "due": DateFormatting.iso8601(m.due, in: m.zone),
            "latest": DateFormatting.iso8601(m.latest, in: m.zone), "reason": m.reason, "attempts": m.attempts,
            "last_error": m.lastError ?? NSNull(), "message_id": m.messageId, "timezone": m.recipientZone,
            "sent_at": m.sentAt.map { DateFormatting.iso8601($0, in: m.zone) } ?? NSNull(),
            "server_reply": m.serverReply ?? NSNull(), "lead": m.isLead, "kind": m.kind,
        ]
        if !attempts.isEmpty {
            object["attempt_log"] = attempts.map { a -> [String: Any] in
                ["started_at": DateFormatting.iso8601(a.startedAt, in: m.zone), "outcome": a.outcome,
                 "smtp_code": a.smtpCode ?? NSNull(), "server_text": a.serverText ?? NSNull(), "host": a.host ?? NSNull()]
            }
        }
        return object
    }
}

/// Standard output through one buffer, written in large blocks: `status` streams its rows
/// (the whole listing is never held) at the cost of a `write` per 64 KiB, not per line.
final class OutputBuffer {
    private var bytes: [UInt8] = []
    private let fd: Int32

    init(fd: Int32 = STDOUT_FILENO) {
        self.fd = fd
        bytes.reserveCapacity(1 << 16)
        fflush(nil)  // anything `print` buffered goes first
    }

    deinit { flush() }

    func write(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        if bytes.count >= 1 << 16 { flush() }
    }

    /// `text` as a JSON string (null for nil), escaped as `JSONSerialization` does: quote,
    /// backslash and control characters; `/` and non-ASCII as they are.
    func writeJSON(_ text: String?) {
        guard let text else {
            write("null")
            return
        }
        bytes.append(UInt8(ascii: "\""))
        // Most text needs no escape: copied in one go.
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
            bytes.append(contentsOf: text.utf8)
            bytes.append(UInt8(ascii: "\""))
            if bytes.count >= 1 << 16 { flush() }
            return
        }
        var escaped: [UInt8] = []
        escaped.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): escaped.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): escaped.append(contentsOf: [92, 92])
            case 0x0A: escaped.append(contentsOf: [92, UInt8(ascii: "n")])
            case 0x0D: escaped.append(contentsOf: [92, UInt8(ascii: "r")])
            case 0x09: escaped.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0x08: escaped.append(contentsOf: [92, UInt8(ascii: "b")])
            case 0x0C: escaped.append(contentsOf: [92, UInt8(ascii: "f")])
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                escaped.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: escaped.append(byte)
            }
        }
        bytes.append(contentsOf: escaped)
        bytes.append(UInt8(ascii: "\""))
        if bytes.count >= 1 << 16 { flush() }
    }

    /// Writes out what is buffered (a closed pipe ends the output quietly).
    func flush() {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            offset += n
        }
        bytes.removeAll(keepingCapacity: true)
    }
}
