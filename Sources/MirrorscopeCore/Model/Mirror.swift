/// One real server holding a copy of the content, as a page describes it.
public struct Mirror: Sendable, Hashable, Codable, Identifiable {
    /// Unique within a page: the probe script's `id`, or one derived from the URL.
    public var id: String
    /// Absolute base URL; paths of the content are resolved against it. Ends with "/" for http(s).
    public var url: String
    /// Display name from the page (already free of control characters), if it gave one.
    public var name: String?
    /// Country code (lower case) or a free-text location.
    public var location: String?
    /// The page's own preference, normalised so that lower is preferred; nil when the page gives none.
    public var priority: Int?
    /// The page marks this mirror as preferred (RFC 6249 `pref`, for example).
    public var preferred: Bool
    /// Position on the page, from 0; the "page order" sort uses it.
    public var pageOrder: Int

    public init(id: String, url: String, name: String? = nil, location: String? = nil,
                priority: Int? = nil, preferred: Bool = false, pageOrder: Int = 0) {
        self.id = id
        self.url = url
        self.name = name
        self.location = location
        self.priority = priority
        self.preferred = preferred
        self.pageOrder = pageOrder
    }

    /// The URL's scheme in lower case ("https", "http", "ftp", ...), or "" when it has none.
    public var scheme: String { URLParts(url)?.scheme ?? "" }

    /// The URL's host (without port), or the whole URL when it cannot be split.
    public var host: String { URLParts(url)?.host ?? url }

    /// What a user sees as this mirror's name: the page's name, else the host.
    public var displayName: String {
        if let name, !name.isEmpty { return name }
        return host
    }
}
