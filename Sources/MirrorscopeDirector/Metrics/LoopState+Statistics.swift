import NIOCore

/// Counting on this loop, with its clock and session lifetime.
extension LoopState {
    func recordServed(_ real: RealEntry, proxied: Bool, startsSession: Bool) {
        counters.recordServed(slot: real.slot, proxied: proxied, startsSession: startsSession,
                              now: clock.second, ttl: snapshot.sessionTTLSeconds)
    }

    func adjustInFlight(slot: Int, by delta: Int) { counters.adjustInFlight(slot: slot, by: delta) }

    func recordResponse(status: Int, startedAt: NIODeadline) { counters.recordResponse(status: status, startedAt: startedAt) }

    /// Per real slot: the sessions started within the session lifetime.
    func liveSessions() -> [Int: Int] {
        clock.tick()
        return counters.liveSessions(now: clock.second, ttl: snapshot.sessionTTLSeconds)
    }

    /// The counts since the last call (and resets them), plus the live session figures.
    func takeStatistics() -> LoopStatistics {
        clock.tick()
        return counters.take(now: clock.second, ttl: snapshot.sessionTTLSeconds)
    }
}
