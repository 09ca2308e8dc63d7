import Foundation
import MirrorscopeCore
import MirrorscopeFarm
import TestSupport
import Testing

/// The real binary in a real terminal (tmux), driven as a user would: the test a user's eyes do.
@Suite("end to end in tmux", .serialized)
struct TerminalSessionTests {
    /// Well-separated delays (80 ms and more apart) and no jitter, so the first round's ranking holds
    /// even when a busy test machine holds one sample up by tens of milliseconds.
    static let farmConfig = FarmConfig(mirrors: [
        FarmMirrorSpec(id: "paris", name: "Paris", location: "fr", delayMs: 170),
        FarmMirrorSpec(id: "frankfurt", name: "Frankfurt", location: "de", delayMs: 10),
        FarmMirrorSpec(id: "oslo", name: "Oslo", location: "no", delayMs: 90),
        FarmMirrorSpec(id: "rome", name: "Rome", location: "it", delayMs: 1, fault: .refuse),
        FarmMirrorSpec(id: "tokyo", name: "Tokyo", location: "jp", delayMs: 260),
    ], probeSamples: 2)

    static let names = ["Frankfurt", "Oslo", "Paris", "Tokyo", "Rome"]

    /// The mirror names in the order their rows appear on `screen`.
    static func rowOrder(_ screen: String) -> [String] {
        let rows = screen.split(separator: "\n").map(String.init)
        return names.compactMap { name in rows.firstIndex { $0.contains(name) }.map { (name, $0) } }
            .sorted { $0.1 < $1.1 }.map(\.0)
    }

    /// The screen line of the mirror named `name` ("" when it has none).
    static func row(of name: String, in screen: String) -> String {
        screen.split(separator: "\n").first { $0.contains(name) }.map(String.init) ?? ""
    }

    /// Waits until round `round` has ended (the header's count is complete and its spinner
    /// gone) and the fastest is named: the notice comes at the decision, often before the end.
    @discardableResult
    static func waitForRoundEnd(_ run: Run, round: Int = 1, mirrors: Int = 5, timeout: Duration = .seconds(20)) async throws -> String {
        try await run.tmux.waitFor("round \(round) to end", timeout: timeout) { screen in
            let header = screen.split(separator: "\n").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            return header.contains("round \(round) ") && header.hasSuffix("\(mirrors)/\(mirrors)") && screen.contains("Fastest:")
        }
    }

    struct Run {
        let tmux: TmuxSession
        let folder: URL
        var stdout: String { (try? String(contentsOf: folder.appendingPathComponent("stdout"), encoding: .utf8)) ?? "" }
        var exitCode: Int32? {
            (try? String(contentsOf: folder.appendingPathComponent("rc"), encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        func waitForExit() async throws -> Int32 {
            try await waitFor("the program to exit", timeout: .seconds(20)) { exitCode }
        }
    }

    /// Starts `mirrorscope ARGS` in tmux with stdout to a file (the screen goes to the terminal).
    func start(_ arguments: [String], width: Int = 100, height: Int = 30, environment: [String: String] = [:]) throws -> Run {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ms-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let args = arguments.map { "'\($0)'" }.joined(separator: " ")
        let command = "sh -c \"cd '\(folder.path)' && '\(try BuiltBinary.path())' \(args) > stdout; echo \\$? > rc\""
        return Run(tmux: try TmuxSession(command: command, width: width, height: height, environment: environment), folder: folder)
    }

    @Test func probeReprobeOverrideUseAndQuitPrintsTheChoice() async throws {
        try await Farm.with(Self.farmConfig) { farm in
        let run = try start([farm.pageURL])
        defer { run.tmux.stop() }

        // Bars appear and the round ends naming the fastest.
        var screen = try await Self.waitForRoundEnd(run)
        #expect(screen.contains("Fastest: Frankfurt"))
        #expect(screen.contains("round 1"))
        #expect(Self.row(of: "Rome", in: screen).contains("failed: refused"), "the refusing mirror says so:\n\(screen)")
        #expect(screen.contains("█"), "bars are drawn")
        #expect(Self.rowOrder(screen) == Self.names, "fastest first, failed last:\n\(screen)")

        // Re-probe: round 2 starts (the notice is cleared) and completes (a new notice).
        try run.tmux.send("r")
        screen = try await Self.waitForRoundEnd(run, round: 2)
        // The cursor is on the fastest, the first row; the second row is the one to override with.
        let order = Self.rowOrder(screen)
        try #require(order.count == Self.names.count, "every mirror has a row:\n\(screen)")
        let second = order[1], secondID = second.lowercased()

        // Override: move down to the second fastest and use it.
        try run.tmux.send("Down", "Enter")
        screen = try await run.tmux.waitFor("using \(second)")
        #expect(screen.contains("README"), "the page's links are listed")

        // Open a link: it comes from the chosen mirror, not from the page's host.
        let before = farm.requestCount(mirror: secondID)
        try run.tmux.send("Enter")
        screen = try await run.tmux.waitFor("HTTP 200")
        #expect(farm.requestCount(mirror: secondID) > before)

        try run.tmux.send("q")
        #expect(try await run.waitForExit() == 0)
        #expect(run.stdout == farm.url(ofMirror: secondID)! + "\n")
        }
    }

    @Test func quittingWithoutAChoiceExits130AndPrintsNothing() async throws {
        try await Farm.with(Self.farmConfig) { farm in
        let run = try start([farm.pageURL])
        defer { run.tmux.stop() }
        try await run.tmux.waitFor("Fastest:")
        try run.tmux.send("q")
        #expect(try await run.waitForExit() == 130)
        #expect(run.stdout.isEmpty)
        }
    }

    @Test func helpDetailsSortAndResize() async throws {
        try await Farm.with(Self.farmConfig) { farm in
        let run = try start([farm.pageURL, "--color", "never"], width: 100, height: 30)
        defer { run.tmux.stop() }
        try await run.tmux.waitFor("Fastest:")

        try run.tmux.send("?")
        var screen = try await run.tmux.waitFor("any key closes this help")
        #expect(screen.contains("re-probe"))
        #expect(screen.contains("User-Agent mirrorscope/"), "the help says what mirrors are told")
        try run.tmux.send("x")
        try await run.tmux.waitFor("help to close") { !$0.contains("any key closes this help") }

        try run.tmux.send("End", "d")
        screen = try await run.tmux.waitFor("connection refused")
        #expect(screen.contains("Rome"))

        try run.tmux.send("d", "s")
        try await run.tmux.waitFor("sort: name")

        try run.tmux.resize(width: 120, height: 40)
        try await run.tmux.waitFor("a wider frame") { screen in
            // The header's right end ("round 1  5/5") moves out to the new width.
            screen.split(separator: "\n").first.map { $0.count > 110 && $0.contains("5/5") } ?? false
        }
        try run.tmux.resize(width: 38, height: 9)
        try await run.tmux.waitFor("terminal too small")
        try run.tmux.resize(width: 80, height: 24)
        try await run.tmux.waitFor("the list again") { $0.contains("Frankfurt") && !$0.contains("too small") }

        try run.tmux.send("Escape")
        #expect(try await run.waitForExit() == 130)
        }
    }

    @Test func theDemoShowsLiveBarsAndNamesTheFastest() async throws {
        let run = try start(["demo", "--timeout", "500"])
        defer { run.tmux.stop() }
        let screen = try await Self.waitForRoundEnd(run, mirrors: 12, timeout: .seconds(30))
        #expect(screen.contains("Mirrorscope demo"))
        #expect(screen.contains("refused"))
        #expect(screen.contains("HTTP 503"))
        #expect(screen.contains("timeout"))
        try run.tmux.send("Enter")
        try await run.tmux.waitFor("using")
        try run.tmux.send("q")
        #expect(try await run.waitForExit() == 0)
        #expect(run.stdout.hasPrefix("http://127.0.0.1:"))
    }

    @Test func asciiWhenTheLocaleIsNotUTF8() async throws {
        try await Farm.with(Self.farmConfig) { farm in
        let run = try start([farm.pageURL], environment: ["LANG": "C", "LC_ALL": "C"])
        defer { run.tmux.stop() }
        let screen = try await Self.waitForRoundEnd(run)
        // The slowest mirror's bar fills its column (39 cells at 100 wide) in ASCII.
        #expect(Self.row(of: "Tokyo", in: screen).contains(String(repeating: "#", count: 30)), "ASCII bars:\n\(screen)")
        #expect(!screen.contains("█"))
        try run.tmux.send("q")
        _ = try await run.waitForExit()
        }
    }

    /// A new user behind a proxy, with only http_proxy/https_proxy set: the page loads, every probe
    /// tunnels through tinyproxy, the header says `via`, and a file saved through the chosen mirror
    /// comes through the proxy too (tinyproxy's own log says so).
    @Test(.enabled(if: Peer.missing("tinyproxy") == nil, Comment(rawValue: Peer.missing("tinyproxy") ?? "")))
    func behindAProxyTheSessionProbesShowsViaAndSavesThroughIt() async throws {
        try await Farm.with(Self.farmConfig) { farm in
        let proxy = try await Peer.tinyproxy(basicAuth: (user: "dave", password: "Hunter-22"))
        defer { proxy.stop() }
        let url = "http://dave:Hunter-22@127.0.0.1:\(proxy.port)"
        let run = try start([farm.pageURL], environment: ["http_proxy": url, "https_proxy": url, "no_proxy": ""])
        defer { run.tmux.stop() }
        // The whole round (the fastest is named before the last mirror reports).
        var screen = try await Self.waitForRoundEnd(run)
        #expect(screen.contains("Fastest: Frankfurt"), "\(screen)")
        #expect(screen.contains("via 127.0.0.1:\(proxy.port)"), "the header names the proxy:\n\(screen)")
        #expect(Self.rowOrder(screen) == Self.names, "the ranking holds through the proxy:\n\(screen)")
        #expect(Self.row(of: "Rome", in: screen).contains("failed: proxy"), "a refusing mirror fails at the tunnel:\n\(screen)")
        // The detail pane and the help name the proxy, never its password.
        try run.tmux.send("d")
        screen = try await run.tmux.waitFor("tunnel")
        #expect(screen.contains("http://dave:***@127.0.0.1:\(proxy.port)"), "\(screen)")
        try run.tmux.send("d", "?")
        screen = try await run.tmux.waitFor("every connection is a tunnel")
        #expect(!screen.contains("Hunter-22"))
        try run.tmux.send("x")
        try await run.tmux.waitFor("help to close") { !$0.contains("any key closes this help") }

        try run.tmux.send("Enter")
        screen = try await run.tmux.waitFor("using Frankfurt")
        let before = farm.requestCount(mirror: "frankfurt")
        try run.tmux.send("w")
        screen = try await run.tmux.waitFor("verified sha256")
        #expect(!screen.contains("Hunter-22"))
        #expect(farm.requestCount(mirror: "frankfurt") == before + 2, "the file and the SHA256SUMS beside it came from the chosen mirror")
        let port = { (id: String) in URLParts(farm.url(ofMirror: id)!)!.port! }
        let originPort = URLParts(farm.originURL)!.port!
        try await waitUntil("tinyproxy to log the page, the probes and the save", observed: { proxy.log }) {
            let connects = proxy.log.components(separatedBy: "\n").filter { $0.contains("CONNECT") }
            let toFrankfurt = connects.filter { $0.contains("127.0.0.1:\(port("frankfurt"))") }.count
            return connects.contains { $0.contains("127.0.0.1:\(originPort)") } && toFrankfurt >= Self.farmConfig.probeSamples! + 1
        }
        try run.tmux.send("q")
        #expect(try await run.waitForExit() == 0)
        }
    }

    /// The header says when the fastest was named; S proposes a file and writes it on y; with
    /// --save it writes there at once.
    @Test func theHeaderSaysDecidedAndSWritesTheRankedList() async throws {
        try await Farm.with(Self.farmConfig) { farm in
        let run = try start([farm.pageURL])
        defer { run.tmux.stop() }
        var screen = try await run.tmux.waitFor("the header's decision") { screen in
            screen.split(separator: "\n").first.map { $0.contains("decided in") } ?? false
        }
        try await Self.waitForRoundEnd(run)
        try run.tmux.send("S")
        screen = try await run.tmux.waitFor("y/Enter writes it")
        #expect(screen.contains("to ./mirrors.txt as a list of URLs?"), "\(screen)")
        try run.tmux.send("y")
        screen = try await run.tmux.waitFor("Saved 4 mirrors to ./mirrors.txt")
        let saved = try String(contentsOf: run.folder.appendingPathComponent("mirrors.txt"), encoding: .utf8)
        let urls = saved.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init)
        #expect(urls == ["frankfurt", "oslo", "paris", "tokyo"].map { farm.url(ofMirror: $0)! }, "\(saved)")
        try run.tmux.send("q")
        _ = try await run.waitForExit()

        let target = run.folder.appendingPathComponent("mirrorlist").path
        let second = try start([farm.pageURL, "--save", target, "--save-format", "pacman", "--keep", "2"])
        defer { second.tmux.stop() }
        try await Self.waitForRoundEnd(second)
        try second.tmux.send("S")
        try await second.tmux.waitFor("Saved 2 mirrors to \(target)")
        let list = try String(contentsOfFile: target, encoding: .utf8)
        #expect(list.contains("Server = \(farm.url(ofMirror: "frankfurt")!)\nServer = \(farm.url(ofMirror: "oslo")!)\n"), "\(list)")
        try second.tmux.send("q")
        _ = try await second.waitForExit()
        }
    }

    /// `probe` in a terminal: one progress line on stderr while the round runs, naming the
    /// decision, and gone when it ends (the ranking itself goes to stdout).
    @Test func probeShowsOneProgressLineOnStderrAndClearsIt() async throws {
        var config = Self.farmConfig
        config.mirrors.append(FarmMirrorSpec(id: "lima", name: "Lima", location: "pe", delayMs: 0, fault: .hang))
        try await Farm.with(config) { farm in
        let run = try start(["probe", farm.pageURL, "--timeout", "3000"])
        defer { run.tmux.stop() }
        let screen = try await run.tmux.waitFor("decided: Frankfurt")
        let line = screen.split(separator: "\n").first { $0.contains("decided: Frankfurt") }.map(String.init) ?? ""
        #expect(line.hasPrefix("probing "), "one line: \(line)")
        #expect(line.contains("/6 · decided: Frankfurt "), "\(line)")
        #expect(try await run.waitForExit() == 0)
        let after = run.tmux.screen()
        #expect(!after.contains("probing"), "the line is cleared at the end:\n\(after)")
        #expect(run.stdout.contains("RANK"), "the ranking went to stdout")
        }
    }
}
