import Foundation

/// A proxy as the user names it: `http://`, `https://`, `socks5://` or `socks5h://`, a host, a
/// port, and perhaps `user:password@` (percent-decoded). What curl accepts, so that the same
/// `https_proxy` works for both.
public struct ProxyURL: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// An HTTP proxy: a CONNECT tunnel to the mirror.
        case http
        /// An HTTP proxy reached over TLS, then a CONNECT tunnel.
        case https
        /// SOCKS5, with the mirror's name resolved here.
        case socks5
        /// SOCKS5, with the mirror's name resolved by the proxy (Tor's way).
        case socks5h

        /// The port curl assumes when the URL gives none.
        var defaultPort: Int { self == .https ? 443 : 1080 }
    }

    public struct Credentials: Sendable, Hashable {
        public var user: String
        public var password: String
    }

    public var kind: Kind
    /// Without brackets for IPv6 literals.
    public var host: String
    public var port: Int
    public var credentials: Credentials?

    /// `host:port` as a URL writes it (IPv6 literals in brackets): what messages name.
    public var address: String { (host.contains(":") ? "[\(host)]" : host) + ":\(port)" }

    /// The URL with the password replaced by `***`: the only form ever printed, logged or shown.
    public var description: String {
        let who = credentials.map { "\($0.user):***@" } ?? ""
        return "\(kind.rawValue)://\(who)\(address)"
    }

    public struct Invalid: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    /// Reads `text` as curl does: no scheme means `http://`; a path is ignored. The message of a
    /// refusal never repeats the password.
    public init(_ text: String) throws(Invalid) {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        var kind = Kind.http
        if let range = rest.range(of: "://") {
            let scheme = rest[..<range.lowerBound].lowercased()
            // socks5h is also written socks5h, socks (curl: socks4), socks4a: only SOCKS5 is spoken here.
            guard let known = Kind(rawValue: scheme) else {
                throw Invalid(description: "proxy scheme \"\(scheme.prefix(20))\" is not one of http, https, socks5, socks5h")
            }
            kind = known
            rest = rest[range.upperBound...]
        }
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        var credentials: Credentials?
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            let parts = userInfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let user = String(parts[0]).removingPercentEncoding ?? String(parts[0])
            let password = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
            credentials = Credentials(user: user, password: password)
        }
        var host = rest
        var port: Int?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw Invalid(description: "proxy address: unclosed [ in the IPv6 address") }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") { port = Int(after.dropFirst()) ?? -1 }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            port = Int(rest[rest.index(after: colon)...]) ?? -1
        }
        guard !host.isEmpty else { throw Invalid(description: "proxy address has no host") }
        if let port, !(1...65535).contains(port) { throw Invalid(description: "proxy port must be a number in 1...65535") }
        self.kind = kind
        self.host = host.lowercased()
        self.port = port ?? kind.defaultPort
        self.credentials = credentials
    }
}
