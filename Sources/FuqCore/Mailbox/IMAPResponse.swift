import Foundation

/// What an IMAP server said, parsed from the bytes libcurl hands to the header callback.
///
/// libcurl passes every line the server sends to `CURLOPT_HEADERFUNCTION` (pingpong.c,
/// `Curl_pp_readresp`), but for a custom request it passes to the *write* callback only lines
/// that start with `* ` (imap.c, `imap_state_listsearch_resp`): the body of a literal, such as
/// the header block of a `FETCH BODY.PEEK[…]`, never reaches it. So fuq reads the whole
/// conversation from the header callback and splits it here: lines, with `{n}` literals taken
/// as exactly n bytes.
struct IMAPResponse: Equatable {
    /// The text pieces of the response; a literal sits between each two (`segments.count ==
    /// literals.count + 1`). Each piece but the last ends with its `{n}` marker.
    var segments: [String]
    var literals: [Data]

    /// The first piece, where the tag and status are.
    var firstLine: String { segments[0] }

    /// Splits a stream of server bytes into responses.
    static func split(_ data: Data) -> [IMAPResponse] {
        let bytes = [UInt8](data)
        var responses: [IMAPResponse] = []
        var index = 0
        var segments: [String] = []
        var literals: [Data] = []
        while index < bytes.count {
            // One line up to CRLF (or a bare LF).
            var end = index
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            var lineEnd = end
            if lineEnd > index && bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            let line = String(decoding: bytes[index..<lineEnd], as: UTF8.self)
            index = min(end + 1, bytes.count)
            if let size = literalSize(atEndOf: line), end < bytes.count {
                segments.append(line)
                let literalEnd = min(index + size, bytes.count)
                literals.append(Data(bytes[index..<literalEnd]))
                index = literalEnd
                continue
            }
            segments.append(line)
            responses.append(IMAPResponse(segments: segments, literals: literals))
            segments = []
            literals = []
        }
        if !segments.isEmpty {
            responses.append(IMAPResponse(segments: segments + (segments.count == literals.count ? [""] : []), literals: literals))
        }
        return responses
    }

    /// `n` when the line ends with `{n}` or `{n+}`.
    static func literalSize(atEndOf line: String) -> Int? {
        guard line.hasSuffix("}"), let open = line.lastIndex(of: "{") else { return nil }
        var digits = line[line.index(after: open)..<line.index(before: line.endIndex)]
        if digits.hasSuffix("+") { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        return Int(digits)
    }

    /// A tagged completion (`A003 NO [NONEXISTENT] …`): tag, status word, the rest.
    var tagged: (tag: String, status: String, text: String)? {
        let parts = firstLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, let first = parts[0].first, first.isLetter, parts[0].count >= 2,
              parts[0].dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let status = parts[1].uppercased()
        guard ["OK", "NO", "BAD"].contains(status) else { return nil }
        return (String(parts[0]), status, parts.count > 2 ? String(parts[2]) : "")
    }

    /// The tokens after `* `, for an untagged response.
    var untaggedTokens: [IMAPToken]? {
        guard firstLine.hasPrefix("* ") else { return nil }
        var tokenizer = IMAPTokenizer(segments: segments, literals: literals)
        tokenizer.skip(2)
        return tokenizer.tokens()
    }
}

/// A token of an IMAP response.
indirect enum IMAPToken: Equatable {
    /// An atom, a number or a flag (`\Seen`); a section such as `BODY[HEADER.FIELDS (FROM)]<0>` is one atom.
    case atom(String)
    /// A quoted string, unescaped.
    case quoted(String)
    case literal(Data)
    case list([IMAPToken])

    /// The text of an atom, quoted string or literal (nil for a list or `NIL`).
    var string: String? {
        switch self {
        case .atom(let text): return text.uppercased() == "NIL" ? nil : text
        case .quoted(let text): return text
        case .literal(let data): return String(decoding: data, as: UTF8.self)
        case .list: return nil
        }
    }

    var data: Data? {
        switch self {
        case .literal(let data): return data
        case .quoted(let text): return Data(text.utf8)
        case .atom(let text): return text.uppercased() == "NIL" ? nil : Data(text.utf8)
        case .list: return nil
        }
    }
}

struct IMAPTokenizer {
    private var segments: [[UInt8]]
    private let literals: [Data]
    private var segment = 0
    private var position = 0

    init(segments: [String], literals: [Data]) {
        self.segments = segments.map { [UInt8]($0.utf8) }
        self.literals = literals
    }

    mutating func skip(_ count: Int) { position += count }

    private var current: [UInt8] { segments[segment] }

    /// The bytes left in this segment are only the `{n}` marker of its literal.
    private func atLiteralMarker() -> Bool {
        guard segment < literals.count, position < current.count, current[position] == UInt8(ascii: "{") else { return false }
        return IMAPResponse.literalSize(atEndOf: String(decoding: current[position...], as: UTF8.self)) != nil
            && !current[position...].contains(UInt8(ascii: " "))
    }

    mutating func tokens(untilClose: Bool = false) -> [IMAPToken] {
        var out: [IMAPToken] = []
        while segment < segments.count {
            if position >= current.count {
                guard segment + 1 < segments.count else { return out }
                segment += 1
                position = 0
                continue
            }
            let byte = current[position]
            switch byte {
            case UInt8(ascii: " "):
                position += 1
            case UInt8(ascii: ")"):
                position += 1
                if untilClose { return out }
            case UInt8(ascii: "("):
                position += 1
                out.append(.list(tokens(untilClose: true)))
            case UInt8(ascii: "\""):
                out.append(.quoted(readQuoted()))
            case UInt8(ascii: "{") where atLiteralMarker():
                out.append(.literal(literals[segment]))
                segment += 1
                position = 0
            default:
                out.append(.atom(readAtom()))
            }
        }
        return out
    }

    private mutating func readQuoted() -> String {
        position += 1
        var bytes: [UInt8] = []
        while position < current.count {
            let byte = current[position]
            position += 1
            if byte == UInt8(ascii: "\\"), position < current.count {
                bytes.append(current[position])
                position += 1
            } else if byte == UInt8(ascii: "\"") {
                break
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// An atom; a `[…]` section inside it (spaces and parentheses included) and a `<…>` partial
    /// range belong to it.
    private mutating func readAtom() -> String {
        var bytes: [UInt8] = []
        var depth = 0
        while position < current.count {
            let byte = current[position]
            if depth == 0 && (byte == UInt8(ascii: " ") || byte == UInt8(ascii: "(") || byte == UInt8(ascii: ")")) { break }
            if byte == UInt8(ascii: "[") { depth += 1 }
            if byte == UInt8(ascii: "]") { depth = max(0, depth - 1) }
            bytes.append(byte)
            position += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The parts of a session's responses fuq uses.
extension IMAPResponse {
    /// UIDs from every `* SEARCH` response.
    static func searchResults(_ responses: [IMAPResponse]) -> [UInt32] {
        var uids: [UInt32] = []
        for response in responses {
            guard let tokens = response.untaggedTokens, tokens.first?.string?.uppercased() == "SEARCH" else { continue }
            for token in tokens.dropFirst() { if case .atom(let text) = token, let uid = UInt32(text) { uids.append(uid) } }
        }
        return uids
    }

    /// Every `* n FETCH (…)` response that carries a UID.
    static func fetchResults(_ responses: [IMAPResponse]) -> [FetchedMessage] {
        var messages: [UInt32: FetchedMessage] = [:]
        var order: [UInt32] = []
        for response in responses {
            guard let tokens = response.untaggedTokens, tokens.count >= 3,
                  tokens[1].string?.uppercased() == "FETCH", case .list(let items) = tokens[2] else { continue }
            var uid: UInt32?
            var message = FetchedMessage(uid: 0)
            var i = 0
            while i + 1 < items.count {
                let name = items[i].string?.uppercased() ?? ""
                let value = items[i + 1]
                i += 2
                if name == "UID" { uid = value.string.flatMap { UInt32($0) } }
                else if name == "FLAGS", case .list(let flags) = value { message.flags = flags.compactMap(\.string) }
                else if name == "INTERNALDATE" { message.internalDate = value.string.flatMap(MailDate.parseInternalDate) }
                else if name.hasPrefix("BODY[HEADER") { message.header = value.data ?? Data() }
                else if name.hasPrefix("BODY[TEXT]") { message.bodyPrefix = value.data }
            }
            guard let uid else { continue }
            message.uid = uid
            if var existing = messages[uid] {
                // Two FETCH responses for one message (say, an unsolicited FLAGS update): merge.
                if !message.flags.isEmpty { existing.flags = message.flags }
                if message.internalDate != nil { existing.internalDate = message.internalDate }
                if !message.header.isEmpty { existing.header = message.header }
                if message.bodyPrefix != nil { existing.bodyPrefix = message.bodyPrefix }
                messages[uid] = existing
            } else {
                messages[uid] = message
                order.append(uid)
            }
        }
        return order.map { messages[$0]! }
    }

    /// Every `* LIST (attributes) "delimiter" name` response.
    static func listResults(_ responses: [IMAPResponse]) -> [MailFolder] {
        responses.compactMap { response in
            guard let tokens = response.untaggedTokens, tokens.count >= 4, tokens[0].string?.uppercased() == "LIST",
                  case .list(let attributes) = tokens[1], let name = tokens[3].string else { return nil }
            return MailFolder(name: ModifiedUTF7.decode(name) ?? name, attributes: attributes.compactMap(\.string), delimiter: tokens[2].string)
        }
    }
}
