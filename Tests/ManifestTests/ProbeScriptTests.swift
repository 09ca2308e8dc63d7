import Foundation
import MirrorscopeCore
import MirrorscopeManifest
import Testing

@Suite("probe script")
struct ProbeScriptTests {
    func parse(_ json: String, base: String? = "https://downloads.example.org/") throws(ManifestError) -> ProbeScriptParser.Result {
        try ProbeScriptParser.parse(Data(json.utf8), baseURL: base)
    }

    @Test func onlyVersionAndURLsAreRequired() throws {
        let r = try parse(#"{"version": 1, "mirrors": [{"url": "https://de.example.org/pub"}]}"#)
        #expect(r.mirrors.count == 1)
        let m = r.mirrors[0]
        #expect(m.url == "https://de.example.org/pub/", "a base URL ends in / so paths join under it")
        #expect(m.id == "de.example.org/pub")
        #expect(m.displayName == "de.example.org")
        #expect(r.probe == ProbeSettings(), "every setting has its documented default")
        #expect(r.warnings.isEmpty)
    }

    @Test func everyDocumentedKeyIsRead() throws {
        let r = try parse("""
            {"version": 1, "title": "Example",
             "mirrors": [{"url": "https://de.example.org/pub/", "id": "de1", "name": "Frankfurt", "location": "DE", "priority": 1, "preferred": true}],
             "probe": {"path": "/probe.bin", "method": "head", "samples": 5, "timeout_ms": 1500, "concurrency": 8},
             "client_info": ["user_agent", "platform", "platform_version", "hostname", "teapot"]}
            """)
        #expect(r.mirrors[0] == Mirror(id: "de1", url: "https://de.example.org/pub/", name: "Frankfurt", location: "de",
                                       priority: 1, preferred: true, pageOrder: 0))
        #expect(r.probe == ProbeSettings(path: "probe.bin", method: "HEAD", samples: 5, timeoutMs: 1500, concurrency: 8,
                                         clientInfo: [.userAgent, .platform, .platformVersion, .hostname]))
        #expect(r.title == "Example")
    }

    @Test func unknownKeysAreIgnoredAndNewerVersionsStillLoad() throws {
        let r = try parse(#"{"version": 2, "future": {"x": 1}, "mirrors": [{"url": "http://a.example/", "rtt_hint": 3}]}"#)
        #expect(r.mirrors.count == 1)
        #expect(r.warnings.contains { $0.contains("version 2 is newer") })
    }

    @Test func badEntriesAreSkippedWithWarningsAndCounted() throws {
        let r = try parse("""
            {"version": 1, "mirrors": [
              {"url": "https://good.example/"}, {"name": "no url"}, 42, {"url": "not a url"},
              {"url": "https://good.example/"}, {"url": "https://other.example/x/"}]}
            """)
        #expect(r.mirrors.map(\.url) == ["https://good.example/", "https://other.example/x/"])
        #expect(r.mirrors.map(\.pageOrder) == [0, 1])
        #expect(r.warnings.contains("mirror 2: no \"url\", skipped"))
        #expect(r.warnings.contains("mirror 3: not an object, skipped"))
        #expect(r.warnings.contains { $0.hasPrefix("mirror 4: \"not a url\" is not an absolute URL") })
        #expect(r.warnings.contains { $0.contains("listed twice") })
        #expect(r.warnings.contains("3 mirror entries skipped"))
    }

    @Test func linksNameTheContentEveryMirrorHolds() throws {
        let r = try parse(#"{"version": 1, "mirrors": [{"url": "http://a.example/"}], "links": [{"path": "/files/README.txt", "text": "Read me"}, "files/", {"path": "../etc/passwd"}, {"path": "http://evil.example/x"}, {"text": "no path"}, "files/"]}"#)
        #expect(r.links == [PageLink(text: "Read me", path: "files/README.txt"), PageLink(text: "files/", path: "files/")])
        #expect(r.warnings.filter { $0.contains("leaves the mirror") }.count == 2)
        #expect(r.warnings.contains("link 5: no \"path\", skipped"))
    }

    @Test func aProbePathThatWouldBreakTheRequestLineIsRefused() throws {
        for bad in [#"x\r\nHost: evil.example"#, #"a\\b"#, "../up", "http://evil.example/"] {
            let r = try parse(#"{"version": 1, "mirrors": [{"url": "http://a.example/"}], "probe": {"path": "\#(bad)"}}"#)
            #expect(r.probe.path == ProbeSettings().path, "\(bad)")
            #expect(r.warnings.contains { $0.contains("leaves the mirror; probing the mirror's base instead") }, "\(bad)")
        }
        let ok = try parse(#"{"version": 1, "mirrors": [{"url": "http://a.example/"}], "probe": {"path": "/pub/probe.bin"}}"#)
        #expect(ok.probe.path == "pub/probe.bin")
    }

    @Test func relativeMirrorURLsResolveAgainstTheScript() throws {
        let r = try parse(#"{"version": 1, "mirrors": [{"url": "/~de1/"}, {"url": "eu/"}]}"#, base: "http://director.example:8080/-/mirrors")
        #expect(r.mirrors.map(\.url) == ["http://director.example:8080/~de1/", "http://director.example:8080/-/eu/"])
    }

    @Test func settingsOutOfRangeAreClampedWithAWarning() throws {
        let r = try parse(#"{"version": 1, "mirrors": [{"url": "http://a.example/"}], "probe": {"samples": 500, "timeout_ms": 1, "concurrency": "many", "path": "../../etc/passwd"}}"#)
        #expect(r.probe.samples == 20)
        #expect(r.probe.timeoutMs == 100)
        #expect(r.probe.concurrency == 64)
        #expect(r.probe.path == "")
        #expect(r.warnings.count == 4)
    }

    @Test func namesFromTheNetworkAreSanitised() throws {
        let r = try parse(#"{"version": 1, "mirrors": [{"url": "http://a.example/", "name": "Evil\u001b[2J\u001b]0;x\u0007 Mirror"}]}"#)
        #expect(r.mirrors[0].name == "Evil Mirror")
    }

    @Test(arguments: [
        (#"{"mirrors": []}"#, "missing \"version\""),
        (#"{"version": true, "mirrors": []}"#, "\"version\" must be a number"),
        (#"{"version": 1}"#, "missing \"mirrors\" list"),
        (#"[1, 2]"#, "top level must be a JSON object"),
        ("{\"version\": 1,\n  \"mirrors\": [\n    {\"url\": }\n]}", "not valid JSON (line 3"),
    ])
    func brokenScriptsAreRefusedWithAReason(json: String, reason: String) {
        #expect(throws: ManifestError.self) { try parse(json) }
        do { _ = try parse(json) } catch {
            #expect(error.message.contains(reason), "\(error.message)")
        }
    }
}

@Suite("Link headers (RFC 8288, RFC 6249)")
struct LinkHeaderTests {
    @Test func parsesSeveralLinksWithParameters() {
        let links = LinkHeader.parse([
            #"<http://a.example/f.iso>; rel=duplicate; pri=1; geo=de; pref, <http://b.example/f.iso>; rel="duplicate"; pri=2"#,
            #"</f.meta4>; rel=describedby; type="application/metalink4+xml""#,
            "garbage without brackets",
        ])
        #expect(links.map(\.target) == ["http://a.example/f.iso", "http://b.example/f.iso", "/f.meta4"])
        #expect(links[0].parameters == ["rel": "duplicate", "pri": "1", "geo": "de", "pref": ""])
        #expect(links[1].relations == ["duplicate"])
        #expect(links[2].parameters["type"] == "application/metalink4+xml")
    }

    @Test func quotedCommasDoNotSplitLinks() {
        let links = LinkHeader.parse([#"<http://a/>; rel="x"; title="a, b", <http://b/>; rel=y"#])
        #expect(links.count == 2)
        #expect(links[0].parameters["title"] == "a, b")
    }
}

@Suite("HTML scanning")
struct HTMLScannerTests {
    @Test func findsTitleScriptsLinksAndAnchors() {
        let doc = HTMLScanner.scan("""
            <!DOCTYPE html><html><head><TITLE>Rel &amp; notes</TITLE>
            <!-- <a href="commented.iso">no</a> -->
            <link rel="stylesheet mirror-probe" href='probe.json'>
            <script type="application/mirror-probe+json">{"version":1,"mirrors":[{"url":"http://a/"}]}</script>
            <script>var s = "<a href='nope'>";</script>
            </head><body><div id="mirrorbrain-mirrors"><ul><li><a href="http://m1.example/f.iso">M<b>1</b></a></li></ul></div>
            <a href=files/x.tar.gz>x.tar.gz</a><a href="files/y">unclosed<a href="z">z</a></body>
            """)
        #expect(doc.title == "Rel & notes")
        #expect(doc.links.map(\.rel) == [["stylesheet", "mirror-probe"]])
        #expect(doc.links.map(\.href) == ["probe.json"])
        #expect(doc.scripts.map(\.type) == ["application/mirror-probe+json", ""])
        #expect(doc.anchors.map(\.href) == ["http://m1.example/f.iso", "files/x.tar.gz", "files/y", "z"])
        #expect(doc.anchors[0].text == "M1")
        #expect(doc.anchors[0].enclosingIDs == ["mirrorbrain-mirrors"])
        #expect(doc.anchors[1].enclosingIDs.isEmpty)
    }

    @Test func entities() {
        #expect(HTMLScanner.decodeEntities("a&lt;b&#62;c&#x41;&amp;&bogus;&") == "a<b>cA&&bogus;&")
    }

    @Test func truncatedHTMLDoesNotCrashOrHang() {
        let html = #"<html><head><title>x</title><script type="application/mirror-probe+json">{"version":1"#
        for cut in 0...html.count {
            _ = HTMLScanner.scan(String(html.prefix(cut)))
        }
        _ = HTMLScanner.scan("<a href=\"unterminated")
        _ = HTMLScanner.scan("<<<<>>>><!--")
    }
}
