import Foundation

/// An RFC 5322 header block, unfolded, looked up by case-insensitive name.
public struct MailHeaders: Sendable, Equatable {
    /// (name, value) in order; values unfolded, surrounding spaces trimmed, not decoded.
    public var fields: [(name: String, value: String)]

    public init(parsing data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        var fields: [(String, String)] = []
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            var line = String(rawLine)
            if line.hasSuffix("\r") { line.removeLast() }
            if line.isEmpty { continue }
            if let first = line.first, first == " " || first == "\t" {
                if !fields.isEmpty { fields[fields.count - 1].1 += " " + line.trimmingCharacters(in: .whitespaces) }
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields.append((String(line[..<colon]).trimmingCharacters(in: .whitespaces),
                           String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
        }
        self.fields = fields
    }

    public init(_ fields: [(String, String)]) { self.fields = fields.map { (name: $0.0, value: $0.1) } }

    public static func == (a: MailHeaders, b: MailHeaders) -> Bool {
        a.fields.map(\.name) == b.fields.map(\.name) && a.fields.map(\.value) == b.fields.map(\.value)
    }

    public func values(_ name: String) -> [String] {
        fields.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }

    public subscript(_ name: String) -> String? { values(name).first }

    /// The address of the first mailbox in From (lowercased), e.g. "dana@acme.example".
    public var fromAddress: String? { self["From"].flatMap(MailHeaders.firstAddress) }

    /// The Subject, RFC 2047 encoded words decoded.
    public var subject: String { MailHeaders.decodeEncodedWords(self["Subject"] ?? "") }

    /// Every `<…>` message ID in In-Reply-To and References.
    public var referencedMessageIDs: [String] {
        (values("In-Reply-To") + values("References")).flatMap(MailHeaders.messageIDs)
    }

    /// The `<…>` IDs in a header value, as written (IDs compare exactly), brackets removed.
    public static func messageIDs(in value: String) -> [String] {
        var ids: [String] = []
        var rest = Substring(value)
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            let id = rest[rest.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
            if !id.isEmpty { ids.append(id) }
            rest = rest[rest.index(after: close)...]
        }
        return ids
    }

    /// "Dana Rivera <Dana@Acme.example>" → "dana@acme.example"; a bare address as is.
    public static func firstAddress(in value: String) -> String? {
        var text = value
        // Drop quoted display names and comments, which may contain '<', '@' or ','.
        text = text.replacingOccurrences(of: #""(?:[^"\\]|\\.)*""#, with: "", options: .regularExpression)
        text = text.replacingOccurrences(of: #"\([^()]*\)"#, with: "", options: .regularExpression)
        if let open = text.firstIndex(of: "<"), let close = text[open...].firstIndex(of: ">") {
            let address = text[text.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
            return address.contains("@") ? address.lowercased() : nil
        }
        let first = text.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        return first.contains("@") && !first.contains(" ") ? first.lowercased() : nil
    }

    /// RFC 2047: `=?UTF-8?B?…?=` and `=?ISO-8859-1?Q?…?=` words decoded; whitespace between two
    /// encoded words dropped. Unknown charsets stay as written.
    public static func decodeEncodedWords(_ text: String) -> String {
        let pattern = try! NSRegularExpression(pattern: #"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?="#)
        let ns = text as NSString
        var out = ""
        var last = 0
        var previousWasEncoded = false
        for match in pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            let between = ns.substring(with: NSRange(location: last, length: match.range.location - last))
            if !(previousWasEncoded && between.allSatisfy(\.isWhitespace)) { out += between }
            let charset = ns.substring(with: match.range(at: 1)).lowercased()
            let encoding = ns.substring(with: match.range(at: 2)).uppercased()
            let payload = ns.substring(with: match.range(at: 3))
            var bytes: Data?
            if encoding == "B" {
                var base64 = payload
                while base64.count % 4 != 0 { base64 += "=" }
                bytes = Data(base64Encoded: base64)
            } else {
                bytes = quotedPrintableWord(payload)
            }
            let stringEncoding: String.Encoding? = charset.hasPrefix("utf-8") || charset == "us-ascii" ? .utf8
                : ["iso-8859-1", "latin1", "windows-1252"].contains(charset) ? .isoLatin1 : nil
            if let bytes, let stringEncoding, let decoded = String(data: bytes, encoding: stringEncoding) {
                out += decoded
            } else {
                out += ns.substring(with: match.range)
            }
            last = match.range.location + match.range.length
            previousWasEncoded = true
        }
        out += ns.substring(from: last)
        return out
    }

    private static func quotedPrintableWord(_ text: String) -> Data? {
        var bytes: [UInt8] = []
        var scalars = Array(text.utf8)[...]
        while let byte = scalars.popFirst() {
            if byte == UInt8(ascii: "_") { bytes.append(0x20) }
            else if byte == UInt8(ascii: "=") {
                guard scalars.count >= 2, let value = UInt8(String(decoding: scalars.prefix(2), as: UTF8.self), radix: 16) else { return nil }
                bytes.append(value)
                scalars = scalars.dropFirst(2)
            } else { bytes.append(byte) }
        }
        return Data(bytes)
    }
}

/// Dates as mail writes them.
public enum MailDate {
    /// IMAP INTERNALDATE: `26-Nov-2025 09:10:35 +0000` (the day may be space-padded).
    public static func parseInternalDate(_ text: String) -> Date? {
        parse(text.trimmingCharacters(in: .whitespaces), formats: ["d-MMM-yyyy HH:mm:ss Z"])
    }

    /// RFC 5322 Date: `Tue, 1 Dec 2025 09:10:35 -0500 (EST)`, weekday and seconds optional.
    public static func parseHeaderDate(_ text: String) -> Date? {
        var value = text.replacingOccurrences(of: #"\([^)]*\)"#, with: "", options: .regularExpression)
            .trimmingCharacters(in: .whitespaces)
        if let comma = value.firstIndex(of: ",") { value = value[value.index(after: comma)...].trimmingCharacters(in: .whitespaces) }
        value = value.replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)
        return parse(value, formats: ["d MMM yyyy HH:mm:ss Z", "d MMM yyyy HH:mm Z", "d MMM yy HH:mm:ss Z"])
    }

    private static func parse(_ text: String, formats: [String]) -> Date? {
        for format in formats {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
