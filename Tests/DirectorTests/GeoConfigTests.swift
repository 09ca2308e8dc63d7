import Foundation
import MirrorscopeGeo
import TestSupport
import Testing
@testable import MirrorscopeDirector

/// The GeoIP keys: read from the file, refused with their line, and written back by the admin API.
@Suite struct GeoConfigTests {
    static let text = """
        listen = "127.0.0.1:0"
        secret = "0123456789abcdef"
        admin_token = "\(Harness.adminToken)"
        geoip_db = "GeoLite2-City.mmdb"
        asn_db = "/data/GeoLite2-ASN.mmdb"
        trusted_proxies = ["127.0.0.1", "10.0.0.0/8", "2001:db8::/32"]

        [[real]]
        id = "de1"
        url = "http://de.example.org/pub/"
        location = "de"
        asns = [3320, 4200000001]

        [[real]]
        # The French mirror.
        id = "fr1"
        url = "http://fr.example.org/pub/"
        location = "Paris"
        country = "FR"
        continent = "EU"
        latitude = 48.86
        longitude = 2
        countries = ["FR", "BE"]
        exclude_countries = ["CN"]
        """

    @Test func everyKeyIsRead() throws {
        let config = try ConfigParser.parse(Self.text, file: "/etc/mirrorscope/director.toml")
        #expect(config.geo.geoipDB == "/etc/mirrorscope/GeoLite2-City.mmdb", "relative to the config file")
        #expect(config.geo.asnDB == "/data/GeoLite2-ASN.mmdb")
        #expect(config.geo.trustedProxies.map(\.description) == ["127.0.0.1/32", "10.0.0.0/8", "2001:db8::/32"])
        let de = config.reals[0], fr = config.reals[1]
        #expect(de.asns == [3320, 4_200_000_001] && de.country == nil && de.geoCountry == "DE")
        #expect(fr.geoCountry == "FR" && fr.continent == "EU" && fr.latitude == 48.86 && fr.longitude == 2)
        #expect(fr.countries == ["FR", "BE"] && fr.excludeCountries == ["CN"])
        // Free-text locations are no country; the centroid stands in for missing coordinates.
        let place = GeoSelection.candidate(de)
        #expect(place.country == "DE" && place.continent == "EU" && place.asns == [3320, 4_200_000_001])
        #expect(place.latitude == CountryFacts.facts("DE")?.latitude)
        #expect(GeoSelection.candidate(RealServerConfig(id: "x", url: "http://x.example/", location: "Paris")).country == nil)
    }

    func error(_ text: String) -> ConfigError? { configError(parsing: text) }

    @Test(arguments: [
        ("trusted_proxies = [\"10.0.0.0/33\"]", "trusted_proxies", "is not an address or CIDR block"),
        ("trusted_proxies = \"example.org\"", "trusted_proxies", "is not an address or CIDR block"),
        ("geoip_db = \"\"", "geoip_db", "must be the path of a MaxMind DB file"),
        ("asn_db = 5", "asn_db", "must be a string"),
    ])
    func badTopLevelKeysNameTheirLine(line: String, key: String, message: String) throws {
        let text = "listen = \"127.0.0.1:0\"\nsecret = \"0123456789abcdef\"\n\(line)\n"
        let problem = try #require(self.error(text))
        #expect(problem.key == key && problem.line == 3 && problem.message.contains(message), "\(problem)")
    }

    @Test(arguments: [
        ("asns = [0]", "asns", "is not an AS number"),
        ("asns = [\"AS3320\"]", "asns", "must be a list of integers"),
        ("latitude = 91\nlongitude = 0", "latitude", "between -90 and 90"),
        ("latitude = \"north\"", "latitude", "must be a number"),
        ("latitude = 50", "longitude", "required with latitude"),
        ("country = \"Germany\"", "country", "is not a two-letter country code"),
        ("continent = \"XX\"", "continent", "is not one of AF, AN, AS, EU, NA, OC, SA"),
        ("countries = [\"DE\", \"D1\"]", "countries", "\"D1\" is not a two-letter country code"),
        ("exclude_countries = \"CN\"", "exclude_countries", "must be a list of strings"),
    ])
    func badRealServerKeysNameTheTableAndLine(line: String, key: String, message: String) throws {
        let text = "listen = \"127.0.0.1:0\"\nsecret = \"0123456789abcdef\"\n[[real]]\nid = \"a\"\nurl = \"http://a.example/\"\n\(line)\n"
        let problem = try #require(self.error(text))
        #expect(problem.key == "real[0].\(key)" && problem.line != nil && problem.message.contains(message), "\(problem)")
    }

    @Test func theAdminAPIWritesTheKeysBackIntoTheFile() async throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("director.toml").path
        // Without the database lines: the file's servers are what this test edits.
        let text = Self.text.replacingOccurrences(of: "geoip_db = \"GeoLite2-City.mmdb\"\nasn_db = \"/data/GeoLite2-ASN.mmdb\"\n", with: "")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let auth = [("Authorization", "Bearer \(Harness.adminToken)")]
        try await Harness.withDirector(try ConfigParser.load(path: path), configPath: path) { director in
            let body = #"{"id": "jp1", "url": "http://jp.example.org/pub/", "country": "JP", "latitude": 35.69, "longitude": 139.69, "asns": [2500], "exclude_countries": ["KP"]}"#
            let added = try await TestHTTPClient.request(.POST, director.url + "/-/admin/real", headers: auth, body: body)
            #expect(added.status == 201, "\(added.text)")
            #expect(added.text.contains("\"latitude\" : 35.69") && added.text.contains("\"country\" : \"JP\""))
            let patch = #"{"countries": [], "asns": [3320, 3209], "country": "DE"}"#
            let patched = try await TestHTTPClient.request(.PATCH, director.url + "/-/admin/real/fr1", headers: auth, body: patch)
            #expect(patched.status == 200, "\(patched.text)")
            let refused = try await TestHTTPClient.request(.PATCH, director.url + "/-/admin/real/fr1", headers: auth, body: #"{"country": "France"}"#)
            #expect(refused.status == 400 && refused.text.contains("two-letter country code"), "\(refused.text)")
        }
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written.contains("# The French mirror."), "edited in place, comments kept")
        #expect(written.contains("latitude = 35.69") && written.contains("asns = [2500]") && written.contains("exclude_countries = [\"KP\"]"))
        #expect(written.contains("asns = [3320, 3209]") && !written.contains("countries = [\"FR\", \"BE\"]"))
        let again = try ConfigParser.load(path: path)
        #expect(again.real("jp1")?.longitude == 139.69 && again.real("fr1")?.country == "DE" && again.real("fr1")?.countries == [])
    }
}
