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
    /// Check that a mirror holds a path before redirecting to it (off by default).
    public var fileChecks = FileCheckSettings()
    /// Read how far behind each mirror is; nil: not read.
    public var freshness: FreshnessWatchSettings?
    /// Link headers on redirects, and where sizes and hashes for Metalinks come from.
    public var fileLinks = FileLinkSettings()

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

/// How new sessions are spread over the candidates (see `Balancer`).
public enum SelectionPolicyKind: String, Sendable, Hashable, CaseIterable {
    case weightedRoundRobin = "weighted-round-robin"
    case leastConnections = "least-connections"
    case weightedRandom = "weighted-random"
    case consistentHash = "consistent-hash"
}

/// Whether clients are sent to the real server (a redirect) or served through the director.
public enum DirectorMode: String, Sendable, Hashable, CaseIterable {
    case redirect
    case proxy
}

/// The status of a redirect: 307 keeps the method and body of a POST.
public enum RedirectStatus: Int, Sendable, Hashable, CaseIterable {
    case found = 302
    case temporaryRedirect = 307
}
