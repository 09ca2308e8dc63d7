import Foundation
import MirrorscopeCore
import MirrorscopeDirector
import MirrorscopeFarm
import MirrorscopeGeo
import TestSupport
import Testing

/// GeoIP tiers and file checks together: farm mirrors placed in Great Britain, France and Japan,
/// clients from those countries behind a trusted proxy (127.0.0.1), and the British mirror
/// lacking a file.
@Suite(.enabled(if: GeoFiles.cityMissing == nil, Comment(rawValue: GeoFiles.cityMissing ?? "")))
struct GeoHoldingsTests {
    static let tarball = "files/mirrorscope-demo-1.0.tar.gz"

    static func run(_ body: (Farm, RunningDirector) async throws -> Void) async throws {
        let specs = [FarmMirrorSpec(id: "gb", name: "London", location: "gb", delayMs: 0, missing: [tarball]),
                     FarmMirrorSpec(id: "fr", name: "Paris", location: "fr", delayMs: 0),
                     FarmMirrorSpec(id: "jp", name: "Tokyo", location: "jp", delayMs: 0)]
        try await Farm.with(FarmConfig(mirrors: specs)) { farm in
            var config = Harness.config(Harness.reals(farm))
            config.threads = 1
            config.geo = GeoSettings(geoipDB: GeoFiles.city, trustedProxies: [IPNetwork("127.0.0.1")!])
            config.virtualServers[0].fileChecks = FileCheckSettings(enabled: true, timeout: .seconds(3))
            try await Harness.withDirector(config) { director in try await body(farm, director) }
        }
    }

    @Test func theCountrysMirrorLacksTheFileSoTheNextTiersHolderGetsIt() async throws {
        try await Self.run { farm, director in
            let british = [("X-Forwarded-For", GeoDirectorTests.british)]
            // What it holds: the British client's own country.
            let readme = try await TestHTTPClient.get(director.url + "/files/README.txt", headers: british)
            #expect(Harness.realID(of: readme.location, in: farm) == "gb")
            // What it lacks: the continent's holder (Paris), not anywhere (Tokyo).
            for _ in 0..<4 {
                let response = try await TestHTTPClient.get(director.url + "/" + Self.tarball, headers: british)
                #expect(response.status == 302)
                #expect(Harness.realID(of: response.location, in: farm) == "fr", "went to \(response.location ?? "-")")
            }
            // A Japanese client is not affected: its own country's mirror holds it.
            let japanese = try await TestHTTPClient.get(director.url + "/" + Self.tarball,
                                                        headers: [("X-Forwarded-For", GeoDirectorTests.japanese)])
            #expect(Harness.realID(of: japanese.location, in: farm) == "jp")

            let response = try await TestHTTPClient.get(
                director.url + "/-/explain?ip=\(GeoDirectorTests.british)&path=/\(Self.tarball)",
                headers: [("Authorization", "Bearer \(Harness.adminToken)")])
            let answer = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
            #expect(answer["tier"] as? String == "continent", "\(response.text)")
            let candidates = answer["candidates"] as? [[String: Any]] ?? []
            #expect(candidates.map { $0["id"] as? String } == ["fr"] && candidates.first?["holding"] as? String == "present")
            let excluded = answer["excluded"] as? [[String: Any]] ?? []
            #expect(excluded.contains { $0["id"] as? String == "gb" && ($0["reason"] as? String)?.contains("does not hold") == true })
        }
    }
}

extension GeoHoldingsTests {
    /// A file's Metalink and a redirect's Link headers give the client's own tiers as priorities.
    @Test func theMetalinksPrioritiesAreTheClientsTiersOverTheHolders() async throws {
        try await Self.run { farm, director in
            let british = [("X-Forwarded-For", GeoDirectorTests.british)]
            let readme = try await TestHTTPClient.get(director.url + "/files/README.txt.meta4", headers: british).text
            for (id, priority) in [("gb", 1), ("fr", 2), ("jp", 3)] {
                #expect(readme.contains("<url priority=\"\(priority)\" location=\"\(id)\">\(farm.url(ofMirror: id)!)files/README.txt</url>"),
                        "\(id): \(readme)")
            }
            // gb lacks the tarball: the continent's holder first, then anywhere.
            let tarball = try await TestHTTPClient.get(director.url + "/" + Self.tarball + ".meta4", headers: british).text
            #expect(tarball.contains("<url priority=\"1\" location=\"fr\">"), "\(tarball)")
            #expect(tarball.contains("<url priority=\"2\" location=\"jp\">"), "\(tarball)")
            #expect(!tarball.contains(farm.url(ofMirror: "gb")!), "\(tarball)")
            let redirect = try await TestHTTPClient.get(director.url + "/files/README.txt", headers: british)
            let links = redirect.headers["link"].filter { $0.contains("rel=duplicate") }
            #expect(links == ["<\(farm.url(ofMirror: "gb")!)files/README.txt>; rel=duplicate; pri=1; geo=gb",
                              "<\(farm.url(ofMirror: "fr")!)files/README.txt>; rel=duplicate; pri=3; geo=fr",
                              "<\(farm.url(ofMirror: "jp")!)files/README.txt>; rel=duplicate; pri=4; geo=jp"], "\(links)")
        }
    }
}
