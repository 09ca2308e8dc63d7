/// The director's configuration as a value: what `ConfigParser` makes of a TOML file, and what a
/// program that starts a director in-process builds directly. `validate()` holds every rule, so a
/// value built in code is checked exactly like a file.
public struct DirectorConfig: Sendable, Hashable {
    /// The virtual servers; the first is the primary one (the top level of the file), the others
    /// come from `[[virtual]]` tables.
    public var virtualServers: [VirtualServerConfig]
    /// Key for signing session tokens; directors sharing it honour each other's sessions.
    public var secret: String
    /// Bearer token of the admin API; the API answers 403 when it is not set.
    public var adminToken: String?
    /// How long a session lives after its last request (the token is renewed on every answer).
    public var sessionTTL: Duration
    public var tls: TLSFiles?
    /// A PEM file of CA certificates trusted, besides the system's, when the director checks or
    /// proxies to `https` real servers (mirrors with a private CA).
    public var upstreamCA: String?
    public var health: HealthSettings
    public var reals: [RealServerConfig]
    public var page: PageSettings
    /// Event loop threads; nil means one per core.
    public var threads: Int?
    public var accessLog: AccessLogSetting
    /// A connection that neither reads nor writes for this long is closed.
    public var idleTimeout: Duration
    /// Time allowed for a complete request head once a connection is open or idle between
    /// requests; it bounds slow-header clients and idle keep-alive connections alike.
    public var headerTimeout: Duration

    public static let defaultSessionTTL: Duration = .seconds(30 * 60)
    public static let defaultIdleTimeout: Duration = .seconds(60)
    public static let defaultHeaderTimeout: Duration = .seconds(20)
    /// Shorter secrets are refused: a guessable key lets anyone forge sessions.
    public static let minimumSecretLength = 16

    public init(virtualServers: [VirtualServerConfig], secret: String, adminToken: String? = nil,
                sessionTTL: Duration = DirectorConfig.defaultSessionTTL, tls: TLSFiles? = nil,
                health: HealthSettings = HealthSettings(), reals: [RealServerConfig],
                page: PageSettings = PageSettings(), threads: Int? = nil, accessLog: AccessLogSetting = .logger,
                idleTimeout: Duration = DirectorConfig.defaultIdleTimeout,
                headerTimeout: Duration = DirectorConfig.defaultHeaderTimeout) {
        self.virtualServers = virtualServers
        self.secret = secret
        self.adminToken = adminToken
        self.sessionTTL = sessionTTL
        self.tls = tls
        self.health = health
        self.reals = reals
        self.page = page
        self.threads = threads
        self.accessLog = accessLog
        self.idleTimeout = idleTimeout
        self.headerTimeout = headerTimeout
    }

    /// One primary virtual server on `listen`, everything else at its default.
    public init(listen: [ListenAddress], secret: String, reals: [RealServerConfig],
                mode: DirectorMode = .redirect, policy: SelectionPolicyKind = .weightedRoundRobin) {
        self.init(virtualServers: [VirtualServerConfig(name: VirtualServerConfig.primaryName, listen: listen,
                                                       mode: mode, policy: policy)],
                  secret: secret, reals: reals)
    }

    public var primary: VirtualServerConfig { virtualServers[0] }

    /// Makes the file paths of the configuration absolute, relative to `directory`.
    mutating func resolvePaths(relativeTo directory: String) {
        func resolve(_ path: String) -> String {
            path.hasPrefix("/") || path.isEmpty ? path : (directory.isEmpty ? path : directory + "/" + path)
        }
        if var tls {
            tls.certificatePath = resolve(tls.certificatePath)
            tls.keyPath = resolve(tls.keyPath)
            self.tls = tls
        }
        if case .file(let path) = accessLog { accessLog = .file(resolve(path)) }
        upstreamCA = upstreamCA.map(resolve)
    }

    public func real(_ id: String) -> RealServerConfig? { reals.first { $0.id == id } }
}

/// A public name for a set of real servers: its own listeners, mode and policy.
public struct VirtualServerConfig: Sendable, Hashable {
    public static let primaryName = "primary"

    public var name: String
    public var listen: [ListenAddress]
    public var tlsListen: [ListenAddress]
    public var mode: DirectorMode
    public var policy: SelectionPolicyKind
    public var redirectStatus: RedirectStatus
    /// The ids of its real servers; nil means all of them (the primary virtual server always has all).
    public var reals: [String]?

    public init(name: String, listen: [ListenAddress], tlsListen: [ListenAddress] = [], mode: DirectorMode = .redirect,
                policy: SelectionPolicyKind = .weightedRoundRobin, redirectStatus: RedirectStatus = .found,
                reals: [String]? = nil) {
        self.name = name
        self.listen = listen
        self.tlsListen = tlsListen
        self.mode = mode
        self.policy = policy
        self.redirectStatus = redirectStatus
        self.reals = reals
    }

    public func includes(_ realID: String) -> Bool { reals?.contains(realID) ?? true }
}

public struct RealServerConfig: Sendable, Hashable, Codable {
    /// Letters, digits, `-` and `_` (it travels in tokens, `/~ID/` paths and metric labels).
    public var id: String
    /// Base URL, `http://` or `https://`, ending in `/`.
    public var url: String
    /// Where clients of the TLS listener go; `url` when nil.
    public var httpsURL: String?
    /// Share of new sessions relative to the others; 0 takes no new sessions but keeps its own.
    public var weight: Int
    public var backup: BackupTarget
    /// Country code (`de`) or free text; shown on the mirror page and as `geo=` when a country code.
    public var location: String?
    /// Takes no sessions: its sessions and identifier go to its backup, as when it is down.
    public var drain: Bool
    /// What the mirror page calls it ("Frankfurt"); the id when nil.
    public var name: String?

    public init(id: String, url: String, httpsURL: String? = nil, weight: Int = 1, backup: BackupTarget = .primary,
                location: String? = nil, drain: Bool = false, name: String? = nil) {
        self.id = id
        self.name = name
        self.url = url
        self.httpsURL = httpsURL
        self.weight = weight
        self.backup = backup
        self.location = location
        self.drain = drain
    }

    /// The base URL a client of the given listener is sent to.
    public func baseURL(tls: Bool) -> String { tls ? (httpsURL ?? url) : url }
}

/// Where a real server's sessions go when it cannot take them.
public enum BackupTarget: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Re-balanced by the policy among the healthy real servers.
    case primary
    case server(String)

    public init(_ text: String) { self = text == "primary" ? .primary : .server(text) }

    public var description: String {
        switch self {
        case .primary: return "primary"
        case .server(let id): return id
        }
    }

    public init(from decoder: any Decoder) throws { self.init(try decoder.singleValueContainer().decode(String.self)) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

public enum SelectionPolicyKind: String, Sendable, Hashable, CaseIterable {
    case weightedRoundRobin = "weighted-round-robin"
    case leastConnections = "least-connections"
    case weightedRandom = "weighted-random"
    case consistentHash = "consistent-hash"
}

public enum DirectorMode: String, Sendable, Hashable, CaseIterable {
    case redirect
    case proxy
}

public enum RedirectStatus: Int, Sendable, Hashable, CaseIterable {
    case found = 302
    case temporaryRedirect = 307
}

public enum AccessLogSetting: Sendable, Hashable {
    /// Lines go to the `mirrorscope.access` logger at info level.
    case logger
    /// Lines go to the logger and are appended to this file.
    case file(String)
    case off
}

public struct TLSFiles: Sendable, Hashable {
    /// PEM certificate chain.
    public var certificatePath: String
    /// PEM private key.
    public var keyPath: String

    public init(certificatePath: String, keyPath: String) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
    }
}

public struct HealthSettings: Sendable, Hashable {
    public var enabled: Bool
    /// Relative to each real server's URL ("" checks the base URL itself).
    public var path: String
    public var interval: Duration
    public var timeout: Duration
    /// Successes in a row that bring a down server back.
    public var rise: Int
    /// Failures in a row that take a server down.
    public var fall: Int

    public init(enabled: Bool = true, path: String = "", interval: Duration = .seconds(5), timeout: Duration = .seconds(2),
                rise: Int = 2, fall: Int = 3) {
        self.enabled = enabled
        self.path = path
        self.interval = interval
        self.timeout = timeout
        self.rise = rise
        self.fall = fall
    }
}

/// What `/-/mirrors` tells clients that probe for themselves.
public struct PageSettings: Sendable, Hashable {
    public var title: String
    /// The probe object, relative to each mirror's URL (the probe script's `probe.path`).
    public var probePath: String
    /// Content every mirror holds, relative to its URL (`files/README.txt`, `files/`): the page lists
    /// them (the probe script's `links`) so a client can open them through the mirror it chose.
    public var links: [String]

    public init(title: String = "Mirrors", probePath: String = "", links: [String] = []) {
        self.title = title
        self.probePath = probePath
        self.links = links
    }
}

/// `HOST:PORT`; an IPv6 host is written in brackets (`[::1]:8080`). Port 0 asks for any free port.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public init?(_ text: String) {
        let hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            hostPart = text[text.index(after: text.startIndex)..<close]
            portPart = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
            if hostPart.contains(":") { return nil } // unbracketed IPv6
        }
        guard !hostPart.isEmpty, let port = Int(portPart), (0...65535).contains(port) else { return nil }
        self.init(host: String(hostPart), port: port)
    }

    public init(stringLiteral value: String) {
        guard let parsed = ListenAddress(value) else { preconditionFailure("not HOST:PORT: \(value)") }
        self = parsed
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
