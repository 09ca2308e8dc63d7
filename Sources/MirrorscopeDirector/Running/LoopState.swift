import CoreMetrics
import NIOCore

/// What one event loop owns: its copy of the current snapshot, its balancers, its counters and its
/// connections. Only code running on that loop touches it, so the request path needs no lock and
/// no atomic; the controller and the metrics scrape reach it by hopping onto the loop.
final class LoopState {
    let eventLoop: any EventLoop
    let index: Int
    private(set) var snapshot: Snapshot
    /// One per virtual server, in the snapshot's order.
    private(set) var balancers: [Balancer]
    /// Per real slot: statistics since the last scrape, plus live figures.
    private(set) var stats: [RealStats] = []
    /// Responses by status code since the last scrape.
    private(set) var responseCounts: [Int: Int] = [:]
    var clock = WallClock()
    /// Open connections, for graceful shutdown.
    var connections: [ObjectIdentifier: any Channel] = [:]
    let latency: CoreMetrics.Timer
    /// Per real slot: the session cookie made this second. Tokens are renewed on every answer but
    /// signed at most once a second per server and loop.
    private var cookies: [CookieEntry?] = []
    /// Per real slot and listener kind: `Location: BASE-URL` as bytes, the fixed part of a redirect.
    private var locationPrefixes: [Int: ByteBuffer] = [:]
    /// Tokens this loop signed or verified. A client sends the token of its last answer, and that
    /// token is the same for every client of a server during a second, so most requests are
    /// answered from here without computing an HMAC. Only genuine tokens enter; expiry is still
    /// checked on every hit.
    private var knownTokens: [Substring: SessionToken] = [:]
    static let knownTokensLimit = 4096

    init(eventLoop: any EventLoop, index: Int, snapshot: Snapshot, latency: CoreMetrics.Timer) {
        self.eventLoop = eventLoop
        self.index = index
        self.snapshot = snapshot
        self.latency = latency
        balancers = Self.balancers(for: snapshot, loop: index)
    }

    /// Takes a newer snapshot (pushes from concurrent changes may arrive out of order).
    func install(_ new: Snapshot) {
        guard new.generation > snapshot.generation else { return }
        let policiesChanged = new.config.virtualServers.map(\.policy) != snapshot.config.virtualServers.map(\.policy)
        let secretChanged = new.config.secret != snapshot.config.secret || new.sessionTTLSeconds != snapshot.sessionTTLSeconds
        snapshot = new
        locationPrefixes = [:]
        if policiesChanged || balancers.count != new.table.virtuals.count {
            balancers = Self.balancers(for: new, loop: index)
        } else {
            for i in balancers.indices { balancers[i].reset() }
        }
        if secretChanged {
            cookies = []
            knownTokens = [:]
        }
    }

    private static func balancers(for snapshot: Snapshot, loop: Int) -> [Balancer] {
        snapshot.config.virtualServers.enumerated().map { i, virtual in
            Balancer(policy: virtual.policy, seed: UInt64.random(in: 0...UInt64.max) ^ UInt64(loop << 8 | i))
        }
    }

    /// Runs the virtual server's policy over its candidates; returns a real index.
    func pickNew(virtual: Int, clientAddress: () -> String) -> Int? {
        let view = snapshot.table.virtuals[virtual]
        let reals = snapshot.table.reals
        let now = clock.second
        let ttl = snapshot.sessionTTLSeconds
        let choice = balancers[virtual].pick(
            weights: view.candidateWeights,
            loads: { view.candidates.map { load(slot: reals[$0].slot, now: now, ttl: ttl) } },
            clientHash: { Hashing.fnv1a(clientAddress().utf8) },
            ring: view.ring)
        return choice.map { view.candidates[$0] }
    }

    /// least-connections' load: open proxied exchanges, plus the sessions started within the
    /// session lifetime (a redirect holds no connection, so the sessions it handed out are its load).
    private func load(slot: Int, now: Int64, ttl: Int64) -> Int {
        guard slot < stats.count else { return 0 }
        return stats[slot].inFlight + stats[slot].window.total(now: now, ttl: ttl)
    }

    private struct CookieEntry {
        var second: Int64
        /// The `Set-Cookie` value.
        var value: String
        /// What follows `Location: URL` in a redirect to this server during this second:
        /// `\r\nSet-Cookie: ...\r\nDate: ...\r\nContent-Length: 0\r\n`.
        var redirectTail: ByteBuffer
    }

    /// For answers that come later than their request (proxied responses), hence the fresh clock.
    func setCookie(for real: RealEntry) -> String {
        clock.tick()
        return cookieEntry(for: real).value
    }

    /// For redirects, answered in the turn that read the request (whose start ticked the clock).
    func redirectTail(for real: RealEntry) -> ByteBuffer { cookieEntry(for: real).redirectTail }

    private func cookieEntry(for real: RealEntry) -> CookieEntry {
        let now = clock.second
        if real.slot < cookies.count, let cached = cookies[real.slot], cached.second == now { return cached }
        let ttl = snapshot.sessionTTLSeconds
        let content = SessionToken(serverID: real.config.id, expiry: now + ttl)
        let token = snapshot.signer.sign(content)
        remember(token[...], content)
        let value = SessionCookie.setCookieValue(token: token, maxAgeSeconds: ttl)
        let entry = CookieEntry(second: now, value: value,
                                redirectTail: ByteBuffer(string: "\r\nSet-Cookie: \(value)\r\nDate: \(clock.httpDate)\r\nContent-Length: 0\r\n"))
        if real.slot >= cookies.count { cookies.append(contentsOf: repeatElement(nil, count: real.slot + 1 - cookies.count)) }
        cookies[real.slot] = entry
        return entry
    }

    /// `Location: ` and the real server's base URL for this kind of listener.
    func locationPrefix(for real: RealEntry, tls: Bool) -> ByteBuffer {
        let key = real.slot << 1 | (tls ? 1 : 0)
        if let cached = locationPrefixes[key] { return cached }
        let prefix = ByteBuffer(string: "Location: " + real.config.baseURL(tls: tls))
        locationPrefixes[key] = prefix
        return prefix
    }

    /// The real server id a session token names, when it is genuine and not expired.
    func sessionServer(token: Substring) -> String? {
        let now = clock.second
        if let known = knownTokens[token] { return known.expiry > now ? known.serverID : nil }
        guard let verified = snapshot.signer.verify(token, now: now) else { return nil }
        // A copy: the key must not keep the request's whole Cookie header alive.
        remember(Substring(String(token)), verified)
        return verified.serverID
    }

    private func remember(_ token: Substring, _ content: SessionToken) {
        if knownTokens.count >= Self.knownTokensLimit { knownTokens.removeAll(keepingCapacity: true) }
        knownTokens[token] = content
    }

    // MARK: statistics

    func recordServed(_ real: RealEntry, proxied: Bool, startsSession: Bool) {
        let slot = real.slot
        if slot >= stats.count { stats.append(contentsOf: repeatElement(RealStats(), count: slot + 1 - stats.count)) }
        if proxied { stats[slot].proxied += 1 } else { stats[slot].redirects += 1 }
        if startsSession {
            stats[slot].sessionsStarted += 1
            stats[slot].window.add(now: clock.second, ttl: snapshot.sessionTTLSeconds)
        }
    }

    func adjustInFlight(slot: Int, by delta: Int) {
        if slot >= stats.count { stats.append(contentsOf: repeatElement(RealStats(), count: slot + 1 - stats.count)) }
        stats[slot].inFlight += delta
    }

    func recordResponse(status: Int, startedAt: NIODeadline) {
        responseCounts[status, default: 0] += 1
        latency.recordNanoseconds((NIODeadline.now() - startedAt).nanoseconds)
    }

    /// Per real slot: the sessions started within the session lifetime.
    func liveSessions() -> [Int: Int] {
        clock.tick()
        var result: [Int: Int] = [:]
        for slot in stats.indices { result[slot] = stats[slot].window.total(now: clock.second, ttl: snapshot.sessionTTLSeconds) }
        return result
    }

    /// The counts since the last call (and resets them), plus the live session figures.
    func takeStatistics() -> LoopStatistics {
        clock.tick()
        var perSlot: [Int: RealStats.Delta] = [:]
        for slot in stats.indices {
            perSlot[slot] = .init(redirects: stats[slot].redirects, proxied: stats[slot].proxied,
                                  sessionsStarted: stats[slot].sessionsStarted,
                                  liveSessions: stats[slot].window.total(now: clock.second, ttl: snapshot.sessionTTLSeconds))
            stats[slot].redirects = 0
            stats[slot].proxied = 0
            stats[slot].sessionsStarted = 0
        }
        defer { responseCounts = [:] }
        return LoopStatistics(perSlot: perSlot, responses: responseCounts)
    }
}

struct RealStats {
    var redirects = 0
    var proxied = 0
    var sessionsStarted = 0
    var inFlight = 0
    var window = SessionWindow()

    struct Delta: Sendable {
        var redirects: Int
        var proxied: Int
        var sessionsStarted: Int
        var liveSessions: Int
    }
}

struct LoopStatistics: Sendable {
    var perSlot: [Int: RealStats.Delta]
    var responses: [Int: Int]
}

/// Sessions started during the last session lifetime, in ten buckets of a tenth of it each. The
/// director keeps no per-session state (the token is the state), so this is how it tells how many
/// sessions a real server holds: an estimate that counts a session from its start.
struct SessionWindow: Sendable {
    static let buckets = 10
    private var counts = [Int](repeating: 0, count: SessionWindow.buckets)
    private var epochs = [Int64](repeating: -1, count: SessionWindow.buckets)

    mutating func add(now: Int64, ttl: Int64) {
        let epoch = now / Self.width(ttl)
        let i = Int(epoch % Int64(Self.buckets))
        if epochs[i] != epoch {
            epochs[i] = epoch
            counts[i] = 0
        }
        counts[i] += 1
    }

    func total(now: Int64, ttl: Int64) -> Int {
        let epoch = now / Self.width(ttl)
        var sum = 0
        for i in 0..<Self.buckets where epochs[i] > epoch - Int64(Self.buckets) { sum += counts[i] }
        return sum
    }

    private static func width(_ ttl: Int64) -> Int64 { max(1, ttl / Int64(buckets)) }
}
