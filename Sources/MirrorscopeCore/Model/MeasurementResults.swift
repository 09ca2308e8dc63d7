/// The rate over one interval of a download: at `ms` after the first byte, the bytes per second
/// since the previous point.
public struct RatePoint: Sendable, Hashable, Codable {
    public var ms: Double
    public var bytesPerSecond: Double

    public init(ms: Double, bytesPerSecond: Double) {
        self.ms = ms
        self.bytesPerSecond = bytesPerSecond
    }
}

/// A download in progress (the row's small bar and live rate).
public struct ThroughputProgress: Sendable, Hashable {
    /// Body bytes so far.
    public var bytes: Int
    /// Since the first byte.
    public var ms: Double
    /// The rate so far, first read excluded; nil until there is one.
    public var bytesPerSecond: Double?
    /// How far towards its end (max bytes or max time, whichever is nearer), 0...1.
    public var fraction: Double

    public init(bytes: Int, ms: Double, bytesPerSecond: Double?, fraction: Double) {
        self.bytes = bytes
        self.ms = ms
        self.bytesPerSecond = bytesPerSecond
        self.fraction = fraction
    }
}

/// What one mirror's sample download measured.
public struct ThroughputResult: Sendable, Hashable, Codable {
    public enum Stop: String, Sendable, Hashable, Codable {
        /// `max_bytes` arrived.
        case maxBytes = "max bytes"
        /// `max_ms` passed since the first byte.
        case maxTime = "max time"
        /// The rate had settled.
        case steady
        /// The object ended.
        case end
    }

    /// Body bytes per second, connection set-up and the first read excluded; nil when failed or
    /// when the body came in one read (too small to time).
    public var bytesPerSecond: Double?
    /// Body bytes received.
    public var bytes: Int
    /// From the first byte to the last.
    public var ms: Double
    /// The rate over time, one point per interval (about 100 ms).
    public var points: [RatePoint]
    public var stop: Stop?
    /// The URL downloaded.
    public var url: String
    public var failure: ProbeFailure?

    public init(bytesPerSecond: Double?, bytes: Int, ms: Double, points: [RatePoint] = [], stop: Stop? = nil,
                url: String, failure: ProbeFailure? = nil) {
        self.bytesPerSecond = bytesPerSecond
        self.bytes = bytes
        self.ms = ms
        self.points = points
        self.stop = stop
        self.url = url
        self.failure = failure
    }
}

/// What one mirror's timestamp object said.
public struct FreshnessResult: Sendable, Hashable, Codable {
    /// When the mirror last synced, in seconds since 1970; nil when it could not be read.
    public var syncedAt: Int64?
    /// The URL fetched.
    public var url: String
    public var failure: ProbeFailure?

    public init(syncedAt: Int64?, url: String, failure: ProbeFailure? = nil) {
        self.syncedAt = syncedAt
        self.url = url
        self.failure = failure
    }
}

/// Accumulates a download's bytes on the monotonic clock: the rate excluding the first read, the
/// rate over time, and whether the rate has settled. Pure (times are given), so it is tested
/// without sockets.
public struct RateMeter: Sendable, Hashable {
    /// One point per interval of at least this length.
    public static let intervalMs = 100.0
    /// Steady: the last `steadyPoints` interval rates, and the rate so far, all within
    /// `steadyTolerance` of the intervals' mean, after at least `steadyAfterMs`.
    public static let steadyPoints = 5
    public static let steadyTolerance = 0.05
    public static let steadyAfterMs = 500.0

    public private(set) var bytes = 0
    /// The bytes of the first read: excluded from the rate (they waited in buffers while the
    /// connection was made).
    public private(set) var firstReadBytes = 0
    /// Of the last read, since the first.
    public private(set) var lastMs = 0.0
    public private(set) var points: [RatePoint] = []
    private var pointMs = 0.0
    private var pointBytes = 0

    public init() {}

    /// A read of `count` bytes `ms` after the first read (0 for the first). Returns true when it
    /// completed an interval (a new point).
    @discardableResult
    public mutating func add(_ count: Int, atMs ms: Double) -> Bool {
        if bytes == 0 && firstReadBytes == 0 {
            firstReadBytes = count
            bytes = count
            pointBytes = count
            return false
        }
        bytes += count
        lastMs = max(lastMs, ms)
        guard ms - pointMs >= Self.intervalMs else { return false }
        points.append(RatePoint(ms: ms, bytesPerSecond: Double(bytes - pointBytes) / (ms - pointMs) * 1000))
        pointMs = ms
        pointBytes = bytes
        return true
    }

    /// Bytes per second after the first read; nil until a second read came later than the first.
    public var bytesPerSecond: Double? {
        guard lastMs > 0, bytes > firstReadBytes else { return nil }
        return Double(bytes - firstReadBytes) / lastMs * 1000
    }

    public var isSteady: Bool {
        guard lastMs >= Self.steadyAfterMs, points.count >= Self.steadyPoints, let overall = bytesPerSecond else { return false }
        let recent = points.suffix(Self.steadyPoints).map(\.bytesPerSecond)
        let mean = recent.reduce(0, +) / Double(recent.count)
        guard mean > 0 else { return false }
        return (recent + [overall]).allSatisfy { abs($0 - mean) <= Self.steadyTolerance * mean }
    }
}
