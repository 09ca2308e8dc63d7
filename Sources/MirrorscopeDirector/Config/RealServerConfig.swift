/// A real server (mirror), and the one schema of its fields wherever they are written: the config
/// file's `[[real]]` tables, the admin API's POST body, the tables the admin API writes back into
/// the config file (all through `RealServerConfig+Coding.swift`: snake_case `CodingKeys`, defaults
/// left out), a PATCH body (`RealPatch`, over the same keys) and the admin API's listing
/// (`RealServerStatus`, the same keys again). The rules its fields obey are in
/// `RealServerConfig+Validation.swift`.
public struct RealServerConfig: Sendable, Hashable, Codable {
    /// Letters, digits, `-` and `_` (it travels in tokens, `/~ID/` paths and metric labels).
    public var id: String
    /// Base URL, `http://` or `https://`, ending in `/`.
    public var url: String
    /// Where clients of the TLS listener go; `url` when nil.
    public var httpsURL: String?
    /// Share of new sessions relative to the others; 0 takes no new sessions but keeps its own.
    public var weight: Int
    public var backup: BackupTarget
    /// Country code (`de`) or free text; shown on the mirror page and as `geo=` when a country code.
    public var location: String?
    /// What the mirror page calls it ("Frankfurt"); the id when nil.
    public var name: String?
    /// Takes no sessions: its sessions and identifier go to its backup, as when it is down.
    public var drain: Bool

    // Where it is, for the GeoIP tiers (docs/director.md, "Choosing by where the client is").
    /// Clients in these autonomous systems come here first.
    public var asns: [Int] = []
    public var latitude: Double?
    public var longitude: Double?
    /// ISO 3166-1 alpha-2; when nil, a `location` of two letters is taken as the country.
    public var country: String?
    /// MaxMind's continent code; when nil, the country's (`CountryFacts`).
    public var continent: String?
    /// When not empty: only clients from these countries are sent here.
    public var countries: [String] = []
    /// Clients from these countries are never sent here.
    public var excludeCountries: [String] = []

    /// The defaults here are the schema's: a key left out of a table or body takes them.
    public init(id: String, url: String, httpsURL: String? = nil, weight: Int = 1, backup: BackupTarget = .primary,
                location: String? = nil, drain: Bool = false, name: String? = nil) {
        self.id = id
        self.name = name
        self.url = url
        self.httpsURL = httpsURL
        self.weight = weight
        self.backup = backup
        self.location = location
        self.drain = drain
    }

    /// The country the tiers place it in: `country`, else a `location` that is a two-letter code.
    public var geoCountry: String? {
        if let country { return country.uppercased() }
        guard let location, Self.isCountryCode(location) else { return nil }
        return location.uppercased()
    }

    /// The base URL a client of the given listener is sent to.
    public func baseURL(tls: Bool) -> String { tls ? (httpsURL ?? url) : url }
}
