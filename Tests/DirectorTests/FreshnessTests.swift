import Foundation
import MirrorscopeDirector
import MirrorscopeFarm
import TestSupport
import Testing

/// Freshness (`freshness_path`, `max_behind`): farm mirrors serve `lastsync` files, one of them a
/// day old; the director reads them with the client's freshness code and keeps new sessions off
/// the stale one, while a session already on it stays.
@Suite struct FreshnessTests {
    static let auth = [("Authorization", "Bearer \(Harness.adminToken)")]

    static func withFarm(_ body: (Farm) async throws -> Void) async throws {
        let specs = [FarmMirrorSpec(id: "a", name: "A", location: "de", delayMs: 0),
                     FarmMirrorSpec(id: "b", name: "B", location: "fr", delayMs: 0, behindSeconds: 600),
                     FarmMirrorSpec(id: "old", name: "Old", location: "us", delayMs: 0, behindSeconds: 86_400)]
        try await Farm.with(FarmConfig(mirrors: specs), body)
    }

    static func config(_ farm: Farm, reference: String? = nil) -> DirectorConfig {
        var config = Harness.config(Harness.reals(farm))
        config.threads = 1
        config.virtualServers[0].freshness = FreshnessWatchSettings(path: "lastsync", reference: reference,
                                                                    maxBehind: .seconds(6 * 3600), interval: .seconds(1))
        return config
    }

    static func reals(_ director: RunningDirector) async throws -> [String: [String: Any]] {
        let response = try await TestHTTPClient.get(director.url + "/-/admin/real", headers: auth)
        let list = try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]] ?? []
        return Dictionary(list.compactMap { entry in (entry["id"] as? String).map { ($0, entry) } }, uniquingKeysWith: { a, _ in a })
    }

    static func waitForStale(_ director: RunningDirector, _ id: String) async throws {
        try await waitUntil("\(id) to be stale", timeout: .seconds(15), observed: { "\((try? await reals(director)) ?? [:])" }) {
            (try await reals(director))[id]?["stale"] as? Bool == true
        }
    }

    @Test func aStaleMirrorTakesNoNewSessionsAndTheAdminListSaysHowFarBehind() async throws {
        try await Self.withFarm { farm in
            try await Harness.withDirector(Self.config(farm)) { director in
                // A session begun on "old" before anything is known (a directed identifier binds it).
                let directed = try await TestHTTPClient.get(director.url + "/~old/files/README.txt")
                let cookie = try #require(directed.sessionCookie)
                try await Self.waitForStale(director, "old")
                let reals = try await Self.reals(director)
                #expect(reals["old"]?["behind_seconds"] as? Int == 86_400, "\(reals)")
                #expect(reals["b"]?["behind_seconds"] as? Int == 600 && reals["b"]?["stale"] as? Bool == false)
                #expect(reals["a"]?["behind_seconds"] as? Int == 0 && reals["a"]?["stale"] as? Bool == false)
                #expect(reals["a"]?["synced_at"] as? Int == Int(farm.syncReference))
                var counts: [String: Int] = [:]
                for _ in 0..<10 {
                    let response = try await TestHTTPClient.get(director.url + "/files/README.txt")
                    counts[Harness.realID(of: response.location, in: farm) ?? "?", default: 0] += 1
                }
                #expect(counts == ["a": 5, "b": 5], "no new session on the stale mirror")
                // The session already there keeps it.
                for _ in 0..<3 {
                    let kept = try await TestHTTPClient.get(director.url + "/files/README.txt", cookie: cookie)
                    #expect(Harness.realID(of: kept.location, in: farm) == "old")
                }
                // /-/explain names it among the exclusions, with the reason.
                let explained = try await TestHTTPClient.get(director.url + "/-/explain?ip=10.1.2.3&path=/files/README.txt", headers: Self.auth)
                let answer = try #require(try JSONSerialization.jsonObject(with: Data(explained.body)) as? [String: Any])
                let excluded = answer["excluded"] as? [[String: Any]] ?? []
                #expect(excluded.contains { $0["id"] as? String == "old"
                    && ($0["reason"] as? String)?.hasPrefix("stale: 86400 s behind") == true }, "\(excluded)")
                #expect((answer["candidates"] as? [[String: Any]] ?? []).allSatisfy { $0["id"] as? String != "old" })
                let page = try await TestHTTPClient.get(director.url + "/-/mirrors")
                #expect(page.text.contains("stale: 1d 0h behind, no new sessions"), "\(page.text)")
                #expect(page.text.contains("10m behind"))
            }
        }
    }

    @Test func theOriginsCopyIsTheReferenceWhenConfigured() async throws {
        try await Self.withFarm { farm in
            // The origin serves its own lastsync at the reference time: "a" is 0 behind, as with
            // the newest-mirror rule, but now because the origin says so.
            try await Harness.withDirector(Self.config(farm, reference: farm.originURL + "lastsync")) { director in
                try await Self.waitForStale(director, "old")
                let reals = try await Self.reals(director)
                #expect(reals["a"]?["behind_seconds"] as? Int == 0 && reals["old"]?["behind_seconds"] as? Int == 86_400)
            }
        }
    }

    @Test func withoutAWatchTheAdminListHasNoFreshnessKeys() async throws {
        try await Self.withFarm { farm in
            try await Harness.withDirector(Harness.config(Harness.reals(farm))) { director in
                let reals = try await Self.reals(director)
                #expect(reals.count == 3 && reals["old"]?["stale"] == nil && reals["old"]?["behind_seconds"] == nil)
            }
        }
    }
}
