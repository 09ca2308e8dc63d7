import Foundation
import NIOCore
import Testing
@testable import MirrorscopeDirector

/// One real-server schema for the config file, the admin API's bodies and the file the admin API
/// rewrites: the same keys and defaults everywhere, each reader's mistakes in its own words.
@Suite struct RealServerSchemaTests {
    static let full = RealServerConfig(id: "de1", url: "http://de.example.org/pub/", httpsURL: "https://de.example.org/pub/",
                                       weight: 3, backup: .server("fr1"), location: "de", drain: true, name: "Frankfurt")

    static let fullTOML = """
        id = "de1"
        url = "http://de.example.org/pub/"
        https_url = "https://de.example.org/pub/"
        weight = 3
        backup = "fr1"
        location = "de"
        name = "Frankfurt"
        drain = true
        """

    static let fullJSON = """
        {"id": "de1", "url": "http://de.example.org/pub/", "https_url": "https://de.example.org/pub/", "weight": 3,
         "backup": "fr1", "location": "de", "name": "Frankfurt", "drain": true}
        """

    func adminError<T: Decodable>(_ type: T.Type, _ json: String) -> AdminError? {
        do {
            _ = try AdminAPI.decode(T.self, from: ByteBuffer(string: json))
            return nil
        } catch {
            return error
        }
    }

    static let file = "listen = \"127.0.0.1:0\"\nsecret = \"0123456789abcdef\"\n"

    /// The servers the parser reads from `tables`, followed in the file by a server `fr1` (the
    /// backup `full` names must exist), which is left out of the answer.
    func reals(_ tables: String) throws -> [RealServerConfig] {
        try ConfigParser.parse(Self.file + tables + "\n[[real]]\nid = \"fr1\"\nurl = \"http://fr.example.org/\"\n").reals.dropLast().map { $0 }
    }

    @Test func theConfigFileAndTheAdminAPIReadTheSameFields() throws {
        #expect(try reals("[[real]]\n" + Self.fullTOML) == [Self.full])
        #expect(try AdminAPI.decode(RealServerConfig.self, from: ByteBuffer(string: Self.fullJSON)) == Self.full)
        // Absent keys take the same defaults in both.
        let minimal = RealServerConfig(id: "x", url: "http://x.example/")
        #expect(try reals("[[real]]\nid = \"x\"\nurl = \"http://x.example/\"") == [minimal])
        #expect(try AdminAPI.decode(RealServerConfig.self, from: ByteBuffer(string: #"{"id": "x", "url": "http://x.example/", "name": null}"#)) == minimal)
    }

    @Test func theFileIsWrittenWithTheSchemaKeysInOrderWithoutDefaultsExceptWeight() throws {
        let base = try ConfigParser.parse(Self.file)
        let addFR = AdminChange.add(RealServerConfig(id: "fr1", url: "http://fr.example.org/"))
        let withFR = try ConfigFileEditor.edited(Self.file, change: addFR, expected: addFR.applied(to: base))
        let add = AdminChange.add(Self.full)
        let edited = try ConfigFileEditor.edited(withFR, change: add, expected: add.applied(to: ConfigParser.parse(withFR)))
        #expect(edited.hasSuffix("\n[[real]]\n" + Self.fullTOML + "\n"))
        #expect(withFR.hasSuffix("\n[[real]]\nid = \"fr1\"\nurl = \"http://fr.example.org/\"\nweight = 1\n"))
        let json = try JSONEncoder().encode(Self.full)
        #expect(try JSONDecoder().decode(RealServerConfig.self, from: json) == Self.full)
    }

    @Test func aWronglyTypedValueIsNamedInEachReadersWords() {
        let text = ConfigParserTests.minimal + "\nweight = \"heavy\"\n"
        let parsed = ConfigParserTests().error(text)
        #expect(parsed?.description == "director.toml:11: real[1].weight: must be an integer, not string")
        let located = ConfigParserTests().error(ConfigParserTests.minimal + "\nlocation = 7\n")
        #expect(located?.description == "director.toml:11: real[1].location: must be a string, not integer")
        let drained = ConfigParserTests().error(ConfigParserTests.minimal + "\ndrain = \"yes\"\n")
        #expect(drained?.description == "director.toml:11: real[1].drain: must be true or false, not string")
        #expect(adminError(RealServerConfig.self, #"{"id": "x", "url": "http://x.example/", "drain": "yes"}"#)?.message
            == "drain: expected true or false")
        #expect(adminError(RealServerConfig.self, #"{"id": "x", "url": "http://x.example/", "backup": 5}"#)?.message
            == "backup: expected a string")
    }

    @Test func unknownAndMissingKeysAreRefusedByBoth() {
        let unknown = ConfigParserTests().error(ConfigParserTests.minimal + "\ncolour = \"red\"\n")
        #expect(unknown?.description
            == "director.toml:11: real[1].colour: unknown key (expected one of: asns, backup, continent, countries, country, drain, exclude_countries, https_url, id, latitude, location, longitude, name, url, weight)")
        #expect(adminError(RealServerConfig.self, #"{"id": "x", "url": "http://x.example/", "colour": "red"}"#)?.message
            == #"unknown key "colour" (expected: id, url, https_url, weight, backup, location, name, drain, asns, latitude, longitude, country, continent, countries, exclude_countries)"#)
        #expect(adminError(RealServerConfig.self, #"{"url": "http://x.example/"}"#)?.message == "id is required")
    }

    @Test func aPatchHoldsOnlyWhatMayChange() throws {
        let patch = try AdminAPI.decode(RealPatch.self, from: ByteBuffer(string: #"{"weight": 0, "location": "", "backup": "primary"}"#))
        #expect(patch == RealPatch(weight: 0, backup: .primary, location: ""))
        let patched = patch.applied(to: Self.full)
        #expect(patched.weight == 0 && patched.backup == .primary && patched.location == nil && patched.name == "Frankfurt")
        for key in ["id", "url", "https_url"] {
            #expect(adminError(RealPatch.self, #"{"\#(key)": "x"}"#)?.message == "\(key) cannot be patched (delete the server and add it again)")
        }
        #expect(adminError(RealPatch.self, #"{"wieght": 2}"#)?.message.hasPrefix(#"unknown key "wieght""#) == true)
        #expect(AdminAPI.patchableKeys == "weight, drain, backup, location, name, asns, latitude, longitude, country, continent, countries or exclude_countries")
    }

    @Test func theListingSpellsOutTheBackupAndShowsDrainAsTheState() throws {
        let status = RealServerStatus(server: RealServerConfig(id: "x", url: "http://x.example/", drain: true), state: .draining, sessions: 4)
        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(status)) as? [String: Any])
        #expect(json.keys.sorted() == ["backup", "id", "sessions", "state", "url", "weight"])
        #expect(json["backup"] as? String == "primary")
        #expect(json["state"] as? String == "draining")
        #expect(json["sessions"] as? Int == 4)
    }
}
