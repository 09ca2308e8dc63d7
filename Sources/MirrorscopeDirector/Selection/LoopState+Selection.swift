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
    /// only when a database is configured or the policy hashes the client.
    func pickNew(virtual: Int, client: () -> SessionClient) -> Int? {
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
        if let geo = snapshot.geo, let address = who().address, let answer = geo.databases.lookup(address),
           let subset = geoPicks.subset(virtual: virtual, answer: answer, geo: geo, table: table) {
            return geoPicks.pick(subset: subset, table: table, load: load, clientHash: hash)
        }
        return balancers.pick(virtual: virtual, table: table, load: load, clientHash: hash)
    }
}
