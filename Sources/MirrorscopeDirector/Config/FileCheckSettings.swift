/// Per virtual server: whether the director checks that a mirror holds a path before sending a
/// client there (`check_files` and the `check_*` keys; docs/director.md, "Only mirrors that hold
/// the file"). Off by default: a director that trusts its mirrors pays nothing.
public struct FileCheckSettings: Sendable, Hashable {
    public var enabled: Bool
    /// How long a check's `HEAD` may take; past it the answer is "unknown" (usable).
    public var timeout: Duration
    /// How long a "present" answer is believed.
    public var ttl: Duration
    /// How long an "absent" answer (404/410) is believed.
    public var ttlAbsent: Duration
    /// The most (mirror, path) answers remembered per virtual server; past it the oldest go.
    public var cacheEntries: Int

    /// An "unknown" answer (timeout, 5xx, connection error) is remembered this long: long enough
    /// that a burst does not hammer a struggling mirror, short enough to learn the truth soon.
    public static let unknownTTL: Duration = .seconds(10)
    public static let maxCacheEntries = 10_000_000

    public init(enabled: Bool = false, timeout: Duration = .milliseconds(1500), ttl: Duration = .seconds(600),
                ttlAbsent: Duration = .seconds(60), cacheEntries: Int = 100_000) {
        self.enabled = enabled
        self.timeout = timeout
        self.ttl = ttl
        self.ttlAbsent = ttlAbsent
        self.cacheEntries = cacheEntries
    }
}
