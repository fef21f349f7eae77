import Foundation

/// What fuq knows about one interview's thank-you notes: enough to recognise an answer to them.
public struct ReplyWatch: Sendable, Equatable {
    /// The Message-IDs of the thank-yous that were sent (with or without `<>`).
    public var thankYouMessageIDs: [String]
    /// The interviewers' addresses.
    public var interviewerAddresses: [String]
    /// The company's mail domain (`acme.example`); its subdomains count too.
    public var companyDomain: String
    /// The user's own addresses (`sender.email`, `sender.reply_to`): their own mail in the
    /// thread (a Bcc copy, a later note in All Mail) is never an answer.
    public var ownAddresses: [String]
    public var interviewEnded: Date
    /// When the (first) thank-you left.
    public var thankYouSent: Date

    public init(thankYouMessageIDs: [String], interviewerAddresses: [String], companyDomain: String, ownAddresses: [String],
                interviewEnded: Date, thankYouSent: Date) {
        self.thankYouMessageIDs = thankYouMessageIDs.map(Self.bareID)
        self.interviewerAddresses = interviewerAddresses.map { $0.lowercased().trimmingCharacters(in: .whitespaces) }
        var domain = companyDomain.lowercased().trimmingCharacters(in: .whitespaces)
        if domain.hasPrefix("@") { domain.removeFirst() }
        self.companyDomain = domain
        self.ownAddresses = ownAddresses.map { $0.lowercased().trimmingCharacters(in: .whitespaces) }
        self.interviewEnded = interviewEnded
        self.thankYouSent = thankYouSent
    }

    static func bareID(_ id: String) -> String {
        id.trimmingCharacters(in: CharacterSet.whitespaces.union(CharacterSet(charactersIn: "<>")))
    }

    /// True for the company's domain or one of its subdomains.
    func isCompanyAddress(_ address: String) -> Bool {
        guard !companyDomain.isEmpty, let at = address.lastIndex(of: "@") else { return false }
        let domain = address[address.index(after: at)...]
        return domain == companyDomain || domain.hasSuffix("." + companyDomain)
    }

    /// One `UID SEARCH` that finds every candidate (the classifier decides): since the day
    /// before the interview ended, a message in the thread of a thank-you (`In-Reply-To` or
    /// `References`), from an interviewer, from the company's domain, or a delivery report.
    /// - Throws: `MailboxError.invalidInput` for an ID or address IMAP cannot carry.
    public func searchCriterion() throws -> SearchCriterion {
        var any: [SearchCriterion] = []
        for id in thankYouMessageIDs {
            any.append(.header(field: "In-Reply-To", contains: "<\(id)>"))
            any.append(.header(field: "References", contains: "<\(id)>"))
        }
        any += interviewerAddresses.map { .from($0) }
        if !companyDomain.isEmpty {
            any.append(.from("@" + companyDomain))
            any.append(.from("." + companyDomain))
        }
        any.append(.header(field: "Content-Type", contains: "multipart/report"))
        let since = IMAPDay.onOrBefore(min(interviewEnded, thankYouSent))
        let criterion: SearchCriterion = .all([.since(day: since), SearchCriterion.anyOf(any)!])
        _ = try criterion.imapText()
        return criterion
    }
}

/// What one message in the user's mailbox means for an interview's follow-up.
public enum MailClassification: Sendable, Equatable {
    /// An interviewer (or anyone, in the thank-you's thread) answered: no follow-up.
    case replied(by: String, at: Date, subject: String)
    /// Someone else at the company wrote since the interview (a recruiter, perhaps with the
    /// answer), or an interviewer wrote before the thank-you left: ask the user.
    case colleagueWrote(address: String, at: Date, subject: String)
    /// An out-of-office or other automatic answer: not a reply.
    case autoReply(from: String, at: Date, subject: String)
    /// A delivery report naming a thank-you's Message-ID: that address did not get it.
    case bounce(of: String, at: Date)
    case irrelevant
}

/// Classifies fetched messages for a `ReplyWatch`. Pure: no I/O, no clock.
public enum ReplyClassifier {
    /// The header fields the classifier reads.
    public static let headerFields = ["From", "Subject", "Date", "Message-ID", "In-Reply-To", "References", "Auto-Submitted",
                                      "X-Autoreply", "X-Autorespond", "Precedence", "Content-Type", "List-Id", "List-Unsubscribe"]
    /// How much of a delivery report's body is read to find the thank-you's Message-ID (the
    /// returned headers come after a short human-readable part and the machine-readable status).
    public static let reportBytes = 65_536

    public static func classify(_ message: FetchedMessage, for watch: ReplyWatch) -> MailClassification {
        let headers = message.headers
        let at = message.internalDate ?? headers["Date"].flatMap(MailDate.parseHeaderDate) ?? .distantPast
        let from = headers.fromAddress ?? ""
        let ownID = headers["Message-ID"].map(MailHeaders.messageIDs)?.contains(where: watch.thankYouMessageIDs.contains) ?? false
        if watch.ownAddresses.contains(from) || ownID { return .irrelevant }

        if isDeliveryReport(headers) {
            let text = String(decoding: message.bodyPrefix ?? Data(), as: UTF8.self)
            if let id = watch.thankYouMessageIDs.first(where: { text.contains("<\($0)>") }) { return .bounce(of: id, at: at) }
            return .irrelevant
        }

        let threaded = headers.referencedMessageIDs.contains(where: watch.thankYouMessageIDs.contains)
        let byInterviewer = watch.interviewerAddresses.contains(from)
        let byCompany = watch.isCompanyAddress(from)
        guard threaded || byInterviewer || byCompany else { return .irrelevant }
        if isAutoReply(headers) { return .autoReply(from: from, at: at, subject: headers.subject) }
        if threaded { return .replied(by: from, at: at, subject: headers.subject) }
        if byInterviewer, at >= watch.thankYouSent { return .replied(by: from, at: at, subject: headers.subject) }
        if (byInterviewer || byCompany), at >= watch.interviewEnded, !isBulk(headers) {
            return .colleagueWrote(address: from, at: at, subject: headers.subject)
        }
        return .irrelevant
    }

    /// The subjects auto-responders write, at the very start of the subject (compared without
    /// case). A phrase anywhere else ("Re: back from out of office - next steps") is a person
    /// writing: when in doubt, it is an answer.
    public static let autoReplySubjectPrefixes = ["automatic reply:", "autoreply:", "auto-reply:", "auto:", "out of office:",
                                                  "out of office reply:", "out of the office:", "oof:"]

    /// RFC 3834 `Auto-Submitted` other than `no`, the `X-Autoreply`/`X-Autorespond` headers,
    /// `Precedence: auto_reply`, or a subject that begins with what auto-responders write
    /// (`autoReplySubjectPrefixes`). Never a phrase elsewhere in the subject.
    public static func isAutoReply(_ headers: MailHeaders) -> Bool {
        if let value = headers["Auto-Submitted"],
           value.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() != "no" { return true }
        if headers["X-Autoreply"] != nil || headers["X-Autorespond"] != nil { return true }
        if headers["Precedence"]?.lowercased().trimmingCharacters(in: .whitespaces) == "auto_reply" { return true }
        let subject = headers.subject.lowercased().trimmingCharacters(in: .whitespaces)
        return autoReplySubjectPrefixes.contains(where: subject.hasPrefix)
    }

    /// `Content-Type: multipart/report` (RFC 6522): a delivery status notification.
    static func isDeliveryReport(_ headers: MailHeaders) -> Bool {
        headers["Content-Type"]?.lowercased().trimmingCharacters(in: .whitespaces).hasPrefix("multipart/report") ?? false
    }

    /// A newsletter or list mail from the company's domain: not a person writing to the user.
    static func isBulk(_ headers: MailHeaders) -> Bool {
        let precedence = headers["Precedence"]?.lowercased().trimmingCharacters(in: .whitespaces)
        return ["bulk", "list", "junk"].contains(precedence ?? "") || headers["List-Id"] != nil || headers["List-Unsubscribe"] != nil
    }
}
