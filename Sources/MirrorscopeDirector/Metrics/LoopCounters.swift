import CoreMetrics
import NIOCore

/// What one event loop counts, in plain integers (only its loop touches them): per real slot the
/// redirects, proxied requests and sessions started since the last scrape of `/-/metrics`, the
/// responses by status, and the live figures least-connections reads (exchanges in flight,
/// sessions within their lifetime). Only the latency histogram is recorded per request, into the
/// loop's own series (see `DirectorMetrics`).
struct LoopCounters {
    /// Per real slot.
    private var stats: [RealStats] = []
    /// Responses by status code since the last scrape.
    private var responseCounts: [Int: Int] = [:]
    /// nil until the director has bound its listeners (the series carries the instance's name,
    /// which may be the bound port); nothing can reach the loop before that.
    var latency: CoreMetrics.Timer?

    init(latency: CoreMetrics.Timer?) { self.latency = latency }

    private mutating func grow(to slot: Int) {
        if slot >= stats.count { stats.append(contentsOf: repeatElement(RealStats(), count: slot + 1 - stats.count)) }
    }

    mutating func recordServed(slot: Int, proxied: Bool, startsSession: Bool, now: Int64, ttl: Int64) {
        grow(to: slot)
        if proxied { stats[slot].proxied += 1 } else { stats[slot].redirects += 1 }
        if startsSession {
            stats[slot].sessionsStarted += 1
            stats[slot].window.add(now: now, ttl: ttl)
        }
    }

    mutating func adjustInFlight(slot: Int, by delta: Int) {
        grow(to: slot)
        stats[slot].inFlight += delta
    }

    mutating func recordResponse(status: Int, startedAt: NIODeadline) {
        responseCounts[status, default: 0] += 1
        latency?.recordNanoseconds((NIODeadline.now() - startedAt).nanoseconds)
    }

    /// least-connections' load: open proxied exchanges, plus the sessions started within the
    /// session lifetime (a redirect holds no connection, so the sessions it handed out are its load).
    func load(slot: Int, now: Int64, ttl: Int64) -> Int {
        guard slot < stats.count else { return 0 }
        return stats[slot].inFlight + stats[slot].window.total(now: now, ttl: ttl)
    }

    /// Per real slot: the sessions started within the session lifetime.
    func liveSessions(now: Int64, ttl: Int64) -> [Int: Int] {
        var result: [Int: Int] = [:]
        for slot in stats.indices { result[slot] = stats[slot].window.total(now: now, ttl: ttl) }
        return result
    }

    /// The counts since the last call (and resets them), plus the live session figures.
    mutating func take(now: Int64, ttl: Int64) -> LoopStatistics {
        var perSlot: [Int: RealStats.Delta] = [:]
        for slot in stats.indices {
            perSlot[slot] = .init(redirects: stats[slot].redirects, proxied: stats[slot].proxied,
                                  sessionsStarted: stats[slot].sessionsStarted,
                                  liveSessions: stats[slot].window.total(now: now, ttl: ttl))
            stats[slot].redirects = 0
            stats[slot].proxied = 0
            stats[slot].sessionsStarted = 0
        }
        defer { responseCounts = [:] }
        return LoopStatistics(perSlot: perSlot, responses: responseCounts)
    }
}

/// One real server's counts on one loop.
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

/// What a scrape collects from one loop.
struct LoopStatistics: Sendable {
    var perSlot: [Int: RealStats.Delta]
    var responses: [Int: Int]
}
