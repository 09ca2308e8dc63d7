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

    public init(weight: Int? = nil, drain: Bool? = nil, backup: BackupTarget? = nil, location: String? = nil, name: String? = nil) {
        self.weight = weight
        self.drain = drain
        self.backup = backup
        self.location = location
        self.name = name
    }

    /// The keys a patch may hold, in the order its changes are written into the config file.
    public static let keys: [RealServerConfig.CodingKeys] = [.weight, .drain, .backup, .location, .name]

    /// The server with the patch made.
    public func applied(to real: RealServerConfig) -> RealServerConfig {
        var real = real
        if let weight { real.weight = weight }
        if let drain { real.drain = drain }
        if let backup { real.backup = backup }
        if let location { real.location = location.isEmpty ? nil : location }
        if let name { real.name = name.isEmpty ? nil : name }
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
        if let key = fixed.first { throw RealServerSchemaError.notPatchable(key.stringValue) }
    }

    /// Writes the fields it changes, "" included (it clears a location or name).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: RealServerConfig.CodingKeys.self)
        try container.encodeIfPresent(weight, forKey: .weight)
        try container.encodeIfPresent(drain, forKey: .drain)
        try container.encodeIfPresent(backup?.description, forKey: .backup)
        try container.encodeIfPresent(location, forKey: .location)
        try container.encodeIfPresent(name, forKey: .name)
    }
}
