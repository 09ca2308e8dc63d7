import Foundation
import TestSupport
import Testing

/// The history as a new user meets it, in a real terminal: a demo run, quit, a second demo run
/// whose detail pane shows the first run as the highlighted mirror's trend, then `mirrorscope
/// history` listing both runs' rounds. The demo's farm listens on new ports each time; the
/// history keys it by stable names, so the second run finds the first (docs/history.md).
@Suite("end to end in tmux: history across runs", .serialized)
struct HistoryAcrossRunsTests {
    @Test func theSecondDemoShowsTheFirstAsATrendAndHistoryListsBoth() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("ms-e2e-history-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let session = TerminalSessionTests()
        let environment = ["XDG_STATE_HOME": state]

        // First run: a whole round; the detail pane's trend holds only this round (undated: "now").
        let first = try session.start(["demo", "--timeout", "500"], width: 120, height: 40, environment: environment)
        defer { first.tmux.stop() }
        _ = try await TerminalSessionTests.waitForRoundEnd(first, mirrors: 12, timeout: .seconds(30))
        try first.tmux.send("d")
        var screen = try await first.tmux.waitFor("the trend in the first run's detail pane") { $0.contains("Trend") }
        #expect(Self.line("Trend", in: screen).contains("1 round,") || Self.line("Trend", in: screen).hasSuffix("1 round"),
                "only this run's round:\n\(screen)")
        #expect(Self.line("now → now", in: screen) != "", "no earlier, dated round:\n\(screen)")
        try first.tmux.send("q")
        _ = try await first.waitForExit()
        #expect(FileManager.default.fileExists(atPath: state + "/mirrorscope/history.sqlite"))

        // Second run: the same mirror's trend has the first run's round, dated, and this one.
        let second = try session.start(["demo", "--timeout", "500"], width: 120, height: 40, environment: environment)
        defer { second.tmux.stop() }
        _ = try await TerminalSessionTests.waitForRoundEnd(second, mirrors: 12, timeout: .seconds(30))
        try second.tmux.send("d")
        screen = try await second.tmux.waitFor("the trend in the second run's detail pane") { $0.contains("Trend") }
        #expect(Self.line("Trend", in: screen).contains("2 rounds"), "the first run's round and this one:\n\(screen)")
        #expect(Self.line("→ now", in: screen) != "" && Self.line("now → now", in: screen) == "",
                "the first point is dated (from the file):\n\(screen)")
        try second.tmux.send("q")
        _ = try await second.waitForExit()

        // `history` lists the demo's page with both rounds.
        var env = ProcessInfo.processInfo.environment
        env["XDG_STATE_HOME"] = state
        let listed = try await ProcessRunner.run(try BuiltBinary.path(), ["history", "--format", "json"], environment: env,
                                                 timeout: .seconds(30))
        #expect(listed.status == 0, "\(listed.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any], "\(listed.stdout)")
        let mirrors = try #require(doc["mirrors"] as? [[String: Any]], "\(listed.stdout)")
        #expect(mirrors.contains { ($0["source"] as? String)?.hasPrefix("mirrorscope demo") == true }, "\(listed.stdout)")
        let rounds = mirrors.compactMap { $0["rounds"] as? Int }
        #expect(rounds.max() == 2, "each mirror answered in both runs: \(rounds)")
    }

    /// The pane's part of the screen line holding `text` (the detail pane is right of the list).
    static func line(_ text: String, in screen: String) -> String {
        guard let row = screen.split(separator: "\n").first(where: { $0.contains(text) }) else { return "" }
        let pane = row.split(separator: "│").first { $0.contains(text) } ?? row
        return pane.trimmingCharacters(in: .whitespaces)
    }
}
