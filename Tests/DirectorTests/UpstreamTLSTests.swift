import Foundation
import MirrorscopeDirector
import MirrorscopeFarm
import TestSupport
import Testing

/// Real servers behind a private CA: the director trusts what `upstream_ca` (or the in-process
/// PEM) names, on top of the system's roots, and nothing else.
@Suite struct UpstreamTLSTests {
    static let tlsFarm = FarmConfig(mirrors: [FarmMirrorSpec(id: "secure", name: "Secure", location: "de", delayMs: 0, tls: true)])

    static func proxyConfig(_ farm: Farm) -> DirectorConfig {
        var config = Harness.config(Harness.reals(farm), mode: .proxy)
        config.health.enabled = false
        return config
    }

    @Test func aPrivateCAGivenInProcessIsTrusted() async throws {
        try await Farm.with(Self.tlsFarm) { farm in
            try await Harness.withDirector(Self.proxyConfig(farm), trusting: [farm.caCertificatePEM]) { director in
                let response = try await TestHTTPClient.get(director.url + "/files/README.txt")
                #expect(response.status == 200)
                #expect(response.headers.first(name: "x-farm-mirror") == "secure")
            }
        }
    }

    @Test func aPrivateCAFromTheConfigFileIsTrustedAndWithoutItTheServerIsNot() async throws {
        try await Farm.with(Self.tlsFarm) { farm in
            let folder = try Harness.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: folder) }
            try farm.caCertificatePEM.write(to: folder.appendingPathComponent("ca.pem"), atomically: true, encoding: .utf8)

            let url = farm.mirrors[0].url
            let text = """
                listen = "127.0.0.1:0"
                secret = "\(Harness.secret)"
                mode = "proxy"
                access_log = "off"
                upstream_ca = "ca.pem"
                [health]
                enabled = false
                [[real]]
                id = "secure"
                url = "\(url)"
                """
            let path = folder.appendingPathComponent("director.toml").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let trusting = try ConfigParser.load(path: path)
            #expect(trusting.upstreamCA == folder.appendingPathComponent("ca.pem").path, "relative to the config file")
            try await Harness.withDirector(trusting) { director in
                let response = try await TestHTTPClient.get(director.url + "/files/README.txt")
                #expect(response.status == 200)
            }
            try await Harness.withDirector(Self.proxyConfig(farm)) { director in
                let response = try await TestHTTPClient.get(director.url + "/files/README.txt")
                #expect(response.status == 502, "an unknown CA is not trusted")
            }
        }
    }

    @Test func anUnreadableCAFileIsAConfigError() async throws {
        var config = Harness.config([RealServerConfig(id: "a", url: "https://a.example/")])
        config.upstreamCA = "/nonexistent/ca.pem"
        await #expect(throws: ConfigError.self) { _ = try await Harness.start(config) }
    }
}
