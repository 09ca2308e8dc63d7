/// Picking a real server for a new session, with this loop's balancers and counters.
extension LoopState {
    /// Runs the virtual server's policy over its candidates; returns a real index.
    func pickNew(virtual: Int, clientAddress: () -> String) -> Int? {
        let now = clock.second
        let ttl = snapshot.sessionTTLSeconds
        return balancers.pick(virtual: virtual, table: snapshot.table,
                              load: { slot in counters.load(slot: slot, now: now, ttl: ttl) },
                              clientHash: { Hashing.fnv1a(clientAddress().utf8) })
    }
}
