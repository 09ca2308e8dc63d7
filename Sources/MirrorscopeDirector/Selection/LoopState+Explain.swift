import MirrorscopeGeo

/// What a new session from one address would get on this loop now, and why (`/-/explain`).
struct SelectionExplanation {
    var answer: GeoAnswer?
    /// nil when no tier applies (no database, or no answer for the address).
    var choice: GeoChoice?
    /// Real indexes of the candidates chosen from (the tier's, or every candidate).
    var candidates: [Int]
    /// The real index the balancer would pick next; nil when no server can take sessions.
    var next: Int?
}

extension LoopState {
    /// As `pickNew`, but the balancers do not move: the pick is made on a copy of the balancer
    /// that would make it (this loop's; with `threads` above 1 each loop has its own). With
    /// `holdings`, the tiers are computed over the candidates not known to lack the path, as
    /// `pickNew` computes them.
    func explain(virtual: Int, address: IPAddress, holdings: PathHoldings? = nil) -> SelectionExplanation {
        let now = clock.second
        let ttl = snapshot.sessionTTLSeconds
        let table = snapshot.table
        let view = table.virtuals[virtual]
        let load = { (slot: Int) in self.counters.load(slot: slot, now: now, ttl: ttl) }
        let hash = { Hashing.fnv1a(address.description.utf8) }
        var positions = Array(view.candidates.indices)
        if let holdings { positions = positions.filter { holdings.usable(view.candidates[$0]) } }
        let filtered = positions.count != view.candidates.count
        let answer = snapshot.geo?.databases.lookup(address)
        var choice: GeoChoice?
        if let geo = snapshot.geo, let answer {
            let chosen = filtered ? geo.choose(virtual: virtual, client: answer, among: positions)
                : geo.choose(virtual: virtual, client: answer)
            choice = chosen.choice
            positions = chosen.positions
        }
        var next: Int?
        if !positions.isEmpty {
            if let subset = geoPicks.subset(virtual: virtual, positions: positions, table: table) {
                next = geoPicks.pick(subset: subset, table: table, load: load, clientHash: hash, advance: false)
            } else {
                next = balancers.peek(virtual: virtual, table: table, load: load, clientHash: hash)
            }
        }
        return SelectionExplanation(answer: answer, choice: choice, candidates: positions.map { view.candidates[$0] }, next: next)
    }
}
