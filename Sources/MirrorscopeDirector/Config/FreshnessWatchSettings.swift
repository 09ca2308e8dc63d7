/// Per virtual server: how the director tells how far behind each mirror is (`freshness_path` and
/// its keys; docs/director.md, "Fresh mirrors"). The object and its formats are the client's
/// freshness probe's (`probe.freshness`), read by the same code (`Prober.freshnessRound`).
public struct FreshnessWatchSettings: Sendable, Hashable {
    /// The object fetched on each mirror, relative to its URL (`lastsync`, `project/trace`).
    public var path: String
    /// `FreshnessFormat`'s words: "unix-time", "last-modified", "release-date"; nil: what the path's
    /// name suggests, as the client guesses (`FreshnessFormat.guess`).
    public var format: String?
    /// The origin's copy of the object, whose time counts as "now"; nil: the newest mirror's.
    public var reference: String?
    /// A mirror further behind than this takes no new sessions; nil: shown, never held against it.
    public var maxBehind: Duration?
    /// How often every mirror's object is read again.
    public var interval: Duration

    public static let defaultInterval: Duration = .seconds(300)

    public init(path: String, format: String? = nil, reference: String? = nil, maxBehind: Duration? = nil,
                interval: Duration = FreshnessWatchSettings.defaultInterval) {
        self.path = path
        self.format = format
        self.reference = reference
        self.maxBehind = maxBehind
        self.interval = interval
    }
}
