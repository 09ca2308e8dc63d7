import Foundation
import MirrorscopeCore
import MirrorscopeDirector
import MirrorscopeFarm
import TestSupport
import Testing

/// A file's Metalink (`/PATH.meta4`, `/PATH.metalink`, `Accept`) and a redirect's RFC 6249 `Link`
/// and `Digest` headers: a real director in front of farm mirrors, one of which lacks the tarball.
@Suite struct FileLinksTests {
    static let tarball = "files/mirrorscope-demo-1.0.tar.gz"

    static func run(_ ids: [String] = ["a", "b", "c"], missing: [String: [String]] = ["c": [tarball]],
                    configure: @escaping (inout DirectorConfig, Farm) -> Void = { _, _ in },
                    _ body: (Farm, RunningDirector) async throws -> Void) async throws {
        try await HoldingsTests.withFarm(ids, missing: missing) { farm in
            var config = HoldingsTests.config(farm)
            configure(&config, farm)
            try await Harness.withDirector(config) { director in try await body(farm, director) }
        }
    }

    /// The tarball's SHA-256 as the mirror's own SHA256SUMS says it.
    static func sums(_ farm: Farm, _ id: String = "a") async throws -> String {
        let text = try await TestHTTPClient.get(farm.url(ofMirror: id)! + "files/SHA256SUMS").text
        let line = try #require(text.split(separator: "\n").first { $0.hasSuffix("mirrorscope-demo-1.0.tar.gz") })
        return String(line.prefix(64))
    }

    static func duplicates(_ response: TestResponse) -> [String] {
        response.headers["link"].filter { $0.contains("rel=duplicate") }
    }

    @Test func aFilesMetalinkListsTheMirrorsThatHoldItWithItsSizeAndHash() async throws {
        try await Self.run { farm, director in
            let hash = try await Self.sums(farm)
            for _ in 0..<2 {  // the second from the cache
                let response = try await TestHTTPClient.get(director.url + "/" + Self.tarball + ".meta4")
                #expect(response.status == 200)
                #expect(response.header("content-type") == "application/metalink4+xml")
                let xml = response.text
                #expect(xml.contains("<file name=\"mirrorscope-demo-1.0.tar.gz\">"), "\(xml)")
                for id in ["a", "b"] { #expect(xml.contains(">\(farm.url(ofMirror: id)!)\(Self.tarball)</url>"), "\(id): \(xml)") }
                #expect(!xml.contains(farm.url(ofMirror: "c")!), "c lacks the file: \(xml)")
                #expect(xml.contains("<size>\(2 << 20)</size>"), "\(xml)")
                #expect(xml.contains("<hash type=\"sha-256\">\(hash)</hash>"), "\(xml)")
            }
            // The director read the sums once from each holder, for both requests (the test's own
            // read from a is the other one), and never from c, which lacks the file.
            for (id, count) in [("a", 2), ("b", 1), ("c", 0)] {
                #expect(farm.requestCount(mirror: id, method: "GET", path: "/pub/files/SHA256SUMS") == count, "\(id)")
            }
        }
    }

    @Test func acceptAsksForTheMetalinkAndMetalink3HasItsOwnForm() async throws {
        try await Self.run { farm, director in
            let negotiated = try await TestHTTPClient.get(director.url + "/" + Self.tarball,
                                                          headers: [("Accept", "*/*, application/metalink4+xml, application/metalink+xml")])
            #expect(negotiated.status == 200)
            #expect(negotiated.header("content-type") == "application/metalink4+xml")
            #expect(negotiated.header("vary") == "Accept")
            let refused = try await TestHTTPClient.get(director.url + "/" + Self.tarball,
                                                       headers: [("Accept", "application/metalink4+xml;q=0, */*")])
            #expect(refused.status == 302)
            let three = try await TestHTTPClient.get(director.url + "/" + Self.tarball + ".metalink")
            #expect(three.status == 200)
            #expect(three.header("content-type") == "application/metalink+xml")
            #expect(three.text.contains("<metalink version=\"3.0\" xmlns=\"http://www.metalinker.org/\""), "\(three.text)")
            #expect(three.text.contains("preference=\"100\">\(farm.url(ofMirror: "a")!)\(Self.tarball)</url>"), "\(three.text)")
            #expect(three.text.contains("<hash type=\"sha256\">\(try await Self.sums(farm))</hash>"), "\(three.text)")
        }
    }

    @Test func aRedirectNamesTheOtherHoldersItsMetalinkAndOnceKnownItsDigest() async throws {
        try await Self.run { farm, director in
            let first = try await TestHTTPClient.get(director.url + "/" + Self.tarball)
            #expect(first.status == 302)
            let location = try #require(first.location)
            let links = Self.duplicates(first)
            #expect(links.first == "<\(location)>; rel=duplicate; pri=1; geo=de", "\(links)")
            #expect(links.count == 2, "the chosen mirror and the other holder: \(links)")
            #expect(!links.contains { $0.contains(farm.url(ofMirror: "c")!) }, "c lacks the file: \(links)")
            #expect(first.headers["link"].contains("</\(Self.tarball).meta4>; rel=describedby; type=\"application/metalink4+xml\""))
            #expect(first.header("digest") == nil, "no hash is known yet")
            // A Metalink request learns the hash; redirects carry it from then on.
            _ = try await TestHTTPClient.get(director.url + "/" + Self.tarball + ".meta4")
            let later = try await TestHTTPClient.get(director.url + "/" + Self.tarball)
            let bytes = try #require(FileLinksTests.bytes(hex: try await Self.sums(farm)))
            #expect(later.header("digest") == "sha-256=" + Data(bytes).base64EncodedString())
            // A file every mirror holds names all three.
            let readme = try await TestHTTPClient.get(director.url + "/files/README.txt")
            #expect(Self.duplicates(readme).count == 3, "\(Self.duplicates(readme))")
        }
    }

    @Test func mirrorsThatDisagreeGiveNoHashAndOneMirrorAloneIsNotBelieved() async throws {
        try await Self.run(["a", "b"], missing: [:]) { farm, director in
            // README.txt names its server, so the mirrors' SHA256SUMS differ for it.
            let readme = try await TestHTTPClient.get(director.url + "/files/README.txt.meta4")
            #expect(readme.status == 200)
            #expect(!readme.text.contains("<hash"), "\(readme.text)")
        }
        try await Self.run(["a", "b"], missing: ["b": [Self.tarball]]) { farm, director in
            let response = try await TestHTTPClient.get(director.url + "/" + Self.tarball + ".meta4")
            #expect(!response.text.contains("<hash"), "one mirror's word is not enough: \(response.text)")
            #expect(!response.text.contains("<size>"), "\(response.text)")
        }
    }

    @Test func theOriginsWordIsBelievedAlone() async throws {
        try await Self.run(["a", "b"], missing: ["b": [Self.tarball]], configure: { config, farm in
            config.virtualServers[0].fileLinks.origin = farm.originURL.hasSuffix("/") ? farm.originURL : farm.originURL + "/"
        }) { farm, director in
            let response = try await TestHTTPClient.get(director.url + "/" + Self.tarball + ".meta4")
            #expect(response.text.contains("<hash type=\"sha-256\">\(try await Self.sums(farm))</hash>"), "\(response.text)")
            #expect(response.text.contains("<size>\(2 << 20)</size>"), "\(response.text)")
        }
    }

    @Test func aMeta4NoMirrorDescribesIsServedAsAFileAndLinkDuplicatesZeroTurnsThemOff() async throws {
        try await Self.run(configure: { config, _ in config.virtualServers[0].fileLinks.duplicates = 0 }) { farm, director in
            let absent = try await TestHTTPClient.get(director.url + "/files/nothing-1.0.iso.meta4")
            #expect(absent.status == 404)
            #expect(absent.text.contains("no mirror holds /files/nothing-1.0.iso.meta4"), "\(absent.text)")
            let redirect = try await TestHTTPClient.get(director.url + "/" + Self.tarball)
            #expect(redirect.status == 302)
            #expect(Self.duplicates(redirect).isEmpty)
            #expect(redirect.headers["link"].count == 1, "only describedby: \(redirect.headers["link"])")
        }
    }

    @Test func theKeysAreReadAndChecked() throws {
        let config = try ConfigParser.parse("""
            secret = "\(Harness.secret)"
            listen = ["127.0.0.1:0"]
            link_duplicates = 3
            file_origin = "https://origin.example.org/pub/"
            [[real]]
            id = "a"
            url = "http://a.example/pub/"
            """)
        #expect(config.virtualServers[0].fileLinks == FileLinkSettings(duplicates: 3, origin: "https://origin.example.org/pub/"))
        for (text, key) in [("link_duplicates = 21", "link_duplicates"), ("file_origin = \"ftp://x/\"", "file_origin"),
                            ("file_origin = \"https://o.example/pub\"", "file_origin")] {
            let error = configError(parsing: """
                secret = "\(Harness.secret)"
                listen = ["127.0.0.1:0"]
                \(text)
                [[real]]
                id = "a"
                url = "http://a.example/pub/"
                """)
            #expect(error?.key == key, "\(text): \(String(describing: error))")
        }
    }

    static func bytes(hex: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}
