import NIOCore
import Testing
@testable import MirrorscopeDirector

/// The jobs an event loop's state does, each on its own, without sockets.
@Suite struct LoopStateTests {
    static func snapshot(secret: String = "0123456789abcdef", policy: SelectionPolicyKind = .weightedRoundRobin) -> Snapshot {
        let config = DirectorConfig(listen: ["127.0.0.1:0"], secret: secret, reals: [
            RealServerConfig(id: "a", url: "http://a.example/", weight: 2),
            RealServerConfig(id: "b", url: "http://b.example/"),
        ], policy: policy)
        return Snapshot(generation: 1, config: config, table: ServerTable(config: config, isUp: { _ in true }, slots: ["a": 0, "b": 1]),
                        accessLogger: nil)
    }

    @Test func aCookieIsSignedOnceASecondAndItsTokenIsKnownWithoutAnHMAC() throws {
        let snapshot = Self.snapshot()
        var clock = WallClock()
        clock.tick()
        var cache = SessionCache()
        let real = snapshot.table.reals[0]
        let first = cache.cookie(for: real, snapshot: snapshot, clock: clock)
        #expect(cache.cookie(for: real, snapshot: snapshot, clock: clock).value == first.value, "one token per server and second")
        #expect(String(buffer: first.redirectTail).hasPrefix("\r\nSet-Cookie: \(first.value)\r\nDate: "))
        let token = try #require(SessionCookie.value(in: first.value))
        // Another snapshot's signer with another secret: only the cache can still name the server.
        let other = Self.snapshot(secret: "another-secret-0123456789")
        #expect(cache.server(named: token, now: clock.second, snapshot: other) == "a")
        #expect(cache.server(named: token, now: clock.second + snapshot.sessionTTLSeconds, snapshot: snapshot) == nil, "expired")
        cache.removeAll()
        #expect(cache.server(named: token, now: clock.second, snapshot: other) == nil, "forgotten, and not genuine for that secret")
        #expect(cache.server(named: token, now: clock.second, snapshot: snapshot) == "a", "genuine for its own secret")
    }

    @Test func countersAreTakenOnceAndLoadCountsExchangesAndSessions() {
        var counters = LoopCounters(latency: DirectorMetrics(instance: InstanceName(configured: "test", port: 0)).latencyTimer(loop: 0))
        counters.recordServed(slot: 1, proxied: false, startsSession: true, now: 100, ttl: 60)
        counters.recordServed(slot: 1, proxied: true, startsSession: false, now: 100, ttl: 60)
        counters.adjustInFlight(slot: 1, by: 2)
        #expect(counters.load(slot: 1, now: 100, ttl: 60) == 3, "2 in flight + 1 session")
        #expect(counters.load(slot: 0, now: 100, ttl: 60) == 0)
        #expect(counters.load(slot: 1, now: 200, ttl: 60) == 2, "the session has run out")
        let taken = counters.take(now: 100, ttl: 60)
        #expect(taken.perSlot[1]?.redirects == 1 && taken.perSlot[1]?.proxied == 1 && taken.perSlot[1]?.sessionsStarted == 1)
        #expect(taken.perSlot[1]?.liveSessions == 1)
        let again = counters.take(now: 100, ttl: 60)
        #expect(again.perSlot[1]?.redirects == 0 && again.perSlot[1]?.liveSessions == 1, "counts reset, live figures kept")
    }

    @Test func balancersKeepTheirPolicyAndFollowANewOne() {
        let old = Self.snapshot()
        var balancers = LoopBalancers(snapshot: old, loop: 0)
        let picks = (0..<3).compactMap { _ in balancers.pick(virtual: 0, table: old.table, load: { _ in 0 }, clientHash: { 0 }) }
        #expect(picks == [0, 1, 0], "weights 2 and 1, smooth round-robin")
        let leastLoaded = Self.snapshot(policy: .leastConnections)
        balancers.install(leastLoaded, replacing: old, loop: 0)
        #expect(balancers.pick(virtual: 0, table: leastLoaded.table, load: { $0 == 0 ? 5 : 0 }, clientHash: { 0 }) == 1)
    }
}
