/// The schema's coding: the same for TOML (TOMLKit's decoder and encoder) and JSON (the admin API).
extension RealServerConfig {
    /// The schema's keys, in the order a `[[real]]` table is written.
    public enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
        case id, url, httpsURL = "https_url", weight, backup, location, name, drain
        case asns, latitude, longitude, country, continent, countries, excludeCountries = "exclude_countries"
    }

    /// `id` and `url` are required, every other key takes its default when absent (or JSON
    /// `null`). Unknown keys are refused: a misspelt `wieght` must not pass silently. Values are
    /// read in the keys' order, so a value of the wrong type is named before a missing `id` or `url`.
    public init(from decoder: any Decoder) throws {
        try Self.rejectUnknownKeys(in: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let id = try container.field(String.self, .id)
        let url = try container.field(String.self, .url)
        let httpsURL = try container.field(String.self, .httpsURL)
        let weight = try container.field(Int.self, .weight)
        let backup = try container.field(String.self, .backup)
        let location = try container.field(String.self, .location)
        let name = try container.field(String.self, .name)
        let drain = try container.field(Bool.self, .drain)
        let asns = try container.field([Int].self, .asns)
        let latitude = try container.number(.latitude)
        let longitude = try container.number(.longitude)
        let country = try container.field(String.self, .country)
        let continent = try container.field(String.self, .continent)
        let countries = try container.field([String].self, .countries)
        let excludeCountries = try container.field([String].self, .excludeCountries)
        self.init(id: try container.required(id, .id), url: try container.required(url, .url))
        self.httpsURL = httpsURL
        if let weight { self.weight = weight }
        if let backup { self.backup = BackupTarget(backup) }
        self.location = location
        self.name = name
        if let drain { self.drain = drain }
        self.asns = asns ?? []
        self.latitude = latitude
        self.longitude = longitude
        self.country = country
        self.continent = continent
        self.countries = countries ?? []
        self.excludeCountries = excludeCountries ?? []
    }

    /// Writes what differs from the defaults, except `weight`, which every table the admin API
    /// writes has always shown.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(url, forKey: .url)
        try container.encodeIfPresent(httpsURL, forKey: .httpsURL)
        try container.encode(weight, forKey: .weight)
        if backup != .primary { try container.encode(backup.description, forKey: .backup) }
        try container.encodeIfPresent(location, forKey: .location)
        try container.encodeIfPresent(name, forKey: .name)
        if drain { try container.encode(drain, forKey: .drain) }
        try encodeGeo(to: &container)
    }

    /// The GeoIP keys, those set only (shared with the admin API's listing).
    func encodeGeo(to container: inout KeyedEncodingContainer<CodingKeys>) throws {
        if !asns.isEmpty { try container.encode(asns, forKey: .asns) }
        try container.encodeIfPresent(latitude, forKey: .latitude)
        try container.encodeIfPresent(longitude, forKey: .longitude)
        try container.encodeIfPresent(country, forKey: .country)
        try container.encodeIfPresent(continent, forKey: .continent)
        if !countries.isEmpty { try container.encode(countries, forKey: .countries) }
        if !excludeCountries.isEmpty { try container.encode(excludeCountries, forKey: .excludeCountries) }
    }

    /// Refuses the first key (in sorted order) that is not one of `CodingKeys`.
    static func rejectUnknownKeys(in decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        for key in container.allKeys.map(\.stringValue).sorted() where CodingKeys(stringValue: key) == nil {
            throw RealServerSchemaError.unknownKey(key, expected: CodingKeys.allCases.map(\.stringValue))
        }
    }
}

/// What does not fit the schema, beyond what `DecodingError` says. The config parser and the admin
/// API each word it for their reader.
public enum RealServerSchemaError: Error, Sendable, Hashable {
    /// A key the schema does not have; `expected` lists those it has.
    case unknownKey(String, expected: [String])
    /// A key a patch cannot change (`id`, `url`, `https_url`: delete the server and add it again).
    case notPatchable(String)
}

/// Any key, for listing the keys a table or object holds.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer {
    /// The value at `key`, or nil when it is absent or `null`. A value of another type is a
    /// `typeMismatch` naming the type the schema wants, whatever the decoder said (TOMLKit calls
    /// some of them a missing key, and names the type it found for dates).
    func field<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        do {
            return try decode(T.self, forKey: key)
        } catch DecodingError.typeMismatch(_, let context), DecodingError.keyNotFound(_, let context) {
            throw DecodingError.typeMismatch(T.self, DecodingError.Context(codingPath: codingPath + [key],
                                                                          debugDescription: context.debugDescription))
        }
    }

    /// A number: TOML and JSON both let `50` stand for `50.0`.
    func number(_ key: Key) throws -> Double? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let integer = try? decode(Int.self, forKey: key) { return Double(integer) }
        return try field(Double.self, key)
    }

    /// A required value read by `field`: `keyNotFound` when it was absent.
    func required<T>(_ value: T?, _ key: Key) throws -> T {
        guard let value else {
            throw DecodingError.keyNotFound(key, DecodingError.Context(codingPath: codingPath + [key], debugDescription: "required"))
        }
        return value
    }
}
