/// One event loop's balancers, one per virtual server in the snapshot's order. Each loop picks
/// with its own, so picking never takes a lock (see `Balancer`).
struct LoopBalancers {
    private var balancers: [Balancer]

    init(snapshot: Snapshot, loop: Int) {
        balancers = Self.balancers(for: snapshot, loop: loop)
    }

    private static func balancers(for snapshot: Snapshot, loop: Int) -> [Balancer] {
        snapshot.config.virtualServers.enumerated().map { i, virtual in
            Balancer(policy: virtual.policy, seed: UInt64.random(in: 0...UInt64.max) ^ UInt64(loop << 8 | i))
        }
    }

    /// New balancers when a policy or the set of virtual servers changed; otherwise the same ones
    /// with their round-robin positions forgotten, since the candidates may have changed.
    mutating func install(_ new: Snapshot, replacing old: Snapshot, loop: Int) {
        let policiesChanged = new.config.virtualServers.map(\.policy) != old.config.virtualServers.map(\.policy)
        if policiesChanged || balancers.count != new.table.virtuals.count {
            balancers = Self.balancers(for: new, loop: loop)
        } else {
            for i in balancers.indices { balancers[i].reset() }
        }
    }

    /// Runs the virtual server's policy over its candidates; returns a real index. `load` gives a
    /// real slot's load (read by least-connections only), `clientHash` the client's hash (read by
    /// consistent-hash only).
    mutating func pick(virtual: Int, table: ServerTable, load: (_ slot: Int) -> Int, clientHash: () -> UInt64) -> Int? {
        Self.pick(&balancers[virtual], virtual: virtual, table: table, load: load, clientHash: clientHash)
    }

    /// What `pick` would return now, without moving the balancer (for `/-/explain`).
    func peek(virtual: Int, table: ServerTable, load: (_ slot: Int) -> Int, clientHash: () -> UInt64) -> Int? {
        var copy = balancers[virtual]
        return Self.pick(&copy, virtual: virtual, table: table, load: load, clientHash: clientHash)
    }

    private static func pick(_ balancer: inout Balancer, virtual: Int, table: ServerTable, load: (_ slot: Int) -> Int,
                             clientHash: () -> UInt64) -> Int? {
        let view = table.virtuals[virtual]
        let reals = table.reals
        let choice = balancer.pick(
            weights: view.candidateWeights,
            loads: { view.candidates.map { load(reals[$0].slot) } },
            clientHash: clientHash,
            ring: view.ring)
        return choice.map { view.candidates[$0] }
    }
}
