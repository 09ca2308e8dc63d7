import Foundation
import Testing
@testable import MirrorscopeDirector

/// The `[page]` keys that put `probe.throughput` and `probe.freshness` into the mirror page's
/// probe script, so that clients measure what the operator names.
@Suite struct MirrorPageMeasuresTests {
    static let minimal = """
        listen = "127.0.0.1:8080"
        secret = "0123456789abcdef"
        [[real]]
        id = "de1"
        url = "http://de.example.org/pub/"

        """

    @Test func theScriptNamesTheObjectsTheConfigSets() throws {
        let config = try ConfigParser.parse(Self.minimal + """
            [page]
            probe_path = "probe.bin"
            throughput_path = "big.bin"
            freshness_path = "project/trace/master"
            freshness_format = "last-modified"

            """)
        #expect(config.page.throughputPath == "big.bin")
        let table = ServerTable(config: config, isUp: { _ in true }, slots: ["de1": 0])
        let page = MirrorPage(snapshot: Snapshot(generation: 1, config: config, table: table, accessLogger: nil), virtual: 0,
                              isTLS: false, directorBaseURL: "http://d.example")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(page.probeScript().utf8)) as? [String: Any])
        let probe = try #require(json["probe"] as? [String: Any])
        #expect(probe["throughput"] as? [String: String] == ["path": "big.bin"])
        #expect(probe["freshness"] as? [String: String] == ["path": "project/trace/master", "format": "last-modified"])
    }

    @Test func withoutThemTheScriptHasNeither() throws {
        let config = try ConfigParser.parse(Self.minimal)
        let table = ServerTable(config: config, isUp: { _ in true }, slots: ["de1": 0])
        let page = MirrorPage(snapshot: Snapshot(generation: 1, config: config, table: table, accessLogger: nil), virtual: 0,
                              isTLS: false, directorBaseURL: "http://d.example")
        #expect(!page.probeScript().contains("throughput"))
        #expect(!page.probeScript().contains("freshness"))
    }

    @Test func theFormatDefaultsToWhatThePathSuggests() throws {
        let config = try ConfigParser.parse(Self.minimal + "[page]\nfreshness_path = \"lastsync\"\n")
        let table = ServerTable(config: config, isUp: { _ in true }, slots: ["de1": 0])
        let page = MirrorPage(snapshot: Snapshot(generation: 1, config: config, table: table, accessLogger: nil), virtual: 0,
                              isTLS: false, directorBaseURL: "http://d.example")
        #expect(page.probeScript().contains(#""format" : "unix-time""#))
    }

    @Test(arguments: [
        ("throughput_path = \"../secret\"", "page.throughput_path"),
        ("freshness_path = \"http://evil.example/lastsync\"", "page.freshness_path"),
        ("freshness_path = \"lastsync\"\nfreshness_format = \"iso\"", "page.freshness_format"),
        ("freshness_format = \"unix-time\"", "page.freshness_format"),
    ])
    func mistakesNameTheirKey(lines: String, key: String) throws {
        do {
            _ = try ConfigParser.parse(Self.minimal + "[page]\n" + lines + "\n")
            Issue.record("accepted \(lines)")
        } catch let error as ConfigError {
            #expect(error.key == key, "\(error)")
        }
    }
}
