@testable import MirrorscopeManifest
import MirrorscopeCore
import Testing

/// Core's `URLParts` is the one split of a URL; the lists' duplicate keys and ids are made from it.
@Suite("URL splitting")
struct URLSplitTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var url: String
        var scheme: String, host: String, port: Int?, path: String, query: String?
        var testDescription: String { url }
    }

    @Test(arguments: [
        Case(url: "https://mirror.example.org/archlinux/", scheme: "https", host: "mirror.example.org", port: nil, path: "/archlinux/", query: nil),
        Case(url: "HTTP://User:Pw@Mirror.Example.ORG:8080/a//b/?q=1#frag", scheme: "http", host: "mirror.example.org", port: 8080, path: "/a//b/", query: "q=1"),
        Case(url: "http://h.example?x#y", scheme: "http", host: "h.example", port: nil, path: "", query: "x"),
        Case(url: "http://h.example#y?x", scheme: "http", host: "h.example", port: nil, path: "", query: nil),
        Case(url: "ftp://ftp.example.net:21/pub", scheme: "ftp", host: "ftp.example.net", port: 21, path: "/pub", query: nil),
        Case(url: "rsync://rsync.example.org/module/", scheme: "rsync", host: "rsync.example.org", port: nil, path: "/module/", query: nil),
        Case(url: "https://h.example:/path", scheme: "https", host: "h.example", port: nil, path: "/path", query: nil),
        Case(url: "https://[2001:DB8::1]:8443/pub/", scheme: "https", host: "2001:db8::1", port: 8443, path: "/pub/", query: nil),
        Case(url: "file:///srv/mirror/", scheme: "file", host: "", port: nil, path: "/srv/mirror/", query: nil),
        Case(url: "https://h.example/caf\u{E9}/", scheme: "https", host: "h.example", port: nil, path: "/caf\u{E9}/", query: nil),
    ])
    func splitsEveryPart(c: Case) throws {
        let p = try #require(URLParts(c.url))
        #expect(p.scheme == c.scheme)
        #expect(p.host == c.host)
        #expect(p.port == c.port)
        #expect(p.path == c.path)
        #expect(p.query == c.query)
    }

    @Test(arguments: ["https://h.example:port/", "mailto:a@b.example", "no scheme", "://h.example/", "https://[::1/"])
    func refusesWhatIsNoAbsoluteURL(url: String) {
        #expect(URLParts(url) == nil)
    }

    @Test func keysIdsAndHostHeadersLeaveOutDefaultPorts() throws {
        #expect(MirrorURLs.duplicateKey("HTTP://User:Pw@Mirror.Example.ORG:8080/a//b/?q=1#frag") == "http://mirror.example.org:8080/a/b/?q=1")
        #expect(MirrorURLs.duplicateKey("ftp://ftp.example.net:21/pub") == "ftp://ftp.example.net/pub/")
        #expect(MirrorURLs.duplicateKey("rsync://r.example:873/m") == "rsync://r.example/m/")
        #expect(MirrorURLs.derivedID("https://h.example:8443//pub//x/") == "h.example:8443/pub/x")
        #expect(try #require(URLParts("https://[::1]:443/")).hostHeader == "[::1]")
        #expect(try #require(URLParts("http://[::1]:8080/")).hostHeader == "[::1]:8080")
        #expect(try #require(URLParts("http://a.example:80/")).hostHeader == "a.example")
        #expect(try #require(URLParts("https://a.example:80/")).hostHeader == "a.example:80")
    }

    @Test func joiningPutsExactlyOneSlashBetween() {
        #expect(URLParts.join("https://a.example/pub", "files/x") == "https://a.example/pub/files/x")
        #expect(URLParts.join("https://a.example/pub/", "//files/") == "https://a.example/pub/files/")
        #expect(URLParts.join("/base/", "") == "/base/")
    }

    @Test func variantsOfOneMirrorAreMergedOnce() throws {
        let page = try Analyze.page("HTTP://Mirror.Example.org:80/pub//debian\nhttp://mirror.example.org/pub/debian/\nhttp://mirror.example.org:8080/pub/debian/\n")
        #expect(page.mirrors.map(\.url) == ["HTTP://Mirror.Example.org:80/pub//debian/", "http://mirror.example.org:8080/pub/debian/"])
        #expect(page.mirrors.map(\.id) == ["mirror.example.org:80/pub/debian", "mirror.example.org:8080/pub/debian"])
        #expect(page.warnings == ["1 duplicate entry merged (line 2 repeats http://mirror.example.org/pub/debian/)"])
    }
}
