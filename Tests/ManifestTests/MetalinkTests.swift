import Foundation
import MirrorscopeCore
import MirrorscopeManifest
import Testing

@Suite("Metalink 4 and 3")
struct MetalinkTests {
    let meta4 = """
        <?xml version="1.0" encoding="UTF-8"?>
        <metalink xmlns="urn:ietf:params:xml:ns:metalink">
          <file name="dist/tool-1.0.tar.gz">
            <size>1048576</size>
            <hash type="sha-256">E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855</hash>
            <hash type="sha-1">not-hex</hash>
            <pieces length="524288" type="sha-1">
              <hash>da39a3ee5e6b4b0d3255bfef95601890afd80709</hash>
              <hash>da39a3ee5e6b4b0d3255bfef95601890afd80709</hash>
            </pieces>
            <url priority="2" location="DE">https://de.example.org/pub/dist/tool-1.0.tar.gz</url>
            <url location="fr" priority="1">http://fr.example.org/tool-1.0.tar.gz</url>
            <url priority="1000000">ftp://ftp.example.net/mirror/tool-1.0.tar.gz</url>
            <url priority="3">https://de.example.org/pub/dist/tool-1.0.tar.gz</url>
            <url></url>
            <metaurl mediatype="torrent">https://example.org/tool.torrent</metaurl>
          </file>
        </metalink>
        """

    @Test func metalink4MirrorsPrioritiesCountriesAndFileFacts() throws {
        let page = try Analyze.page(meta4, fileName: "tool.meta4")
        #expect(page.format == "metalink4")
        #expect(page.mirrors.map(\.url) == ["https://de.example.org/pub/dist/", "http://fr.example.org/", "ftp://ftp.example.net/mirror/"])
        #expect(page.mirrors.map(\.priority) == [2, 1, nil], "the repeat's priority 3 does not beat 2; 1000000 is out of range")
        #expect(page.mirrors.map(\.country) == ["de", "fr", nil])
        #expect(page.probe.path == "tool-1.0.tar.gz", "each mirror is probed for the file")
        let file = try #require(page.files.first)
        #expect(file.name == "dist/tool-1.0.tar.gz")
        #expect(file.size == 1_048_576)
        #expect(file.hashes == ["sha-256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"])
        #expect(file.pieces == [FileFacts.Pieces(type: "sha-1", length: 524_288, hashes: Array(repeating: "da39a3ee5e6b4b0d3255bfef95601890afd80709", count: 2))])
        #expect(page.warnings.contains { $0.contains("priority \"1000000\" is outside 1...999999") })
        #expect(page.warnings.contains { $0.contains("hash sha-1") && $0.contains("not hexadecimal") })
        #expect(page.warnings.contains { $0.contains("url 5") && $0.contains("no URL, skipped") })
        #expect(page.warnings.contains { $0.hasPrefix("1 duplicate entry merged") })
        #expect(page.warnings.contains("1 entry skipped"))
    }

    @Test func metalink3PreferenceBecomesAPriorityAndOnlyResourcesCount() throws {
        let xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <metalink version="3.0" xmlns="http://www.metalinker.org/" xmlns:mm0="http://fedorahosted.org/mirrormanager">
              <files>
                <file name="repomd.xml">
                  <mm0:timestamp>1337942396</mm0:timestamp>
                  <size>4309</size>
                  <verification><hash type="sha256">0076c44aabd352da878d5c4d794901ac87f66afac869488f6a4ef166de018cdf</hash></verification>
                  <url>https://outside.example/repodata/repomd.xml</url>
                  <resources maxconnections="1">
                    <url protocol="https" type="https" location="US" preference="100">https://a.example/f/repodata/repomd.xml</url>
                    <url protocol="http" type="http" location="CA" preference="0">http://b.example/repodata/repomd.xml</url>
                    <url type="bittorrent" preference="90">https://t.example/repomd.xml.torrent</url>
                    <url location="GB" preference="101">rsync://c.example/repodata/repomd.xml</url>
                  </resources>
                </file>
              </files>
            </metalink>
            """
        let page = try Analyze.page(xml)
        #expect(page.format == "metalink3")
        #expect(page.mirrors.map(\.url) == ["https://a.example/f/repodata/", "http://b.example/repodata/", "rsync://c.example/repodata/"])
        #expect(page.mirrors.map(\.priority) == [1, 101, nil], "101 - preference; 101 is outside 0...100")
        #expect(page.mirrors.map(\.location) == ["us", "ca", "gb"])
        #expect(page.files == [FileFacts(name: "repomd.xml", size: 4309,
                                         hashes: ["sha-256": "0076c44aabd352da878d5c4d794901ac87f66afac869488f6a4ef166de018cdf"],
                                         timestamp: 1_337_942_396)])
        #expect(page.warnings == ["file \"repomd.xml\", url 4 (line 13): preference \"101\" is not a number in 0...100; ignored"])
    }

    @Test(arguments: [
        ("../../etc/passwd", "leaves the download folder"),
        ("/etc/passwd", "absolute"),
        ("dir\\..\\x", "backslash"),
        ("a/../../b", "leaves the download folder"),
        ("./x", "starting with \"./\""),
        ("C:/x", "drive letter"),
    ])
    func fileNamesThatLeaveTheDownloadFolderAreRefused(name: String, reason: String) throws {
        let xml = """
            <metalink xmlns="urn:ietf:params:xml:ns:metalink">
              <file name="\(name)"><url>https://evil.example/x</url></file>
              <file name="ok.iso"><url>https://good.example/ok.iso</url></file>
            </metalink>
            """
        let page = try Analyze.page(xml)
        #expect(page.mirrors.map(\.url) == ["https://good.example/"])
        #expect(page.files.map(\.name) == ["ok.iso"])
        #expect(page.warnings.contains { $0.contains(reason) && $0.contains("refused") }, "\(page.warnings)")
    }

    @Test func aMetalinkWhoseOnlyFileIsRefusedHasNoUsableMirror() {
        let message = Analyze.error(#"<metalink xmlns="urn:ietf:params:xml:ns:metalink"><file name="../x"><url>https://a.example/x</url></file></metalink>"#)
        #expect(message?.contains("no usable mirror in this Metalink 4") == true, "\(message ?? "loaded")")
    }

    @Test func documentTypeDeclarationsAreRefusedNotExpanded() {
        let laughs = """
            <?xml version="1.0"?>
            <!DOCTYPE metalink [
              <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
              <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
            ]>
            <metalink xmlns="urn:ietf:params:xml:ns:metalink"><file name="x"><url>https://a.example/&b;</url></file></metalink>
            """
        let message = Analyze.error(laughs)
        #expect(message?.contains("line 2, column 1: document type declarations") == true, "\(message ?? "loaded")")
        let external = #"<?xml version="1.0"?><!DOCTYPE m SYSTEM "file:///etc/passwd"><metalink xmlns="urn:ietf:params:xml:ns:metalink"/>"#
        #expect(Analyze.error(external)?.contains("refused") == true)
    }

    @Test func brokenXMLGivesTheLineAndColumn() {
        let truncated = "<?xml version=\"1.0\"?>\n<metalink version=\"3.0\">\n  <files>\n    <file name=\"a\">\n      <resources><url>http://a.example/a</url>"
        let message = Analyze.error(truncated)
        #expect(message?.contains("Metalink: line 5, column") == true, "\(message ?? "loaded")")
        #expect(message?.contains("ends too early") == true, "\(message ?? "loaded")")
        let mismatched = Analyze.error("<metalink xmlns=\"urn:ietf:params:xml:ns:metalink\">\n<file name=\"a\"></metalink>")
        #expect(mismatched?.contains("line 2") == true, "\(mismatched ?? "loaded")")
    }

    @Test func mirrorManagersCommentOnlyAnswerIsExplained() {
        let message = Analyze.error("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- # repo = fedora-99 arch = x86_64 error: invalid repo or arch -->\n")
        #expect(message?.contains("holds only a comment") == true, "\(message ?? "loaded")")
        #expect(message?.contains("invalid repo or arch") == true)
    }

    @Test func anUnknownRootOrNamespaceIsRefused() {
        #expect(Analyze.error("<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"/>", format: .metalink4)?
            .contains("the root element is <feed>") == true)
        #expect(Analyze.error("<metalink xmlns=\"urn:example\"/>", format: .metalink4)?.contains("neither Metalink 4") == true)
    }

    @Test func deepNestingIsRefused() {
        let deep = "<metalink xmlns=\"urn:ietf:params:xml:ns:metalink\">" + String(repeating: "<x>", count: 100) + String(repeating: "</x>", count: 100) + "</metalink>"
        #expect(Analyze.error(deep)?.contains("nested deeper than") == true)
    }
}
