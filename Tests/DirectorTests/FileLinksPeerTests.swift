import Foundation
import MirrorscopeDirector
import MirrorscopeFarm
import TestSupport
import Testing

/// Real clients of a file's Metalink and of a redirect's Link headers: aria2c (Debian's aria2)
/// and the `mirrorscope` binary, against a real director in front of farm mirrors, one of which
/// lacks the tarball.
@Suite(.enabled(if: Peer.missing("aria2c") == nil, Comment(rawValue: Peer.missing("aria2c") ?? "")))
struct FileLinksPeerTests {
    @Test func aria2cSavesTheFileVerifiedFromTheMirrorsThatHoldIt() async throws {
        try await FileLinksTests.run { farm, director in
            let folder = try Harness.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: folder) }
            let result = try await ProcessRunner.run(try #require(Peer.installedPath("aria2c")), [
                "--dir", folder.path, "--follow-metalink=mem", "--console-log-level=notice", "--summary-interval=0",
                director.url + "/" + FileLinksTests.tarball + ".meta4",
            ], timeout: .seconds(60))
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            let saved = folder.appendingPathComponent("mirrorscope-demo-1.0.tar.gz").path
            let sum = try Spawn.run("/usr/bin/sha256sum", [saved])
            #expect(String(decoding: sum.stdout, as: UTF8.self).hasPrefix(try await FileLinksTests.sums(farm)))
            // No mirror that lacks the file was asked for it.
            #expect(farm.requestCount(mirror: "c", method: "GET", path: "/pub/" + FileLinksTests.tarball) == 0)
        }
    }

    @Test func mirrorscopeListReadsTheFilesMirrorsFromTheMetalinkAndFromTheRedirectsLinks() async throws {
        try await FileLinksTests.run { farm, director in
            let url = director.url + "/" + FileLinksTests.tarball
            // The client keeps a file's mirrors as their folders, the file as the page's link.
            let holders = Set(["a", "b"].map { farm.url(ofMirror: $0)! + "files/" })
            // By default the client asks for a Metalink too (as aria2 does) and gets the file's.
            let metalink = try await ProcessRunner.run(try BuiltBinary.path(), ["list", url, "--format", "json"])
            #expect(metalink.status == 0, "\(metalink.stderr)")
            #expect(try Self.urls(metalink.stdout) == holders, "\(metalink.stdout)")
            // As RFC 6249 duplicates: the redirect's Link headers.
            let links = try await ProcessRunner.run(try BuiltBinary.path(), ["list", url, "--input-format", "rfc6249", "--format", "json"])
            #expect(links.status == 0, "\(links.stderr)")
            #expect(try Self.urls(links.stdout) == holders, "\(links.stdout)")
        }
    }

    static func urls(_ json: String) throws -> Set<String> {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let mirrors = try #require(document["mirrors"] as? [[String: Any]])
        return Set(mirrors.compactMap { $0["url"] as? String })
    }
}
