import Foundation
import MirrorscopeFarm
import TestSupport
import Testing

/// The real binary, as scripts use it: exit codes and messages for bad flags and bad pages, and
/// the headless ranking in every format.
@Suite("command line")
struct CLITests {
    func mirrorscope(_ arguments: String..., stdin: String? = nil) async throws -> ProcessResult {
        try await ProcessRunner.run(try BuiltBinary.path(), arguments, stdin: stdin, timeout: .seconds(60))
    }

    func temporaryFile(_ name: String, _ contents: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ms-cli-\(UUID().uuidString)-\(name)")
        try contents.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func helpListsTheCommandsAndExitsZero() async throws {
        let r = try await mirrorscope("--help")
        #expect(r.status == 0)
        for word in ["browse", "probe", "demo", "Exit codes"] { #expect(r.stdout.contains(word), "help lacks \(word)") }
        #expect(try await mirrorscope("--version").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
    }

    @Test(arguments: [
        (["probe", "x.txt", "--samples", "0"], "--samples must be between 1 and 20"),
        (["probe", "x.txt", "--timeout", "5"], "--timeout must be between 100 and 60000"),
        (["probe", "x.txt", "--format", "xml"], "--format"),
        (["probe", "x.txt", "--client-info", "everything"], "--client-info"),
        (["probe", "x.txt", "--frobnicate"], "Unknown option '--frobnicate'"),
        ([], "Missing expected argument '<source>'"),
        (["probe"], "Missing expected argument"),
        (["demo", "--mirrors", "0"], "--mirrors must be between 1 and 2000"),
        (["probe", "x.txt", "--cacert", "/nonexistent.pem"], "--cacert /nonexistent.pem: no such readable file"),
    ])
    func badFlagsExitTwoWithAMessage(arguments: [String], message: String) async throws {
        let r = try await ProcessRunner.run(try BuiltBinary.path(), arguments)
        #expect(r.status == 2)
        #expect(r.stderr.contains(message), "stderr: \(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func badPagesExitTwoWithAClearMessage() async throws {
        let noMirrors = try temporaryFile("page.html", "<html><body><a href='http://x.example/'>x</a></body></html>")
        let brokenScript = try temporaryFile("probe.json", "{\"version\": 1,\n\"mirrors\": [\n{\"url\": }]}")
        let cases: [([String], String)] = [
            (["probe", "/nonexistent/page.html"], "no such file"),
            (["probe", noMirrors], "no mirrors found on \(noMirrors)"),
            (["probe", brokenScript], "not valid JSON (line 3, column 9"),
            (["probe", "http://127.0.0.1:9/"], "cannot fetch http://127.0.0.1:9/: connection refused"),
            (["probe", "ftp://example.org/list"], "ftp is not supported"),
            (["browse", "/nonexistent/page.html"], "no such file"),
            (["browse", noMirrors, "--theme", "no-such-theme"], "theme \"no-such-theme\" not found"),
        ]
        for (arguments, message) in cases {
            let r = try await ProcessRunner.run(try BuiltBinary.path(), arguments)
            #expect(r.status == 2, "\(arguments)")
            #expect(r.stderr.contains(message), "\(arguments): \(r.stderr)")
        }
    }

    /// Every way the farm's origin points at its mirrors, fetched over HTTP, lists all of them: the
    /// page with the script inside, the script linked from HTML or from a Link header, the script
    /// alone, RFC 6249 duplicates on a plain answer and on a redirect (kept, not followed, because
    /// its headers are the list), a plain list, and a redirect to the page (followed).
    @Test func everyFormOfTheFarmPageListsEveryMirror() async throws {
        try await Farm.with(FarmConfig(mirrors: [
            FarmMirrorSpec(id: "a", name: "A", location: "de", delayMs: 1),
            FarmMirrorSpec(id: "b", name: "B", location: "fr", delayMs: 1),
            FarmMirrorSpec(id: "c", name: "C", location: "jp", delayMs: 1, fault: .refuse),
        ])) { farm in
            let expected = farm.mirrors.map(\.url)
            for path in ["", "linked.html", "header-linked.html", "probe.json", "duplicates", "mirrors.txt", "moved"] {
                let r = try await mirrorscope("list", farm.originURL + path, "--format", "json")
                #expect(r.status == 0, "\(path): \(r.stderr)")
                let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(path)")
                let urls = (json["mirrors"] as? [[String: Any]])?.compactMap { $0["url"] as? String }
                #expect(urls == expected, "\(path)")
            }
            // The duplicates of one file: each mirror's folder of it, and the file is what is probed.
            let r = try await mirrorscope("probe", farm.originURL + "download/files/README.txt", "--format", "json", "--samples", "1")
            #expect(r.status == 0, "\(r.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            let mirrors = try #require(json["mirrors"] as? [[String: Any]])
            var okByURL: [String: Bool] = [:]
            for mirror in mirrors { if let url = mirror["url"] as? String { okByURL[url] = mirror["ok"] as? Bool } }
            let folders = expected.map { $0 + "files/" }
            #expect(okByURL == [folders[0]: true, folders[1]: true, folders[2]: false], "A and B serve the file; C refuses")
            #expect(farm.requestCount(mirror: "a") == 1 && farm.requestCount(mirror: "b") == 1, "one probe each")
        }
    }

    @Test func redirectsInACircleEndWithAMessage() async throws {
        try await Farm.with(FarmConfig(mirrors: [FarmMirrorSpec(id: "a", name: "A", location: "de", delayMs: 1)])) { farm in
            let r = try await mirrorscope("list", farm.originURL + "redirect-loop")
            #expect(r.status == 2)
            #expect(r.stderr.contains("the redirects from \(farm.originURL)redirect-loop go round in a circle"), "\(r.stderr)")
        }
    }

    @Test func anHTTPSPageWithAPrivateCANeedsCacertAndSaysSo() async throws {
        try await Farm.with(FarmConfig(mirrors: [FarmMirrorSpec(id: "s", name: "S", location: "de", delayMs: 1, tls: true)])) { farm in
            let page = farm.url(ofMirror: "s")! + "files/README.txt"  // a text file, not a mirror list
            let untrusted = try await mirrorscope("list", page)
            #expect(untrusted.status == 2)
            #expect(untrusted.stderr.contains("TLS: certificate not trusted (a private CA is given with --cacert FILE)"), "\(untrusted.stderr)")
            // With the farm's CA the page is fetched, and found to hold no mirrors.
            let ca = try temporaryFile("ca.pem", farm.caCertificatePEM)
            let trusted = try await mirrorscope("list", page, "--cacert", ca)
            #expect(trusted.status == 2)
            #expect(trusted.stderr.contains("no mirror URLs found"), "\(trusted.stderr)")
        }
    }

    @Test func aPageThatAnswers404ExitsTwo() async throws {
        try await Farm.with(FarmConfig(mirrors: [FarmMirrorSpec(id: "a", name: "A", location: "de", delayMs: 1)])) { farm in
            let r = try await mirrorscope("probe", farm.originURL + "no-such-page")
            #expect(r.status == 2)
            #expect(r.stderr.contains("answered HTTP 404"), "\(r.stderr)")
        }
    }

    @Test func probeJSONRanksFastestFirstFailedLastWithPhases() async throws {
        try await Farm.with(FarmConfig(mirrors: [
            FarmMirrorSpec(id: "slow", name: "Slow", location: "us", delayMs: 240),
            FarmMirrorSpec(id: "down", name: "Down", location: "fr", delayMs: 1, fault: .refuse),
            FarmMirrorSpec(id: "fast", name: "Fast", location: "de", delayMs: 10),
            FarmMirrorSpec(id: "busy", name: "Busy", location: "nl", delayMs: 5, fault: .status(503)),
            FarmMirrorSpec(id: "mid", name: "Mid", location: "gb", delayMs: 120),
        ])) { farm in
            let r = try await mirrorscope("probe", farm.pageURL, "--format", "json", "--samples", "2")
            #expect(r.status == 0, "\(r.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            let mirrors = try #require(json["mirrors"] as? [[String: Any]])
            #expect(mirrors.compactMap { $0["name"] as? String } == ["Fast", "Mid", "Slow", "Down", "Busy"])
            let fast = mirrors[0]
            #expect(fast["ok"] as? Bool == true)
            #expect(fast["url"] as? String == farm.url(ofMirror: "fast"))
            let ms = try #require(fast["ms"] as? Double)
            // Near its scripted 10 ms; the bound is loose because the farm shares the test process with
            // the whole suite (the prober's precision is asserted in ProberTests).
            #expect(ms >= 10 && ms < 110, "fast's figure \(ms) near its scripted 10 ms")
            for key in ["dns_ms", "connect_ms", "ttfb_ms"] { #expect(fast[key] is Double, "\(key)") }
            #expect(fast["tls_ms"] is NSNull, "plain http has no TLS phase")
            #expect(fast["error"] is NSNull)
            #expect((fast["samples_ms"] as? [Double])?.count == 2)
            let down = mirrors[3]
            #expect(down["ok"] as? Bool == false)
            #expect(down["ms"] is NSNull)
            #expect(down["error"] as? String == "connection refused")
            #expect(mirrors[4]["error"] as? String == "HTTP 503")
        }
    }

    @Test func tableAndCSVAndStdin() async throws {
        try await Farm.with(FarmConfig(mirrors: [
            FarmMirrorSpec(id: "a", name: "Alpha", location: "de", delayMs: 5),
            FarmMirrorSpec(id: "b", name: "Beta", location: "fr", delayMs: 1, fault: .refuse),
        ])) { farm in
            let table = try await mirrorscope("probe", farm.pageURL, "--samples", "1")
            #expect(table.status == 0)
            let lines = table.stdout.split(separator: "\n")
            #expect(lines.first?.hasPrefix("RANK  MIRROR") == true)
            #expect(lines[1].hasPrefix("1     Alpha"))
            #expect(lines[2].contains("failed: connection refused"))

            let csv = try await mirrorscope("probe", farm.pageURL, "--samples", "1", "--format", "csv")
            let rows = csv.stdout.split(separator: "\n")
            // New columns are added at the end (the connection's, then throughput and freshness):
            // the first eleven keep their places.
            #expect(rows[0] == "rank,name,url,ok,ms,dns_ms,connect_ms,tls_ms,ttfb_ms,error,location,proxy,proxy_connect_ms,tunnel_ms,address,family,throughput_bps,synced_at,behind_s,stale")
            #expect(rows[1].hasPrefix("1,Alpha,\(farm.url(ofMirror: "a")!),true,"))
            #expect(rows[1].hasSuffix(",,,,127.0.0.1,ipv4,,,,false"), "direct: no proxy, the address and its family; nothing measured after the round")
            #expect(rows[2].hasPrefix(",Beta,"))

            // A plain list of URLs on stdin.
            let list = farm.mirrors.map(\.url).joined(separator: "\n") + "\n"
            let piped = try await mirrorscope("probe", "-", "--samples", "1", "--format", "csv", stdin: list)
            #expect(piped.status == 0, "\(piped.stderr)")
            #expect(piped.stdout.split(separator: "\n").count == 3)
        }
    }

    @Test func noMirrorAnsweringExitsOne() async throws {
        try await Farm.with(FarmConfig(mirrors: [FarmMirrorSpec(id: "x", name: "X", location: "de", delayMs: 1, fault: .refuse)])) { farm in
            let r = try await mirrorscope("probe", farm.pageURL, "--samples", "1")
            #expect(r.status == 1)
            #expect(r.stdout.contains("failed: connection refused"))
        }
    }

    @Test func theTUINeedsATerminalAndSaysSoWithoutOne() async throws {
        // Run without a controlling terminal (setsid), as cron or CI would.
        let page = try temporaryFile("list.txt", "http://127.0.0.1:9/\n")
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setsid") else { return }
        let r = try await ProcessRunner.run("/usr/bin/setsid", ["-w", try BuiltBinary.path(), page])
        #expect(r.status == 2)
        #expect(r.stderr.contains("no terminal"), "\(r.stderr)")
    }
}
