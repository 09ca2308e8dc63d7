/// How to probe the mirrors of a page: from the probe script, overridden by the user's flags.
public struct ProbeSettings: Sendable, Hashable, Codable {
    /// The probe object, relative to each mirror's base URL ("" probes the base itself).
    public var path: String
    /// "GET" or "HEAD".
    public var method: String
    /// Fresh-connection samples per mirror; the ranking uses their median.
    public var samples: Int
    /// Bound on one sample (connect + TLS + first byte), in milliseconds.
    public var timeoutMs: Int
    /// Mirrors probed at once.
    public var concurrency: Int
    /// What the script asks to be told about the client (see `ClientInfo`).
    public var clientInfo: Set<ClientInfoField>
    /// The throughput phase after the latency round (off when it has no object).
    public var throughput = ThroughputSettings()
    /// The freshness phase; nil when the page names no timestamp object.
    public var freshness: FreshnessSettings? = nil

    public static let defaultSamples = 3
    public static let defaultTimeoutMs = 3000
    public static let defaultConcurrency = 64

    public init(path: String = "", method: String = "GET", samples: Int = ProbeSettings.defaultSamples,
                timeoutMs: Int = ProbeSettings.defaultTimeoutMs, concurrency: Int = ProbeSettings.defaultConcurrency,
                clientInfo: Set<ClientInfoField> = ClientInfoField.basic) {
        self.path = path
        self.method = method
        self.samples = samples
        self.timeoutMs = timeoutMs
        self.concurrency = concurrency
        self.clientInfo = clientInfo
    }
}

/// The pieces of client information a probe script may ask for.
public enum ClientInfoField: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case userAgent = "user_agent"
    case platform = "platform"
    case platformVersion = "platform_version"
    case hostname = "hostname"
    case localAddress = "local_address"

    /// Sent on every probe unless the user chose `--client-info none`.
    public static let basic: Set<ClientInfoField> = [.userAgent, .platform, .platformVersion]

    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
