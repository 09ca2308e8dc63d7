import NIOCore

/// Session tokens on this loop: the cookie each answer carries, and the server a request's token names.
extension LoopState {
    /// For answers that come later than their request (proxied responses), hence the fresh clock.
    func setCookie(for real: RealEntry) -> String {
        clock.tick()
        return sessions.cookie(for: real, snapshot: snapshot, clock: clock).value
    }

    /// For redirects, answered in the turn that read the request (whose start ticked the clock).
    func redirectTail(for real: RealEntry) -> ByteBuffer {
        sessions.cookie(for: real, snapshot: snapshot, clock: clock).redirectTail
    }

    /// The real server id a session token names, when it is genuine and not expired.
    func sessionServer(token: Substring) -> String? {
        sessions.server(named: token, now: clock.second, snapshot: snapshot)
    }
}
