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
    /// GeoIP databases and trusted proxies (off by default).
    public var geo = GeoSettings()
    /// PostgreSQL as the source of truth for the real servers (nil: the config file is).
    public var store: StoreSettings?
    /// This director's name among several (the `instance` label of its metrics, the store's
    /// `updated_by`); nil means the host name and the primary listener's port.
    public var instance: String?

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
        geo.geoipDB = geo.geoipDB.map(resolve)
        geo.asnDB = geo.asnDB.map(resolve)
    }

    public func real(_ id: String) -> RealServerConfig? { reals.first { $0.id == id } }
}
