import Foundation
import MirrorscopeFarm
import TestSupport
import Testing

/// The history across runs through the real binary: two `probe` runs against a farm, then
/// `history` shows both (table, JSON, CSV, --since); `--no-history` writes nothing; a corrupt
/// file is a warning and the probe still works. Each test has its own $XDG_STATE_HOME.
@Suite("command line: history", .serialized)
struct HistoryCLITests {
    static let farm = FarmConfig(mirrors: [
        FarmMirrorSpec(id: "fast", name: "Fast", location: "de", delayMs: 5),
        FarmMirrorSpec(id: "slow", name: "Slow", location: "fr", delayMs: 120),
        FarmMirrorSpec(id: "refuse", name: "Refuse", location: "it", delayMs: 0, fault: .refuse),
    ], probeSamples: 2)

    func stateFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ms-history-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func mirrorscope(_ arguments: [String], state: String) async throws -> ProcessResult {
        var env = ProcessInfo.processInfo.environment
        env["XDG_STATE_HOME"] = state
        return try await ProcessRunner.run(try BuiltBinary.path(), arguments, environment: env, timeout: .seconds(60))
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not JSON: \(text)")
    }

    @Test func twoProbesThenHistoryShowsBoth() async throws {
        let state = try stateFolder()
        try await Farm.with(Self.farm) { farm in
            for _ in 0..<2 {
                let r = try await mirrorscope(["probe", farm.pageURL, "--format", "json"], state: state)
                #expect(r.status == 0, "\(r.stderr)")
            }
            #expect(FileManager.default.fileExists(atPath: state + "/mirrorscope/history.sqlite"))

            let table = try await mirrorscope(["history", farm.pageURL], state: state)
            #expect(table.status == 0, "\(table.stderr)")
            #expect(table.stdout.contains("page \(farm.pageURL)"), "\(table.stdout)")
            let lines = table.stdout.split(separator: "\n").map(String.init)
            #expect(lines.contains { $0.hasPrefix("TREND") && $0.contains("ROUNDS") && $0.contains("RATE") })
            let fastURL = try #require(farm.mirrors.first { $0.spec.id == "fast" }?.url)
            let fast = try #require(lines.first { $0.hasSuffix(fastURL) }, "\(table.stdout)")
            #expect(fast.contains("  2  "), "two rounds: \(fast)")
            #expect(fast.contains(" 0%"), "\(fast)")
            let refused = try #require(lines.first { $0.contains("100%") }, "the refusing mirror failed both: \(table.stdout)")
            #expect(refused.contains("××"), "\(refused)")

            let doc = try json(try await mirrorscope(["history", farm.pageURL, "--format", "json"], state: state).stdout)
            let mirrors = try #require(doc["mirrors"] as? [[String: Any]])
            #expect(mirrors.count == 3)
            let first = try #require(mirrors.first)
            #expect(first["rounds"] as? Int == 2)
            #expect(first["failures"] as? Int == 0)
            #expect(first["source"] as? String == farm.pageURL)
            #expect((first["median_ms"] as? Double).map { $0 > 0 } == true)
            #expect((first["trend"] as? [[String: Any]])?.count == 2)
            #expect((first["first_at"] as? String)?.hasSuffix("Z") == true)
            #expect(mirrors.last?["failure_rate"] as? Double == 1)

            let csv = try await mirrorscope(["history", "--format", "csv"], state: state)
            let rows = csv.stdout.split(separator: "\n")
            #expect(rows.first == "source,mirror_url,rounds,failures,failure_rate,median_ms,last_ms,last_good_bps,first_at,last_at,downloads,trend_ms")
            #expect(rows.count == 4, "\(csv.stdout)")

            // Rounds in the future only: none.
            let since = try await mirrorscope(["history", "--since", "0s", "--format", "json"], state: state)
            #expect(try (json(since.stdout)["mirrors"] as? [Any])?.isEmpty == true, "\(since.stdout)")
            let day = try await mirrorscope(["history", "--since", "1d", "--format", "json"], state: state)
            #expect(try (json(day.stdout)["mirrors"] as? [Any])?.count == 3)
            let bad = try await mirrorscope(["history", "--since", "soon"], state: state)
            #expect(bad.status == 2)
            #expect(bad.stderr.contains("--since"), "\(bad.stderr)")
        }
    }

    @Test func noHistoryWritesNothing() async throws {
        let state = try stateFolder()
        try await Farm.with(Self.farm) { farm in
            let r = try await mirrorscope(["probe", farm.pageURL, "--no-history"], state: state)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: state + "/mirrorscope"), "nothing made in \(state)")
            let h = try await mirrorscope(["history"], state: state)
            #expect(h.status == 0)
            #expect(h.stdout.contains("no rounds recorded"), "\(h.stdout)")
            #expect(h.stderr.contains("no history yet"), "\(h.stderr)")
            #expect(!FileManager.default.fileExists(atPath: state + "/mirrorscope/history.sqlite"), "reading made no file")
        }
    }

    @Test func aCorruptHistoryIsAWarningAndTheProbeStillWorks() async throws {
        let state = try stateFolder()
        try FileManager.default.createDirectory(atPath: state + "/mirrorscope", withIntermediateDirectories: true)
        let garbage = Data(String(repeating: "garbage, not SQLite ", count: 100).utf8)
        try garbage.write(to: URL(fileURLWithPath: state + "/mirrorscope/history.sqlite"))
        try await Farm.with(Self.farm) { farm in
            let r = try await mirrorscope(["probe", farm.pageURL, "--format", "json"], state: state)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stderr.contains("warning: history") && r.stderr.contains("history is off"), "\(r.stderr)")
            #expect(try (json(r.stdout)["mirrors"] as? [Any])?.count == 3)
            let h = try await mirrorscope(["history"], state: state)
            #expect(h.status == 2)
            #expect(h.stderr.contains("corrupt"), "\(h.stderr)")
        }
        // Left as it was.
        #expect(try Data(contentsOf: URL(fileURLWithPath: state + "/mirrorscope/history.sqlite")) == garbage)
    }
}
