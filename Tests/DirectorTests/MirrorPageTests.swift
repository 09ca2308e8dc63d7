import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import MirrorscopeDirector

@Suite struct MirrorPageTests {
    func snapshot(mode: DirectorMode = .redirect, down: Set<String> = [], change: (inout DirectorConfig) -> Void = { _ in }) -> Snapshot {
        var config = DirectorConfig(listen: ["127.0.0.1:0"], secret: "0123456789abcdef", reals: [
            RealServerConfig(id: "de1", url: "http://de.example.org/pub/", httpsURL: "https://de.example.org/pub/", weight: 3, location: "de"),
            RealServerConfig(id: "fr1", url: "http://fr.example.org/pub/", location: "Paris <south>"),
            RealServerConfig(id: "us1", url: "http://us.example.org/pub/", location: "us"),
        ], mode: mode)
        config.page = PageSettings(title: "Mirrors & more", probePath: "probe.bin")
        change(&config)
        let table = ServerTable(config: config, isUp: { !down.contains($0) }, slots: ["de1": 0, "fr1": 1, "us1": 2])
        return Snapshot(generation: 1, config: config, table: table, accessLogger: nil)
    }

    func script(_ page: MirrorPage) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(page.probeScript().utf8)) as? [String: Any])
    }

    @Test func theProbeScriptListsTheHealthyRealServers() throws {
        let page = MirrorPage(snapshot: snapshot(down: ["us1"]), virtual: 0, isTLS: false, directorBaseURL: "http://d.example")
        let json = try script(page)
        #expect(json["version"] as? Int == 1)
        let mirrors = try #require(json["mirrors"] as? [[String: Any]])
        #expect(mirrors.map { $0["id"] as? String } == ["de1", "fr1"])
        #expect(mirrors.map { $0["url"] as? String } == ["http://de.example.org/pub/", "http://fr.example.org/pub/"])
        #expect(mirrors.map { $0["location"] as? String } == ["de", "Paris <south>"])
        #expect(mirrors.map { $0["priority"] as? Int } == [1, 2])
        #expect((json["probe"] as? [String: Any])?["path"] as? String == "probe.bin")
        #expect(!page.probeScript().contains("<"))
    }

    @Test func namesAndContentLinksReachTheClient() throws {
        let snap = snapshot { config in
            config.reals[0].name = "Frankfurt"
            config.page.links = ["files/README.txt", "files/"]
        }
        let page = MirrorPage(snapshot: snap, virtual: 0, isTLS: false, directorBaseURL: "http://d.example")
        let json = try script(page)
        let mirrors = try #require(json["mirrors"] as? [[String: Any]])
        #expect(mirrors.map { $0["name"] as? String } == ["Frankfurt", "fr1", "us1"], "the id when no name is configured")
        #expect(json["title"] as? String == "Mirrors & more")
        let links = try #require(json["links"] as? [[String: String]])
        #expect(links == [["path": "files/README.txt", "text": "README.txt"], ["path": "files/", "text": "files/"]])
        let body = String(buffer: page.html().body)
        #expect(body.contains("<a href=\"/files/README.txt\">README.txt</a>"), "through the director, which redirects")
        #expect(body.contains(">Frankfurt</a> (de)"))
    }

    @Test func pageLinksThatLeaveTheMirrorAreRefused() {
        for bad in ["../etc/passwd", "/abs", "http://evil.example/", ""] {
            var config = snapshot().config
            config.page.links = [bad]
            #expect(throws: ConfigError.self, "\(bad)") { try config.validate() }
        }
    }

    @Test func tlsClientsGetHTTPSURLs() throws {
        let page = MirrorPage(snapshot: snapshot(), virtual: 0, isTLS: true, directorBaseURL: "https://d.example")
        #expect(page.entries.first?.url == "https://de.example.org/pub/")
    }

    @Test func proxyModeListsDirectedIdentifiers() {
        let page = MirrorPage(snapshot: snapshot(mode: .proxy), virtual: 0, isTLS: false, directorBaseURL: "http://d.example:8080")
        #expect(page.entries.map(\.url) == ["http://d.example:8080/~de1/", "http://d.example:8080/~fr1/", "http://d.example:8080/~us1/"])
    }

    @Test func htmlEmbedsTheScriptAndSendsLinkHeaders() {
        let page = MirrorPage(snapshot: snapshot(), virtual: 0, isTLS: false, directorBaseURL: "http://d.example")
        let response = page.html()
        let body = String(buffer: response.body)
        #expect(body.contains("<script type=\"application/mirror-probe+json\">\n{"))
        #expect(body.contains("<title>Mirrors &amp; more</title>"))
        #expect(body.contains("(Paris &lt;south&gt;)"))
        #expect(response.headers["link"] == [
            "<http://de.example.org/pub/>; rel=duplicate; pri=1; geo=de",
            "<http://fr.example.org/pub/>; rel=duplicate; pri=2",
            "<http://us.example.org/pub/>; rel=duplicate; pri=2; geo=us",
        ])
        #expect(response.headers.first(name: "content-type") == "text/html; charset=utf-8")
    }

    @Test func metalinkGivesTheSameList() throws {
        let page = MirrorPage(snapshot: snapshot(), virtual: 0, isTLS: false, directorBaseURL: "http://d.example")
        let xml = String(buffer: page.metalink(query: nil).body)
        #expect(xml.contains("<metalink xmlns=\"urn:ietf:params:xml:ns:metalink\">"))
        #expect(xml.contains("<url priority=\"1\" location=\"de\">http://de.example.org/pub/</url>"))
        #expect(xml.contains("<url priority=\"2\">http://fr.example.org/pub/</url>"))
        let file = String(buffer: page.metalink(query: "path=files/x.tar.gz").body)
        #expect(file.contains("<file name=\"x.tar.gz\">"))
        #expect(file.contains(">http://us.example.org/pub/files/x.tar.gz</url>"))
        #expect(page.metalink(query: "path=../etc/passwd").status == .badRequest)
        #expect(page.metalink(query: "path=/etc/passwd").status == .badRequest)
        // The document is well-formed XML.
        let parser = XMLParser(data: Data(xml.utf8))
        #expect(parser.parse())
    }
}
