import Foundation
import FuqCore

/// How times and messages are shown to people.
enum Display {
    static var userZone: TimeZone { TimeZone.current }

    /// "Tue 24 Nov 18:23 EST".
    static func moment(_ date: Date, zone: TimeZone) -> String {
        DateFormatting.fullMoment(date, in: zone, now: Date())
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
        var text = "\(moment(date, zone: recipientZone)) (\(recipientZone.identifier))"
        if userZone.secondsFromGMT(for: date) != recipientZone.secondsFromGMT(for: date) || userZone.identifier != recipientZone.identifier {
            text += " · your time \(moment(date, zone: userZone))"
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
            note.subject = rendered.subject
            note.body = rendered.body
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

    static func object(_ m: MessageRecord, attempts: [AttemptRecord]) -> [String: Any] {
        var object: [String: Any] = [
            "id": m.id, "interview": m.interviewId, "to": m.recipientEmail, "to_name": m.recipientName,
            "subject": m.subject, "state": m.state.rawValue, "due": DateFormatting.iso8601(m.due, in: m.zone),
            "latest": DateFormatting.iso8601(m.latest, in: m.zone), "reason": m.reason, "attempts": m.attempts,
            "last_error": m.lastError ?? NSNull(), "message_id": m.messageId, "timezone": m.recipientZone,
            "sent_at": m.sentAt.map { DateFormatting.iso8601($0, in: m.zone) } ?? NSNull(),
            "server_reply": m.serverReply ?? NSNull(), "lead": m.isLead,
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
