import Foundation
import MirrorscopeCore
import MirrorscopeDirector
import MirrorscopeGeo
import TestSupport
import Testing

/// A real director choosing by where the client is, over real HTTP on 127.0.0.1, with the real
/// 2018 GeoLite2 City file. Clients stand behind 127.0.0.1, a trusted proxy, and are told by
/// `X-Forwarded-For`/`Forwarded`, as behind nginx or HAProxy. Redirect mode needs no mirror
/// answering: the Location names where each client was sent.
@Suite(.enabled(if: GeoFiles.cityMissing == nil, Comment(rawValue: GeoFiles.cityMissing ?? "")))
struct GeoDirectorTests {
    // Countries as mmdblookup reads them from the 2018 file (GeoLite2-City.mmdb, country iso_code).
    static let british = "81.2.69.160", french = "194.254.3.1", japanese = "133.11.0.1"
    static let sydney = "203.2.218.214", turin = "193.204.114.105", american = "8.8.8.8"

    static func reals() -> [RealServerConfig] {
        var gb = RealServerConfig(id: "gb", url: "http://gb.mirror.example/pub/", location: "gb")  // country from location
        gb.name = "London"
        var fr = RealServerConfig(id: "fr", url: "http://fr.mirror.example/pub/")
        fr.country = "FR"
        fr.excludeCountries = ["IT"]
        var jp = RealServerConfig(id: "jp", url: "http://jp.mirror.example/pub/", location: "Tokyo")
        jp.country = "JP"
        jp.latitude = 35.69
        jp.longitude = 139.69
        var us = RealServerConfig(id: "us", url: "http://us.mirror.example/pub/")
        us.country = "US"
        return [gb, fr, jp, us]
    }

    static func config(trusting: [String] = ["127.0.0.1"], asn: Bool = false, reals: [RealServerConfig] = reals()) -> DirectorConfig {
        var config = Harness.config(reals)
        config.threads = 1  // one set of balancers: what /-/explain predicts is what the next session gets
        config.geo = GeoSettings(geoipDB: GeoFiles.city, asnDB: asn ? GeoFiles.asn : nil,
                                 trustedProxies: trusting.map { IPNetwork($0)! })
        return config
    }

    static func server(_ response: TestResponse) -> String? {
        guard let location = response.location, let host = URLParts(location)?.host else { return nil }
        return host.split(separator: ".").first.map(String.init)
    }

    @Test func clientsFromThreeCountriesGoToTheirCountrysMirror() async throws {
        try await Harness.withDirector(Self.config()) { director in
            for (address, expected) in [(Self.british, "gb"), (Self.french, "fr"), (Self.japanese, "jp")] {
                for _ in 0..<4 {
                    let response = try await TestHTTPClient.get(director.url + "/files/x.tar.gz", headers: [("X-Forwarded-For", address)])
                    #expect(response.status == 302)
                    #expect(Self.server(response) == expected, "\(address) went to \(response.location ?? "-")")
                }
            }
            let forwarded = try await TestHTTPClient.get(director.url + "/files/x.tar.gz",
                                                         headers: [("Forwarded", "for=\"[2001:4860:4860::8888]:4711\";proto=https")])
            #expect(Self.server(forwarded) == "us")
            #expect(forwarded.location == "http://us.mirror.example/pub/files/x.tar.gz")
        }
    }

    @Test func theHeaderFromAPeerThatIsNotTrustedIsIgnored() async throws {
        try await Harness.withDirector(Self.config(trusting: ["10.0.0.0/8"])) { director in
            // 127.0.0.1 is not trusted: every client is 127.0.0.1, which no database places, so
            // new sessions are balanced by weight over all four, as without GeoIP.
            var counts: [String: Int] = [:]
            for _ in 0..<8 {
                let response = try await TestHTTPClient.get(director.url + "/files/x", headers: [("X-Forwarded-For", Self.british)])
                counts[Self.server(response) ?? "?", default: 0] += 1
            }
            #expect(counts == ["gb": 2, "fr": 2, "jp": 2, "us": 2])
        }
    }

    @Test func explainNeedsTheTokenAndAnAddress() async throws {
        try await Harness.withDirector(Self.config()) { director in
            let anonymous = try await TestHTTPClient.get(director.url + "/-/explain?ip=\(Self.british)&path=/files/x")
            #expect(anonymous.status == 401)
            let auth = [("Authorization", "Bearer \(Harness.adminToken)")]
            for bad in ["not-an-address", "", "1.2.3.4.5"] {
                let response = try await TestHTTPClient.get(director.url + "/-/explain?ip=\(bad)&path=/files/x", headers: auth)
                #expect(response.status == 400, "\(bad)")
                #expect(response.text.contains("ip must be an IPv4 or IPv6 address"))
            }
            let missing = try await TestHTTPClient.get(director.url + "/-/explain?path=/files/x", headers: auth)
            #expect(missing.status == 400)
        }
    }

    func explain(_ director: RunningDirector, _ address: String, path: String = "/files/x.tar.gz") async throws -> [String: Any] {
        let encoded = address.replacingOccurrences(of: ":", with: "%3A")
        let response = try await TestHTTPClient.get(director.url + "/-/explain?ip=\(encoded)&path=\(path)",
                                                    headers: [("Authorization", "Bearer \(Harness.adminToken)")])
        #expect(response.status == 200, "\(response.text)")
        return try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    static func ids(_ answer: [String: Any]) -> [String] {
        (answer["candidates"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    @Test func explainSaysWhy() async throws {
        try await Harness.withDirector(Self.config()) { director in
            let british = try await explain(director, Self.british)
            #expect(british["tier"] as? String == "country")
            #expect((british["lookup"] as? [String: Any])?["country"] as? String == "GB")
            #expect(Self.ids(british) == ["gb"])
            #expect((british["server"] as? [String: Any])?["url"] as? String == "http://gb.mirror.example/pub/files/x.tar.gz")

            // Sydney: no mirror in Australia or Oceania; Tokyo is nearest (its own coordinates).
            let australian = try await explain(director, Self.sydney)
            #expect(australian["tier"] as? String == "nearest")
            #expect(Self.ids(australian) == ["jp"])
            let distance = (australian["candidates"] as? [[String: Any]])?.first?["distance_km"] as? Double
            #expect(distance.map { (7700...7900).contains($0) } == true, "Sydney to Tokyo: \(distance ?? -1) km")

            // Turin: Europe, but the French mirror excludes Italy.
            let italian = try await explain(director, Self.turin)
            #expect(italian["tier"] as? String == "continent")
            #expect(Self.ids(italian) == ["gb"])
            let excluded = italian["excluded"] as? [[String: Any]]
            #expect(excluded?.count == 1 && excluded?.first?["id"] as? String == "fr"
                    && excluded?.first?["reason"] as? String == "excludes IT")

            // A private address: no answer, every server, and the lookup says null.
            let local = try await explain(director, "10.1.2.3")
            #expect(local["tier"] is NSNull && local["lookup"] is NSNull)
            #expect(Set(Self.ids(local)) == ["gb", "fr", "jp", "us"])
        }
    }

    @Test func explainPredictsTheNextSessionWithoutTakingIt() async throws {
        var config = Self.config()
        var gb2 = RealServerConfig(id: "gb2", url: "http://gb2.mirror.example/pub/", location: "GB")
        gb2.weight = 1
        config.reals.append(gb2)
        try await Harness.withDirector(config) { director in
            for _ in 0..<3 {
                let predicted = try await explain(director, Self.british)
                #expect(Set(Self.ids(predicted)) == ["gb", "gb2"])
                let next = try #require((predicted["server"] as? [String: Any])?["id"] as? String)
                // Asked twice, the same answer: explaining moved nothing.
                let again = try await explain(director, Self.british)
                #expect((again["server"] as? [String: Any])?["id"] as? String == next)
                let response = try await TestHTTPClient.get(director.url + "/files/x", headers: [("X-Forwarded-For", Self.british)])
                #expect(Self.server(response) == next)
            }
        }
    }

    @Test(.enabled(if: GeoFiles.asnMissing == nil, Comment(rawValue: GeoFiles.asnMissing ?? "")))
    func aMirrorInTheClientsNetworkComesFirst() async throws {
        var isp = RealServerConfig(id: "isp", url: "http://isp.mirror.example/pub/", location: "de")
        isp.asns = [64500, 4_200_000_001]
        try await Harness.withDirector(Self.config(asn: true, reals: Self.reals() + [isp])) { director in
            // The test ASN file puts both addresses in the ISP's networks (.ci/make-test-asn-db.py).
            for address in [Self.british, Self.french] {
                let response = try await TestHTTPClient.get(director.url + "/files/x", headers: [("X-Forwarded-For", address)])
                #expect(Self.server(response) == "isp", "\(address) went to \(response.location ?? "-")")
            }
            let british = try await explain(director, Self.british)
            #expect(british["tier"] as? String == "asn")
            #expect((british["lookup"] as? [String: Any])?["asn"] as? Int == 64500)
            #expect((british["lookup"] as? [String: Any])?["country"] as? String == "GB", "both files' answers merged")
            // Outside those networks: the country tier as before.
            let japanese = try await TestHTTPClient.get(director.url + "/files/x", headers: [("X-Forwarded-For", Self.japanese)])
            #expect(Self.server(japanese) == "jp")
        }
    }

    @Test func aDatabaseThatCannotBeOpenedIsAConfigurationError() async throws {
        var config = Self.config()
        config.geo.geoipDB = "/nonexistent/GeoLite2-City.mmdb"
        do {
            let director = try await Harness.start(config)
            await director.shutdown()
            Issue.record("a director started without its database")
        } catch let error as ConfigError {
            #expect(error.key == "geoip_db")
            #expect(error.message.contains("/nonexistent/GeoLite2-City.mmdb"))
        }
        #expect(throws: ConfigError.self) { try Director.checkFiles(config) }
    }
}
