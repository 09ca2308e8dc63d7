import Foundation
import MirrorscopeFarm
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `mirrorscope list`, the filters and `--input-format`/`--var` as a user runs them: on files, on
/// stdin, over HTTP (with the media types a plain web server sends), and into `probe` and the UI.
@Suite("list, filters and input formats")
struct ListAndFilterCLITests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/fixtures")
    static var fixturesAvailable: Bool { FileManager.default.fileExists(atPath: fixtures.appendingPathComponent("SOURCES.md").path) }
    static let fixturesAbsent = Comment(rawValue: "../shared/fixtures is absent: these tests read the real files there")

    func mirrorscope(_ arguments: [String], stdin: String? = nil) async throws -> ProcessResult {
        try await ProcessRunner.run(try BuiltBinary.path(), arguments, stdin: stdin, timeout: .seconds(60))
    }

    func temporaryFile(_ name: String, _ contents: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ms-list-\(UUID().uuidString)-\(name)")
        try contents.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test(.enabled(if: fixturesAvailable, fixturesAbsent))
    func listsTheArchStatusAsJSON() async throws {
        let r = try await mirrorscope(["list", Self.fixtures.appendingPathComponent("arch_mirrors_status_2026-05-11.json").path, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try json(r.stdout)
        #expect(doc["format"] as? String == "arch-status")
        let mirrors = try #require(doc["mirrors"] as? [[String: Any]])
        #expect(mirrors.count == 1205)
        for key in ["url", "protocol", "location", "priority", "country", "last_sync", "delay_s", "completion"] {
            #expect(mirrors.allSatisfy { $0.keys.contains(key) }, "every mirror has \(key), null when unknown")
        }
        #expect(mirrors.filter { ($0["protocol"] as? String) == "rsync" }.count == 296, "every protocol is listed")
        #expect((doc["warnings"] as? [String])?.isEmpty == true)
    }

    @Test(.enabled(if: fixturesAvailable, fixturesAbsent))
    func filtersNarrowTheList() async throws {
        let arch = Self.fixtures.appendingPathComponent("arch_mirrors_status_2026-05-11.json").path
        let r = try await mirrorscope(["list", arch, "--format", "json", "--country", "de,Germany", "--protocol", "https",
                                       "--exclude", "\\.org/", "--min-completion", "95%", "--limit", "5"])
        #expect(r.status == 0, "\(r.stderr)")
        let mirrors = try #require(try json(r.stdout)["mirrors"] as? [[String: Any]])
        #expect(mirrors.count == 5)
        #expect(mirrors.allSatisfy { $0["country"] as? String == "de" && $0["protocol"] as? String == "https" })
        #expect(mirrors.allSatisfy { !(($0["url"] as? String) ?? "").contains(".org/") })
        let priorities = mirrors.compactMap { $0["priority"] as? Int }
        #expect(priorities.count == 5, "the five best-scored German https mirrors")

        let none = try await mirrorscope(["list", arch, "--country", "de", "--protocol", "ftp"])
        #expect(none.status == 2)
        #expect(none.stderr.contains("no mirror left after the filters: 1205 listed; --country de kept"), "\(none.stderr)")
        #expect(none.stderr.contains("--protocol ftp kept 0"))

        // The status says which address families each mirror serves: 801 of 1205 serve IPv6.
        let v6 = try await mirrorscope(["list", arch, "--format", "json", "--family", "ipv6"])
        #expect(v6.status == 0, "\(v6.stderr)")
        let v6Mirrors = try #require(try json(v6.stdout)["mirrors"] as? [[String: Any]])
        #expect(v6Mirrors.count == 801)
        #expect(v6Mirrors.allSatisfy { ($0["families"] as? [String])?.contains("ipv6") == true })
        let badFamily = try await mirrorscope(["list", arch, "--family", "ipv5"])
        #expect(badFamily.status == 2 && badFamily.stderr.contains("--family ipv5: give ipv4 or ipv6"), "\(badFamily.stderr)")

        let debian = Self.fixtures.appendingPathComponent("debian_Mirrors.masterlist").path
        let noFamilies = try await mirrorscope(["list", debian, "--family", "ipv6"])
        #expect(noFamilies.status == 2)
        #expect(noFamilies.stderr.contains("--family: this Debian Mirrors.masterlist does not say which address families"), "\(noFamilies.stderr)")
        let stale = try await mirrorscope(["list", debian, "--max-age", "6h"])
        #expect(stale.status == 2)
        #expect(stale.stderr.contains("--max-age: this Debian Mirrors.masterlist does not say when its mirrors last synced"), "\(stale.stderr)")
    }

    @Test(.enabled(if: fixturesAvailable, fixturesAbsent))
    func brokenAndEmptyDocumentsExitTwoSayingWhy() async throws {
        let truncated = try await mirrorscope(["list", Self.fixtures.appendingPathComponent("librepo_metalink_really_bad_02.metalink3.xml").path])
        #expect(truncated.status == 2)
        #expect(truncated.stderr.contains("Metalink: line 9, column"), "\(truncated.stderr)")
        #expect(truncated.stderr.contains("ends too early"))
        #expect(truncated.stdout.isEmpty)

        let damaged = try await mirrorscope(["list", Self.fixtures.appendingPathComponent("librepo_metalink_bad_01.metalink3.xml").path])
        #expect(damaged.status == 0, "the good entries still load")
        #expect(damaged.stderr.contains("warning: file \"repomd.xml\", url 4 (line 22): no URL, skipped"), "\(damaged.stderr)")
        #expect(damaged.stderr.contains("warning: 1 entry skipped"))

        let empty = try temporaryFile("Mirrors.masterlist", "Site: cd.example.org\nCDImage-http: /debian-cd/\n")
        let noMirror = try await mirrorscope(["list", empty])
        #expect(noMirror.status == 2)
        #expect(noMirror.stderr.contains("no usable mirror in this Debian Mirrors.masterlist (1 entry read"), "\(noMirror.stderr)")
    }

    @Test(arguments: [
        (["list", "x", "--input-format", "nonsense"], "--input-format nonsense: not a format this program reads"),
        (["list", "x", "--var", "no-equals"], "--var no-equals: give name=value"),
        (["list", "x", "--var", "arch="], "--var arch=: the value must be non-empty"),
        (["list", "x", "--include", "(unclosed"], "--include (unclosed: not a regular expression"),
        (["list", "x", "--max-age", "soon"], "--max-age soon: give a time such as 90m, 6h or 2d"),
        (["list", "x", "--min-completion", "2"], "--min-completion 2: give a fraction from 0 to 1"),
        (["probe", "x", "--limit", "0"], "--limit must be at least 1"),
        (["list", "x", "--format", "xml"], "--format"),
    ])
    func badSelectionFlagsExitTwo(arguments: [String], message: String) async throws {
        let r = try await mirrorscope(arguments)
        #expect(r.status == 2)
        #expect(r.stderr.contains(message), "stderr: \(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func templatesAreShownAndFilledFromStdin() async throws {
        let list = "## Germany\nServer = https://de.example.org/archlinux/$repo/os/$arch\n## France\nServer = http://fr.example.org/$repo/os/$arch\n"
        let shown = try await mirrorscope(["list", "-"], stdin: list)
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("https://de.example.org/archlinux/$repo/os/$arch"), "the table shows the template")
        #expect(shown.stderr.contains("2 mirror URLs hold $repo, $arch"))

        let filled = try await mirrorscope(["list", "-", "--format", "csv", "--var", "repo=core", "--var", "arch=x86_64", "--country", "fr"], stdin: list)
        #expect(filled.status == 0, "\(filled.stderr)")
        let lines = filled.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[1].hasPrefix("http://fr.example.org/core/os/x86_64/,http,fr,2,"), "\(lines)")
        #expect(filled.stderr.isEmpty, "\(filled.stderr)")
    }

    @Test(.enabled(if: fixturesAvailable, fixturesAbsent))
    func listsOverHTTPWithAPlainServersMediaTypes() async throws {
        let data = { (name: String) in try Data(contentsOf: Self.fixtures.appendingPathComponent(name)) }
        let server = try FileServer(files: [
            "/mirrors.json": ("application/json", try data("arch_mirrors_status_2026-05-11.json")),
            "/dl/example.meta4": ("application/octet-stream", try data("aria2_metalink4.meta4")),
            "/dl/": ("text/html", Data(#"<html><head><title>Example</title><link rel="metalink" href="example.meta4"></head><body><a href="example.ext">example</a></body></html>"#.utf8)),
            "/MIRRORED.BY": ("application/octet-stream", try data("cpan_MIRRORED.BY_2009")),
            "/CRAN_mirrors.csv": ("text/csv", try data("CRAN_mirrors.csv")),
        ])
        defer { server.stop() }
        let arch = try await mirrorscope(["list", server.url("/mirrors.json"), "--format", "json"])
        #expect(arch.status == 0, "\(arch.stderr)")
        #expect((try json(arch.stdout)["mirrors"] as? [Any])?.count == 1205)

        let linked = try await mirrorscope(["list", server.url("/dl/"), "--format", "json"])
        #expect(linked.status == 0, "\(linked.stderr)")
        let page = try json(linked.stdout)
        #expect(page["format"] as? String == "metalink4", "the page's linked Metalink was followed")
        #expect((page["mirrors"] as? [[String: Any]])?.compactMap { $0["country"] as? String } == ["de", "fr"])

        let cpan = try await mirrorscope(["list", server.url("/MIRRORED.BY"), "--format", "csv"])
        #expect(cpan.status == 0, "\(cpan.stderr)")
        #expect(cpan.stdout.contains("D\u{FC}sseldorf"), "ISO-8859-1 over HTTP too")

        let cran = try await mirrorscope(["list", server.url("/CRAN_mirrors.csv")])
        #expect(cran.status == 0)
        #expect(cran.stdout.split(separator: "\n").count == 107, "a header and 106 mirrors")
    }

    @Test func probeReadsAMetalinkFiltersItAndSaysWhatItCannotProbe() async throws {
        try await Farm.with(FarmConfig(mirrors: [
            FarmMirrorSpec(id: "de", name: "Berlin", location: "de", delayMs: 5),
            FarmMirrorSpec(id: "fr", name: "Paris", location: "fr", delayMs: 5),
        ])) { farm in
            let de = try #require(farm.url(ofMirror: "de")), fr = try #require(farm.url(ofMirror: "fr"))
            let meta4 = """
                <?xml version="1.0" encoding="UTF-8"?>
                <metalink xmlns="urn:ietf:params:xml:ns:metalink">
                  <file name="probe.bin">
                    <url priority="2" location="de">\(de)probe.bin</url>
                    <url priority="1" location="fr">\(fr)probe.bin</url>
                    <url priority="3" location="de">rsync://rsync.example.org/pub/probe.bin</url>
                  </file>
                </metalink>
                """
            let file = try temporaryFile("farm.meta4", meta4)
            let all = try await mirrorscope(["probe", file, "--format", "json", "--samples", "1"])
            #expect(all.status == 0, "\(all.stderr)")
            let rows = try #require(try json(all.stdout)["mirrors"] as? [[String: Any]])
            #expect(rows.count == 3)
            #expect(Set(rows.prefix(2).compactMap { $0["url"] as? String }) == [de, fr], "both farm mirrors answered the file")
            #expect(rows.last?["error"] as? String == "cannot probe rsync")
            #expect(all.stderr.contains("1 mirror cannot be probed, only http and https can (rsync 1)"), "\(all.stderr)")
            #expect(rows.first { $0["url"] as? String == fr }?["priority"] as? Int == 1)

            let german = try await mirrorscope(["probe", file, "--format", "json", "--samples", "1", "--country", "de", "--protocol", "http"])
            #expect(german.status == 0, "\(german.stderr)")
            let kept = try #require(try json(german.stdout)["mirrors"] as? [[String: Any]])
            #expect(kept.compactMap { $0["url"] as? String } == [de])
            #expect(kept.first?["location"] as? String == "de")
        }
    }

    @Test func theTerminalUIShowsAListsCountriesAndPriorities() async throws {
        try await Farm.with(FarmConfig(mirrors: [FarmMirrorSpec(id: "nl", name: "Amsterdam", location: "nl", delayMs: 2)])) { farm in
            let mirror = try #require(farm.url(ofMirror: "nl"))
            let list = "\(mirror)\tpriority:7 arch:amd64\nhttp://127.0.0.1:9/debian/\tpriority:9\n"
            let file = try temporaryFile("sources.list.mirrors", list)
            let tmux = try TmuxSession(command: "\(try BuiltBinary.path()) \(file) --samples 1 --limit 1", width: 100, height: 30)
            defer { tmux.stop() }
            try await tmux.waitFor("done")
            try tmux.send("d")
            let screen = try await tmux.waitFor("priority 7")
            #expect(screen.contains("1/1"), "--limit 1 kept the preferred mirror only: \(screen)")
            try tmux.send("q")
        }
    }
}

/// A minimal HTTP/1.0 server on 127.0.0.1 for the tests: each path answers with its media type
/// and body, anything else 404; one thread, one request per connection.
final class FileServer: @unchecked Sendable {
    // @unchecked: `files` and `port` are immutable; the listening socket is closed once, by stop().
    let files: [String: (type: String, body: Data)]
    let port: Int
    private let socketFD: Int32

    init(files: [String: (String, Data)]) throws {
        self.files = files.mapValues { (type: $0.0, body: $0.1) }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else { throw CannotListen() }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        socketFD = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let table = self.files
        Thread {
            while true {
                let client = accept(fd, nil, nil)
                guard client >= 0 else { return } // stop() closed the socket
                Self.answer(client, table)
                close(client)
            }
        }.start()
    }

    struct CannotListen: Error {}

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    func stop() {
        shutdown(socketFD, Int32(SHUT_RDWR))
        close(socketFD)
    }

    private static func answer(_ client: Int32, _ files: [String: (type: String, body: Data)]) {
        var request = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !request.suffix(4).elementsEqual(Array("\r\n\r\n".utf8)), request.count < 65536 {
            let n = read(client, &buffer, buffer.count)
            guard n > 0 else { break }
            request += buffer[0..<n]
        }
        let line = String(decoding: request.prefix { $0 != 13 }, as: UTF8.self).split(separator: " ")
        let path = line.count > 1 ? String(line[1]) : "/"
        let found = files[path]
        let body = found?.body ?? Data("not found".utf8)
        let head = "HTTP/1.0 \(found == nil ? "404 Not Found" : "200 OK")\r\nContent-Type: \(found?.type ?? "text/plain")\r\n"
            + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        for chunk in [Data(head.utf8), body] {
            chunk.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = write(client, raw.baseAddress! + offset, raw.count - offset)
                    if n <= 0 { return }
                    offset += n
                }
            }
        }
    }
}
