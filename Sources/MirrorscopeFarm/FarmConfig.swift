import MirrorscopeCore

/// What a simulated mirror does wrong. Encoded as the words `/farm.json` uses:
/// "refuse", "hang", "reset", "status 503".
public enum FarmFault: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Nothing listens on the mirror's port: connections are refused.
    case refuse
    /// Reads the request and never answers; the connection stays open.
    case hang
    /// Answers this HTTP status after the scripted delay.
    case status(Int)
    /// Closes the connection right after reading the request.
    case reset

    public var description: String {
        switch self {
        case .refuse: "refuse"
        case .hang: "hang"
        case .reset: "reset"
        case .status(let code): "status \(code)"
        }
    }

    public init?(_ text: String) {
        switch text {
        case "refuse": self = .refuse
        case "hang": self = .hang
        case "reset": self = .reset
        default:
            let words = text.split(separator: " ")
            guard words.count == 2, words[0] == "status", let code = Int(words[1]), (100...599).contains(code)
            else { return nil }
            self = .status(code)
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let fault = FarmFault(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "unknown farm fault \"\(text)\""))
        }
        self = fault
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// The script of one simulated mirror.
public struct FarmMirrorSpec: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    /// Country code, lower case.
    public var location: String
    /// Scripted time before the response head is sent, for every request.
    public var delayMs: Double
    /// Uniform in [-jitter, +jitter] added per request (seeded, so runs repeat), clamped at 0.
    public var jitterMs: Double
    public var fault: FarmFault?
    /// Serve https with a certificate signed by the farm's own CA.
    public var tls: Bool
    /// Bandwidth: every response body is paced to this many bytes per second (a token bucket per
    /// connection); nil delivers as fast as the loopback takes it.
    public var bytesPerSecond: Double?
    /// How far behind the farm's sync reference the mirror is: its `lastsync`, its `Release`
    /// file's `Date:` and its files' `Last-Modified` say reference minus this. nil or 0: in sync.
    public var behindSeconds: Int64?
    /// What the mirror does wrong serving the farm's large file (its other files stay healthy).
    public var downloadFault: FarmDownloadFault?
    /// Paths under the mirror's `/pub/` (such as `files/x.tar.gz`) it does not hold: they answer
    /// 404, as a mirror that has not synced a new file yet does (for the director's file checks).
    public var missing: [String]?

    public init(id: String, name: String, location: String, delayMs: Double, jitterMs: Double = 0,
                fault: FarmFault? = nil, tls: Bool = false, bytesPerSecond: Double? = nil, behindSeconds: Int64? = nil,
                downloadFault: FarmDownloadFault? = nil, missing: [String]? = nil) {
        self.missing = missing
        self.id = id
        self.name = name
        self.location = location
        self.delayMs = delayMs
        self.jitterMs = jitterMs
        self.fault = fault
        self.tls = tls
        self.bytesPerSecond = bytesPerSecond
        self.behindSeconds = behindSeconds
        self.downloadFault = downloadFault
    }
}

public struct FarmConfig: Sendable {
    public var mirrors: [FarmMirrorSpec]
    /// Seeds the per-request jitter.
    public var seed: UInt64
    public var host: String
    /// 0 picks an ephemeral port.
    public var originPort: Int
    /// The probe script's "client_info" list.
    public var clientInfo: [String]
    /// Written into the probe script when set; the script's defaults apply otherwise.
    public var probeSamples: Int?
    public var probeTimeoutMs: Int?
    public var probeConcurrency: Int?
    /// Written into the probe script's `probe.throughput` / `probe.freshness` when set.
    public var probeThroughput: ProbeScript.Throughput?
    public var probeFreshness: ProbeScript.Freshness?
    /// The master's time, in seconds since 1970, that the mirrors' sync times count back from
    /// (the origin serves it as its own `lastsync` and `Release`); nil: the time the farm starts.
    public var syncReference: Int64?
    /// The size of the large file (`files/mirrorscope-demo-1.0.img`, its bytes computed from their
    /// offsets) every site serves for downloads; nil: no large file.
    public var largeFileBytes: Int?

    public init(mirrors: [FarmMirrorSpec], seed: UInt64 = 1, host: String = "127.0.0.1", originPort: Int = 0,
                clientInfo: [String] = ["user_agent", "platform", "platform_version"],
                probeSamples: Int? = nil, probeTimeoutMs: Int? = nil, probeConcurrency: Int? = nil,
                probeThroughput: ProbeScript.Throughput? = nil, probeFreshness: ProbeScript.Freshness? = nil,
                syncReference: Int64? = nil, largeFileBytes: Int? = nil) {
        self.mirrors = mirrors
        self.seed = seed
        self.host = host
        self.originPort = originPort
        self.clientInfo = clientInfo
        self.probeSamples = probeSamples
        self.probeTimeoutMs = probeTimeoutMs
        self.probeConcurrency = probeConcurrency
        self.probeThroughput = probeThroughput
        self.probeFreshness = probeFreshness
        self.syncReference = syncReference
        self.largeFileBytes = largeFileBytes
    }
}
