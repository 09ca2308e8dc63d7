import Foundation
import Logging
import MirrorscopeDirector
import MirrorscopeFarm
import TestSupport

/// Farms and directors for the integration tests: everything on 127.0.0.1, ephemeral ports,
/// health checks (when a test asks for them) every 50 ms so that state changes are seen quickly
/// (waited for, never slept on).
enum Harness {
    static let secret = "test-secret-0123456789abcdef"
    static let adminToken = "admin-token-0123456789abcdef"
    static let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    static func farmConfig(_ ids: [String]) -> FarmConfig {
        let locations = ["de", "fr", "us", "jp", "br", "au"]
        return FarmConfig(mirrors: ids.enumerated().map { i, id in
            FarmMirrorSpec(id: id, name: "Mirror \(id)", location: locations[i % locations.count], delayMs: 0)
        })
    }

    static func reals(_ farm: Farm, weights: [String: Int] = [:], backups: [String: BackupTarget] = [:]) -> [RealServerConfig] {
        farm.mirrors.map { mirror in
            RealServerConfig(id: mirror.spec.id, url: mirror.url, weight: weights[mirror.spec.id] ?? 1,
                             backup: backups[mirror.spec.id] ?? .primary, location: mirror.spec.location)
        }
    }

    /// Health checks only for the tests about health: elsewhere a check that times out on a busy
    /// machine would move sessions the test is watching.
    static func config(_ reals: [RealServerConfig], mode: DirectorMode = .redirect,
                       policy: SelectionPolicyKind = .weightedRoundRobin, health: Bool = false) -> DirectorConfig {
        var config = DirectorConfig(listen: ["127.0.0.1:0"], secret: secret, reals: reals, mode: mode, policy: policy)
        config.adminToken = adminToken
        // A generous timeout: with the whole suite running on 2 cores, a healthy mirror's check can
        // take longer than half a second, and a flapping backup would make failover tests fail.
        config.health = HealthSettings(enabled: health, path: "files/README.txt", interval: .milliseconds(50),
                                       timeout: .seconds(3), rise: 2, fall: 2)
        config.accessLog = .off
        config.threads = 2
        return config
    }

    static func start(_ config: DirectorConfig, configPath: String? = nil, trusting: [String] = []) async throws -> RunningDirector {
        try await Director.start(config: config, configPath: configPath, logger: quiet, upstreamTrustRootsPEM: trusting)
    }

    /// A fresh directory for config files, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("director-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The real server id a redirect went to, told by its Location's base URL.
    static func realID(of location: String?, in farm: Farm) -> String? {
        guard let location else { return nil }
        return farm.mirrors.first { location.hasPrefix($0.url) }?.spec.id
    }

    static func waitForState(_ director: RunningDirector, _ id: String, _ state: RealState) async throws {
        try await waitUntil("\(id) to be \(state)", timeout: .seconds(10),
                            observed: { "\(await director.realServers().map { "\($0.id)=\($0.state)" })" }) {
            await director.realServers().first { $0.id == id }?.state == state
        }
    }
}

extension Harness {
    /// Runs `body` with a farm of these mirrors (see `Farm.with`).
    static func withFarm(_ ids: [String], _ body: (Farm) async throws -> Void) async throws {
        try await Farm.with(farmConfig(ids), body)
    }

    /// Runs `body` with a director, shutting it down however `body` ends. `trusting` adds CA
    /// certificates (PEM) for https real servers.
    static func withDirector(_ config: DirectorConfig, configPath: String? = nil, trusting: [String] = [],
                             _ body: (RunningDirector) async throws -> Void) async throws {
        let director = try await start(config, configPath: configPath, trusting: trusting)
        do {
            try await body(director)
        } catch {
            await director.shutdown(gracePeriod: .seconds(1))
            throw error
        }
        await director.shutdown(gracePeriod: .seconds(1))
    }

    /// A farm with these mirrors and a director in front of them.
    static func run(_ ids: [String], config: (Farm) -> DirectorConfig,
                    _ body: (Farm, RunningDirector) async throws -> Void) async throws {
        try await withFarm(ids) { farm in
            try await withDirector(config(farm)) { director in try await body(farm, director) }
        }
    }
}
