import NIOCore

/// The session tokens one event loop has signed or verified, so that most requests cost no HMAC.
///
/// - Signed: per real server, the `Set-Cookie` of the current second. Tokens are renewed on every
///   answer but signed at most once a second per server and loop.
/// - Verified: a client sends the token of its last answer, and that token is the same for every
///   client of a server during a second, so most requests are answered from here without
///   computing an HMAC. Only genuine tokens enter; expiry is still checked on every hit.
struct SessionCache {
    struct Cookie {
        var second: Int64
        /// The `Set-Cookie` value.
        var value: String
        /// What follows `Location: URL` in a redirect to this server during this second:
        /// `\r\nSet-Cookie: ...\r\nDate: ...\r\nContent-Length: 0\r\n`.
        var redirectTail: ByteBuffer
    }

    /// Per real slot: the cookie made in its second.
    private var cookies: [Cookie?] = []
    private var knownTokens: [Substring: SessionToken] = [:]
    static let knownTokensLimit = 4096

    /// The cookie that hands a session on `real` to the client this second (signed on the second's
    /// first call).
    mutating func cookie(for real: RealEntry, snapshot: Snapshot, clock: WallClock) -> Cookie {
        let now = clock.second
        if real.slot < cookies.count, let cached = cookies[real.slot], cached.second == now { return cached }
        let ttl = snapshot.sessionTTLSeconds
        let content = SessionToken(serverID: real.config.id, expiry: now + ttl)
        let token = snapshot.signer.sign(content)
        remember(token[...], content)
        let value = SessionCookie.setCookieValue(token: token, maxAgeSeconds: ttl)
        let entry = Cookie(second: now, value: value,
                           redirectTail: ByteBuffer(string: "\r\nSet-Cookie: \(value)\r\nDate: \(clock.httpDate)\r\nContent-Length: 0\r\n"))
        if real.slot >= cookies.count { cookies.append(contentsOf: repeatElement(nil, count: real.slot + 1 - cookies.count)) }
        cookies[real.slot] = entry
        return entry
    }

    /// The real server id a session token names, when it is genuine and not expired at `now`.
    mutating func server(named token: Substring, now: Int64, snapshot: Snapshot) -> String? {
        if let known = knownTokens[token] { return known.expiry > now ? known.serverID : nil }
        guard let verified = snapshot.signer.verify(token, now: now) else { return nil }
        // A copy: the key must not keep the request's whole Cookie header alive.
        remember(Substring(String(token)), verified)
        return verified.serverID
    }

    private mutating func remember(_ token: Substring, _ content: SessionToken) {
        if knownTokens.count >= Self.knownTokensLimit { knownTokens.removeAll(keepingCapacity: true) }
        knownTokens[token] = content
    }

    /// Forgets every token (the secret or the session lifetime changed).
    mutating func removeAll() {
        cookies = []
        knownTokens = [:]
    }
}
