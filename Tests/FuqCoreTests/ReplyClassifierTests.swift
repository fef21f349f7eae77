import Foundation
import Testing
@testable import FuqCore

/// Builds fetched messages and a watch for the classifier and the check.
enum MailFixture {
    static let ended = Date(timeIntervalSince1970: 1_796_137_200)  // Tue 1 Dec 2026 15:00 UTC
    static let sent = ended.addingTimeInterval(3 * 3600)
    static let watch = ReplyWatch(thankYouMessageIDs: ["<ty-dana@fuq.example.org>", "ty-kwame@fuq.example.org"],
                                  interviewerAddresses: ["Dana.Rivera@acme.example", "k.okafor@acme.example"],
                                  companyDomain: "@Acme.example", ownAddresses: ["alex@example.org"],
                                  interviewEnded: ended, thankYouSent: sent)

    static func message(uid: UInt32 = 1, _ header: String, at: Date? = sent.addingTimeInterval(3600), body: String? = nil) -> FetchedMessage {
        let crlf = header.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n\r\n"
        return FetchedMessage(uid: uid, internalDate: at, header: Data(crlf.utf8), bodyPrefix: body.map { Data($0.utf8) })
    }
}

@Suite("Reply classification")
struct ReplyClassifierTests {
    typealias F = MailFixture
    static let later = F.sent.addingTimeInterval(3600)

    @Test("answers: in the thread (In-Reply-To, or only References), or from an interviewer's address in a new thread", arguments: [
        ("From: Dana Rivera <dana.rivera@acme.example>\nSubject: Re: Thank you\nIn-Reply-To: <ty-dana@fuq.example.org>",
         MailClassification.replied(by: "dana.rivera@acme.example", at: later, subject: "Re: Thank you")),
        ("From: dana.r@gmail.example\nSubject: Re: Thank you\nReferences: <x@y> <ty-kwame@fuq.example.org>",
         .replied(by: "dana.r@gmail.example", at: later, subject: "Re: Thank you")),
        ("From: \"Okafor, Kwame\" <K.Okafor@acme.example>\nSubject: Next steps",
         .replied(by: "k.okafor@acme.example", at: later, subject: "Next steps")),
        ("From: Dana <dana.rivera@acme.example>\nSubject: Re: Thank you\nIn-Reply-To: <ty-dana@fuq.example.org>\nAuto-Submitted: no",
         .replied(by: "dana.rivera@acme.example", at: later, subject: "Re: Thank you")),
    ])
    func replies(header: String, expected: MailClassification) {
        #expect(ReplyClassifier.classify(F.message(header), for: F.watch) == expected)
    }

    @Test("automatic answers do not count", arguments: [
        "From: dana.rivera@acme.example\nSubject: Re: Thank you\nIn-Reply-To: <ty-dana@fuq.example.org>\nAuto-Submitted: auto-replied",
        "From: dana.rivera@acme.example\nSubject: Away\nX-Autoreply: yes",
        "From: dana.rivera@acme.example\nSubject: Away\nX-Autorespond: Away",
        "From: dana.rivera@acme.example\nSubject: Away\nPrecedence: auto_reply",
        "From: dana.rivera@acme.example\nSubject: Automatic reply: Thank you",
        "From: dana.rivera@acme.example\nSubject: Out of Office: back on Monday",
        "From: k.okafor@acme.example\nSubject: OOF: Thank you",
        "From: k.okafor@acme.example\nSubject: out of office reply: Thank you",
        "From: k.okafor@acme.example\nSubject: Auto: Thank you",
        "From: k.okafor@acme.example\nSubject: =?UTF-8?Q?Automatic_reply:_Danke_sch=C3=B6n?=",
        "From: recruiting@acme.example\nSubject: We got your message\nAuto-Submitted: auto-generated",
    ])
    func autoReplies(header: String) {
        guard case .autoReply = ReplyClassifier.classify(F.message(header), for: F.watch) else {
            Issue.record("not an auto-reply: \(header)")
            return
        }
    }

    @Test("a person who mentions being away is still an answer: only headers and a subject's auto-responder prefix mark a machine",
          arguments: [
        "Re: back from out of office - next steps",
        "Re: Thank you (I was out of office last week)",
        "RE: Out of the office until Monday, but quick answer",
        "Re: Automatic reply: Thank you",
        "Fwd: Auto: Thank you",
        "Re: OOF: Thank you",
        "Quick note after my out-of-office",
    ])
    func personMentioningAbsence(subject: String) {
        let threaded = F.message("From: dana.rivera@acme.example\nSubject: \(subject)\nIn-Reply-To: <ty-dana@fuq.example.org>")
        #expect(ReplyClassifier.classify(threaded, for: F.watch) == .replied(by: "dana.rivera@acme.example", at: Self.later, subject: subject))
        let fromRecruiter = F.message("From: recruiting@acme.example\nSubject: \(subject)")
        #expect(ReplyClassifier.classify(fromRecruiter, for: F.watch)
            == .colleagueWrote(address: "recruiting@acme.example", at: Self.later, subject: subject))
    }

    @Test("someone else at the company (or a subdomain), or an interviewer before the thank-you left: ask the user", arguments: [
        ("From: Pat <recruiting@acme.example>\nSubject: Your interview", F.sent.addingTimeInterval(60), "recruiting@acme.example"),
        ("From: hr@eu.acme.example\nSubject: Your interview", F.sent.addingTimeInterval(60), "hr@eu.acme.example"),
        ("From: dana.rivera@acme.example\nSubject: Great meeting you", F.ended.addingTimeInterval(600), "dana.rivera@acme.example"),
    ])
    func colleague(header: String, at: Date, address: String) {
        #expect(ReplyClassifier.classify(F.message(header, at: at), for: F.watch)
            == .colleagueWrote(address: address, at: at, subject: String(header.split(separator: "\n")[1].dropFirst(9))))
    }

    @Test("not an answer: other domains that merely end alike, newsletters, mail from before the interview, the user's own mail", arguments: [
        ("From: x@notacme.example\nSubject: hi", later),
        ("From: x@acme.example.evil.example\nSubject: hi", later),
        ("From: news@acme.example\nSubject: Acme weekly\nList-Unsubscribe: <mailto:u@acme.example>", later),
        ("From: news@acme.example\nSubject: Acme weekly\nPrecedence: bulk", later),
        ("From: dana.rivera@acme.example\nSubject: Interview invitation", F.ended.addingTimeInterval(-86_400)),
        ("From: Alex Kim <alex@example.org>\nSubject: Re: Thank you\nReferences: <ty-dana@fuq.example.org>", later),
        ("From: someone@else.example\nSubject: Thank you\nMessage-ID: <ty-dana@fuq.example.org>", later),
        ("From: shop@store.example\nSubject: Sale", later),
    ])
    func irrelevant(header: String, at: Date) {
        #expect(ReplyClassifier.classify(F.message(header, at: at), for: F.watch) == .irrelevant)
    }

    @Test("a delivery report naming a thank-you's Message-ID is that thank-you's bounce; other reports are not")
    func bounces() {
        let header = "From: Mail Delivery System <MAILER-DAEMON@mx.acme.example>\nSubject: Undelivered Mail Returned to Sender\nAuto-Submitted: auto-replied\nContent-Type: multipart/report; report-type=delivery-status;\n boundary=\"b\""
        let body = "--b\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n--b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <ty-kwame@fuq.example.org>\r\n--b--\r\n"
        #expect(ReplyClassifier.classify(F.message(header, body: body), for: F.watch) == .bounce(of: "ty-kwame@fuq.example.org", at: Self.later))
        let other = body.replacingOccurrences(of: "ty-kwame@fuq.example.org", with: "newsletter-7@acme.example")
        #expect(ReplyClassifier.classify(F.message(header, body: other), for: F.watch) == .irrelevant)
        // Without the body there is nothing to match: not a bounce of ours.
        #expect(ReplyClassifier.classify(F.message(header), for: F.watch) == .irrelevant)
    }

    @Test("without an INTERNALDATE the Date header dates the message")
    func dateHeaderFallback() {
        let message = F.message("From: dana.rivera@acme.example\nSubject: Hi\nDate: Wed, 2 Dec 2026 09:30:00 +0000", at: nil)
        #expect(ReplyClassifier.classify(message, for: F.watch)
            == .replied(by: "dana.rivera@acme.example", at: Date(timeIntervalSince1970: 1_796_203_800), subject: "Hi"))
    }

    @Test("the search: since the day before the interview, any thread header, any interviewer, the company domain, delivery reports")
    func searchCriterion() throws {
        let text = try F.watch.searchCriterion().imapText()
        #expect(text == """
            (SINCE 30-Nov-2026 OR OR \
            OR HEADER In-Reply-To "<ty-dana@fuq.example.org>" HEADER References "<ty-dana@fuq.example.org>" \
            OR HEADER In-Reply-To "<ty-kwame@fuq.example.org>" HEADER References "<ty-kwame@fuq.example.org>" \
            OR OR FROM "dana.rivera@acme.example" FROM "k.okafor@acme.example" \
            OR FROM "@acme.example" OR FROM ".acme.example" HEADER Content-Type "multipart/report")
            """)
        var bad = F.watch
        bad.thankYouMessageIDs.append("x\r\ny@z")
        #expect(throws: MailboxError.self) { try bad.searchCriterion() }
    }
}
