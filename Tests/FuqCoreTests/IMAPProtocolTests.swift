import CCurl
import Foundation
import Testing
@testable import FuqCore

@Suite("IMAP search criteria and response parsing")
struct IMAPProtocolTests {
    @Test("criteria render as IMAP wants them: quoted values, SINCE day, balanced OR trees")
    func criteria() throws {
        let criterion: SearchCriterion = .all([
            .since(day: IMAPDay(year: 2026, month: 12, day: 1)),
            SearchCriterion.anyOf([.header(field: "In-Reply-To", contains: "<a@b>"), .header(field: "References", contains: "<a@b>"),
                                   .from("dana@acme.example")])!,
        ])
        #expect(try criterion.imapText()
            == #"(SINCE 1-Dec-2026 OR HEADER In-Reply-To "<a@b>" OR HEADER References "<a@b>" FROM "dana@acme.example")"#)
        #expect(try SearchCriterion.not(.body("x")).imapText() == #"NOT BODY "x""#)
        #expect(SearchCriterion.anyOf([]) == nil)
        #expect(try SearchCriterion.anyOf([.from("a")])!.imapText() == #"FROM "a""#)
        #expect(try SearchCriterion.all([]).imapText() == "ALL")
    }

    @Test("an OR tree of n criteria nests about log2(n) deep, so a big panel cannot overflow the server's parser")
    func balancedOr() throws {
        func depth(_ c: SearchCriterion) -> Int {
            if case .or(let a, let b) = c { return 1 + max(depth(a), depth(b)) }
            return 0
        }
        let many = (0..<16).map { SearchCriterion.from("p\($0)@x.example") }
        let tree = try #require(SearchCriterion.anyOf(many))
        #expect(depth(tree) == 4)
        let text = try tree.imapText()
        #expect(text.components(separatedBy: "OR ").count - 1 == 15)
        #expect(many.allSatisfy { text.contains((try? $0.imapText()) ?? "?") })
    }

    @Test("quoted strings escape \" and \\; CR, LF, NUL and non-ASCII are refused", arguments: [
        ("<a\"b@c>", #""<a\"b@c>""#), (#"back\slash"#, #""back\\slash""#), ("100%@x", #""100%@x""#),
    ])
    func quoting(input: String, expected: String) throws {
        #expect(try IMAPString.quoted(input, what: "x") == expected)
    }

    @Test("values that would break the command are refused with a reason", arguments: ["a\r\nA1 LOGOUT", "a\nb", "a\0b", "jos\u{E9}@acme.example"])
    func refused(input: String) {
        #expect(throws: MailboxError.self) { try SearchCriterion.from(input).imapText() }
    }

    @Test("a header name must be a header name")
    func headerName() {
        #expect(throws: MailboxError.self) { try SearchCriterion.header(field: "X-A B", contains: "x").imapText() }
        #expect(throws: MailboxError.self) { try SearchCriterion.header(field: "", contains: "x").imapText() }
    }

    @Test("SINCE is the day before, in UTC: a message from late the same evening in any zone is not missed")
    func sinceDay() {
        let date = Date(timeIntervalSince1970: 1_796_083_200)  // 2026-12-01 00:00:00 UTC
        #expect(IMAPDay.onOrBefore(date).imapText == "30-Nov-2026")
        #expect(IMAPDay.onOrBefore(date.addingTimeInterval(86_399)).imapText == "30-Nov-2026")
    }

    @Test("libcurl decodes % in a custom request: it is sent as %25")
    func percent() {
        #expect(CurlIMAPClient.escapedRequest(#"UID SEARCH HEADER References "<a%41b@x>""#) == #"UID SEARCH HEADER References "<a%2541b@x>""#)
    }

    static let session = Data("""
        * OK [CAPABILITY IMAP4rev1 SASL-IR] Dovecot ready.\r
        A001 OK Logged in\r
        * 2 EXISTS\r
        A002 OK [READ-WRITE] Select completed.\r
        * SEARCH 3 17 42\r
        A003 OK Search completed (0.001 secs).\r
        * 1 FETCH (UID 3 INTERNALDATE " 1-Dec-2026 15:04:05 +0000" FLAGS (\\Answered) BODY[HEADER.FIELDS (FROM SUBJECT)] {60}\r
        From: "Rivera, Dana" <dana@acme.example>\r
        Subject: Re: x\r
        \r
         BODY[TEXT]<0> {11}\r
        * BYE {3}\r
        )\r
        * 2 FETCH (FLAGS (\\Seen) UID 17 BODY[HEADER.FIELDS (FROM SUBJECT)] "")\r
        * 2 FETCH (FLAGS (\\Seen \\Flagged))\r
        A004 OK Fetch completed.\r
        * LIST (\\HasNoChildren \\Sent) "/" "Sent Items"\r
        * LIST (\\Noselect \\HasChildren) "/" {7}\r
        [Gmail]\r
        * LIST (\\HasNoChildren) "/" INBOX\r
        A005 NO [NONEXISTENT] Mailbox doesn't exist: Nope\r

        """.utf8)

    @Test("a session splits into responses; literals are taken by their byte count, even when they look like responses")
    func split() throws {
        let responses = IMAPResponse.split(Self.session)
        #expect(IMAPResponse.searchResults(responses) == [3, 17, 42])
        let fetched = IMAPResponse.fetchResults(responses)
        #expect(fetched.map(\.uid) == [3, 17])
        #expect(fetched[0].headers.fromAddress == "dana@acme.example")
        #expect(fetched[0].headers.subject == "Re: x")
        #expect(String(decoding: try #require(fetched[0].bodyPrefix), as: UTF8.self) == "* BYE {3}\r\n")
        #expect(fetched[0].flags == ["\\Answered"])
        #expect(fetched[0].internalDate == Date(timeIntervalSince1970: 1_796_137_445))
        #expect(fetched[1].header.isEmpty)
        let folders = IMAPResponse.listResults(responses)
        #expect(folders.map(\.name) == ["Sent Items", "[Gmail]", "INBOX"])
        #expect(MailFolder.sent(in: folders)?.name == "Sent Items")
        #expect(responses.last?.tagged?.status == "NO")
        #expect(responses.last?.tagged?.text == "[NONEXISTENT] Mailbox doesn't exist: Nope")
    }

    @Test("folder names go on the wire in modified UTF-7 (RFC 3501 §5.1.3) and come back from LIST decoded", arguments: [
        ("~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-"),
        ("&", "&-"),
        ("R&D", "R&-D"),
        ("Ärger/Ünter", "&AMQ-rger/&ANw-nter"),
        ("Ünïcödé", "&ANw-n&AO8-c&APY-d&AOk-"),
        ("INBOX", "INBOX"),
        ("[Gmail]/All Mail", "[Gmail]/All Mail"),
        ("Entwürfe 😀", "Entw&APw-rfe &2D3eAA-"),
    ])
    func modifiedUTF7(name: String, wire: String) throws {
        #expect(ModifiedUTF7.encode(name) == wire)
        #expect(ModifiedUTF7.decode(wire) == name)
        let client = try CurlIMAPClient(settings: IMAPSettings(url: "imaps://imap.example.com/INBOX", username: "alex"), password: nil)
        // The URL path carries the encoded name (percent-encoded; libcurl decodes it).
        #expect(client.url(folder: name).removingPercentEncoding == "imaps://imap.example.com:993/" + wire)
        let listed = IMAPResponse.split(Data("* LIST (\\HasNoChildren) \"/\" \"\(wire)\"\r\nA1 OK done\r\n".utf8))
        #expect(IMAPResponse.listResults(listed).map(\.name) == [name])
    }

    @Test("what is not modified UTF-7 is not decoded", arguments: ["&AMQ", "&AMQ?-", "Ärger", "&AEE-"])
    func notModifiedUTF7(text: String) {
        #expect(ModifiedUTF7.decode(text) == nil)
    }

    @Test("libcurl's LOGIN_DENIED after a refused SELECT is a missing folder; after a refused AUTHENTICATE a refused login")
    func loginDeniedSplit() {
        let select = IMAPResponse.split(Data("A003 NO [NONEXISTENT] Mailbox doesn't exist: Nope\r\n".utf8))
        #expect(CurlIMAPClient.error(curlCode: CURLE_LOGIN_DENIED, curlMessage: "Login denied", responses: select, host: "h:993",
                                     username: "alex", folder: "Nope", command: "UID SEARCH", timeout: 60)
            == .noSuchFolder(folder: "Nope", serverText: "NO [NONEXISTENT] Mailbox doesn't exist: Nope"))
        let auth = IMAPResponse.split(Data("A002 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n".utf8))
        #expect(CurlIMAPClient.error(curlCode: CURLE_LOGIN_DENIED, curlMessage: "Login denied", responses: auth, host: "h:993",
                                     username: "alex", folder: "INBOX", command: "UID SEARCH", timeout: 60)
            == .loginRefused(host: "h:993", username: "alex", serverText: "NO [AUTHENTICATIONFAILED] Authentication failed."))
        // A SELECT the server could not parse is no refused password.
        let bad = IMAPResponse.split(Data("A003 BAD Error in IMAP command SELECT: 8bit data in atom\r\n".utf8))
        #expect(CurlIMAPClient.error(curlCode: CURLE_LOGIN_DENIED, curlMessage: "Login denied", responses: bad, host: "h:993",
                                     username: "alex", folder: "Ärger", command: "UID SEARCH", timeout: 60)
            == .commandFailed(command: "SELECT \"Ärger\"", serverText: "BAD Error in IMAP command SELECT: 8bit data in atom"))
    }

    @Test("headers unfold; encoded words decode; addresses come out of display names with commas and brackets")
    func headers() {
        let headers = MailHeaders(parsing: Data("""
            From: "Okafor, Kwame <CTO>" <K.Okafor@Acme.example>\r
            Subject: =?UTF-8?B?QXV0b21hdGljIHJlcGx5Og==?=\r
             =?ISO-8859-1?Q?_Jos=E9?= out\r
            References: <a@b>\r
             <c@d>\r
            In-Reply-To: <c@d>\r

            """.utf8))
        #expect(headers.fromAddress == "k.okafor@acme.example")
        #expect(headers.subject == "Automatic reply: José out")
        #expect(headers.referencedMessageIDs == ["c@d", "a@b", "c@d"])
        #expect(MailHeaders.firstAddress(in: "dana@acme.example") == "dana@acme.example")
        #expect(MailHeaders.firstAddress(in: "Dana (recruiting) <dana@acme.example>") == "dana@acme.example")
        #expect(MailHeaders.firstAddress(in: "undisclosed-recipients:;") == nil)
        #expect(MailDate.parseHeaderDate("Tue, 1 Dec 2026 10:00:00 -0500 (EST)") == Date(timeIntervalSince1970: 1_796_137_200))
    }
}
