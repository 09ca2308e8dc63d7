import Foundation
import FuzzEntries
import Testing

/// Every input the fuzzer found (fuzz/run.sh), kept in FuzzRegressions/TARGET, replayed through the
/// same check the fuzz target runs: no crash, no broken promise, and under a second each.
@Suite struct FuzzRegressionTests {
    @Test(arguments: ["request-target", "session-token", "director-config"])
    func savedFindingsStayFixed(target: String) async throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("FuzzRegressions/\(target)").path
        let fuzz = try #require(FuzzTarget.named(target))
        let replays = try #require(await fuzz.replayOnThread(folder: folder), "no folder \(folder)")
        #expect(!replays.isEmpty, "no saved inputs in \(folder)")
        for replay in replays {
            #expect(replay.problems.isEmpty, "\(target)/\(replay.file): \(replay.problems.joined(separator: "; "))")
            #expect(replay.took < .seconds(1), "\(target)/\(replay.file) took \(replay.took)")
        }
    }
}
