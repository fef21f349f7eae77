import Foundation

/// IMAP's spelling of folder names (RFC 3501 §5.1.3, "modified UTF-7"): printable ASCII
/// stands for itself except `&`, which is `&-`; any other run of characters is `&`, their
/// UTF-16BE in base64 with `,` for `/` and no padding, then `-`. "Ärger/Ünter" is
/// "&AMQ-rger/&ANw-nter" on the wire; a server without UTF8=ACCEPT refuses the raw bytes
/// ("BAD … 8bit data in atom"). fuq takes and shows folder names as people write them and
/// spells them this way only on the wire (`CurlIMAPClient`).
public enum ModifiedUTF7 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,".utf8)

    /// `name` as IMAP spells it.
    public static func encode(_ name: String) -> String {
        var out = ""
        var pending: [UInt16] = []
        func flush() {
            guard !pending.isEmpty else { return }
            var bytes: [UInt8] = []
            for unit in pending { bytes.append(UInt8(unit >> 8)); bytes.append(UInt8(unit & 0xFF)) }
            out += "&"
            var index = 0
            while index < bytes.count {
                let chunk = bytes[index..<min(index + 3, bytes.count)]
                let b0 = chunk[chunk.startIndex]
                let b1 = chunk.count > 1 ? chunk[chunk.startIndex + 1] : 0
                let b2 = chunk.count > 2 ? chunk[chunk.startIndex + 2] : 0
                let sextets = [b0 >> 2, (b0 & 0x03) << 4 | b1 >> 4, (b1 & 0x0F) << 2 | b2 >> 6, b2 & 0x3F]
                for sextet in sextets.prefix(chunk.count + 1) { out.unicodeScalars.append(Unicode.Scalar(alphabet[Int(sextet)])) }
                index += 3
            }
            out += "-"
            pending.removeAll()
        }
        for scalar in name.unicodeScalars {
            if (0x20...0x7E).contains(scalar.value) {
                flush()
                out += scalar == "&" ? "&-" : String(scalar)
            } else {
                pending.append(contentsOf: String(scalar).utf16)
            }
        }
        flush()
        return out
    }

    /// The name `text` (as LIST gives it) stands for; nil when it is not modified UTF-7 (a
    /// server that sends UTF-8 itself, or a broken name): then use it as it is.
    public static func decode(_ text: String) -> String? {
        var out = ""
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar.isASCII, (0x20...0x7E).contains(scalar.value) else { return nil }
            guard scalar == "&" else { out.unicodeScalars.append(scalar); continue }
            var sextets: [UInt8] = []
            var ended = false
            while let next = scalars.next() {
                if next == "-" { ended = true; break }
                guard next.isASCII, let value = alphabet.firstIndex(of: UInt8(next.value)) else { return nil }
                sextets.append(UInt8(value))
            }
            guard ended else { return nil }
            if sextets.isEmpty { out += "&"; continue }
            var bytes: [UInt8] = []
            var bits = 0, buffer = 0
            for sextet in sextets {
                buffer = buffer << 6 | Int(sextet)
                bits += 6
                if bits >= 8 {
                    bits -= 8
                    bytes.append(UInt8((buffer >> bits) & 0xFF))
                }
            }
            // Leftover bits must be zero padding, and the bytes whole UTF-16 units.
            guard bits < 6, buffer & ((1 << bits) - 1) == 0, bytes.count % 2 == 0 else { return nil }
            var units: [UInt16] = []
            for i in stride(from: 0, to: bytes.count, by: 2) { units.append(UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])) }
            guard let decoded = String(validating: units, as: UTF16.self),
                  // What base64 spells must not be printable ASCII (that stands for itself).
                  !decoded.unicodeScalars.contains(where: { (0x20...0x7E).contains($0.value) }) else { return nil }
            out += decoded
        }
        return out
    }
}
