import Foundation
import MirrorscopeCore
import Testing

@Suite("probe script model")
struct ProbeScriptModelTests {
    func encode(_ script: ProbeScript) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(script), as: UTF8.self)
    }

    func decode(_ json: String) throws -> ProbeScript {
        try JSONDecoder().decode(ProbeScript.self, from: Data(json.utf8))
    }

    @Test func writesSnakeCaseKeysAndLeavesOutWhatIsNotSet() throws {
        let script = ProbeScript(title: "T", mirrors: [.init(url: "https://a.example/", id: "a", location: "de")],
                                 probe: .init(path: "probe.bin", timeoutMs: 1500), clientInfo: ["user_agent"],
                                 links: [.init(path: "files/", text: "files/")])
        #expect(try encode(script) == #"{"client_info":["user_agent"],"links":[{"path":"files/","text":"files/"}],"mirrors":[{"id":"a","location":"de","url":"https://a.example/"}],"probe":{"path":"probe.bin","timeout_ms":1500},"title":"T","version":1}"#)
    }

    @Test func whatAWriterEncodesReadsBackTheSame() throws {
        let script = ProbeScript(title: "Downloads", mirrors: [
            .init(url: "https://a.example/pub/", id: "a", name: "Aachen", location: "de", priority: 1, preferred: true),
            .init(url: "http://b.example/"),
        ], probe: .init(path: "p", method: "HEAD", samples: 2, timeoutMs: 900, concurrency: 4),
           clientInfo: ["hostname"], links: [.init(path: "x.iso")])
        var read = try decode(try encode(script))
        #expect(read.mirrors.map(\.position) == [0, 1])
        for i in read.mirrors.indices { read.mirrors[i].position = nil }
        #expect(read == script)
    }

    @Test func aLenientReadListsWhatItLeftOutInDocumentOrder() throws {
        let read = try decode("""
            {"version": 1, "title": 7, "mirrors": [42, {"name": "no url"}, {"url": "http://a/", "priority": "high"}],
             "probe": {"samples": "many", "timeout_ms": null, "path": 3},
             "links": ["a", {"text": "no path"}, {"path": "b"}]}
            """)
        #expect(read.title == nil)
        #expect(read.mirrors == [{ var e = ProbeScript.Entry(url: "http://a/"); e.position = 2; return e }()])
        #expect(read.probe == ProbeScript.Probe())
        #expect(read.links == [.init(path: "a"), .init(path: "b")])
        #expect(read.problems == [.mirrorNotAnObject(index: 0), .mirrorWithoutURL(index: 1),
                                  .notAWholeNumber(key: "samples"), .linkWithoutPath(index: 1)])
    }

    @Test func onlyAMissingVersionOrMirrorListRefusesTheDocument() {
        #expect(throws: ProbeScript.Refusal.missingVersion) { try decode(#"{"mirrors": []}"#) }
        #expect(throws: ProbeScript.Refusal.versionNotANumber) { try decode(#"{"version": "1", "mirrors": []}"#) }
        #expect(throws: ProbeScript.Refusal.missingMirrors) { try decode(#"{"version": 1, "mirrors": {}}"#) }
    }

    @Test func rfc6249LinesCarryOnlyWhatTheRFCAllows() {
        #expect(DuplicateLink(url: "http://a/f", priority: 2, location: "DE", preferred: true).headerValue
                == "<http://a/f>; rel=duplicate; pri=2; geo=de; pref")
        #expect(DuplicateLink(url: "http://a/f", location: "Frankfurt").headerValue == "<http://a/f>; rel=duplicate")
    }
}
