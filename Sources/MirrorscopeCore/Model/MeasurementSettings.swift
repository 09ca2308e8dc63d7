/// The two phases that follow a latency round: how far behind each mirror is (freshness), then how
/// fast the leading ones deliver (throughput). They run in that order, so that a stale mirror is
/// out of the ranking before the throughput phase picks the leading ones.
public enum MeasurementPhase: String, Sendable, Hashable, Codable {
    case freshness
    case throughput
}

/// The throughput phase: after the latency round, the leading `top` mirrors each download a sample
/// object over a fresh connection, at most `concurrency` at once (so that they do not share the
/// user's link and distort each other).
public struct ThroughputSettings: Sendable, Hashable, Codable {
    /// The sample object, relative to each mirror's base URL; nil when the page names none. A
    /// mirror with its own `Mirror.throughputURL` (a preset's) is measured there instead.
    public var path: String?
    /// How many of the leading mirrors download it; 0 turns the phase off.
    public var top: Int
    /// A download stops after this many body bytes...
    public var maxBytes: Int
    /// ...or this long after its first byte, or earlier when the rate is steady.
    public var maxMs: Int
    /// Downloads at once.
    public var concurrency: Int
    /// Where the object came from, for the detail pane: "the probe script", "the Arch preset", "--throughput-path".
    public var origin: String?
    /// The user asked for the phase (`--top`, `--rank throughput`): when it cannot run, the notice says why.
    public var requested: Bool

    public static let defaultTop = 5
    public static let defaultMaxBytes = 4 * 1024 * 1024
    public static let defaultMaxMs = 3000
    public static let defaultConcurrency = 2

    public init(path: String? = nil, top: Int = ThroughputSettings.defaultTop, maxBytes: Int = ThroughputSettings.defaultMaxBytes,
                maxMs: Int = ThroughputSettings.defaultMaxMs, concurrency: Int = ThroughputSettings.defaultConcurrency,
                origin: String? = nil, requested: Bool = false) {
        self.path = path
        self.top = top
        self.maxBytes = maxBytes
        self.maxMs = maxMs
        self.concurrency = concurrency
        self.origin = origin
        self.requested = requested
    }

    /// The sample object's URL on `mirror`, or nil when there is none for it.
    public func url(on mirror: Mirror) -> String? {
        if let own = mirror.throughputURL { return own }
        return path.map { URLParts.join(mirror.url, $0) }
    }

    /// Why the phase cannot run for these mirrors, or nil when it can.
    public func skipReason(_ mirrors: [Mirror]) -> String? {
        if top <= 0 { return "turned off (--top 0)" }
        if path == nil, !mirrors.contains(where: { $0.throughputURL != nil }) {
            return "no sample object: the page names none (probe script \"throughput\"), its format has no preset, and no --throughput-path was given"
        }
        return nil
    }
}

/// How a freshness object tells when its mirror last synced.
public enum FreshnessFormat: String, Sendable, Hashable, Codable, CaseIterable {
    /// The body is seconds since 1970 (Arch's `lastsync`).
    case unixTime = "unix-time"
    /// The object's `Last-Modified` header.
    case lastModified = "last-modified"
    /// The `Date:` field of a Debian `Release` file (RFC 2822).
    case releaseDate = "release-date"

    /// The format a path's name suggests when none is given: `lastsync`/`lastupdate` hold unix
    /// times, a `Release`/`InRelease` file has a `Date:` field, anything else has a `Last-Modified`.
    public static func guess(forPath path: String) -> FreshnessFormat {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        if name == "lastsync" || name == "lastupdate" { return .unixTime }
        if name == "Release" || name == "InRelease" { return .releaseDate }
        return .lastModified
    }
}

/// What "up to date" is measured against.
public enum FreshnessReference: Sendable, Hashable, Codable {
    /// A time given by the page (seconds since 1970).
    case time(Int64)
    /// The origin's copy of the same object, fetched once per round.
    case url(String)
    /// The newest sync time seen among the mirrors.
    case newest
}

/// The freshness phase: every answered mirror's timestamp object, fetched once.
public struct FreshnessSettings: Sendable, Hashable, Codable {
    /// The timestamp object, relative to each mirror's base URL (a mirror's own
    /// `Mirror.freshnessURL`, a preset's, wins).
    public var path: String
    public var format: FreshnessFormat
    public var reference: FreshnessReference
    /// Where the object came from, for the detail pane.
    public var origin: String?

    public init(path: String, format: FreshnessFormat, reference: FreshnessReference = .newest, origin: String? = nil) {
        self.path = path
        self.format = format
        self.reference = reference
        self.origin = origin
    }

    public func url(on mirror: Mirror) -> String {
        mirror.freshnessURL ?? URLParts.join(mirror.url, path)
    }
}
