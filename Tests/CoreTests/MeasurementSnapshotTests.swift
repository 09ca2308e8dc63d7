import MirrorscopeCore
import TestSupport
import Testing

/// Screens with the Rate and Behind columns, at the sizes where they fit (80×24, 120×40); a narrow
/// screen (40×12) leaves them out for the bar. Re-record with `RECORD_SNAPSHOTS=1`.
@Suite("render: throughput and freshness snapshots")
struct MeasurementSnapshotTests {
    static let sizes = [(80, 24), (120, 40)]

    func check(_ state: AppState, _ name: String) {
        let mismatch = SnapshotFile.verify(GridSnapshot.text(render(state)), named: name)
        #expect(mismatch == nil, Comment(rawValue: mismatch ?? ""))
    }

    /// Freshness read (Frankfurt two days behind: stale with --max-behind 6h); Paris downloading.
    static func measuring(width: Int, height: Int) -> AppState {
        var (state, _) = PhaseUpdateTests.roundDone(policy: RankPolicy(by: .throughput, maxBehindSeconds: 6 * 3600), width: width, height: height)
        for (id, behind) in [("fra", 2 * 86_400), ("par", 600), ("lon", 0), ("tok", 3 * 3600)] as [(String, Int64)] {
            _ = update(&state, .probe(round: 1, .freshness(mirrorID: id, PhaseUpdateTests.fresh(behind))))
        }
        _ = update(&state, .phaseFinished(round: 1, .freshness, atMs: 3200))
        _ = update(&state, .probe(round: 1, .throughputStarted(mirrorID: "par")))
        _ = update(&state, .probe(round: 1, .throughputProgress(mirrorID: "par",
                                                                ThroughputProgress(bytes: 1_500_000, ms: 300, bytesPerSecond: 5e6, fraction: 0.36))))
        return state
    }

    /// Both phases over: Paris 12.4 MB/s, London 41 MB/s; by throughput.
    static func measured(width: Int, height: Int) -> AppState {
        var state = measuring(width: width, height: height)
        let points = [4e6, 9e6, 12e6, 13e6, 12.5e6, 12.4e6].enumerated().map { RatePoint(ms: Double($0.offset + 1) * 100, bytesPerSecond: $0.element) }
        _ = update(&state, .probe(round: 1, .throughputFinished(mirrorID: "par",
            ThroughputResult(bytesPerSecond: 12.4e6, bytes: 4 << 20, ms: 338, points: points, stop: .maxBytes,
                             url: "https://par.example.org/pub/big.bin"))))
        _ = update(&state, .probe(round: 1, .throughputFinished(mirrorID: "lon", PhaseUpdateTests.rate(41e6))))
        _ = update(&state, .phaseFinished(round: 1, .throughput, atMs: 3700))
        return state
    }

    @Test(arguments: sizes) func throughputPhaseInProgress(width: Int, height: Int) {
        check(Self.measuring(width: width, height: height), "measuring-\(width)x\(height)")
    }

    @Test(arguments: sizes) func rankedByThroughputWithAStaleMirror(width: Int, height: Int) {
        check(Self.measured(width: width, height: height), "measured-\(width)x\(height)")
    }

    @Test func theDetailPaneShowsTheDownloadAndTheSyncTime() {
        var state = Self.measured(width: 120, height: 40)
        _ = Fixtures.keys(&state, .down, .char("d"))  // Paris, second by rate
        #expect(state.highlightedRowIndex.map { state.rows[$0].mirror.id } == "par")
        check(state, "measured-detail-120x40")
        var stale = Self.measured(width: 120, height: 40)
        stale.cursorID = "fra"
        stale.showDetail = true
        check(stale, "measured-detail-stale-120x40")
    }

    @Test func aNarrowScreenKeepsTheBarAndDropsTheNewColumns() {
        let grid = render(Self.measured(width: 40, height: 12))
        #expect(!grid.rowText(1).contains("Rate") && !grid.rowText(1).contains("Behind"))
        let wide = render(Self.measured(width: 80, height: 24))
        #expect(wide.rowText(1).contains("Rate") && wide.rowText(1).contains("Behind"))
    }
}
