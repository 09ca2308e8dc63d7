/// The cookie that carries the token.
public enum SessionCookie {
    public static let name = "mirrorscope_session"

    /// The value of our cookie in a `Cookie` header (`a=1; mirrorscope_session=...; b=2`), if
    /// present. Every request with a session runs this, so it walks the UTF-8 bytes rather than
    /// Characters.
    public static func value(in header: String) -> Substring? {
        let bytes = header.utf8
        let end = bytes.endIndex
        var pair = bytes.startIndex
        while pair < end {
            while pair < end && bytes[pair] == UInt8(ascii: " ") { pair = bytes.index(after: pair) }
            var cursor = pair
            var matched = true
            for expected in nameAndEquals {
                guard cursor < end, bytes[cursor] == expected else {
                    matched = false
                    break
                }
                cursor = bytes.index(after: cursor)
            }
            let pairEnd = bytes[cursor...].firstIndex(of: UInt8(ascii: ";")) ?? end
            if matched { return header[cursor..<pairEnd] }
            pair = pairEnd < end ? bytes.index(after: pairEnd) : end
        }
        return nil
    }

    private static let nameAndEquals = Array("\(name)=".utf8)

    /// `Set-Cookie` value for a token. Not `Secure`: a session begun over HTTP must follow the client
    /// to the TLS listener (and back), and the token grants nothing but the choice of a mirror.
    public static func setCookieValue(token: String, maxAgeSeconds: Int64) -> String {
        "\(name)=\(token); Path=/; Max-Age=\(maxAgeSeconds); HttpOnly; SameSite=Lax"
    }
}
