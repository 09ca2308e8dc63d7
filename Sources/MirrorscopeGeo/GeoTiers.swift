import Foundation

/// A real server as the tiers see it: where it is, the networks it serves best, and the
/// countries it may serve.
public struct GeoCandidate: Sendable, Hashable {
    public var id: String
    /// ISO 3166-1 alpha-2, upper case.
    public var country: String?
    public var continent: String?
    public var latitude: Double?
    public var longitude: Double?
    /// Clients in these autonomous systems go here first (a mirror inside an ISP or a university).
    public var asns: Set<UInt32>
    /// When not empty: only clients from these countries are sent here.
    public var countries: Set<String>
    /// Clients from these countries are never sent here.
    public var excludeCountries: Set<String>

    public init(id: String, country: String? = nil, continent: String? = nil, latitude: Double? = nil, longitude: Double? = nil,
                asns: Set<UInt32> = [], countries: Set<String> = [], excludeCountries: Set<String> = []) {
        self.id = id
        self.country = country?.uppercased()
        self.continent = continent?.uppercased()
        self.latitude = latitude
        self.longitude = longitude
        self.asns = asns
        self.countries = Set(countries.map { $0.uppercased() })
        self.excludeCountries = Set(excludeCountries.map { $0.uppercased() })
    }
}

/// Which tier a choice came from, best first.
public enum GeoTier: String, Sendable, Hashable, CaseIterable {
    case asn, country, continent, nearest, anywhere
}

/// The choice for one client: the tier and the candidates in it (the balancer weighs among them),
/// and which candidates the country rules left out, and why (for `/-/explain`).
public struct GeoChoice: Sendable, Hashable {
    public var tier: GeoTier
    public var candidates: [String]
    public var excluded: [String: String]

    public init(tier: GeoTier, candidates: [String], excluded: [String: String]) {
        self.tier = tier
        self.candidates = candidates
        self.excluded = excluded
    }
}

/// Selection in tiers, as mirrorbits and MirrorBrain do it: the client's own network (ASN), its
/// country, its continent, then the nearest by great-circle distance, then anywhere. Within the
/// chosen tier every candidate stays (the balancer weighs them), so that one mirror does not take
/// a whole country. Pure: the caller looks the client up (`GeoDatabase`).
public enum GeoTiers {
    /// Candidates this close to the nearest one (or within this share of its distance) share the
    /// nearest tier: mirrors in one city are equally near for a client far away.
    public static let nearSlackKm = 100.0
    public static let nearSlackShare = 0.1

    public static func choose(client: GeoAnswer?, among candidates: [GeoCandidate]) -> GeoChoice {
        var excluded: [String: String] = [:]
        let country = client?.country
        let allowed = candidates.filter { candidate in
            if let country, candidate.excludeCountries.contains(country) {
                excluded[candidate.id] = "excludes \(country)"
                return false
            }
            if !candidate.countries.isEmpty {
                guard let country, candidate.countries.contains(country) else {
                    excluded[candidate.id] = "serves only \(candidate.countries.sorted().joined(separator: ", "))"
                    return false
                }
            }
            return true
        }
        func choice(_ tier: GeoTier, _ chosen: [GeoCandidate]) -> GeoChoice {
            GeoChoice(tier: tier, candidates: chosen.map(\.id), excluded: excluded)
        }
        guard let client else { return choice(.anywhere, allowed) }
        if let asn = client.asn {
            let same = allowed.filter { $0.asns.contains(asn) }
            if !same.isEmpty { return choice(.asn, same) }
        }
        if let country {
            let same = allowed.filter { $0.country == country }
            if !same.isEmpty { return choice(.country, same) }
        }
        if let continent = client.continent {
            let same = allowed.filter { $0.continent == continent }
            if !same.isEmpty { return choice(.continent, same) }
        }
        if let lat = client.latitude, let lon = client.longitude {
            let distances = allowed.compactMap { candidate -> (GeoCandidate, Double)? in
                guard let clat = candidate.latitude, let clon = candidate.longitude else { return nil }
                return (candidate, distanceKm(lat, lon, clat, clon))
            }
            if let nearest = distances.map(\.1).min() {
                let limit = max(nearest + nearSlackKm, nearest * (1 + nearSlackShare))
                return choice(.nearest, distances.filter { $0.1 <= limit }.map(\.0))
            }
        }
        return choice(.anywhere, allowed)
    }

    /// Great-circle distance (haversine, mean Earth radius).
    public static func distanceKm(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        let radians = Double.pi / 180
        let dLat = (lat2 - lat1) * radians, dLon = (lon2 - lon1) * radians
        let a = sin(dLat / 2) * sin(dLat / 2) + cos(lat1 * radians) * cos(lat2 * radians) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * 6371.0 * asin(min(1, sqrt(a)))
    }
}
