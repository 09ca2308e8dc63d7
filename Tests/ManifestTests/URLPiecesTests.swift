@testable import MirrorscopeManifest
import MirrorscopeCore
import Testing

/// The byte-level split that long lists use must agree with Core's `URLParts` on every URL it
/// accepts, and leave the rest to it.
@Suite("URL splitting for long lists")
struct URLPiecesTests {
    @Test(arguments: [
        "https://mirror.example.org/archlinux/",
        "HTTP://User:Pw@Mirror.Example.ORG:8080/a//b/?q=1#frag",
        "http://h.example?x#y",
        "http://h.example#y?x",
        "ftp://ftp.example.net:21/pub",
        "rsync://rsync.example.org/module/",
        "https://h.example:/path",
    ])
    func agreesWithURLParts(url: String) throws {
        let fast = try #require(URLPieces(plain: url))
        let slow = URLPieces(try #require(URLParts(url)))
        #expect(fast.scheme == slow.scheme)
        #expect(fast.host == slow.host)
        #expect(fast.port == slow.port)
        #expect(fast.path == slow.path)
        #expect(fast.query == slow.query)
        #expect(MirrorURLs.duplicateKey(fast) == MirrorURLs.duplicateKey(slow))
        #expect(MirrorURLs.derivedID(fast) == MirrorURLs.derivedID(slow))
    }

    @Test(arguments: ["https://[::1]:8443/pub/", "file:///srv/mirror/", "https://h.example:port/", "https://h.example/caf\u{E9}/", "mailto:a@b.example"])
    func leavesOtherURLsToURLParts(url: String) {
        #expect(URLPieces(plain: url) == nil)
    }

    @Test func variantsOfOneMirrorAreMergedOnce() throws {
        let page = try Analyze.page("HTTP://Mirror.Example.org:80/pub//debian\nhttp://mirror.example.org/pub/debian/\nhttp://mirror.example.org:8080/pub/debian/\n")
        #expect(page.mirrors.map(\.url) == ["HTTP://Mirror.Example.org:80/pub//debian/", "http://mirror.example.org:8080/pub/debian/"])
        #expect(page.mirrors.map(\.id) == ["mirror.example.org:80/pub/debian", "mirror.example.org:8080/pub/debian"])
        #expect(page.warnings == ["1 duplicate entry merged (line 2 repeats http://mirror.example.org/pub/debian/)"])
    }
}
