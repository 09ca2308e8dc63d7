import Foundation
import MirrorscopeFarm
import TestSupport
import Testing

extension TerminalSessionTests {
    /// A page with a throughput sample and `lastsync`: a quick mirror that delivers slowly, a slow
    /// one that delivers fast, and one two days behind that would win both rankings if it counted
    /// (the quickest to answer and the fastest to deliver).
    static let measuredFarm = FarmConfig(mirrors: [
        FarmMirrorSpec(id: "quick", name: "Quick", location: "de", delayMs: 10, bytesPerSecond: 1e6),
        FarmMirrorSpec(id: "stale", name: "Stale", location: "fr", delayMs: 1, bytesPerSecond: 60e6, behindSeconds: 2 * 86_400),
        FarmMirrorSpec(id: "bulk", name: "Bulk", location: "no", delayMs: 170, bytesPerSecond: 20e6),
    ], probeSamples: 2, probeThroughput: .init(path: "big.bin", maxMs: 1000),
       probeFreshness: .init(path: "lastsync", format: "unix-time"))

    @Test func theRateColumnFillsInAndTheStaleMirrorIsMarked() async throws {
        try await Farm.with(Self.measuredFarm) { farm in
        let run = try start([farm.pageURL, "--rank", "throughput", "--max-behind", "6h", "--color", "never"], width: 120, height: 30)
        defer { run.tmux.stop() }
        // The notice's final form comes once both phases are over.
        let screen = try await run.tmux.waitFor("the phases to end", timeout: .seconds(30)) { screen in
            screen.contains("Fastest:") && screen.contains("Enter to use it") && screen.contains("by throughput")
        }
        #expect(screen.contains("Rate") && screen.contains("Behind"), "the new columns have titles:\n\(screen)")
        #expect(Self.row(of: "Bulk", in: screen).contains("MB/s"), "the rate column shows the measured rate:\n\(screen)")
        #expect(Self.row(of: "Quick", in: screen).contains("kB/s") || Self.row(of: "Quick", in: screen).contains("MB/s"))
        let stale = Self.row(of: "Stale", in: screen)
        #expect(stale.contains("2d") && stale.contains("stale"), "two days behind, marked stale:\n\(screen)")
        #expect(screen.contains("Fastest: Bulk"), "by throughput, and never the stale one:\n\(screen)")
        let rows = screen.split(separator: "\n").map(String.init)
        let order = ["Bulk", "Quick", "Stale"].compactMap { name in rows.firstIndex { $0.contains(name) && !$0.contains("Fastest") } }
        #expect(order == order.sorted(), "Bulk by rate, then Quick, the stale one last:\n\(screen)")
        try run.tmux.send("q")
        #expect(try await run.waitForExit() == 130)
        }
    }
}
