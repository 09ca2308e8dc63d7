/// The one split of an absolute URL (`scheme://[user@]host[:port]/path?query#fragment`) that every
/// module uses: the parsers for duplicate keys and ids, the prober and the director for what to
/// connect to, the core for names and joining paths. It works on the UTF-8 bytes, so that a list
/// of a thousand mirrors splits in well under a millisecond (see bench/parse.sh); it checks the
/// shape, not every character (resolving and refusing junk is the parsers' job).
public struct URLParts: Sendable, Hashable {
    /// In lower case.
    public var scheme: String
    /// In lower case, without brackets (an IPv6 literal is `::1`) or port.
    public var host: String
    public var port: Int?
    /// Including the leading "/" (may be "" for "http://host").
    public var path: String
    /// Without "?", if any.
    public var query: String?

    /// Nil when `string` is not `scheme://authority...` or its port is not a number.
    public init?(_ string: String) {
        let b = string.utf8
        guard let colon = b.firstIndex(of: UInt8(ascii: ":")), colon != b.startIndex,
              b[..<colon].allSatisfy(Self.isSchemeByte) else { return nil }
        let slashes = b.index(after: colon)
        guard b[slashes...].starts(with: "//".utf8) else { return nil }
        let authorityStart = b.index(slashes, offsetBy: 2)
        let authorityEnd = b[authorityStart...].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? b.endIndex
        var hostStart = authorityStart
        if let at = b[authorityStart..<authorityEnd].lastIndex(of: UInt8(ascii: "@")) { hostStart = b.index(after: at) }

        var hostEnd = authorityEnd
        var portText: Substring?
        if hostStart < authorityEnd, b[hostStart] == UInt8(ascii: "[") {
            guard let close = b[hostStart..<authorityEnd].firstIndex(of: UInt8(ascii: "]")) else { return nil }
            let afterClose = b.index(after: close)
            if afterClose < authorityEnd, b[afterClose] == UInt8(ascii: ":") { portText = string[b.index(after: afterClose)..<authorityEnd] }
            host = string[b.index(after: hostStart)..<close].lowercased()
        } else {
            if let c = b[hostStart..<authorityEnd].lastIndex(of: UInt8(ascii: ":")) {
                hostEnd = c
                portText = string[b.index(after: c)..<authorityEnd]
            }
            host = string[hostStart..<hostEnd].lowercased()
        }
        if let portText, !portText.isEmpty {
            guard portText.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), let n = Int(portText) else { return nil }
            port = n
        } else {
            port = nil
        }

        let pathEnd = b[authorityEnd...].firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? b.endIndex
        path = String(string[authorityEnd..<pathEnd])
        if pathEnd < b.endIndex, b[pathEnd] == UInt8(ascii: "?") {
            let queryStart = b.index(after: pathEnd)
            query = String(string[queryStart..<(b[queryStart...].firstIndex(of: UInt8(ascii: "#")) ?? b.endIndex)])
        } else {
            query = nil
        }
        scheme = string[..<colon].lowercased()
    }

    /// The port to connect to: the explicit one, else the scheme's default.
    public var effectivePort: Int? { port ?? Self.defaultPort(for: scheme) }

    /// The scheme's usual port; nil for schemes this program does not know.
    public static func defaultPort(for scheme: String) -> Int? {
        switch scheme {
        case "http": return 80
        case "https": return 443
        case "ftp": return 21
        case "rsync": return 873
        default: return nil
        }
    }

    /// Whether the explicit port, if any, is other than the scheme's default (`http://a:80/` and
    /// `http://a/` name the same server).
    public var hasNonDefaultPort: Bool {
        guard let port else { return false }
        return port != Self.defaultPort(for: scheme)
    }

    /// The host as a `Host` header or a URL writes it: IPv6 literals in brackets, and the port
    /// only when it is not the scheme's default.
    public var hostHeader: String {
        let shown = host.contains(":") ? "[\(host)]" : host
        guard hasNonDefaultPort, let port else { return shown }
        return "\(shown):\(port)"
    }

    /// `path` joined under a base URL or path: exactly one "/" between them, whatever either
    /// side has (paths of a page are relative to a mirror's base, which ends in "/").
    public static func join(_ base: String, _ path: String) -> String {
        var joined = base
        if !joined.hasSuffix("/") { joined += "/" }
        var rest = Substring(path)
        while rest.hasPrefix("/") { rest = rest.dropFirst() }
        return joined + rest
    }

    static func isSchemeByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."): return true
        default: return false
        }
    }
}
