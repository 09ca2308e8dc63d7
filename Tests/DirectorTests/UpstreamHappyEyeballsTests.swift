import MirrorscopeCore
import MirrorscopeDirector
import MirrorscopeFarm
import TestSupport
import Testing

/// The director's own connections to real servers (health checks, proxy mode) connect as the
/// client does: Happy Eyeballs, so a real server whose IPv6 path is black-holed is up and served
/// over IPv4 instead of timing out.
@Suite struct UpstreamHappyEyeballsTests {
    @Test func aRealServerWithABlackHoledIPv6AddressIsCheckedAndProxiedOverIPv4() async throws {
        try await Harness.withFarm(["m0"]) { farm in
            let port = try #require(URLParts(farm.mirrors[0].url)?.port)
            let hole = try BlackHole(.ipv6, port: port)
            var config = Harness.config([RealServerConfig(id: "dual", url: "http://dual.test:\(hole.port)/pub/")], mode: .proxy, health: true)
            config.health.timeout = .seconds(3)
            let director = try await Director.start(config: config, logger: Harness.quiet,
                                                    upstreamHosts: ["dual.test": ["::1", "127.0.0.1"]])
            do {
                // Checks every 50 ms with rise 2: up only if each check got through within its 3 s.
                try await Harness.waitForState(director, "dual", .up)
                let clock = ContinuousClock()
                let started = clock.now
                let answer = try await TestHTTPClient.get(director.url + "/files/README.txt")
                let took = clock.now - started
                #expect(answer.status == 200)
                #expect(answer.headers.first(name: "x-farm-mirror") == "m0")
                // 250 ms of RFC 8305's attempt delay, far from the 5 s upstream connect timeout that
                // trying ::1 first and alone would cost (loose bound for a loaded machine).
                #expect(took >= .milliseconds(240) && took < .seconds(4), "\(took)")
            } catch {
                await director.shutdown(gracePeriod: .seconds(1))
                throw error
            }
            await director.shutdown(gracePeriod: .seconds(1))
        }
    }
}
