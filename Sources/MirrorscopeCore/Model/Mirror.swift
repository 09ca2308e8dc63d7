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

    // What mirror lists tell beyond the above (all optional: a probe script or a plain list of URLs
    // gives none of it). Set by the manifest parser after `init`.

    /// ISO 3166 country code in lower case ("de", "gb"), when the list names a country.
    public var country: String? = nil
    /// The country's name as the list gives it ("Germany").
    public var countryName: String? = nil
    /// A city or place as the list gives it ("Dresden").
    public var city: String? = nil
    /// How up to date the mirror is, when the list says (the Arch mirror status does).
    public var freshness: Freshness? = nil
    /// The URL as the list wrote it when it holds variables (`https://host/$repo/os/$arch`); `url`
    /// is then the template filled with `--var` values, or cut before its first unfilled variable.
    public var template: String? = nil
    /// The variables of `template` that no `--var` filled ("repo", "arch").
    public var unfilledVariables: [String]? = nil
    /// The address families the mirror serves, "ipv4" and/or "ipv6", when the list says (the Arch
    /// mirror status does); `--family` filters by it.
    public var addressFamilies: [String]? = nil
    /// Other facts of the list, as name -> values (apt's `arch:amd64 arch:all`, Debian's `Type`).
    public var tags: [String: [String]]? = nil
    /// This mirror's own throughput sample and timestamp object, when a preset for the list's
    /// format found them where the settings' paths under `url` would not (Arch's `lastsync` sits
    /// at the root above `$repo`). Absolute URLs; the probe script and the flags override them.
    public var throughputURL: String? = nil
    public var freshnessURL: String? = nil

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

/// How up to date a mirror is, as a mirror status list reports it.
public struct Freshness: Sendable, Hashable, Codable {
    /// When the mirror last synced, in seconds since 1970-01-01 UTC.
    public var lastSync: Int64?
    /// How far the mirror lagged behind its source at its last check, in seconds.
    public var delaySeconds: Int?
    /// The fraction (0...1) of checks that found the mirror up to date.
    public var completion: Double?

    public init(lastSync: Int64? = nil, delaySeconds: Int? = nil, completion: Double? = nil) {
        self.lastSync = lastSync
        self.delaySeconds = delaySeconds
        self.completion = completion
    }
}
