import MirrorscopeGeo

/// One event loop's picks among a tier's candidates. Each distinct set of candidates (the German
/// mirrors, the European ones, ...) has its own balancer, so weights spread the sessions within
/// each tier as they do over the whole virtual server; a tier holding every candidate uses the
/// virtual server's own balancer (`LoopBalancers`), so clients the tiers cannot place are
/// balanced exactly as without GeoIP.
///
/// A client's answer → tier is remembered (bounded), so a repeat of the same place costs one
/// dictionary lookup after the database lookup, not a pass over the candidates.
struct GeoPicks {
    struct Subset {
        let virtual: Int
        /// Positions in `VirtualTable.candidates`, ascending.
        let positions: [Int]
        let weights: [Int]
        var balancer: Balancer
        let ring: ConsistentHashRing?
    }

    private struct PlaceKey: Hashable {
        let virtual: Int
        let answer: GeoAnswer
    }

    private struct MembersKey: Hashable {
        let virtual: Int
        let positions: [Int]
    }

    /// nil value: the tier holds every candidate (the virtual server's own balancer).
    private var places: [PlaceKey: Int?] = [:]
    private var subsetByMembers: [MembersKey: Int] = [:]
    private(set) var subsets: [Subset] = []
    private var seed: UInt64

    /// Bounds on what is remembered; past them it starts afresh (cheaply rebuilt).
    static let maxPlaces = 4096
    static let maxSubsets = 1024

    init(seed: UInt64) { self.seed = seed }

    /// Forget everything (a new snapshot: candidates, weights or policy may have changed).
    mutating func removeAll() {
        places.removeAll()
        subsetByMembers.removeAll()
        subsets.removeAll()
    }

    /// The subset a client of `answer` picks from, or nil for the whole candidate list.
    mutating func subset(virtual: Int, answer: GeoAnswer, geo: GeoSelection, table: ServerTable) -> Int? {
        let key = PlaceKey(virtual: virtual, answer: answer)
        if let known = places[key] { return known }
        let positions = geo.choose(virtual: virtual, client: answer).positions
        let result = subset(virtual: virtual, positions: positions, table: table)
        if places.count >= Self.maxPlaces { places.removeAll() }
        places[key] = .some(result)
        return result
    }

    /// The subset of exactly these candidates (positions in `VirtualTable.candidates`, ascending),
    /// made on first use; nil when they are every candidate (the virtual server's own balancer).
    /// A GeoIP tier, or the candidates that hold a path, or both. A consistent-hash subset has its
    /// own ring over its members, placed by their ids: a member left out moves only its own clients.
    mutating func subset(virtual: Int, positions: [Int], table: ServerTable) -> Int? {
        let view = table.virtuals[virtual]
        guard positions.count != view.candidates.count else { return nil }
        let members = MembersKey(virtual: virtual, positions: positions)
        if let index = subsetByMembers[members] { return index }
        if subsets.count >= Self.maxSubsets { removeAll() }
        let weights = positions.map { view.candidateWeights[$0] }
        let ring = view.config.policy == .consistentHash
            ? ConsistentHashRing(ids: positions.map { table.reals[view.candidates[$0]].config.id }, weights: weights) : nil
        seed = seed &* 6364136223846793005 &+ 1442695040888963407
        subsets.append(Subset(virtual: virtual, positions: positions, weights: weights,
                              balancer: Balancer(policy: view.config.policy, seed: seed), ring: ring))
        subsetByMembers[members] = subsets.count - 1
        return subsets.count - 1
    }

    /// Picks within subset `index`; returns a real index. `advance` false picks on a copy (what
    /// the next session would get, for `/-/explain`).
    mutating func pick(subset index: Int, table: ServerTable, load: (_ slot: Int) -> Int, clientHash: () -> UInt64,
                       advance: Bool = true) -> Int? {
        let positions = subsets[index].positions
        let view = table.virtuals[subsets[index].virtual]
        let weights = subsets[index].weights, ring = subsets[index].ring
        let loads = { positions.map { load(table.reals[view.candidates[$0]].slot) } }
        let choice: Int?
        if advance {  // in place: no copy of the balancer's state per pick
            choice = subsets[index].balancer.pick(weights: weights, loads: loads, clientHash: clientHash, ring: ring)
        } else {
            var copy = subsets[index].balancer
            choice = copy.pick(weights: weights, loads: loads, clientHash: clientHash, ring: ring)
        }
        return choice.map { view.candidates[positions[$0]] }
    }
}
