import MirrorscopeGeo

/// The MaxMind DB files of `geoip_db` and `asn_db`, opened (memory-mapped) once per start or
/// reload; a file that cannot be opened is a configuration error.
final class GeoDatabases: Sendable {
    let settings: GeoSettings
    let city: GeoDatabase?
    let asn: GeoDatabase?

    init(settings: GeoSettings) throws(ConfigError) {
        self.settings = settings
        city = try Self.open(settings.geoipDB, key: "geoip_db")
        asn = try Self.open(settings.asnDB, key: "asn_db")
    }

    private static func open(_ path: String?, key: String) throws(ConfigError) -> GeoDatabase? {
        guard let path else { return nil }
        do {
            return try GeoDatabase(path: path)
        } catch {
            throw ConfigError(key: key, "cannot open the MaxMind DB file \(error.description)")
        }
    }

    /// Both files' answers for one address merged; nil when neither has one (a private address).
    func lookup(_ address: IPAddress) -> GeoAnswer? {
        let located = city?.lookup(address)
        let network = asn?.lookup(address)
        guard let answer = located ?? network else { return nil }
        return answer.merged(with: network)
    }
}
