/// One fresh-connection measurement of one mirror. Times are milliseconds.
///
/// Through a proxy the phases are those of the tunnel: `connectMs` is the tunnel's set-up (the
/// proxy's own connect to the mirror, answered by `CONNECT` or the SOCKS reply), and the leg to
/// the proxy is `proxyConnectMs`, shown apart because it is the same for every mirror.
public struct ProbeSample: Sendable, Hashable, Codable {
    /// Name resolution (0 for IP literals; through a proxy, the proxy's name).
    public var dnsMs: Double
    /// TCP connect to the mirror, including Happy Eyeballs' wait for a family that did not answer;
    /// through a proxy, the tunnel's set-up.
    public var connectMs: Double
    /// TLS handshake; nil for plain http.
    public var tlsMs: Double?
    /// From the request's write to the first byte of the response.
    public var ttfbMs: Double
    /// HTTP status of the probe object.
    public var status: Int
    /// How the connection went: the address that won (the proxy's, through a proxy) and its family.
    public var route: Route?

    public struct Route: Sendable, Hashable, Codable {
        /// "203.0.113.7" or "2001:db8::7".
        public var address: String?
        /// "ipv4" or "ipv6".
        public var family: String?
        /// The proxy's URL as shown (credentials as `user:***`); nil when direct.
        public var proxy: String?
        /// Through a proxy: TCP (and TLS, for an https proxy) to the proxy.
        public var proxyConnectMs: Double?

        public init(address: String? = nil, family: String? = nil, proxy: String? = nil, proxyConnectMs: Double? = nil) {
            self.address = address
            self.family = family
            self.proxy = proxy
            self.proxyConnectMs = proxyConnectMs
        }
    }

    public init(dnsMs: Double, connectMs: Double, tlsMs: Double?, ttfbMs: Double, status: Int, route: Route? = nil) {
        self.dnsMs = dnsMs
        self.connectMs = connectMs
        self.tlsMs = tlsMs
        self.ttfbMs = ttfbMs
        self.status = status
        self.route = route
    }

    /// The figure the ranking uses: connect + TLS + first byte (DNS is excluded: it is mostly cache).
    /// Through a proxy: tunnel + TLS + first byte.
    public var responseMs: Double { connectMs + (tlsMs ?? 0) + ttfbMs }

    /// Through a proxy, the tunnel's set-up (the same figure as `connectMs`); nil when direct.
    public var tunnelMs: Double? { route?.proxy == nil ? nil : connectMs }
}

/// Why a mirror could not be measured.
public enum ProbeFailureKind: String, Sendable, Hashable, Codable {
    case dns          // name did not resolve
    case refused      // connection refused
    case unreachable  // no route / network unreachable
    case timeout      // no answer within the timeout
    case tls          // handshake or certificate failure
    case http         // answered with an HTTP error status
    case reset        // connection closed or reset before an answer
    case protocolError = "protocol" // the answer was not HTTP
    case unsupported  // a scheme the prober cannot probe (ftp, rsync, ...)
    case proxy        // the proxy could not be reached, refused the tunnel or failed its handshake
}

public struct ProbeFailure: Sendable, Hashable, Codable, Error {
    public var kind: ProbeFailureKind
    /// A short reason for a user: "refused", "timeout after 3000 ms", "HTTP 503", "TLS: certificate not trusted".
    public var reason: String

    public init(_ kind: ProbeFailureKind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }
}

/// Everything one probe round learned about one mirror.
public struct MirrorReport: Sendable, Hashable, Codable {
    public var mirrorID: String
    public var samples: [ProbeSample]
    /// Set when the mirror failed; samples taken before the failure are kept.
    public var failure: ProbeFailure?
    /// The request headers that were sent to the mirror (what the mirror learned about us).
    public var sentHeaders: [HeaderField]
    /// The throughput phase's download, when the mirror was among the leading ones.
    public var throughput: ThroughputResult? = nil
    /// The freshness phase's timestamp, when the page names a timestamp object.
    public var freshness: FreshnessResult? = nil

    public init(mirrorID: String, samples: [ProbeSample], failure: ProbeFailure?, sentHeaders: [HeaderField] = []) {
        self.mirrorID = mirrorID
        self.samples = samples
        self.failure = failure
        self.sentHeaders = sentHeaders
    }

    public var ok: Bool { failure == nil && !samples.isEmpty }

    /// The measured rate in bytes per second; nil when not measured or failed.
    public var bytesPerSecond: Double? { throughput?.bytesPerSecond }

    /// The ranking figure: the median response time of the samples; nil when failed.
    public var ms: Double? { ok ? Statistics.median(samples.map(\.responseMs)) : nil }
    public var dnsMs: Double? { Statistics.median(samples.map(\.dnsMs)) }
    public var connectMs: Double? { Statistics.median(samples.map(\.connectMs)) }
    public var tlsMs: Double? { Statistics.median(samples.compactMap(\.tlsMs)) }
    public var ttfbMs: Double? { Statistics.median(samples.map(\.ttfbMs)) }
    /// The last sample's route: every sample of a round goes the same way, except that Happy
    /// Eyeballs may pick another family from one connection to the next.
    public var route: ProbeSample.Route? { samples.last?.route }
    public var proxyConnectMs: Double? { Statistics.median(samples.compactMap(\.route?.proxyConnectMs)) }
    public var tunnelMs: Double? { Statistics.median(samples.compactMap(\.tunnelMs)) }
}

public struct HeaderField: Sendable, Hashable, Codable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// What the prober reports while a round runs; the runtime turns each into a `Msg`.
public enum ProbeEvent: Sendable, Hashable {
    /// The mirror's turn has come: its first sample begins (name resolution first).
    case started(mirrorID: String)
    /// A sample's connect time begins to count (direct connections: its name lookup is done;
    /// through a proxy this is not reported): from now on its response time is at least the time
    /// since, though nothing more is known until `.connected` (what the decision rule reads).
    case connecting(mirrorID: String)
    /// A sample's connection is up (TLS done) and its request goes out; it has taken
    /// `transportMs` (connect + TLS) so far, and from now on its response time grows with the wait
    /// for the first byte (what the decision rule reads).
    case connected(mirrorID: String, transportMs: Double)
    /// One sample finished (the row may show progress before the median is known).
    case sample(mirrorID: String, ProbeSample)
    /// The mirror is done: its samples or its failure.
    case finished(MirrorReport)
    /// The freshness phase read the mirror's timestamp object (or could not).
    case freshness(mirrorID: String, FreshnessResult)
    /// The freshness phase read the reference URL (the origin's copy), once per round.
    case freshnessReference(FreshnessResult)
    /// The mirror's sample download began (its connection is being made).
    case throughputStarted(mirrorID: String)
    /// The download so far, about every 100 ms.
    case throughputProgress(mirrorID: String, ThroughputProgress)
    /// The download is over: its rate, or its failure.
    case throughputFinished(mirrorID: String, ThroughputResult)
}

public enum Statistics {
    /// Median of the values (mean of the middle two for an even count); nil when empty.
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
}
