/// What `/-/mirrors` tells clients that probe for themselves.
public struct PageSettings: Sendable, Hashable {
    public var title: String
    /// The probe object, relative to each mirror's URL (the probe script's `probe.path`).
    public var probePath: String
    /// Content every mirror holds, relative to its URL (`files/README.txt`, `files/`): the page lists
    /// them (the probe script's `links`) so a client can open them through the mirror it chose.
    public var links: [String]

    public init(title: String = "Mirrors", probePath: String = "", links: [String] = []) {
        self.title = title
        self.probePath = probePath
        self.links = links
    }
}
