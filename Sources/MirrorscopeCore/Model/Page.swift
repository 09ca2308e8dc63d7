/// What the manifest parser made of a page: its mirrors, how to probe them, and its links.
public struct Page: Sendable, Hashable {
    /// Where the page came from, as the user gave it (URL, path, or "-").
    public var source: String
    /// The absolute URL the page was finally read from (after redirects), when it came over HTTP.
    public var url: String?
    public var title: String?
    public var mirrors: [Mirror]
    public var probe: ProbeSettings
    public var links: [PageLink]
    /// Things a user should know (skipped entries, ignored headers); shown, never fatal.
    public var warnings: [String]

    public init(source: String, url: String? = nil, title: String? = nil, mirrors: [Mirror],
                probe: ProbeSettings = ProbeSettings(), links: [PageLink] = [], warnings: [String] = []) {
        self.source = source
        self.url = url
        self.title = title
        self.mirrors = mirrors
        self.probe = probe
        self.links = links
        self.warnings = warnings
    }
}

/// A link of the page that the chosen mirror can serve: its path is relative to a mirror's base URL.
public struct PageLink: Sendable, Hashable, Codable {
    /// The link's text (sanitised), or its path when it had none.
    public var text: String
    /// Relative to a mirror's base URL, without a leading "/" ("files/README.txt", "files/").
    public var path: String

    public init(text: String, path: String) {
        self.text = text
        self.path = path
    }
}
