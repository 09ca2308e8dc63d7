import Crypto

/// Signs and verifies session tokens with HMAC-SHA256 over the configured secret. The token is
/// the whole session state, so any director holding the same secret honours it, and a token a
/// client made up is just a new session.
///
/// Format: `1.<server id>.<expiry>.<64 hex digits of HMAC-SHA256("1.<server id>.<expiry>")>`. Ids
/// hold only letters, digits, "-" and "_" (checked in the config), so "." separates safely and the
/// token is a valid cookie value as it stands.
public struct SessionSigner: Sendable {
    /// swift-crypto does not mark `SymmetricKey` Sendable, but it is an immutable value (its bytes
    /// are never changed after creation), so sharing it between event loops is safe.
    private struct Key: @unchecked Sendable {
        let value: SymmetricKey
    }

    private let key: Key

    public init(secret: String) {
        key = Key(value: SymmetricKey(data: Array(secret.utf8)))
    }

    public func sign(_ token: SessionToken) -> String {
        let message = "1.\(token.serverID).\(token.expiry)"
        let code = HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: key.value)
        var text = message
        text.reserveCapacity(message.utf8.count + 65)
        text.append(".")
        for byte in code {
            text.append(Self.hexDigits[Int(byte >> 4)])
            text.append(Self.hexDigits[Int(byte & 0x0F)])
        }
        return text
    }

    /// The token's content when it is well formed, signed with our secret and not expired at `now`.
    /// The MAC comparison is constant-time (swift-crypto's `isValidAuthenticationCode`).
    public func verify(_ text: Substring, now: Int64) -> SessionToken? {
        let utf8 = text.utf8
        guard utf8.count <= 160, let macDot = utf8.lastIndex(of: UInt8(ascii: ".")) else { return nil }
        let message = text[..<macDot]
        let parts = message.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "1", DirectorConfig.identifierProblem(String(parts[1])) == nil,
              parts[2].utf8.count <= 12, let expiry = Int64(parts[2]), expiry > now
        else { return nil }
        guard let mac = Self.bytes(fromHex: text[text.index(after: macDot)...]), mac.count == SHA256.byteCount else { return nil }
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Array(message.utf8), using: key.value) else { return nil }
        return SessionToken(serverID: String(parts[1]), expiry: expiry)
    }

    private static let hexDigits: [Character] = Array("0123456789abcdef")

    /// Lower-case hex to bytes (nil for anything else); also the file hashes' `Digest` headers.
    static func bytes(fromHex hex: Substring) -> [UInt8]? {
        let utf8 = hex.utf8
        guard utf8.count % 2 == 0 else { return nil }
        var result: [UInt8] = []
        result.reserveCapacity(utf8.count / 2)
        var high: UInt8?
        for byte in utf8 {
            let value: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            if let h = high {
                result.append(h << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        return result
    }
}
