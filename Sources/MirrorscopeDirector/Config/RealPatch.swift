/// The fields `PATCH /-/admin/real/ID` may change, under the schema's keys
/// (`RealServerConfig.CodingKeys`); nil leaves a field as it is.
public struct RealPatch: Sendable, Hashable, Codable {
    public var weight: Int?
    public var drain: Bool?
    public var backup: BackupTarget?
    /// "" removes the location.
    public var location: String?
    /// The display name on the mirror page; "" removes it.
    public var name: String?
    /// The GeoIP keys: "" clears `country` or `continent`, [] clears a list. Coordinates replace
    /// coordinates (give both when the server had none).
    public var asns: [Int]?
    public var latitude: Double?
    public var longitude: Double?
    public var country: String?
    public var continent: String?
    public var countries: [String]?
    public var excludeCountries: [String]?

    public init(weight: Int? = nil, drain: Bool? = nil, backup: BackupTarget? = nil, location: String? = nil, name: String? = nil) {
        self.weight = weight
        self.drain = drain
        self.backup = backup
        self.location = location
        self.name = name
    }

    /// The keys a patch may hold, in the order its changes are written into the config file.
    public static let keys: [RealServerConfig.CodingKeys] = [.weight, .drain, .backup, .location, .name,
                                                              .asns, .latitude, .longitude, .country, .continent,
                                                              .countries, .excludeCountries]

    /// The server with the patch made.
    public func applied(to real: RealServerConfig) -> RealServerConfig {
        var real = real
        if let weight { real.weight = weight }
        if let drain { real.drain = drain }
        if let backup { real.backup = backup }
        if let location { real.location = location.isEmpty ? nil : location }
        if let name { real.name = name.isEmpty ? nil : name }
        if let asns { real.asns = asns }
        if let latitude { real.latitude = latitude }
        if let longitude { real.longitude = longitude }
        if let country { real.country = country.isEmpty ? nil : country }
        if let continent { real.continent = continent.isEmpty ? nil : continent }
        if let countries { real.countries = countries }
        if let excludeCountries { real.excludeCountries = excludeCountries }
        return real
    }
}

extension RealPatch {
    /// Keys are those of a new server's body (unknown ones refused); `id`, `url` and `https_url`
    /// cannot be patched. Values are read in the schema's order first, so a value of the wrong
    /// type is named before a key that cannot be patched.
    public init(from decoder: any Decoder) throws {
        typealias Key = RealServerConfig.CodingKeys
        try RealServerConfig.rejectUnknownKeys(in: decoder)
        let container = try decoder.container(keyedBy: Key.self)
        let fixed = try [Key.id, .url, .httpsURL].filter { try container.field(String.self, $0) != nil }
        weight = try container.field(Int.self, .weight)
        backup = try container.field(String.self, .backup).map(BackupTarget.init)
        location = try container.field(String.self, .location)
        name = try container.field(String.self, .name)
        drain = try container.field(Bool.self, .drain)
        asns = try container.field([Int].self, .asns)
        latitude = try container.number(.latitude)
        longitude = try container.number(.longitude)
        country = try container.field(String.self, .country)
        continent = try container.field(String.self, .continent)
        countries = try container.field([String].self, .countries)
        excludeCountries = try container.field([String].self, .excludeCountries)
        if let key = fixed.first { throw RealServerSchemaError.notPatchable(key.stringValue) }
    }

    /// Writes the fields it changes, "" and [] included (they clear a field).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: RealServerConfig.CodingKeys.self)
        try container.encodeIfPresent(weight, forKey: .weight)
        try container.encodeIfPresent(drain, forKey: .drain)
        try container.encodeIfPresent(backup?.description, forKey: .backup)
        try container.encodeIfPresent(location, forKey: .location)
        try container.encodeIfPresent(name, forKey: .name)
        try container.encodeIfPresent(asns, forKey: .asns)
        try container.encodeIfPresent(latitude, forKey: .latitude)
        try container.encodeIfPresent(longitude, forKey: .longitude)
        try container.encodeIfPresent(country, forKey: .country)
        try container.encodeIfPresent(continent, forKey: .continent)
        try container.encodeIfPresent(countries, forKey: .countries)
        try container.encodeIfPresent(excludeCountries, forKey: .excludeCountries)
    }
}
