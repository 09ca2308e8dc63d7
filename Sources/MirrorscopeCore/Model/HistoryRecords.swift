/// What the history across runs keeps (MirrorscopeHistory writes it to SQLite) and what it gives
/// back. Plain values: the core builds a `RoundRecord` when a round ends (`Effect.recordRound`),
/// and receives each mirror's `MirrorTrend` at the start (`Msg.historyLoaded`). Mirrors are keyed
/// by URL, so a page whose mirrors change order or ids keeps their past.

/// One mirror's figures in one finished round.
public struct MeasurementRecord: Sendable, Hashable, Codable {
    public var mirrorURL: String
    public var ok: Bool
    /// The median response time, when the mirror answered.
    public var medianMs: Double?
    public var samples: Int
    /// `ProbeFailureKind`'s raw value ("timeout", "refused", ...), when it failed.
    public var errorKind: String?
    public var throughputBps: Double?
    public var behindSeconds: Int64?

    public init(mirrorURL: String, ok: Bool, medianMs: Double?, samples: Int, errorKind: String? = nil,
                throughputBps: Double? = nil, behindSeconds: Int64? = nil) {
        self.mirrorURL = mirrorURL
        self.ok = ok
        self.medianMs = medianMs
        self.samples = samples
        self.errorKind = errorKind
        self.throughputBps = throughputBps
        self.behindSeconds = behindSeconds
    }
}

/// One finished probe round of a page. The core has no clock: the writer stamps the date.
public struct RoundRecord: Sendable, Hashable, Codable {
    /// The page as the user named it (URL or file).
    public var source: String
    /// `RankBy`'s raw value.
    public var rankedBy: String
    /// When the fastest was named, ms into the round; nil when none was.
    public var decidedMs: Double?
    public var wallMs: Double
    public var measurements: [MeasurementRecord]

    public init(source: String, rankedBy: String, decidedMs: Double?, wallMs: Double, measurements: [MeasurementRecord]) {
        self.source = source
        self.rankedBy = rankedBy
        self.decidedMs = decidedMs
        self.wallMs = wallMs
        self.measurements = measurements
    }
}

/// One download's result (`mirrorscope get`, `w`).
public struct DownloadRecord: Sendable, Hashable, Codable {
    public var mirrorURL: String
    public var path: String
    public var bytes: Int64
    public var seconds: Double
    /// "verified sha256", "saved", "hash mismatch", "failed: ...".
    public var outcome: String

    public init(mirrorURL: String, path: String, bytes: Int64, seconds: Double, outcome: String) {
        self.mirrorURL = mirrorURL
        self.path = path
        self.bytes = bytes
        self.seconds = seconds
        self.outcome = outcome
    }
}

/// One round of a mirror's past: when (seconds since 1970; nil for a round of this session, which
/// the core cannot date) and its median (nil: it failed).
public struct TrendPoint: Sendable, Hashable, Codable {
    public var at: Double?
    public var ms: Double?

    public init(at: Double?, ms: Double?) {
        self.at = at
        self.ms = ms
    }
}

/// A mirror's last rounds (oldest first), and its last good throughput.
public struct MirrorTrend: Sendable, Hashable, Codable {
    public var points: [TrendPoint]
    public var lastGoodBps: Double?

    public init(points: [TrendPoint] = [], lastGoodBps: Double? = nil) {
        self.points = points
        self.lastGoodBps = lastGoodBps
    }

    /// The share of these rounds the mirror failed, 0...1; nil with no round.
    public var failureRate: Double? {
        points.isEmpty ? nil : Double(points.filter { $0.ms == nil }.count) / Double(points.count)
    }

    /// How many rounds a trend keeps (the detail pane's sparkline, the history ranking).
    public static let keep = 20

    /// The trend with one more round at its end (the oldest falls off past `keep`).
    public func appending(_ point: TrendPoint, bps: Double?) -> MirrorTrend {
        var next = self
        next.points.append(point)
        if next.points.count > Self.keep { next.points.removeFirst(next.points.count - Self.keep) }
        if let bps { next.lastGoodBps = bps }
        return next
    }
}
