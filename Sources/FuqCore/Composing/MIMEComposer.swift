import Foundation

/// One email ready to be written as RFC 5322 bytes.
public struct OutgoingMessage: Sendable, Equatable {
    public struct Address: Sendable, Equatable {
        public var name: String?
        public var email: String
        public init(name: String?, email: String) {
            self.name = name
            self.email = email
        }
    }

    public var from: Address
    public var to: Address
    public var replyTo: String?
    public var subject: String
    public var date: Date
    public var messageID: String
    public var body: String
    /// The thread it answers, oldest first (`References`); the last is also `In-Reply-To`.
    public var references: [String] = []

    public init(from: Address, to: Address, replyTo: String? = nil, subject: String, date: Date, messageID: String, body: String) {
        self.from = from
        self.to = to
        self.replyTo = replyTo
        self.subject = subject
        self.date = date
        self.messageID = messageID
        self.body = body
    }
}

/// Writes messages as RFC 5322 + MIME: CRLF line ends, UTF-8 text in quoted-printable,
/// RFC 2047 encoded-words for non-ASCII names and subjects, no line over 76 octets.
public enum MIMEComposer {
    public static func render(_ message: OutgoingMessage, zone: TimeZone = .current) -> Data {
        let headers = headerFields(message, zone: zone).map { header($0.name, $0.value) }
        let text = headers.joined(separator: "\r\n") + "\r\n\r\n" + quotedPrintable(message.body)
        return Data(text.utf8)
    }

    /// The header fields in the order they are written, each value as it goes on the wire
    /// (RFC 2047 encoded-words for non-ASCII text), before folding. `fuq show --json` shows them.
    public static func headerFields(_ message: OutgoingMessage, zone: TimeZone = .current) -> [(name: String, value: String)] {
        var fields = [(name: "From", value: address(message.from)), ("To", address(message.to))]
        if let replyTo = message.replyTo { fields.append(("Reply-To", replyTo)) }
        fields += [
            ("Subject", encodedText(message.subject)), ("Date", rfc5322Date(message.date, zone: zone)), ("Message-ID", message.messageID),
        ]
        if let parent = message.references.last {
            fields += [("In-Reply-To", parent), ("References", message.references.joined(separator: " "))]
        }
        fields += [
            ("MIME-Version", "1.0"), ("Content-Type", "text/plain; charset=utf-8"), ("Content-Transfer-Encoding", "quoted-printable"),
        ]
        return fields
    }

    /// "Tue, 24 Nov 2026 18:23:41 -0500".
    public static func rfc5322Date(_ date: Date, zone: TimeZone) -> String {
        ZoneClock.of(zone).rfc5322(date)
    }

    static func address(_ address: OutgoingMessage.Address) -> String {
        guard let name = address.name, !name.isEmpty else { return address.email }
        return "\(displayName(name)) <\(address.email)>"
    }

    static func displayName(_ name: String) -> String {
        if !name.unicodeScalars.allSatisfy({ $0.isASCII }) { return encodedText(name) }
        let specials = CharacterSet(charactersIn: "()<>[]:;@\\,.\"")
        if name.unicodeScalars.contains(where: { specials.contains($0) }) {
            return "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        return name
    }

    /// ASCII words as they are; each run of words with non-ASCII characters as `=?UTF-8?B?…?=`
    /// words (≤ 75 octets each, never splitting a character). A run is encoded whole, spaces
    /// included, because whitespace between two encoded-words disappears when decoded.
    static func encodedText(_ text: String) -> String {
        func plain(_ word: Substring) -> Bool {
            word.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 32 } && !word.hasPrefix("=?")
        }
        var out: [String] = []
        var run: [Substring] = []
        func flushRun() {
            guard !run.isEmpty else { return }
            out.append(encodeWords(run.joined(separator: " ")))
            run = []
        }
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if plain(word) { flushRun(); out.append(String(word)) } else { run.append(word) }
        }
        flushRun()
        return out.joined(separator: " ")
    }

    private static func encodeWords(_ text: String) -> String {
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            // 45 raw bytes → 60 base64 characters + 12 of framing = 72 ≤ 75.
            if chunk.count + bytes.count > 45 {
                words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=") }
        return words.joined(separator: " ")
    }

    /// Folds a header at spaces so no line exceeds 78 characters where possible.
    static func header(_ name: String, _ value: String) -> String {
        // Most fields fit on one line. Widths are in octets (the values are ASCII by now).
        if name.utf8.count + 2 + value.utf8.count <= 78 { return name + ": " + value }
        var lines: [String] = []
        var current = name + ":"
        var width = current.utf8.count
        for word in value.split(separator: " ", omittingEmptySubsequences: false) {
            let size = word.utf8.count
            if width + 1 + size > 78, width > name.utf8.count + 1 {
                lines.append(current)
                current = " " + word
                width = 1 + size
            } else {
                current += " " + word
                width += 1 + size
            }
        }
        lines.append(current)
        return lines.joined(separator: "\r\n")
    }

    /// Quoted-printable (RFC 2045) with CRLF line ends and soft breaks at 76 octets.
    public static func quotedPrintable(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        var lines = Array(text.utf8).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        for line in lines {
            let line = line.last == UInt8(ascii: "\r") ? line.dropLast() : line
            var width = 0
            for index in line.indices {
                let byte = line[index]
                let isLast = index == line.index(before: line.endIndex)
                let literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || ((byte == 0x20 || byte == 0x09) && !isLast)
                let size = literal ? 1 : 3
                if width + size > 75 {
                    out += [UInt8(ascii: "="), 13, 10]
                    width = 0
                }
                if literal {
                    out.append(byte)
                } else {
                    out += [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
                }
                width += size
            }
            out += [13, 10]
        }
        if out.isEmpty { out = [13, 10] }
        return String(decoding: out, as: UTF8.self)
    }
}
