import Foundation
import MirrorscopeCore
import MirrorscopeManifest
import Testing

@Suite("page analysis: finding the mirrors")
struct PageAnalyzerTests {
    let script = #"{"version":1,"mirrors":[{"url":"https://de.example.org/pub/","name":"Frankfurt"},{"url":"https://fr.example.org/pub/"}],"probe":{"path":"probe.bin"}}"#

    func analyze(_ body: String, type: String? = nil, links: [String] = [], url: String? = "https://downloads.example.org/release/") throws(ManifestError) -> PageAnalysis {
        try PageAnalyzer.analyze(PageDocument(source: url ?? "-", url: url, contentType: type, linkHeaders: links, body: Data(body.utf8)))
    }

    func page(_ analysis: PageAnalysis) -> Page? {
        if case .page(let p) = analysis { return p }
        return nil
    }

    @Test func aProbeScriptServedAloneByMediaType() throws {
        let p = try #require(page(try analyze(script, type: "application/mirror-probe+json; charset=utf-8")))
        #expect(p.mirrors.map(\.displayName) == ["Frankfurt", "fr.example.org"])
        #expect(p.probe.path == "probe.bin")
    }

    @Test func aProbeScriptEmbeddedInHTMLWithThePagesLinks() throws {
        let html = """
            <html><head><title>Example 1.0</title></head><body>
            <script type="application/mirror-probe+json">\(script)</script>
            <a href="files/example-1.0.tar.gz">Source</a> <a href="/release/files/SHA256SUMS">sums</a>
            <a href="https://elsewhere.example/">elsewhere</a> <a href="../other/">up</a> <a href="#top">top</a>
            <a href="files/x.iso?mirrorlist#frag">ISO</a> <a href="mailto:a@b">mail</a>
            </body></html>
            """
        let p = try #require(page(try analyze(html, type: "text/html")))
        #expect(p.title == "Example 1.0")
        #expect(p.mirrors.count == 2)
        // Only links under the page's own folder are content the mirrors hold.
        #expect(p.links == [PageLink(text: "Source", path: "files/example-1.0.tar.gz"),
                            PageLink(text: "sums", path: "files/SHA256SUMS"),
                            PageLink(text: "ISO", path: "files/x.iso")])
    }

    @Test func aLinkedProbeScriptIsFollowed() throws {
        let html = #"<html><head><title>T</title><link rel="mirror-probe" href="probe.json"></head><body><a href="a.txt">a</a></body></html>"#
        guard case .follow(let url, let partial) = try analyze(html, type: "text/html") else {
            Issue.record("expected to follow the link"); return
        }
        #expect(url == "https://downloads.example.org/release/probe.json")
        #expect(partial.title == "T")
        let done = try PageAnalyzer.complete(partial, script: PageDocument(source: url, url: url, body: Data(script.utf8)))
        #expect(done.mirrors.count == 2)
        #expect(done.links == [PageLink(text: "a", path: "a.txt")])
    }

    @Test func aLinkHeaderToTheProbeScriptIsFollowed() throws {
        guard case .follow(let url, _) = try analyze("<html><body>hi</body></html>", type: "text/html",
                                                     links: [#"</scripts/probe.json>; rel="mirror-probe""#]) else {
            Issue.record("expected to follow the Link header"); return
        }
        #expect(url == "https://downloads.example.org/scripts/probe.json")

        // A Link header is not HTML: "&amp;" in its target is four characters of the URL.
        guard case .follow(let query, _) = try analyze("<html></html>", type: "text/html",
                                                       links: [#"</probe.json?a=1&amp;b=2>; rel="mirror-probe""#]) else {
            Issue.record("expected to follow the Link header"); return
        }
        #expect(query == "https://downloads.example.org/probe.json?a=1&amp;b=2")
    }

    @Test func htmlAttributesAreDecodedOnce() throws {
        let html = #"<html><head><link rel="mirror-probe" href="/probe.json?a=1&amp;amp;b=2"></head></html>"#
        guard case .follow(let url, _) = try analyze(html, type: "text/html") else { Issue.record("expected to follow"); return }
        #expect(url == "https://downloads.example.org/probe.json?a=1&amp;b=2")
    }

    @Test func rfc6249DuplicatesBecomeMirrors() throws {
        let p = try #require(page(try analyze("binary", type: "application/x-iso9660-image", links: [
            "<http://m1.example/pub/f.iso>; rel=duplicate; pri=2; geo=DE",
            "<http://m2.example/f.iso>; rel=duplicate; pri=1; pref",
            "<http://m3.example/f.iso>; rel=duplicate; pri=0",
        ], url: "https://downloads.example.org/f.iso")))
        #expect(p.mirrors.map(\.url) == ["http://m1.example/pub/", "http://m2.example/", "http://m3.example/"])
        #expect(p.mirrors.map(\.priority) == [2, 1, nil])
        #expect(p.mirrors[0].location == "de")
        #expect(p.mirrors[1].preferred)
        #expect(p.probe.path == "f.iso", "each mirror is probed for the duplicated file")
        #expect(p.links == [PageLink(text: "f.iso", path: "f.iso")], "the file is what the chosen mirror opens or saves")
        #expect(p.warnings.contains { $0.contains("pri=0 is outside 1...999999") })
    }

    @Test func aPlainListOfURLs() throws {
        let p = try #require(page(try analyze("# mirrors\n\nhttps://a.example/pub/\n  http://b.example/\tpriority:1\nftp://c.example/pub/\nnot-a-url\n", url: nil)))
        #expect(p.mirrors.map(\.url) == ["https://a.example/pub/", "http://b.example/", "ftp://c.example/pub/"])
        #expect(p.warnings.contains { $0.hasPrefix("line 6: \"not-a-url\" is not a URL") })
    }

    @Test func jsonIsSniffedWithoutAMediaType() throws {
        let p = try #require(page(try analyze("  \n" + script, url: nil)))
        #expect(p.mirrors.count == 2)
    }

    @Test(arguments: [
        ("<html><body><a href='http://x.example/'>x</a></body></html>", "text/html", "no mirrors found"),
        ("just some words\nand more", "text/plain", "no mirror URLs found"),
        ("", nil, "no mirror URLs found"),
        ("\u{0}\u{1}binary", nil, "binary content"),
    ] as [(String, String?, String)])
    func pagesWithoutMirrorsAreRefusedSayingWhy(body: String, type: String?, reason: String) {
        do {
            _ = try analyze(body, type: type)
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains(reason), "\(error.message)")
        }
    }

    @Test func oversizedDocumentsAreRefused() {
        let big = String(repeating: "http://a.example/\n", count: ManifestLimits.maxDocumentBytes / 18 + 10)
        #expect(throws: ManifestError.self) { try analyze(big) }
    }

    @Test func truncatedAndMutatedPagesNeverCrash() {
        let html = """
            <html><head><title>T</title><script type="application/mirror-probe+json">\(script)</script></head>
            <body><a href="files/a">a</a></body></html>
            """
        let bytes = Array(html.utf8)
        var generator = SystemRandomNumberGenerator()
        for cut in stride(from: 0, through: bytes.count, by: 3) {
            _ = try? analyze(String(decoding: bytes.prefix(cut), as: UTF8.self), type: "text/html")
        }
        for _ in 0..<300 {
            var mutated = bytes
            for _ in 0..<4 { mutated[Int.random(in: 0..<mutated.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator) }
            _ = try? analyze(String(decoding: mutated, as: UTF8.self), type: nil)
        }
    }
}
