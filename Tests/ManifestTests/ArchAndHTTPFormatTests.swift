import Foundation
import MirrorscopeCore
import MirrorscopeManifest
import Testing

@Suite("Arch mirror status, RFC 6249 headers and HTML pages")
struct ArchAndHTTPFormatTests {
    let status = """
        {"cutoff": 86400, "last_check": "2026-05-11T20:23:19.344Z", "num_checks": 94, "check_frequency": 892, "version": 3,
         "urls": [
          {"url": "https://a.example/archlinux/", "protocol": "https", "last_sync": "2026-05-11T19:21:24Z", "completion_pct": 1.0,
           "delay": 1871, "score": 1.66, "active": true, "country": "Australia", "country_code": "AU"},
          {"url": "rsync://b.example/archlinux/", "protocol": "rsync", "last_sync": null, "completion_pct": 0.25,
           "delay": null, "score": null, "active": true, "country": "", "country_code": ""},
          {"url": "http://c.example/arch/", "protocol": "http", "last_sync": "2026-05-10T00:00:00.5+02:00", "completion_pct": 0.9,
           "delay": 600, "score": 0.5, "active": false, "country": "Germany", "country_code": "DE"},
          {"protocol": "http"},
          "junk",
          {"url": "https://a.example/archlinux/", "score": 9}
         ]}
        """

    @Test func archStatusKeepsFreshnessAndRanksByScore() throws {
        let page = try Analyze.page(status)
        #expect(page.format == "arch-status")
        #expect(page.mirrors.map(\.url) == ["https://a.example/archlinux/", "rsync://b.example/archlinux/", "http://c.example/arch/"])
        #expect(page.mirrors.map(\.priority) == [2, nil, 1], "the rank by score; no score, no priority")
        #expect(page.mirrors.map(\.country) == ["au", nil, "de"])
        #expect(page.mirrors.map(\.location) == ["au", "worldwide", "de"])
        #expect(page.mirrors[0].countryName == "Australia")
        #expect(page.mirrors[0].freshness == Freshness(lastSync: 1_778_527_284, delaySeconds: 1871, completion: 1.0))
        #expect(page.mirrors[1].freshness == Freshness(completion: 0.25))
        let midnightUTC: Int64 = 1_778_371_200
        #expect(page.mirrors[2].freshness?.lastSync == midnightUTC - 7200, "+02:00 is two hours before the same time in UTC")
        #expect(page.mirrors[2].tags == ["active": ["false"]])
        #expect(page.warnings.contains("urls[3]: no \"url\", skipped"))
        #expect(page.warnings.contains("urls[4]: not an object, skipped"))
        #expect(page.warnings.contains { $0.hasPrefix("1 duplicate entry merged (urls[5] repeats https://a.example/archlinux/") })
    }

    @Test func jsonIsToldApartByItsKeys() throws {
        #expect(try Analyze.page(status, type: "application/json").format == "arch-status")
        #expect(try Analyze.page(#"{"version": 1, "mirrors": [{"url": "https://x.example/"}]}"#).format == "probe-script")
        let forced = Analyze.error(status, format: .probeScript)
        #expect(forced?.contains("probe script: missing \"mirrors\" list") == true, "--input-format wins over the keys")
    }

    @Test func brokenJSONNamesLineAndColumn() {
        let message = Analyze.error("{\"urls\": [\n  {\"url\": }\n]}", format: .archStatus)
        #expect(message?.contains("Arch mirror status JSON: not valid JSON (line 2") == true, "\(message ?? "loaded")")
    }

    @Test func rfc6249DuplicatesWithDigests() throws {
        let page = try Analyze.page("", type: "application/x-iso9660-image", links: [
            "<http://m1.example/pub/f.iso>; rel=duplicate; pri=2; geo=DE, <https://downloads.example.org/f.iso>; rel=duplicate",
            "<http://m2.example/f.iso>; rel=duplicate; pri=1; pref",
            "<f.iso>; rel=duplicate; pri=5",
        ], digests: ["SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "MD5=bad!"], url: "https://downloads.example.org/f.iso")
        #expect(page.format == "rfc6249")
        #expect(page.mirrors.map(\.url) == ["http://m1.example/pub/", "http://m2.example/"], "the page's own URL is no other mirror")
        #expect(page.mirrors.map(\.country) == ["de", nil])
        #expect(page.mirrors[1].preferred)
        #expect(page.probe.path == "f.iso")
        #expect(page.files == [FileFacts(name: "f.iso", hashes: ["sha-256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"])])
        #expect(page.warnings.contains("Digest: MD5 is not a base64 md5 digest; ignored"))
    }

    @Test func aMirrorBrainListGivesCountriesAndOrder() throws {
        let html = """
            <html><body><div id="mirrorbrain-details">
            <div id="mirrorbrain-mirrors"><h3>Mirrors</h3>
            <ul>
              <li><a href="http://near.example/pub/f.mp4">http://near.example/pub/f.mp4</a> (de, prio 100)</li>
            </ul>
            <ul>
             <li><a href="http://far.example/mirror/f.mp4">http://far.example/mirror/f.mp4</a> (<abbr>us</abbr>, prio 50)</li>
             <li><a href="http://odd.example/f.mp4">x</a></li>
            </ul></div>
            <address>Powered by <a href="http://mirrorbrain.org/">MirrorBrain</a></address>
            </div></body></html>
            """
        let page = try Analyze.page(html, type: "text/html", url: "https://cdn.example/f.mp4.mirrorlist")
        #expect(page.format == "mirrorbrain")
        #expect(page.mirrors.map(\.url) == ["http://near.example/pub/", "http://far.example/mirror/", "http://odd.example/"])
        #expect(page.mirrors.map(\.country) == ["de", "us", nil])
        #expect(page.mirrors.map(\.priority) == [1, 2, 3])
        #expect(page.mirrors[0].tags == ["prio": ["100"]])
        #expect(page.probe.path == "f.mp4")
        #expect(page.links == [PageLink(text: "f.mp4", path: "f.mp4")])
    }

    @Test func aPageLinkingAMetalinkIsFollowedAndCompleted() throws {
        let html = #"<html><head><title>Tool</title><link rel="metalink" type="application/metalink+xml" href="tool.meta4"></head><body><a href="tool.tar.gz">tool</a></body></html>"#
        let doc = PageDocument(source: "https://dl.example/", url: "https://dl.example/", contentType: "text/html", body: Data(html.utf8))
        guard case .follow(let url, let partial) = try PageAnalyzer.analyze(doc) else { Issue.record("expected to follow"); return }
        #expect(url == "https://dl.example/tool.meta4")
        let meta4 = #"<metalink xmlns="urn:ietf:params:xml:ns:metalink"><file name="tool.tar.gz"><url location="nl">https://nl.example/tool.tar.gz</url></file></metalink>"#
        let page = try PageAnalyzer.complete(partial, script: PageDocument(source: url, url: url, body: Data(meta4.utf8)))
        #expect(page.title == "Tool")
        #expect(page.format == "metalink4")
        #expect(page.mirrors.map(\.url) == ["https://nl.example/"])
        #expect(page.links == [PageLink(text: "tool", path: "tool.tar.gz")])
    }

    @Test func aDescribedbyLinkHeaderToAMetalinkIsFollowed() throws {
        let doc = PageDocument(source: "https://dl.example/f.iso", url: "https://dl.example/f.iso", contentType: "application/octet-stream",
                               linkHeaders: [#"<f.iso.meta4>; rel=describedby; type="application/metalink4+xml""#], body: Data())
        guard case .follow(let url, _) = try PageAnalyzer.analyze(doc) else { Issue.record("expected to follow"); return }
        #expect(url == "https://dl.example/f.iso.meta4")
    }

    @Test func bareLinksOnlyWhenAskedFor() throws {
        let html = #"<html><body><a href="https://a.example/pub/x.iso">A</a> <a href="https://a.example/pub/y.iso">A2</a> <a href="/local">l</a> <a href="http://b.example">http://b.example</a></body></html>"#
        #expect(Analyze.error(html, type: "text/html")?.contains("--input-format links") == true)
        let page = try Analyze.page(html, type: "text/html", format: .links)
        #expect(page.format == "links")
        #expect(page.mirrors.map(\.url) == ["https://a.example/pub/", "http://b.example/"])
        #expect(page.mirrors.map(\.name) == ["A", nil])
        #expect(page.warnings.isEmpty, "two files in one folder are one mirror, not a duplicate")
    }
}
