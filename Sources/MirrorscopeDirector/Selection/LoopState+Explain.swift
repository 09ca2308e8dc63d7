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
    /// that would make it (this loop's; with `threads` above 1 each loop has its own).
    func explain(virtual: Int, address: IPAddress) -> SelectionExplanation {
        let now = clock.second
        let ttl = snapshot.sessionTTLSeconds
        let table = snapshot.table
        let view = table.virtuals[virtual]
        let load = { (slot: Int) in self.counters.load(slot: slot, now: now, ttl: ttl) }
        let hash = { Hashing.fnv1a(address.description.utf8) }
        guard let geo = snapshot.geo, let answer = geo.databases.lookup(address) else {
            return SelectionExplanation(answer: nil, choice: nil, candidates: view.candidates,
                                        next: balancers.peek(virtual: virtual, table: table, load: load, clientHash: hash))
        }
        let (choice, positions) = geo.choose(virtual: virtual, client: answer)
        let next: Int?
        if let subset = geoPicks.subset(virtual: virtual, answer: answer, geo: geo, table: table) {
            next = geoPicks.pick(subset: subset, table: table, load: load, clientHash: hash, advance: false)
        } else {
            next = balancers.peek(virtual: virtual, table: table, load: load, clientHash: hash)
        }
        return SelectionExplanation(answer: answer, choice: choice, candidates: positions.map { view.candidates[$0] }, next: next)
    }
}
