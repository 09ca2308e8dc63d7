import MirrorscopeGeo

/// The GeoIP side of a snapshot: the opened databases and, per virtual server, its candidates as
/// the tiers see them (built here, once per snapshot, not per request).
final class GeoSelection: Sendable {
    let databases: GeoDatabases
    /// Per virtual server, aligned with `VirtualTable.candidates`.
    let candidates: [[GeoCandidate]]
    private let positionByID: [[String: Int]]

    init(databases: GeoDatabases, table: ServerTable) {
        self.databases = databases
        candidates = table.virtuals.map { view in view.candidates.map { Self.candidate(table.reals[$0].config) } }
        positionByID = candidates.map { list in
            Dictionary(list.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// Where a real server is: its own fields, else what its country implies (`CountryFacts`).
    static func candidate(_ real: RealServerConfig) -> GeoCandidate {
        let country = real.geoCountry
        let facts = country.flatMap(CountryFacts.facts)
        let coordinates = real.latitude.flatMap { lat in real.longitude.map { (lat, $0) } }
            ?? facts.map { ($0.latitude, $0.longitude) }
        return GeoCandidate(id: real.id, country: country, continent: real.continent ?? facts?.continent,
                            latitude: coordinates?.0, longitude: coordinates?.1,
                            asns: Set(real.asns.map { UInt32(truncatingIfNeeded: $0) }),
                            countries: Set(real.countries), excludeCountries: Set(real.excludeCountries))
    }

    /// The tier for a client of virtual server `virtual`, and its candidates as positions in
    /// `VirtualTable.candidates` (ascending).
    func choose(virtual: Int, client: GeoAnswer) -> (choice: GeoChoice, positions: [Int]) {
        let choice = GeoTiers.choose(client: client, among: candidates[virtual])
        let positions = choice.candidates.compactMap { positionByID[virtual][$0] }.sorted()
        return (choice, positions)
    }

    /// As `choose`, over only the candidates at `among` (those that hold the requested path): the
    /// tiers are computed over them, so a client whose country's mirror lacks the file gets the
    /// next tier's holders, not nothing.
    func choose(virtual: Int, client: GeoAnswer, among: [Int]) -> (choice: GeoChoice, positions: [Int]) {
        let list = candidates[virtual]
        let choice = GeoTiers.choose(client: client, among: among.map { list[$0] })
        let positions = choice.candidates.compactMap { positionByID[virtual][$0] }.sorted()
        return (choice, positions)
    }
}
