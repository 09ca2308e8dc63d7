import Foundation
import MirrorscopeFarm
import TestSupport
import Testing

/// `mirrorscope get` in a real terminal: the progress line on stderr, redrawn in place, names the
/// serving mirror and its moves, and ends with `verified sha256`.
@Suite("end to end: get's progress line", .serialized)
struct GetProgressTests {
    @Test func theProgressLineShowsTheMoveAndTheVerification() async throws {
        // Warsaw resets after 2 MiB of the 6 MiB file and is paced (2 MiB/s) so the line is seen moving.
        let config = FarmConfig(mirrors: [
            FarmMirrorSpec(id: "warsaw", name: "Warsaw", location: "pl", delayMs: 5, bytesPerSecond: Double(2 << 20),
                           downloadFault: .resetAfter(2 << 20)),
            FarmMirrorSpec(id: "madrid", name: "Madrid", location: "es", delayMs: 5, bytesPerSecond: Double(4 << 20)),
        ], largeFileBytes: 6 << 20)
        try await Farm.with(config) { farm in
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ms-get-e2e-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let command = [try BuiltBinary.path(), "get", farm.pageURL, "files/" + FarmLargeFile.name, "--dir", dir,
                           "--mirror", farm.mirrors[0].url, "--mirror", farm.mirrors[1].url].joined(separator: " ")
            // Through a shell that stays after the command: a pane whose process has just died was
            // seen captured with its last line overwritten.
            let tmux = try TmuxSession(command: "sh -c '\(command); echo EXIT $?; sleep 60'", width: 140, height: 10)
            defer { tmux.stop() }
            let moving = try await tmux.waitFor("a progress line", timeout: .seconds(30)) { $0.contains("% ") && $0.contains("MiB/6.0 MiB") }
            #expect(moving.contains("Warsaw") || moving.contains("Madrid"), "\(moving)")
            let done = try await tmux.waitFor("EXIT 0", timeout: .seconds(60))
            #expect(done.contains("100%  6.0 MiB/6.0 MiB  verified sha256; moved to Madrid (Warsaw reset)"), "\(done)")
            #expect(done.contains(dir + "/" + FarmLargeFile.name), "the saved path on stdout: \(done)")
            // One line redrawn in place: the progress text appears once.
            #expect(done.components(separatedBy: FarmLargeFile.name + "  ").count == 2, "\(done)")
        }
    }
}
