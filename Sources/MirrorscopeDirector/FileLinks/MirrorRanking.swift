import MirrorscopeGeo

/// The order in which one client should try a virtual server's mirrors, with priorities (1 is
/// best; mirrors a client should treat alike share one): what a file's Metalink lists and a
/// redirect's `Link: rel=duplicate` headers name.
///
/// With a GeoIP answer for the client, the priorities are its tiers, best first: the tier the
/// client's sessions come from (`GeoTiers.choose`), then the tier chosen among the mirrors left,
/// and so on (same ASN, country, continent, nearest, anywhere). Mirrors whose country rules
/// exclude the client are left out. Without an answer, the priorities follow the weights, as the
/// mirror page's do. Within a priority, heavier weights first, then the table's order.
struct RankedMirror: Equatable {
    /// Index in `ServerTable.reals`.
    var real: Int
    var priority: Int
}

enum MirrorRanking {
    static func rank(table: ServerTable, virtual: Int, geo: GeoSelection?, client: GeoAnswer?,
                     usable: (Int) -> Bool = { _ in true }) -> [RankedMirror] {
        let view = table.virtuals[virtual]
        var remaining = view.candidates.indices.filter { usable(view.candidates[$0]) }
        let weight = { (position: Int) in view.candidateWeights[position] }
        var ranked: [RankedMirror] = []
        guard let geo, let client else {
            let weights = Array(Set(remaining.map(weight))).sorted(by: >)
            for position in remaining.sorted(by: { weight($0) > weight($1) }) {
                ranked.append(RankedMirror(real: view.candidates[position], priority: (weights.firstIndex(of: weight(position)) ?? 0) + 1))
            }
            return ranked
        }
        var priority = 1
        while !remaining.isEmpty {
            let tier = geo.choose(virtual: virtual, client: client, among: remaining).positions
            guard !tier.isEmpty else { break }  // the rest excludes this client
            for position in tier.sorted(by: { weight($0) > weight($1) }) {
                ranked.append(RankedMirror(real: view.candidates[position], priority: priority))
            }
            let taken = Set(tier)
            remaining.removeAll { taken.contains($0) }
            priority += 1
        }
        return ranked
    }
}
