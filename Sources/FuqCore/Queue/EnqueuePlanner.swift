import Foundation

/// What `fuq enqueue` will store: an interview and one message per interviewer.
public struct EnqueuePlan: Sendable {
    public var interview: InterviewRecord
    /// The thank-yous, then the follow-ups (if any), each its own row.
    public var messages: [MessageRecord]
    public var thankYous: [MessageRecord] { messages.filter { !$0.isFollowUp } }
    public var followUps: [MessageRecord] { messages.filter(\.isFollowUp) }
    /// What proofreading found that does not refuse the notes (shown to the user).
    public var warnings: [ProofFinding] = []
}

/// The notes failed proofreading; nothing was enqueued.
public struct EtiquetteError: LocalizedError, Equatable {
    public var findings: [EtiquetteCheck.Finding]

    public init(findings: [EtiquetteCheck.Finding]) { self.findings = findings }

    public var errorDescription: String? {
        let errors = findings.filter { $0.severity == .error }
        var text = "the notes need fixing (nothing was queued or stored):\n"
            + findings.map { "  - \($0)" }.joined(separator: "\n")
        if !errors.isEmpty {
            text += "\nFix the text, or accept a finding on purpose: a word with `fuq check --learn WORD`, a rule with "
                + "`allow: [\(Set(errors.map(\.rule)).sorted().joined(separator: ", "))]` in the interview file (or under one interviewer)."
        }
        return text
    }
}

/// Turns an interview into queued messages: schedules, renders, proofreads. Pure: the clock,
/// the template and the id source are all given.
public struct EnqueuePlanner {
    public var config: FuqConfig
    public var template: MessageTemplate
    public var now: Date
    /// Returns a fresh short id; called once for the interview and once per message.
    public var makeID: (_ prefix: String) throws -> String
    /// The personal dictionary's words (accepted by the spelling check).
    public var personalWords: [String] = []
    /// The follow-up's template (nil: the built-in one).
    public var followUpTemplate: MessageTemplate?

    public init(config: FuqConfig, template: MessageTemplate, now: Date, makeID: @escaping (_ prefix: String) throws -> String) {
        self.config = config
        self.template = template
        self.now = now
        self.makeID = makeID
    }

    /// - Parameters:
    ///   - at: `--at` text; overrides the send-window policy (still never in the past).
    ///   - source: where the interview came from, for the record.
    public func plan(_ interview: Interview, at: String?, source: String) throws -> EnqueuePlan {
        let sender = config.sender
        guard sender.name != nil else {
            throw ConfigError.missingKey(key: "sender.name", file: config.source, hint: "add your full name under `sender:`; it signs every note")
        }
        guard let senderEmail = sender.email else {
            throw ConfigError.missingKey(key: "sender.email", file: config.source, hint: "add your address under `sender:`; notes are sent from it")
        }
        guard abs(interview.end.timeIntervalSince(now)) <= AtTime.horizon else {
            throw SchedulingError.endOutOfRange(end: interview.end, zone: interview.zone.identifier, past: interview.end < now)
        }
        let zones = interview.interviewers.map { $0.zone ?? interview.zone }
        let schedules = try schedule(interview, zones: zones, at: at)

        var rendered: [(subject: String, body: String)] = []
        var drafts: [NoteProofing.Draft] = []
        for (person, schedule) in zip(interview.interviewers, schedules) {
            let context = MessageContext(sender: sender, interview: interview, interviewer: person)
            let output = try template.render(context.templateValues(sendDate: schedule.due))
            drafts.append(NoteProofing.Draft(context: context, subject: output.subject, body: output.body, recipientEmail: person.email,
                                             messageID: "<x@\(EmailAddress.domain(of: senderEmail))>", template: template, sendDate: schedule.due))
            rendered.append(output)
        }
        let findings = try NoteProofing.proofread(drafts, config: config, personalWords: personalWords)
        if findings.contains(where: { $0.severity == .error }) { throw EtiquetteError(findings: findings) }

        let interviewID = try makeID(Self.slug(interview.company) + "-")
        var record = InterviewRecord(
            id: interviewID, company: interview.company, position: interview.position, startsAt: interview.start,
            endsAt: interview.end, timezone: interview.zone.identifier, source: source, createdAt: now)
        record.decisionBy = interview.decisionBy
        record.invitationUid = interview.invitationUID
        record.invitationSequence = interview.invitationSequence
        var messages: [MessageRecord] = []
        for (index, person) in interview.interviewers.enumerated() {
            let context = MessageContext(sender: sender, interview: interview, interviewer: person)
            let json = String(decoding: try JSONEncoder.fuq.encode(context), as: UTF8.self)
            messages.append(MessageRecord(
                id: try makeID(""), interviewId: interviewID, kind: template.name, recipientName: person.name,
                recipientEmail: person.email, recipientZone: zones[index].identifier, isLead: person == interview.lead,
                subject: rendered[index].subject, templateName: template.name, template: template.source,
                context: json, body: rendered[index].body,
                messageId: "<\(UUID().uuidString.lowercased())@\(EmailAddress.domain(of: senderEmail))>",
                due: schedules[index].due, latest: schedules[index].latest, reason: schedules[index].reason,
                state: .scheduled, attempts: 0, lastError: nil, sentAt: nil, serverReply: nil,
                fingerprint: Self.fingerprint(kind: template.name, interview: interview, email: person.email),
                createdAt: now, updatedAt: now, releasedAt: nil))
        }
        let (followUps, followUpFindings) = try planFollowUps(interview, thankYous: messages, interviewID: interviewID, senderEmail: senderEmail)
        return EnqueuePlan(interview: record, messages: messages + followUps, warnings: findings + followUpFindings)
    }

    /// The follow-up to the lead (or the recruiter) and, with `nudges: 2`, the one more note:
    /// due a week after the lead's thank-you (or two business days after `decision_by`),
    /// provisionally from the thank-you's due time — recomputed when it is actually sent.
    private func planFollowUps(_ interview: Interview, thankYous: [MessageRecord], interviewID: String,
                               senderEmail: String) throws -> ([MessageRecord], [ProofFinding]) {
        guard interview.followUp ?? config.followUp.enabled, let person = interview.followUpRecipient, let lead = interview.lead,
              let leadNote = thankYous.first(where: { $0.recipientEmail.lowercased() == lead.email.lowercased() }) else { return ([], []) }
        let template = try followUpTemplate ?? MessageTemplate.load(MessageRecord.followUpKind, directory: nil)
        let zone = person.zone ?? interview.zone
        let phrasing = leadNote.decodedContext?.phrasing
        var planned: [MessageRecord] = []
        var findings: [ProofFinding] = []
        var parent = leadNote
        for nudge in 1...(interview.nudges ?? config.followUp.nudges) {
            var context = MessageContext(sender: config.sender, interview: interview, interviewer: person, phrasing: phrasing)
            context.nudge = nudge
            let fingerprint = Self.fingerprint(kind: MessageRecord.followUpKind, interview: interview, email: person.email) + (nudge > 1 ? "|\(nudge)" : "")
            let schedule = config.policy.followUpSchedule(parentSent: parent.due, provisional: true, nudge: nudge, decisionBy: interview.decisionBy,
                                                          zone: zone, seed: stableHash(fingerprint), now: now)
            let output = try template.render(context.templateValues(sendDate: schedule.due))
            // In the thread of the note they already have: same subject with "Re: ".
            let threaded = parent.recipientEmail.lowercased() == person.email.lowercased()
            let subject = threaded ? FollowUpThread.replySubject(to: parent.subject) : output.subject
            let thread = threaded ? parent.referenceIDs + [parent.messageId] : []
            let messageID = "<\(UUID().uuidString.lowercased())@\(EmailAddress.domain(of: senderEmail))>"
            let draft = NoteProofing.Draft(context: context, subject: subject, body: output.body, recipientEmail: person.email,
                                           messageID: messageID, template: template, sendDate: schedule.due)
            let found = try NoteProofing.proofread([draft], config: config, personalWords: personalWords)
            if found.contains(where: { $0.severity == .error }) { throw EtiquetteError(findings: found) }
            findings += found
            let json = String(decoding: try JSONEncoder.fuq.encode(context), as: UTF8.self)
            var record = MessageRecord(
                id: try makeID(""), interviewId: interviewID, kind: MessageRecord.followUpKind, recipientName: person.name,
                recipientEmail: person.email, recipientZone: zone.identifier, isLead: person == lead,
                subject: subject, templateName: template.name, template: template.source, context: json, body: output.body,
                messageId: messageID, due: schedule.due, latest: schedule.latest, reason: schedule.reason,
                state: .scheduled, attempts: 0, lastError: nil, sentAt: nil, serverReply: nil, fingerprint: fingerprint,
                createdAt: now, updatedAt: now, releasedAt: nil)
            record.inReplyTo = parent.id
            record.threadIDs = thread.isEmpty ? nil : thread.joined(separator: " ")
            record.nudge = nudge
            planned.append(record)
            parent = record
        }
        return (planned, findings)
    }

    private func schedule(_ interview: Interview, zones: [TimeZone], at: String?) throws -> [SendSchedule] {
        let policy = config.policy
        guard let at else {
            let members = zip(interview.interviewers, zones).map { person, zone in
                PanelMember(zone: zone, seed: stableHash(Self.fingerprint(kind: template.name, interview: interview, email: person.email)))
            }
            let panelSeed = stableHash("\(interview.company)|\(interview.position)|\(interview.end.timeIntervalSince1970)")
            do {
                return try policy.schedulePanel(interviewEnd: interview.end, members: members, panelSeed: panelSeed, now: now,
                                                interviewZone: interview.zone)
            } catch SchedulingError.tooLate(let latest, let zone, let detail, let next, _, _) {
                // The suggested --at must suit every recipient, each on their own clock.
                // At least five minutes away: time to type the command, and the wall time is cut
                // to the minute (a time 45 s from now would be in the past by then).
                let candidates = zones.compactMap { z in
                    policy.nextSensible(interviewEnd: interview.end, zone: z, now: now.addingTimeInterval(300), seed: panelSeed).map { ($0, z) }
                }
                throw SchedulingError.tooLate(latest: latest, zone: zone, detail: detail, next: next,
                                              at: policy.commonWallTime(candidates: candidates, zones: zones, now: now), now: now)
            }
        }
        // --at: the same instant for the panel, but never two notes within 3 minutes.
        return try zones.enumerated().map { index, zone in
            let instant = try AtTime.parse(at, zone: zone, now: now, interviewEnd: interview.end)
                .addingTimeInterval(Double(index) * SendWindowPolicy.panelGap)
            return policy.scheduleExplicit(at: instant, zone: zone, interviewEnd: interview.end, atText: at)
        }
    }

    static func fingerprint(kind: String, interview: Interview, email: String) -> String {
        "\(kind)|\(interview.company.lowercased())|\(interview.position.lowercased())|\(Int(interview.end.timeIntervalSince1970))|\(email.lowercased())"
    }

    /// "Acme Robotics" → "acme".
    static func slug(_ company: String) -> String {
        let word = company.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).first.map(String.init) ?? "iv"
        let ascii = word.unicodeScalars.filter { $0.isASCII && CharacterSet.alphanumerics.contains($0) }
        let text = String(String.UnicodeScalarView(ascii)).prefix(10)
        return text.isEmpty ? "iv" : String(text)
    }
}
