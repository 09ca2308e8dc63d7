import MirrorscopeGeo

/// Where clients are: the MaxMind DB files the director looks them up in, and the proxies whose
/// `X-Forwarded-For`/`Forwarded` it believes (top-level keys `geoip_db`, `asn_db`,
/// `trusted_proxies`; docs/director.md, "Choosing by where the client is").
public struct GeoSettings: Sendable, Hashable {
    /// A GeoLite2/GeoIP2 City or Country file: country, continent, coordinates.
    public var geoipDB: String?
    /// A GeoLite2/GeoIP2 ASN file: the client's autonomous system.
    public var asnDB: String?
    /// Peers inside these networks are proxies: the client is the right-most address they
    /// forwarded that is not itself a trusted proxy.
    public var trustedProxies: [IPNetwork]

    public init(geoipDB: String? = nil, asnDB: String? = nil, trustedProxies: [IPNetwork] = []) {
        self.geoipDB = geoipDB
        self.asnDB = asnDB
        self.trustedProxies = trustedProxies
    }

    /// Any database configured: new sessions are chosen by tiers.
    public var isOn: Bool { geoipDB != nil || asnDB != nil }
}
