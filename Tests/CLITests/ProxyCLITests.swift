import Foundation
import MirrorscopeFarm
import TestSupport
import Testing

/// The CLI behind a proxy, set the way users set one: the environment (curl's variables) or
/// `--proxy`. tinyproxy is started by the test and logs each CONNECT.
@Suite("proxies from the command line")
struct ProxyCLITests {
    static let farm = FarmConfig(mirrors: [
        FarmMirrorSpec(id: "a", name: "Alpha", location: "de", delayMs: 1),
        FarmMirrorSpec(id: "b", name: "Beta", location: "fr", delayMs: 300, tls: true),
    ])

    /// The test's own environment without any proxy variable, plus `extra`.
    static func environment(_ extra: [String: String]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.lowercased().hasSuffix("_proxy") }
        env.merge(extra) { $1 }
        return env
    }

    func mirrorscope(_ arguments: [String], environment: [String: String]) async throws -> ProcessResult {
        try await ProcessRunner.run(try BuiltBinary.path(), arguments, environment: environment, timeout: .seconds(60))
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test(.enabled(if: Peer.missing("tinyproxy") == nil, Comment(rawValue: Peer.missing("tinyproxy") ?? "")))
    func thePageAndEveryProbeGoThroughTheProxyAndThePasswordIsNeverShown() async throws {
        try await Farm.with(Self.farm) { farm in
            let proxy = try await Peer.tinyproxy(basicAuth: (user: "carol", password: "Pa55-word"))
            defer { proxy.stop() }
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ms-proxy-cli-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let ca = folder.appendingPathComponent("ca.pem")
            try farm.caCertificatePEM.write(to: ca, atomically: true, encoding: .utf8)
            let log = folder.appendingPathComponent("client.log")
            let proxyURL = "http://carol:Pa55-word@127.0.0.1:\(proxy.port)"
            let r = try await mirrorscope(["probe", farm.pageURL, "--format", "json", "--samples", "2", "--cacert", ca.path,
                                           "--log-file", log.path],
                                          environment: Self.environment(["http_proxy": proxyURL, "https_proxy": proxyURL]))
            #expect(r.status == 0, "\(r.stderr)")
            let mirrors = try #require(try json(r.stdout)["mirrors"] as? [[String: Any]])
            #expect(mirrors.map { $0["id"] as? String } == ["a", "b"], "ranked by the scripted delays")
            for mirror in mirrors {
                #expect(mirror["ok"] as? Bool == true, "\(mirror)")
                #expect(mirror["proxy"] as? String == "http://carol:***@127.0.0.1:\(proxy.port)")
                #expect(mirror["tunnel_ms"] is Double && mirror["proxy_connect_ms"] is Double)
                #expect(mirror["address"] as? String == "127.0.0.1" && mirror["family"] as? String == "ipv4")
            }
            // The page came through the proxy too, and each of the 4 probes was its own tunnel.
            let originPort = try #require(URLComponents(string: farm.originURL)?.port)
            try await waitUntil("tinyproxy to log the page fetch and 4 tunnels", observed: { proxy.log }) {
                let connects = proxy.log.components(separatedBy: "\n").filter { $0.contains("CONNECT") }
                return connects.contains { $0.contains("127.0.0.1:\(originPort)") }
                    && farm.mirrors.allSatisfy { m in connects.filter { $0.contains("127.0.0.1:\(URLComponents(string: m.url)!.port!)") }.count >= 2 }
            }
            let logged = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            for (name, text) in [("stdout", r.stdout), ("stderr", r.stderr), ("the log file", logged)] {
                #expect(!text.contains("Pa55-word"), "the password appears in \(name)")
            }
        }
    }

    @Test func aDeadProxyIsABadPageExitTwoAndAnEmptyProxyFlagGoesDirect() async throws {
        try await Farm.with(Self.farm) { farm in
            let dead = try Peer.freePortForTests()
            let env = Self.environment(["http_proxy": "http://127.0.0.1:\(dead)", "https_proxy": "http://127.0.0.1:\(dead)"])
            let broken = try await mirrorscope(["probe", farm.pageURL, "--samples", "1"], environment: env)
            #expect(broken.status == 2)
            #expect(broken.stderr.contains("proxy 127.0.0.1:\(dead): refused"), "\(broken.stderr)")
            #expect(farm.requestCount(mirror: "a") == 0, "a broken proxy never turns into a direct connection")

            let direct = try await mirrorscope(["probe", farm.pageURL, "--samples", "1", "--format", "json", "--proxy", ""], environment: env)
            #expect(direct.status == 0, "\(direct.stderr)")
            let mirrors = try #require(try json(direct.stdout)["mirrors"] as? [[String: Any]])
            #expect(mirrors.first?["proxy"] is NSNull)

            // A bypassed host goes direct although the proxy is dead.
            var bypass = env
            bypass["no_proxy"] = "127.0.0.0/8"
            let bypassed = try await mirrorscope(["probe", farm.pageURL, "--samples", "1", "--format", "json"], environment: bypass)
            #expect(bypassed.status == 0, "\(bypassed.stderr)")
        }
    }
}
