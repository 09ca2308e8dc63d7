/// What `/-/mirrors` tells clients that probe for themselves.
public struct PageSettings: Sendable, Hashable {
    public var title: String
    /// The probe object, relative to each mirror's URL (the probe script's `probe.path`).
    public var probePath: String
    /// Content every mirror holds, relative to its URL (`files/README.txt`, `files/`): the page lists
    /// them (the probe script's `links`) so a client can open them through the mirror it chose.
    public var links: [String]
    /// The throughput phase's sample object (the probe script's `probe.throughput.path`); nil: none.
    public var throughputPath: String?
    /// The timestamp object and its format (`probe.freshness`: "unix-time", "last-modified",
    /// "release-date"); nil: none. The format defaults to what the path's name suggests.
    public var freshnessPath: String?
    public var freshnessFormat: String?

    public init(title: String = "Mirrors", probePath: String = "", links: [String] = [], throughputPath: String? = nil,
                freshnessPath: String? = nil, freshnessFormat: String? = nil) {
        self.title = title
        self.probePath = probePath
        self.links = links
        self.throughputPath = throughputPath
        self.freshnessPath = freshnessPath
        self.freshnessFormat = freshnessFormat
    }
}
