import Foundation

/// Where the shared store is: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=MODE]`
/// (`postgresql://` too), as libpq writes it. Only what the director uses is accepted; anything
/// else is a configuration mistake named by `problem`, never silently ignored.
public struct StoreURL: Sendable, Hashable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, Hashable, CaseIterable {
        /// Plain TCP (a store on loopback or a private network).
        case disable
        /// TLS when the server offers it, plain otherwise (libpq's default).
        case prefer
        /// TLS or no connection (the server's certificate is checked against the system's roots).
        case require
    }

    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    /// nil: PostgreSQL's default, a database named like the user.
    public var database: String?
    public var tls: TLSMode

    public static let defaultPort = 5432

    /// Parses `text`, or throws a `ConfigError` for `key` saying what is wrong.
    public init(parsing text: String, key: String = "store") throws {
        let shape = "must be postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE"
        guard text.utf8.count <= 2048 else { throw ConfigError(key: key, "is longer than 2048 characters") }
        guard let components = URLComponents(string: text) else { throw ConfigError(key: key, "is not a URL; it \(shape)") }
        guard let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql" else {
            throw ConfigError(key: key, "\(shape) (the scheme is postgres:// or postgresql://)")
        }
        guard let host = components.host, !host.isEmpty else { throw ConfigError(key: key, "has no host; it \(shape)") }
        guard let user = components.user?.removingPercentEncoding, !user.isEmpty else {
            throw ConfigError(key: key, "has no user; it \(shape)")
        }
        if let port = components.port, !(1...65535).contains(port) { throw ConfigError(key: key, "port must be 1 to 65535") }
        let path = components.percentEncodedPath
        var database: String?
        if !path.isEmpty && path != "/" {
            let name = String(path.dropFirst())
            guard !name.contains("/"), let decoded = name.removingPercentEncoding, !decoded.isEmpty else {
                throw ConfigError(key: key, "the path must be one database name: \(shape)")
            }
            database = decoded
        }
        if components.fragment != nil { throw ConfigError(key: key, "must not have a fragment (#...)") }
        var tls = TLSMode.prefer
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode" else {
                throw ConfigError(key: key, "unknown parameter \"\(item.name)\"; the only one is sslmode (\(Self.modes))")
            }
            guard let value = item.value, let mode = TLSMode(rawValue: value) else {
                throw ConfigError(key: key, "sslmode must be one of \(Self.modes)")
            }
            tls = mode
        }
        self.user = user
        self.password = components.password?.removingPercentEncoding
        // URLComponents keeps the brackets of an IPv6 literal; the connection wants the address.
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.port = components.port ?? Self.defaultPort
        self.database = database
        self.tls = tls
    }

    private static var modes: String { TLSMode.allCases.map(\.rawValue).joined(separator: ", ") }

    /// The URL without its password, for logs and error messages.
    public var description: String {
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        return "postgres://\(user)@\(host):\(port)/\(database ?? "")"
    }
}
