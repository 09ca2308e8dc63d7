/// A minimal, allocation-light split of an absolute URL into the parts the core needs for display
/// and for joining paths. Network code uses Foundation's URL; the core stays free of it.
public struct URLParts: Sendable, Hashable {
    public var scheme: String
    /// Host without brackets or port.
    public var host: String
    public var port: Int?
    /// Path including the leading "/" (may be "" for "http://host").
    public var path: String
    /// Query without "?", if any.
    public var query: String?

    public init?(_ string: String) {
        guard let colon = string.firstIndex(of: ":") else { return nil }
        let scheme = string[..<colon].lowercased()
        guard !scheme.isEmpty, scheme.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }) else { return nil }
        var rest = string[string.index(after: colon)...]
        guard rest.hasPrefix("//") else { return nil }
        rest = rest.dropFirst(2)
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var host = Substring(authority)
        var port: Int?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { port = Int(after.dropFirst()) }
        } else if let c = authority.lastIndex(of: ":") {
            host = authority[..<c]
            let p = authority[authority.index(after: c)...]
            if !p.isEmpty { guard let n = Int(p) else { return nil }; port = n }
        }
        var tail = rest[authorityEnd...]
        if let hash = tail.firstIndex(of: "#") { tail = tail[..<hash] }
        var query: String?
        if let q = tail.firstIndex(of: "?") {
            query = String(tail[tail.index(after: q)...])
            tail = tail[..<q]
        }
        self.scheme = scheme
        self.host = host.lowercased()
        self.port = port
        self.path = String(tail)
        self.query = query
    }

    /// The port to connect to: the explicit one, else the scheme's default.
    public var effectivePort: Int? {
        if let port { return port }
        switch scheme {
        case "http": return 80
        case "https": return 443
        case "ftp": return 21
        default: return nil
        }
    }
}
