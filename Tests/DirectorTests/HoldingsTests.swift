import Foundation
import MirrorscopeCore
import MirrorscopeDirector
import MirrorscopeFarm
import MirrorscopeGeo
import TestSupport
import Testing

/// File checks (`check_files`): a real director in front of farm mirrors on 127.0.0.1 that lack
/// some files (they answer 404 for them), counting the director's HEADs on the farm's ledger.
@Suite struct HoldingsTests {
    static let tarball = "files/mirrorscope-demo-1.0.tar.gz"
    static let readme = "files/README.txt"

    /// Mirrors `ids`, each lacking the paths `missing` gives it; every mirror answers after `delayMs`.
    static func withFarm(_ ids: [String], missing: [String: [String]] = [:], delayMs: Double = 0,
                         _ body: (Farm) async throws -> Void) async throws {
        let specs = ids.map { id in
            FarmMirrorSpec(id: id, name: "Mirror \(id)", location: "de", delayMs: delayMs, missing: missing[id])
        }
        try await Farm.with(FarmConfig(mirrors: specs), body)
    }

    static func config(_ farm: Farm, threads: Int = 2, ttlAbsent: Duration = .seconds(60),
                       configure: (inout DirectorConfig) -> Void = { _ in }) -> DirectorConfig {
        var config = Harness.config(Harness.reals(farm))
        config.threads = threads
        config.virtualServers[0].fileChecks = FileCheckSettings(enabled: true, timeout: .seconds(3), ttlAbsent: ttlAbsent)
        configure(&config)
        return config
    }

    static func heads(_ farm: Farm, _ id: String, _ path: String) -> Int {
        farm.requestCount(mirror: id, method: "HEAD", path: "/pub/" + path)
    }

    @Test func aPathThatOnlyOneMirrorHoldsGoesThere() async throws {
        try await Self.withFarm(["a", "b", "c"], missing: ["a": [Self.tarball], "c": [Self.tarball]]) { farm in
            try await Harness.withDirector(Self.config(farm)) { director in
                for _ in 0..<6 {
                    let response = try await TestHTTPClient.get(director.url + "/" + Self.tarball)
                    #expect(response.status == 302)
                    #expect(Harness.realID(of: response.location, in: farm) == "b", "went to \(response.location ?? "-")")
                }
                // The redirect leads to a file that is there.
                let served = try await TestHTTPClient.get(farm.url(ofMirror: "b")! + Self.tarball)
                #expect(served.status == 200)
                // A path every mirror holds is still spread over all three.
                var seen: Set<String> = []
                for _ in 0..<9 {
                    let response = try await TestHTTPClient.get(director.url + "/" + Self.readme)
                    seen.insert(Harness.realID(of: response.location, in: farm) ?? "?")
                }
                #expect(seen == ["a", "b", "c"])
                // Each mirror was asked once per path, however many requests came.
                for id in ["a", "b", "c"] {
                    #expect(Self.heads(farm, id, Self.tarball) == 1, "\(id)")
                    #expect(Self.heads(farm, id, Self.readme) == 1, "\(id)")
                }
            }
        }
    }

    @Test func aPathNoMirrorHoldsIsA404NotARedirect() async throws {
        try await Self.withFarm(["a", "b"]) { farm in
            try await Harness.withDirector(Self.config(farm)) { director in
                for _ in 0..<2 {  // the second from the cache
                    let response = try await TestHTTPClient.get(director.url + "/files/nothing-1.0.iso?x=1")
                    #expect(response.status == 404)
                    #expect(response.location == nil)
                    #expect(response.text.contains("no mirror holds /files/nothing-1.0.iso"), "\(response.text)")
                }
                #expect(Self.heads(farm, "a", "files/nothing-1.0.iso") == 1)
                #expect(Self.heads(farm, "b", "files/nothing-1.0.iso") == 1)
            }
        }
    }

    @Test func aBurstForANewPathMakesOneCheckPerMirror() async throws {
        // The mirrors answer after 300 ms, so every request of the burst arrives while the checks run.
        try await Self.withFarm(["a", "b", "c"], missing: ["c": [Self.tarball]], delayMs: 300) { farm in
            try await Harness.withDirector(Self.config(farm)) { director in
                let statuses = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                    for _ in 0..<24 {
                        group.addTask {
                            let response = try await TestHTTPClient.get(director.url + "/" + Self.tarball)
                            return (response.status, Harness.realID(of: response.location, in: farm))
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(statuses.count == 24)
                #expect(statuses.allSatisfy { $0.0 == 302 && ($0.1 == "a" || $0.1 == "b") }, "\(statuses)")
                for id in ["a", "b", "c"] {
                    #expect(Self.heads(farm, id, Self.tarball) == 1, "\(id) was asked \(Self.heads(farm, id, Self.tarball)) times")
                }
            }
        }
    }

    @Test func aCachedAbsentIsCheckedAgainAfterItsTTL() async throws {
        let ttl: Duration = .seconds(2)
        try await Self.withFarm(["a", "b"], missing: ["b": [Self.tarball]]) { farm in
            try await Harness.withDirector(Self.config(farm, ttlAbsent: ttl)) { director in
                let start = ContinuousClock.now  // b's answer is remembered from after this
                let first = try await TestHTTPClient.get(director.url + "/" + Self.tarball)
                #expect(Harness.realID(of: first.location, in: farm) == "a")
                let second = try await TestHTTPClient.get(director.url + "/" + Self.tarball)
                #expect(Harness.realID(of: second.location, in: farm) == "a")
                // Both within the TTL (unless the machine was slower than that): the second from the cache.
                if ContinuousClock.now - start < ttl {
                    #expect(Self.heads(farm, "b", Self.tarball) == 1, "within the TTL, from the cache")
                }
                try await waitUntil("b checked again", timeout: .seconds(15), interval: .milliseconds(100),
                                    observed: { "\(Self.heads(farm, "b", Self.tarball)) HEADs" }) {
                    _ = try await TestHTTPClient.get(director.url + "/" + Self.tarball)
                    return Self.heads(farm, "b", Self.tarball) >= 2
                }
                #expect(ContinuousClock.now - start >= ttl, "not before the TTL")
                // "a" holds it: its "present" lasts the 10-minute check_ttl, so it was not asked again.
                #expect(Self.heads(farm, "a", Self.tarball) == 1)
            }
        }
    }

    @Test func aSessionWhoseMirrorLacksTheFileMovesToOneThatHasIt() async throws {
        try await Self.withFarm(["a", "b"], missing: ["a": [Self.tarball]]) { farm in
            try await Harness.withDirector(Self.config(farm, threads: 1)) { director in
                // A session on "a" (round robin: one of the first two new sessions lands there).
                var onA: String?
                for _ in 0..<2 where onA == nil {
                    let response = try await TestHTTPClient.get(director.url + "/" + Self.readme)
                    if Harness.realID(of: response.location, in: farm) == "a" { onA = response.sessionCookie }
                }
                let cookie = try #require(onA)
                // Files "a" holds keep the session there.
                let kept = try await TestHTTPClient.get(director.url + "/" + Self.readme, cookie: cookie)
                #expect(Harness.realID(of: kept.location, in: farm) == "a")
                // The file "a" lacks: the request goes to "b" and the session moves with it.
                let moved = try await TestHTTPClient.get(director.url + "/" + Self.tarball, cookie: cookie)
                #expect(moved.status == 302)
                #expect(Harness.realID(of: moved.location, in: farm) == "b")
                let newCookie = try #require(moved.sessionCookie)
                #expect(newCookie.hasPrefix("mirrorscope_session=1.b."), "\(newCookie)")
                for _ in 0..<3 {
                    let next = try await TestHTTPClient.get(director.url + "/" + Self.readme, cookie: newCookie)
                    #expect(Harness.realID(of: next.location, in: farm) == "b", "the session stays where it moved")
                }
                // A directed identifier is no way to a 404 either: /~a/ for the file "a" lacks goes to "b".
                let directed = try await TestHTTPClient.get(director.url + "/~a/" + Self.tarball)
                #expect(Harness.realID(of: directed.location, in: farm) == "b")
                let directedHeld = try await TestHTTPClient.get(director.url + "/~a/" + Self.readme)
                #expect(Harness.realID(of: directedHeld.location, in: farm) == "a")
            }
        }
    }

    @Test func aSessionOnADownMirrorStillMovesOnlyToHolders() async throws {
        try await Self.withFarm(["a", "b", "c"], missing: ["b": [Self.tarball]]) { farm in
            var config = Self.config(farm, threads: 1)
            config.health = HealthSettings(enabled: true, path: Self.readme, interval: .milliseconds(50), timeout: .seconds(3),
                                           rise: 1, fall: 1)
            try await Harness.withDirector(config) { director in
                var onA: String?
                for _ in 0..<3 where onA == nil {
                    let response = try await TestHTTPClient.get(director.url + "/" + Self.readme)
                    if Harness.realID(of: response.location, in: farm) == "a" { onA = response.sessionCookie }
                }
                let cookie = try #require(onA)
                try await farm.stopMirror("a")
                try await Harness.waitForState(director, "a", .down)
                for _ in 0..<4 {
                    let response = try await TestHTTPClient.get(director.url + "/" + Self.tarball, cookie: cookie)
                    #expect(Harness.realID(of: response.location, in: farm) == "c", "b lacks it, a is down")
                }
            }
        }
    }

    @Test func fileChecksOffMakeNoHEADs() async throws {
        try await Self.withFarm(["a", "b"], missing: ["a": [Self.tarball]]) { farm in
            try await Harness.withDirector(Harness.config(Harness.reals(farm))) { director in
                var seen: Set<String> = []
                for _ in 0..<4 {
                    let response = try await TestHTTPClient.get(director.url + "/" + Self.tarball)
                    seen.insert(Harness.realID(of: response.location, in: farm) ?? "?")
                }
                #expect(seen == ["a", "b"], "without check_files, as before")
                #expect(Self.heads(farm, "a", Self.tarball) == 0 && Self.heads(farm, "b", Self.tarball) == 0)
            }
        }
    }

    @Test func proxyModeServesTheFileFromAHolder() async throws {
        try await Self.withFarm(["a", "b"], missing: ["a": [Self.tarball]]) { farm in
            let config = Self.config(farm) { $0.virtualServers[0].mode = .proxy }
            try await Harness.withDirector(config) { director in
                for _ in 0..<4 {
                    let response = try await TestHTTPClient.get(director.url + "/" + Self.tarball)
                    #expect(response.status == 200)
                    #expect(response.header("x-farm-mirror") == "b")
                }
                let none = try await TestHTTPClient.get(director.url + "/files/none.iso")
                #expect(none.status == 404 && none.text.contains("no mirror holds"))
            }
        }
    }

    @Test func explainShowsEachCandidatesHolding() async throws {
        try await Self.withFarm(["a", "b"], missing: ["a": [Self.tarball]]) { farm in
            try await Harness.withDirector(Self.config(farm, threads: 1)) { director in
                let auth = [("Authorization", "Bearer \(Harness.adminToken)")]
                let response = try await TestHTTPClient.get(director.url + "/-/explain?ip=10.1.2.3&path=/\(Self.tarball)", headers: auth)
                #expect(response.status == 200, "\(response.text)")
                let answer = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
                let candidates = answer["candidates"] as? [[String: Any]] ?? []
                #expect(candidates.map { $0["id"] as? String } == ["b"])
                #expect(candidates.first?["holding"] as? String == "present")
                let excluded = answer["excluded"] as? [[String: Any]] ?? []
                #expect(excluded.count == 1 && excluded.first?["id"] as? String == "a")
                #expect((excluded.first?["reason"] as? String)?.contains("does not hold /\(Self.tarball)") == true)
                #expect((answer["server"] as? [String: Any])?["id"] as? String == "b")
                // The explain's own checks are the cache's: the request after it asks nobody again.
                _ = try await TestHTTPClient.get(director.url + "/" + Self.tarball)
                #expect(Self.heads(farm, "a", Self.tarball) == 1 && Self.heads(farm, "b", Self.tarball) == 1)
            }
        }
    }

    @Test func aMirrorThatCannotAnswerTheCheckIsUsable() async throws {
        // "b" answers 503 to everything: unknown, which counts as usable (as mirrorbits does).
        let specs = [FarmMirrorSpec(id: "a", name: "A", location: "de", delayMs: 0, missing: [Self.tarball]),
                     FarmMirrorSpec(id: "b", name: "B", location: "de", delayMs: 0, fault: .status(503))]
        try await Farm.with(FarmConfig(mirrors: specs)) { farm in
            try await Harness.withDirector(Self.config(farm)) { director in
                let response = try await TestHTTPClient.get(director.url + "/" + Self.tarball)
                #expect(Harness.realID(of: response.location, in: farm) == "b")
                let auth = [("Authorization", "Bearer \(Harness.adminToken)")]
                let explained = try await TestHTTPClient.get(director.url + "/-/explain?ip=10.1.2.3&path=/\(Self.tarball)", headers: auth)
                #expect(explained.text.contains("\"holding\" : \"unknown\""), "\(explained.text)")
            }
        }
    }

    @Test func aReloadTurnsTheChecksOnAndOff() async throws {
        try await Self.withFarm(["a", "b"], missing: ["a": [Self.tarball]]) { farm in
            let directory = try Harness.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let path = directory.appendingPathComponent("director.toml").path
            func write(checks: Bool) throws {
                var text = "listen = \"127.0.0.1:0\"\nsecret = \"\(Harness.secret)\"\nthreads = 1\naccess_log = \"off\"\n"
                text += "check_files = \(checks)\n[health]\nenabled = false\n"
                for mirror in farm.mirrors { text += "[[real]]\nid = \"\(mirror.spec.id)\"\nurl = \"\(mirror.url)\"\n" }
                try text.write(toFile: path, atomically: true, encoding: .utf8)
            }
            try write(checks: false)
            try await Harness.withDirector(try ConfigParser.load(path: path), configPath: path) { director in
                var seen: Set<String> = []
                for _ in 0..<2 { seen.insert(Harness.realID(of: try await TestHTTPClient.get(director.url + "/" + Self.tarball).location, in: farm) ?? "?") }
                #expect(seen == ["a", "b"])
                try write(checks: true)
                try await director.reload()
                for _ in 0..<3 {
                    let response = try await TestHTTPClient.get(director.url + "/" + Self.tarball)
                    #expect(Harness.realID(of: response.location, in: farm) == "b")
                }
                #expect(Self.heads(farm, "a", Self.tarball) == 1)
            }
        }
    }

    @Test func consistentHashMovesOnlyTheClientsOfTheServerThatLacksThePath() async throws {
        try await Self.withFarm(["a", "b", "c", "d"], missing: ["a": [Self.tarball], "b": [Self.tarball]]) { farm in
            var config = Self.config(farm)
            config.virtualServers[0].policy = .consistentHash
            config.geo.trustedProxies = [IPNetwork("127.0.0.1")!]  // clients told by X-Forwarded-For
            try await Harness.withDirector(config) { director in
                var moved = 0
                for i in 1...24 {
                    let client = [("X-Forwarded-For", "198.51.100.\(i)")]
                    let home = Harness.realID(of: try await TestHTTPClient.get(director.url + "/" + Self.readme, headers: client).location, in: farm)
                    let lacking = Harness.realID(of: try await TestHTTPClient.get(director.url + "/" + Self.tarball, headers: client).location, in: farm)
                    #expect(lacking == "c" || lacking == "d", "client \(i) went to \(lacking ?? "-")")
                    if home == "c" || home == "d" {
                        #expect(lacking == home, "client \(i): its own server holds the file, so it stays there")
                    } else {
                        moved += 1
                    }
                }
                #expect(moved > 0, "some of the 24 clients hash to a or b")
            }
        }
    }
}
