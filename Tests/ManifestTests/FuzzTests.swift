import Foundation
import MirrorscopeCore
import MirrorscopeManifest
import Testing

/// Truncated and mutated documents of every format: the analyser may refuse them, but must never
/// crash, hang, or take long. The mutations are seeded, so a failure replays the same way.
@Suite("fuzz: truncated and mutated documents")
struct FuzzTests {
    /// One small document per format, each with the features its parser reads.
    static let samples: [(PageFormat?, String)] = [
        (nil, #"<?xml version="1.0"?><metalink xmlns="urn:ietf:params:xml:ns:metalink"><file name="a/f.iso"><size>10</size><hash type="sha-256">e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855</hash><pieces length="5" type="sha-1"><hash>da39a3ee5e6b4b0d3255bfef95601890afd80709</hash></pieces><url priority="1" location="de">https://a.example/f.iso</url><url>http://b.example/x/f.iso</url></file></metalink>"#),
        (nil, #"<?xml version="1.0"?><metalink version="3.0" xmlns="http://www.metalinker.org/" xmlns:mm0="http://fedorahosted.org/mirrormanager"><files><file name="repomd.xml"><mm0:timestamp>1</mm0:timestamp><size>2</size><verification><hash type="md5">d41d8cd98f00b204e9800998ecf8427e</hash></verification><resources><url location="US" preference="99">http://a.example/r/repomd.xml</url><url preference="x">ftp://b.example/repomd.xml</url></resources></file></files></metalink>"#),
        (nil, "http://a.example/\tpriority:1 arch:amd64\nhttps://b.example/debian/\ttype:deb\n# c\nfile:/srv/m/\n"),
        (nil, "## Germany\nServer = https://a.example/$repo/os/$arch\n#Server = http://b.example/$repo/os/$arch\n## France\nServer = http://c.example/arch/$repo/os/$arch\n"),
        (nil, #"{"version":3,"urls":[{"url":"https://a.example/","protocol":"https","last_sync":"2026-05-11T19:21:24Z","completion_pct":1.0,"delay":5,"score":1.5,"country":"Germany","country_code":"DE"},{"url":"rsync://b.example/","last_sync":null,"score":null,"country_code":""}]}"#),
        (nil, "Site: a.example\nCountry: DE Germany\nLocation: Berlin\nArchive-http: /debian/\nArchive-rsync: debian/\n\nSite: b.example\nArchive-https: /d/\n"),
        (.cran, "\"Name\",\"Country\",\"City\",\"URL\",\"OK\",\"CountryCode\"\n\"A, x\",\"UK\",\"L\",\"https://a.example/\",1,\"uk\"\n\"B\",\"\",\"\",\"http://b.example/cran/\",0,\"de\"\n"),
        (.cpan, "a.example:\n  dst_http = \"http://a.example/CPAN/\"\n  dst_rsync = \"a.example::CPAN\"\n  dst_location = \"Wien, Austria, Europe (48 16)\"\n\nbad line\nb.example:\n  dst_ftp = \"ftp://b.example/\"\n"),
        (nil, "# yum\n  http://a.example/fedora/$releasever/\nftp://b.example/pub/\n"),
        (nil, #"<html><head><title>T</title><link rel="metalink" href="f.meta4"></head><body><div id="mirrorbrain-mirrors"><ul><li><a href="http://a.example/f">a</a> (de, prio 1)</li></ul></div></body></html>"#),
        (nil, #"<html><body><script type="application/mirror-probe+json">{"version":1,"mirrors":[{"url":"https://a.example/","priority":1}]}</script></body></html>"#),
        (.links, #"<html><body><a href="https://a.example/x">a</a><a href="http://b.example/y/z">b</a></body></html>"#),
        (nil, #"{"version":1,"mirrors":[{"url":"https://a.example/","id":"a","location":"de","priority":1}],"probe":{"path":"p.bin","samples":2}}"#),
    ]

    /// RFC 6249 lives in the headers: these are mutated instead of the body.
    static let duplicateHeaders = #"<http://m1.example/pub/f.iso>; rel=duplicate; pri=2; geo=de, <http://m2.example/f.iso>; rel="duplicate"; pref; pri=1"#

    static func analyse(_ bytes: [UInt8], format: PageFormat?, links: [String] = []) -> Duration {
        let doc = PageDocument(source: "fuzz", url: "https://fuzz.example/page", linkHeaders: links, body: Data(bytes),
                               digestHeaders: ["SHA-256=" + String(decoding: bytes.prefix(12), as: UTF8.self)])
        let clock = ContinuousClock()
        let start = clock.now
        if case .page(var page)? = try? PageAnalyzer.analyze(doc, format: format) {
            _ = TemplateVariables.apply(["repo": "core", "arch": "x86_64"], to: &page)
            var filter = MirrorFilter()
            filter.countries = ["de"]
            filter.limit = 1
            try? filter.apply(to: &page, now: 0)
        }
        return clock.now - start
    }

    @Test(.timeLimit(.minutes(2)))
    func truncatedDocumentsNeverCrashOrHang() {
        for (format, sample) in Self.samples {
            let bytes = Array(sample.utf8)
            for cut in 0...bytes.count {
                let took = Self.analyse(Array(bytes.prefix(cut)), format: format)
                #expect(took < .seconds(1), "\(format?.rawValue ?? "detected") cut at \(cut) took \(took)")
            }
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func mutatedDocumentsNeverCrashOrHang() {
        var random = SplitMix64(seed: 0x6D69_7272_6F72)
        let interesting: [UInt8] = Array("<>\"'&;:=/\\$#{}[],\n\r\t\0 ".utf8) + [0xFF, 0xC3, 0x1B]
        for (format, sample) in Self.samples {
            let bytes = Array(sample.utf8)
            for _ in 0..<250 {
                var mutated = bytes
                for _ in 0..<Int(random.next() % 6 + 1) {
                    let at = Int(random.next() % UInt64(mutated.count))
                    switch random.next() % 4 {
                    case 0: mutated[at] = UInt8(truncatingIfNeeded: random.next())
                    case 1: mutated[at] = interesting[Int(random.next() % UInt64(interesting.count))]
                    case 2: mutated.insert(contentsOf: mutated[at..<min(mutated.count, at + 16)], at: at) // repeat a run
                    default: if mutated.count > 1 { mutated.remove(at: at) }
                    }
                }
                let took = Self.analyse(mutated, format: format)
                #expect(took < .seconds(1), "\(format?.rawValue ?? "detected"): a mutation took \(took): \(String(decoding: mutated, as: UTF8.self))")
            }
        }
        let header = Array(Self.duplicateHeaders.utf8)
        for _ in 0..<500 {
            var mutated = header
            for _ in 0..<Int(random.next() % 4 + 1) {
                mutated[Int(random.next() % UInt64(mutated.count))] = interesting[Int(random.next() % UInt64(interesting.count))]
            }
            let took = Self.analyse([], format: nil, links: [String(decoding: mutated.prefix(Int(random.next() % UInt64(mutated.count + 1))), as: UTF8.self)])
            #expect(took < .seconds(1), "Link header mutation took \(took)")
        }
    }

    @Test(.enabled(if: Fixtures.available, Comment(rawValue: Fixtures.absent)), .timeLimit(.minutes(2)))
    func truncatedFixturesNeverCrashOrHang() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Fixtures.folder.path).filter { $0 != "SOURCES.md" }
        for name in names {
            let bytes = [UInt8](try Fixtures.data(name))
            // Forty cuts per file, wherever they fall (inside a tag, a quoted field, a UTF-8 sequence).
            for step in 1...40 {
                let took = Self.analyse(Array(bytes.prefix(bytes.count * step / 41)), format: nil)
                #expect(took < .seconds(2), "\(name) cut at \(bytes.count * step / 41) took \(took)")
            }
        }
    }
}
