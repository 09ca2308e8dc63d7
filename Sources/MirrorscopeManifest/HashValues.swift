/// Hash names and digests as documents write them (Metalink 3 `sha256`, Metalink 4 `sha-256`,
/// RFC 3230 `SHA-256`), kept one way: IANA names in lower case, digests in lower-case hex.
enum HashValues {
    static let hexLength: [String: Int] = ["md5": 32, "sha-1": 40, "sha-224": 56, "sha-256": 64, "sha-384": 96, "sha-512": 128]

    /// "sha256" -> "sha-256", "SHA-1" -> "sha-1"; nil for a type this program does not know.
    static func typeName(_ raw: String) -> String? {
        let lower = raw.trimmed().lowercased()
        let name: String
        if lower.hasPrefix("sha"), !lower.hasPrefix("sha-"), lower.count > 3 {
            name = "sha-" + lower.dropFirst(3)
        } else {
            name = lower
        }
        return hexLength[name] == nil ? nil : name
    }

    /// The digest in lower-case hex when it has the right length for `type`; else why not.
    static func hex(_ raw: String, type: String) -> Result<String, HashProblem> {
        let value = raw.trimmed().lowercased()
        if value.isEmpty { return .failure(.empty) }
        guard value.unicodeScalars.allSatisfy({ ($0 >= "0" && $0 <= "9") || ($0 >= "a" && $0 <= "f") }) else { return .failure(.notHex) }
        if let length = hexLength[type], value.count != length { return .failure(.length(value.count, expected: length)) }
        return .success(value)
    }

    enum HashProblem: Error, CustomStringConvertible {
        case empty, notHex
        case length(Int, expected: Int)

        var description: String {
            switch self {
            case .empty: return "empty"
            case .notHex: return "not hexadecimal"
            case .length(let n, let expected): return "\(n) hex digits where \(expected) are due"
            }
        }
    }

    /// Base64 (RFC 4648, as RFC 3230 digests are written) to lower-case hex; nil when malformed.
    static func hex(base64 text: String) -> String? {
        var bits = 0, count = 0
        var bytes: [UInt8] = []
        for c in text.utf8 {
            let v: Int
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = Int(c) - 65
            case UInt8(ascii: "a")...UInt8(ascii: "z"): v = Int(c) - 71
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = Int(c) + 4
            case UInt8(ascii: "+"), UInt8(ascii: "-"): v = 62
            case UInt8(ascii: "/"), UInt8(ascii: "_"): v = 63
            case UInt8(ascii: "="): continue
            default: return nil
            }
            bits = ((bits << 6) | v) & 0xFFFF // 16 bits hold what is still to be output
            count += 6
            if count >= 8 {
                count -= 8
                bytes.append(UInt8((bits >> count) & 0xFF))
            }
        }
        guard !bytes.isEmpty else { return nil }
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 0x0F)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
