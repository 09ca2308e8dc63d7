import Foundation
import MirrorscopeFarm
@testable import MirrorscopeProber
import TestSupport
import Testing

/// More concurrency asked for than the descriptors allow: the round runs at what they allow and
/// says so once, instead of failing hundreds of mirrors with EMFILE.
@Suite struct DescriptorBudgetTests {
    @Test func theAllowedConcurrencyFollowsTheDescriptorLimit() throws {
        let limit = try #require(DescriptorBudget.softLimit())
        let (allowed, warning) = DescriptorBudget.concurrency(for: 1_000_000)
        #expect(allowed < 1_000_000 && allowed <= limit / 2)
        #expect(warning?.contains("concurrency lowered from 1000000 to \(allowed)") == true, "\(warning ?? "no warning")")
        #expect(DescriptorBudget.concurrency(for: 4) == (4, nil))
    }

    /// The documented limits together: 10 000 mirrors (the page limit), `--concurrency 1024`
    /// (its maximum), under `ulimit -n 512`. Every mirror answers, so every failure would be ours.
    /// 40 s of both cores: with the abuse tests (MIRRORSCOPE_ABUSE_TESTS=1, set by `.ci/run`).
    @Test(.enabled(if: abuseTestsEnabled, "set MIRRORSCOPE_ABUSE_TESTS=1 (.ci/run does, in a pass of its own)"))
    func tenThousandMirrorsAtConcurrency1024UnderUlimit512() async throws {
        let wildcard = try await WildcardMirror.start()
        defer { Task { await wildcard.stop() } }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("budget-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let entries = (0..<10_000).map { #"{"url": "\#(wildcard.url(ofMirror: $0))"}"# }
        let script = #"{"version": 1, "mirrors": [\#(entries.joined(separator: ",\n"))], "probe": {"path": "probe.bin", "samples": 1, "timeout_ms": 10000}}"#
        let page = folder.appendingPathComponent("mirrors.json").path
        try script.write(toFile: page, atomically: true, encoding: .utf8)
        let clock = ContinuousClock()
        let start = clock.now
        let result = try await ProcessRunner.run("/bin/sh", [
            "-c", #"ulimit -n 512 && exec /usr/bin/time -f maxrss=%M "$0" probe "$1" --concurrency 1024 --format json"#,
            try BuiltBinary.path(), page,
        ], timeout: .seconds(240))
        let took = clock.now - start
        #expect(result.status == 0, "\(result.stderr.suffix(2000))")
        #expect(result.stderr.contains("concurrency lowered from 1024 to"), "\(result.stderr.prefix(2000))")
        #expect(!result.stdout.contains("Too many open files") && !result.stdout.contains("EMFILE"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let mirrors = try #require(json["mirrors"] as? [[String: Any]], "\(result.stdout.prefix(500))")
        let failed = mirrors.filter { ($0["ok"] as? Bool) != true }
        #expect(mirrors.count == 10_000)
        #expect(failed.isEmpty, "\(failed.count) failed, e.g. \(failed.prefix(3))")
        let peak = result.stderr.split(separator: "\n").last { $0.hasPrefix("maxrss=") }.flatMap { Int($0.dropFirst(7)) }
        print("descriptor budget: 10 000 mirrors, --concurrency 1024 under ulimit -n 512: \(took), peak RSS \(peak ?? -1) KiB; "
              + (result.stderr.split(separator: "\n").first { $0.contains("concurrency lowered") }.map(String.init) ?? ""))
    }
}
