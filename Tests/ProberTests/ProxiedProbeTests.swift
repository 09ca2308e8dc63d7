import Foundation
import MirrorscopeCore
import MirrorscopeFarm
import MirrorscopeNetwork
import MirrorscopeProber
import TestSupport
import Testing

extension ProberAndFarmTests {
    /// Probes through real proxies (tinyproxy for CONNECT, microsocks for SOCKS5) started here, and
    /// dual-stack mirrors measured with Happy Eyeballs.
    @Suite("probes through proxies and over two address families")
    struct ProxiedProbeTests {
        /// Scripted delays 100 ms apart (GUIDE §3b: ranking assertions on a shared 2-core machine
        /// stay 80 ms or more apart; the test run starts 400 tests at once).
        static let mirrors = [spec("d0", delay: 0), spec("d100", delay: 100), spec("d200", delay: 200),
                              spec("d300", delay: 300, tls: true)]

        static func prober(farm: Farm, proxy: String?, environment: [String: String] = [:], family: IPFamily = .any,
                           hosts: [String: [String]] = [:]) throws -> Prober {
            let rules = try ProxyRules.resolve(environment: environment, proxyFlag: proxy, noProxyFlag: nil)
            return Prober(configuration: ProberConfiguration(clientInfo: testClient, additionalTrustRootsPEM: [farm.caCertificatePEM],
                                                             proxies: rules, family: family, hosts: hosts))
        }

        static func expectRankedByDelay(_ reports: [MirrorReport]) throws {
            let byID = Dictionary(uniqueKeysWithValues: reports.map { ($0.mirrorID, $0) })
            let order = Self.mirrors.map(\.id)
            for (i, slower) in order.enumerated() {
                for faster in order[..<i] {
                    let a = try #require(byID[faster]?.ms), b = try #require(byID[slower]?.ms)
                    #expect(a < b, "\(faster) \(a) ms should rank before \(slower) \(b) ms")
                }
            }
        }

        @Test(.enabled(if: Peer.missing("tinyproxy") == nil, Comment(rawValue: Peer.missing("tinyproxy") ?? "")))
        func throughTinyproxyEveryProbeIsAFreshTunnelAndTheRankingHolds() async throws {
            try await Farm.with(FarmConfig(mirrors: Self.mirrors)) { farm in
                let proxy = try await Peer.tinyproxy()
                defer { proxy.stop() }
                // As a user sets it: the environment only.
                let environment = ["http_proxy": "http://127.0.0.1:\(proxy.port)", "https_proxy": "http://127.0.0.1:\(proxy.port)"]
                let prober = try Self.prober(farm: farm, proxy: nil, environment: environment)
                let log = EventLog()
                let reports = await prober.probeRound(mirrors: farm.pageMirrors, settings: settings(samples: 3), onEvent: log.record)
                #expect(reports.count == Self.mirrors.count)
                // Through a proxy the connect figure is the tunnel's: nothing is known before it is up.
                #expect(!log.events.contains { if case .connecting = $0 { true } else { false } })
                for report in reports {
                    #expect(report.failure == nil, "\(report.mirrorID): \(report.failure?.reason ?? "")")
                    let route = try #require(report.route)
                    #expect(route.proxy == "http://127.0.0.1:\(proxy.port)")
                    #expect(route.address == "127.0.0.1" && route.family == "ipv4")
                    #expect(report.proxyConnectMs != nil && report.tunnelMs != nil)
                    #expect(report.connectMs == report.tunnelMs, "through a proxy the connect figure is the tunnel's")
                    let delay = Self.mirrors.first { $0.id == report.mirrorID }!.delayMs
                    #expect(try #require(report.ttfbMs) >= delay - 1)
                }
                #expect(reports.first { $0.mirrorID == "d300" }?.tlsMs != nil, "TLS with the mirror inside the tunnel")
                try Self.expectRankedByDelay(reports)
                // Every sample, the http mirrors' too, was its own CONNECT: no proxy cache answered.
                for mirror in farm.mirrors {
                    #expect(farm.requestCount(mirror: mirror.spec.id) == 3)
                    try await waitUntil("tinyproxy to log 3 tunnels to \(mirror.spec.id)", observed: { proxy.log }) {
                        proxy.log.components(separatedBy: "\n").filter { $0.contains("CONNECT") && $0.contains("127.0.0.1:\(URLParts(mirror.url)!.port!)") }.count >= 3
                    }
                }
            }
        }

        @Test(.enabled(if: Peer.missing("microsocks") == nil, Comment(rawValue: Peer.missing("microsocks") ?? "")))
        func throughMicrosocksWithCredentialsTheRankingHoldsAndThePasswordIsNeverShown() async throws {
            try await Farm.with(FarmConfig(mirrors: Self.mirrors)) { farm in
                let proxy = try await Peer.microsocks(user: "alice", password: "s3cret-pw")
                defer { proxy.stop() }
                let prober = try Self.prober(farm: farm, proxy: "socks5h://alice:s3cret-pw@127.0.0.1:\(proxy.port)")
                let reports = await prober.probeRound(mirrors: farm.pageMirrors, settings: settings(samples: 3), onEvent: { _ in })
                for report in reports {
                    #expect(report.failure == nil, "\(report.mirrorID): \(report.failure?.reason ?? "")")
                    #expect(report.route?.proxy == "socks5h://alice:***@127.0.0.1:\(proxy.port)")
                }
                try Self.expectRankedByDelay(reports)
                let encoded = String(decoding: try JSONEncoder().encode(reports), as: UTF8.self)
                #expect(!encoded.contains("s3cret-pw"))
            }
        }

        @Test func aDeadProxyFailsEveryProbeNamingTheProxyAndNothingGoesDirect() async throws {
            try await Farm.with(FarmConfig(mirrors: Self.mirrors)) { farm in
                let dead = try Peer.freePortForTests()
                let prober = try Self.prober(farm: farm, proxy: "http://bob:pw-777@127.0.0.1:\(dead)")
                let reports = await prober.probeRound(mirrors: farm.pageMirrors, settings: settings(), onEvent: { _ in })
                #expect(reports.count == Self.mirrors.count)
                for report in reports {
                    #expect(report.failure == ProbeFailure(.proxy, "proxy 127.0.0.1:\(dead): refused"), "\(report.mirrorID)")
                    #expect(farm.requestCount(mirror: report.mirrorID) == 0)
                }
            }
        }

        /// A mirror named `dual.test` whose IPv6 address is black-holed and whose IPv4 address
        /// answers: measured over IPv4 after RFC 8305's 250 ms, whichever order the addresses come in.
        @Test(arguments: [["::1", "127.0.0.1"], ["127.0.0.1", "::1"]])
        func aBlackHoledIPv6AddressCostsTheAttemptDelayNotTheTimeout(addresses: [String]) async throws {
            try await Farm.with(FarmConfig(mirrors: [spec("dual", delay: 30)])) { farm in
                let port = try #require(URLParts(farm.mirrors[0].url)?.port)
                let hole = try BlackHole(.ipv6, port: port)
                let mirror = Mirror(id: "dual", url: "http://dual.test:\(hole.port)/pub/", name: "Dual", location: "de", pageOrder: 0)
                let prober = try Self.prober(farm: farm, proxy: "", hosts: ["dual.test": addresses])
                let report = await prober.probeMirror(mirror, settings: settings(timeoutMs: 10_000), onEvent: { _ in })
                #expect(report.failure == nil, "\(report.failure?.reason ?? "")")
                #expect(report.route?.family == "ipv4" && report.route?.address == "127.0.0.1")
                let ms = try #require(report.ms)
                // 250 ms of waiting for IPv6 + 30 ms scripted; far from the 10 s timeout (the upper
                // bound is loose for a loaded machine; succeeding at all before the timeout is the proof).
                #expect(ms >= 250 + 30 - 1 && ms < 5_000, "\(ms) ms")
            }
        }

        @Test func onlyIPv6WhenAskedFailsAMirrorThatHasNoIPv6Address() async throws {
            try await Farm.with(FarmConfig(mirrors: [spec("v4", delay: 0)])) { farm in
                let port = try #require(URLParts(farm.mirrors[0].url)?.port)
                let mirror = Mirror(id: "v4", url: "http://v4only.test:\(port)/pub/", name: "V4", location: "de", pageOrder: 0)
                let v6only = try Self.prober(farm: farm, proxy: "", family: .ipv6, hosts: ["v4only.test": ["127.0.0.1"]])
                let failed = await v6only.probeMirror(mirror, settings: settings(), onEvent: { _ in })
                #expect(failed.failure?.kind == .dns, "\(String(describing: failed.failure))")
                let v4only = try Self.prober(farm: farm, proxy: "", family: .ipv4, hosts: ["v4only.test": ["127.0.0.1"]])
                let measured = await v4only.probeMirror(mirror, settings: settings(), onEvent: { _ in })
                #expect(measured.failure == nil && measured.route?.family == "ipv4")
            }
        }
    }
}
