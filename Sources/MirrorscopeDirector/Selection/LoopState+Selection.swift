import MirrorscopeGeo

/// Who a new session is chosen for: the client's address (the socket's peer, or whom a trusted
/// proxy forwarded, see `ClientAddress`) as text for hashing and parsed for GeoIP.
struct SessionClient {
    var text: String
    var address: IPAddress?
}

/// Picking a real server for a new session, with this loop's balancers and counters.
extension LoopState {
    /// Runs the virtual server's policy over its candidates, within the client's GeoIP tier when
    /// a database places the client; returns a real index. `client` is read at most once, and
    /// only when a database is configured or the policy hashes the client. With `holdings` (file
    /// checks on), only the candidates not known to lack the path are chosen from: the tiers are
    /// computed over them, and the balancer weighs within the result as it does otherwise.
    func pickNew(virtual: Int, holdings: PathHoldings? = nil, client: () -> SessionClient) -> Int? {
        let now = clock.second
        let ttl = snapshot.sessionTTLSeconds
        let table = snapshot.table
        var known: SessionClient?
        func who() -> SessionClient {
            if let known { return known }
            let resolved = client()
            known = resolved
            return resolved
        }
        let load = { (slot: Int) in self.counters.load(slot: slot, now: now, ttl: ttl) }
        let hash = { Hashing.fnv1a(who().text.utf8) }
        let view = table.virtuals[virtual]
        if let holdings, view.candidates.contains(where: { !holdings.usable($0) }) {
            var positions = view.candidates.indices.filter { holdings.usable(view.candidates[$0]) }
            guard !positions.isEmpty else { return nil }
            if let geo = snapshot.geo, let address = who().address, let answer = geo.databases.lookup(address) {
                positions = geo.choose(virtual: virtual, client: answer, among: positions).positions
            }
            guard let subset = geoPicks.subset(virtual: virtual, positions: positions, table: table) else {
                return balancers.pick(virtual: virtual, table: table, load: load, clientHash: hash)
            }
            return geoPicks.pick(subset: subset, table: table, load: load, clientHash: hash)
        }
        if let geo = snapshot.geo, let address = who().address, let answer = geo.databases.lookup(address),
           let subset = geoPicks.subset(virtual: virtual, answer: answer, geo: geo, table: table) {
            return geoPicks.pick(subset: subset, table: table, load: load, clientHash: hash)
        }
        return balancers.pick(virtual: virtual, table: table, load: load, clientHash: hash)
    }
}
