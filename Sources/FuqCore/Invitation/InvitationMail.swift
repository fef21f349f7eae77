import Foundation

/// The calendar in an email (an .eml saved from the mail client): the first `text/calendar`
/// part, else an `application/ics` part or an `.ics` attachment, decoded (base64,
/// quoted-printable, 7bit, 8bit).
public enum InvitationMail {
    /// Whether `text` reads as an email rather than a calendar (mail headers first).
    public static func isMail(_ text: String) -> Bool {
        let head = text.prefix(65536).trimmingCharacters(in: CharacterSet(charactersIn: "\u{FEFF}").union(.whitespacesAndNewlines))
        guard !head.uppercased().hasPrefix("BEGIN:VCALENDAR") else { return false }
        // Mail headers (any of them, an mbox "From " line too), with a Content-Type among them.
        guard let firstLine = head.split(separator: "\n", maxSplits: 1).first,
              firstLine.hasPrefix("From ") || firstLine.range(of: #"^[A-Za-z0-9-]+:"#, options: .regularExpression) != nil else { return false }
        return head.uppercased().contains("CONTENT-TYPE:")
    }

    public static func calendar(in text: String, name: String) throws -> String {
        let mail = text.replacingOccurrences(of: "\r\n", with: "\n")
        var found: [(rank: Int, body: String)] = []
        var undecodable: String?
        collect(mail, into: &found, undecodable: &undecodable, depth: 0)
        if found.isEmpty, let charset = undecodable {
            throw InvitationError("\(name) carries its calendar in a text fuq cannot read as \(charset); save the invitation (.ics) itself")
        }
        guard let best = found.min(by: { $0.rank < $1.rank }) else {
            throw InvitationError("\(name) is an email without a calendar part (text/calendar or an .ics attachment); save the invitation itself, or the email that carries it")
        }
        return best.body
    }

    /// - Parameter undecodable: set to the charset of a calendar part its bytes did not fit.
    private static func collect(_ entity: String, into found: inout [(rank: Int, body: String)], undecodable: inout String?, depth: Int) {
        guard depth < 8 else { return }
        let (headers, body) = split(entity)
        let type = header("content-type", in: headers) ?? "text/plain"
        let lower = type.lowercased()
        if lower.hasPrefix("multipart/"), let boundary = parameter("boundary", in: type) {
            for part in body.components(separatedBy: "--" + boundary).dropFirst() {
                if part.hasPrefix("--") { break }
                collect(String(part.drop { $0 == "\n" }), into: &found, undecodable: &undecodable, depth: depth + 1)
            }
            return
        }
        let disposition = header("content-disposition", in: headers) ?? ""
        let filename = parameter("filename", in: disposition) ?? parameter("name", in: type) ?? ""
        let rank: Int
        if lower.hasPrefix("text/calendar") { rank = 0 } else if lower.hasPrefix("application/ics") { rank = 1 } else if filename.lowercased().hasSuffix(".ics") { rank = 2 } else { return }
        let encoding = (header("content-transfer-encoding", in: headers) ?? "7bit").lowercased().trimmingCharacters(in: .whitespaces)
        let charset = (parameter("charset", in: type) ?? "utf-8").lowercased()
        let bytes: Data?
        switch encoding {
        case "base64": bytes = Data(base64Encoded: body.filter { !$0.isWhitespace })
        case "quoted-printable": bytes = quotedPrintableBytes(body)
        default: bytes = Data(body.utf8)
        }
        guard let bytes else { return }
        // The part's own charset: a Latin-1 calendar read as UTF-8 would mangle every accented name.
        let text: String?
        switch charset {
        case "utf-8", "utf8", "us-ascii", "ascii": text = String(validating: bytes, as: UTF8.self)
        case "iso-8859-1", "latin1", "iso8859-1": text = String(data: bytes, encoding: .isoLatin1)
        case "windows-1252", "cp1252": text = String(data: bytes, encoding: .windowsCP1252)
        default: text = String(validating: bytes, as: UTF8.self)
        }
        if let text { found.append((rank, text)) } else { undecodable = charset }
    }

    /// Headers (unfolded, lowercased names) and the body.
    private static func split(_ entity: String) -> ([(String, String)], String) {
        let parts = entity.components(separatedBy: "\n\n")
        let head = parts.first ?? ""
        let body = parts.dropFirst().joined(separator: "\n\n")
        var headers: [(String, String)] = []
        for line in head.split(separator: "\n", omittingEmptySubsequences: false) {
            if let first = line.first, first == " " || first == "\t", !headers.isEmpty {
                headers[headers.count - 1].1 += " " + line.trimmingCharacters(in: .whitespaces)
            } else if let colon = line.firstIndex(of: ":") {
                headers.append((line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
        }
        return (headers, body)
    }

    private static func header(_ name: String, in headers: [(String, String)]) -> String? {
        headers.first { $0.0 == name }?.1
    }

    private static func parameter(_ name: String, in value: String) -> String? {
        for piece in value.split(separator: ";").dropFirst() {
            let kv = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if kv.count == 2, kv[0].lowercased() == name { return kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        return nil
    }

    static func quotedPrintable(_ text: String) -> String {
        String(decoding: quotedPrintableBytes(text), as: UTF8.self)
    }

    static func quotedPrintableBytes(_ text: String) -> Data {
        Data(quotedPrintableArray(text))
    }

    static func quotedPrintableArray(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        let lines = text.components(separatedBy: "\n")
        for (n, line) in lines.enumerated() {
            var chars = Array(line.utf8)
            var soft = false
            if chars.last == UInt8(ascii: "=") { chars.removeLast(); soft = true }
            var i = 0
            while i < chars.count {
                if chars[i] == UInt8(ascii: "="), i + 2 < chars.count,
                   let value = UInt8(String(decoding: chars[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                    bytes.append(value)
                    i += 3
                } else {
                    bytes.append(chars[i])
                    i += 1
                }
            }
            if !soft && n < lines.count - 1 { bytes.append(UInt8(ascii: "\n")) }
        }
        return bytes
    }
}
