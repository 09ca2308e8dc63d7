import Foundation
import MirrorscopeCore
@testable import MirrorscopeManifest
import Testing

@Suite("format registry")
struct FormatRegistryTests {
    @Test func everyFormatHasOneNameAndNoAliasIsShared() {
        var seen: Set<String> = []
        for format in PageFormat.allCases {
            for name in [format.rawValue] + format.aliases {
                #expect(seen.insert(name).inserted, "\(name) names two formats")
                #expect(PageFormat.named(name.uppercased()) == format)
            }
            #expect(PageFormat(rawValue: format.rawValue) == format)
        }
        #expect(PageFormat.allCases.count == PageAnalyzer.ownFormats.count + FormatRegistry.formats.count)
    }

    @Test func everyRegisteredFormatIsReadWhenNamed() throws {
        // `--input-format` reaches each format of the registry through the same list detection walks.
        for type in FormatRegistry.formats {
            #expect(FormatRegistry.format(type.format) == type)
        }
        let page = try Analyze.page("https://a.example/\n", format: .urlScan)
        #expect(page.mirrors.map(\.url) == ["https://a.example/"])
    }

    @Test func jsonKeysAreTheTopLevelOnes() {
        let keys = JSONKeyScan.topLevelKeys(Data(#"{"version": 1, "title": "a \"mirrors\": b", "probe": {"urls": []}, "mirrors": [{"url": "x"}]}"#.utf8))
        #expect(keys == ["version", "title", "probe", "mirrors"])
    }

    @Test(arguments: [
        // A head cut inside a string, after a backslash, or inside a nested value.
        (#"{"version": 1, "tit"#, ["version"]),
        (#"{"a": 1, "b\"#, ["a"]),
        (#"{"a": {"b": [1, {"c": 2}"#, ["a"]),
        (#"{"#, []),
        (#"{"a""#, []),
    ] as [(String, Set<String>)])
    func jsonKeysOfACutHeadAreThoseSeen(head: String, keys: Set<String>) {
        #expect(JSONKeyScan.topLevelKeys(Data(head.utf8)) == keys)
        // A slice that does not start at index 0 reads the same (`Data` slices keep their indices).
        let padded = Data(("xx" + head).utf8)
        #expect(JSONKeyScan.topLevelKeys(padded.dropFirst(2)) == keys)
    }

    @Test func theFirstCertainSniffEndsTheWalk() {
        // An Arch status is also `likely` a broken probe script (any JSON object) and `likely` a
        // plain list; the certain claim alone is returned, so the later sniffs never run.
        let head = DocumentHead(Data(#"{"cutoff": 3600, "urls": [{"url": "https://a.example/"}]}"#.utf8))
        let candidates = FormatRegistry.candidates(head)
        #expect(candidates.map { $0.format.format } == [.archStatus])
        // Without a certain claim, the likely ones come in list order, then the last resort.
        let plain = FormatRegistry.candidates(DocumentHead(Data("https://a.example/\n".utf8)))
        #expect(plain.first?.sniff == .likely)
        #expect(plain.last?.format.format == .urlScan)
        let sniffs = plain.map { $0.sniff }
        #expect(sniffs == sniffs.sorted(by: >))
    }

    @Test(arguments: [
        // A status-like document with a `mirrors` key is a probe script, and a probe script's
        // nested "urls" does not make it a status.
        (#"{"urls": [], "mirrors": [{"url": "https://a.example/"}], "version": 1}"#, "probe-script"),
        (#"{"version": 1, "probe": {"urls": 1}, "mirrors": [{"url": "https://a.example/"}]}"#, "probe-script"),
        (#"{"cutoff": 3600, "urls": [{"url": "https://a.example/", "protocol": "https"}]}"#, "arch-status"),
    ])
    func jsonIsToldApartByItsKeys(body: String, format: String) throws {
        #expect(try Analyze.page(body).format == format)
    }
}

@Suite("last resort: the URLs of an unknown document")
struct LastResortTests {
    @Test func aYAMLMirrorListIsReadAsItsURLsWithAWarning() throws {
        let page = try Analyze.page("""
            # mirrors of some project
            mirrors:
              - name: Aachen
                url: https://ftp.halifax.rwth-aachen.de/project/
                country: de
              - name: Kent
                url: "http://www.mirrorservice.org/sites/project/"
              - url: https://ftp.halifax.rwth-aachen.de/project/
            """, fileName: "mirrors.yaml")
        #expect(page.mirrors.map(\.url) == ["https://ftp.halifax.rwth-aachen.de/project/", "http://www.mirrorservice.org/sites/project/"])
        #expect(page.format == "urls-in-text")
        #expect(page.warnings.contains { $0.hasPrefix("not a format this program knows; read the 2 absolute URLs in it as mirrors") },
                "\(page.warnings)")
    }

    @Test func aPerlAndAJSONListAreReadToo() throws {
        let perl = try Analyze.page("""
            my @mirrors = (
                'https://a.example/pub/',  # Germany
                "ftp://b.example/pub/",
                { url => 'rsync://c.example/pub/' },
            );
            """)
        #expect(perl.mirrors.map(\.url) == ["https://a.example/pub/", "ftp://b.example/pub/", "rsync://c.example/pub/"])
        let json = try Analyze.page(#"{"servers": [{"host": "https://a.example/x/", "cc": "de"}, {"host": "HTTP://B.example/y/"}]}"#,
                                    type: "application/json")
        #expect(json.mirrors.map(\.url) == ["https://a.example/x/", "HTTP://B.example/y/"])
        #expect(json.warnings.contains { $0.contains("read the 2 absolute URLs") })
    }

    @Test func urlsEndWhereTheTextAroundThemDoes() {
        #expect(URLScan.urls(in: "see https://a.example/pub/. Or (http://b.example/) or <https://c.example/x>, [ftp://d.example/]")
                == ["https://a.example/pub/", "http://b.example/", "https://c.example/x", "ftp://d.example/"])
        #expect(URLScan.urls(in: "xhttps://a.example/ and git+https://b.example/ are not mirrors; https:// alone neither").isEmpty)
    }

    @Test func whatTheLastResortCannotReadKeepsTheLikelyFormatsReason() {
        // A probe script that lost its list says so, rather than "no URLs".
        #expect(Analyze.error(#"{"version": 1}"#)?.contains("missing \"mirrors\" list") == true)
        #expect(Analyze.error("just some words\nand more")?.contains("no mirror URLs found") == true)
        // A format that was certain is never second-guessed.
        #expect(Analyze.error("Site: a.example\nCDImage-http: /cd/ see https://a.example/\n")?.contains("no usable mirror") == true)
    }
}
