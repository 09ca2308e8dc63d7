import Foundation
import MirrorscopeCore
import TestSupport
import Testing

/// The demo as a new user tries its downloads, in a real terminal: `w` on the tarball returns at
/// once and the downloads pane (`D`) ends it `verified sha256`; `w` on the large file, then X on
/// its serving mirror in the pane moves it to another mirror, and it too ends verified.
@Suite("end to end in tmux: downloads", .serialized)
struct DownloadsPaneTests {
    @Test func theDemoSavesItsTarballAndTheLargeFileMovesWhenItsMirrorIsStopped() async throws {
        let session = TerminalSessionTests()
        // A large file that takes seconds at the slowest demo rates, not minutes at the fastest.
        let run = try session.start(["demo", "--timeout", "500", "--large-file", "16000000"], width: 120, height: 32)
        defer { run.tmux.stop() }
        _ = try await TerminalSessionTests.waitForRoundEnd(run, mirrors: 12, timeout: .seconds(30))
        try run.tmux.send("Enter")
        try await run.tmux.waitFor("mirrorscope-demo-1.0.tar.gz")

        // The tarball: w returns at once (the links stay), D shows it verified.
        try run.tmux.send("Down")
        try run.tmux.send("w")
        var screen = try await run.tmux.waitFor("Downloading mirrorscope-demo-1.0.tar.gz")
        try run.tmux.send("D")
        screen = try await run.tmux.waitFor("the tarball to be verified", timeout: .seconds(30)) { screen in
            screen.split(separator: "\n").contains { $0.contains("verified sha256") }
        }
        #expect(screen.contains("Downloads"))
        #expect(FileManager.default.fileExists(atPath: run.folder.appendingPathComponent("mirrorscope-demo-1.0.tar.gz").path))

        // The large file: back to the links, w on it, X in the pane on its serving mirror.
        try run.tmux.send("D")
        try await run.tmux.waitFor("the links again") { $0.contains("mirrorscope-demo-1.0.img") && !$0.contains("Downloads ") }
        try run.tmux.send("Down")
        try run.tmux.send("w")
        try await run.tmux.waitFor("Downloading mirrorscope-demo-1.0.img")
        try run.tmux.send("D")
        // Selected: the newest. Wait for bytes to flow before stopping its mirror.
        try await run.tmux.waitFor("the large file to be under way", timeout: .seconds(20)) { screen in
            screen.contains("%") && screen.contains("from ")
        }
        try run.tmux.send("X")
        screen = try await run.tmux.waitFor("the download to move", timeout: .seconds(30)) { $0.contains("moved to ") }
        screen = try await run.tmux.waitFor("both to be verified", timeout: .seconds(60)) { screen in
            screen.components(separatedBy: "verified sha256").count - 1 >= 2
        }
        #expect(screen.contains("Stopped ") || screen.contains("moved to "), "\(screen)")
        let image = run.folder.appendingPathComponent("mirrorscope-demo-1.0.img").path
        #expect((try? FileManager.default.attributesOfItem(atPath: image)[.size] as? Int) == 16_000_000)
        try run.tmux.send("q")
        #expect(try await run.waitForExit() == 0)
    }
}
