import MirrorscopeCore
import TestSupport
import Testing

/// Screens as a user sees them, at the three sizes the guide names. Snapshots live in
/// __Snapshots__; `RECORD_SNAPSHOTS=1 swift test --filter CoreTests` re-records them.
@Suite("render: screen snapshots")
struct RenderSnapshotTests {
    static let sizes = [(80, 24), (40, 12), (120, 40)]

    func check(_ state: AppState, _ name: String) {
        let text = GridSnapshot.text(render(state))
        let mismatch = SnapshotFile.verify(text, named: name)
        #expect(mismatch == nil, Comment(rawValue: mismatch ?? ""))
    }

    @Test(arguments: sizes) func midRound(width: Int, height: Int) {
        check(Fixtures.midRound(width: width, height: height), "mid-round-\(width)x\(height)")
    }

    @Test(arguments: sizes) func roundCompleteWithNoticeAndFailures(width: Int, height: Int) {
        check(Fixtures.roundDone(width: width, height: height), "round-done-\(width)x\(height)")
    }

    @Test(arguments: sizes) func helpOverlay(width: Int, height: Int) {
        var state = Fixtures.roundDone(width: width, height: height)
        _ = Fixtures.keys(&state, .char("?"))
        check(state, "help-\(width)x\(height)")
    }

    @Test(arguments: sizes) func detailPaneOfAFailedMirror(width: Int, height: Int) {
        var state = Fixtures.roundDone(width: width, height: height)
        _ = Fixtures.keys(&state, .end, .char("d"))
        check(state, "detail-failed-\(width)x\(height)")
    }

    @Test(arguments: sizes) func secondRoundShowsFirstRoundDimmed(width: Int, height: Int) {
        var state = Fixtures.roundDone(width: width, height: height)
        _ = Fixtures.keys(&state, .char("r"))
        _ = update(&state, .probe(round: 2, .started(mirrorID: "par")))
        _ = update(&state, .probe(round: 2, .finished(Fixtures.ok("lon", [30, 31, 29]))))
        check(state, "round-two-\(width)x\(height)")
    }

    @Test(arguments: sizes) func usingScreenWithAnOpenedFile(width: Int, height: Int) {
        var state = Fixtures.roundDone(width: width, height: height)
        _ = Fixtures.keys(&state, .enter, .enter)
        _ = update(&state, .fetched(FetchResult(requestID: 1, url: "https://fra.example.org/pub/files/README.txt", status: 200,
                                                bytes: 1843, elapsedMs: 41.7, contentType: "text/plain",
                                                preview: ["Example 1.0", "", "Thanks for downloading."])))
        check(state, "using-\(width)x\(height)")
    }

    @Test func tooSmall() {
        check(Fixtures.roundDone(width: 39, height: 12), "too-small-39x12")
        check(Fixtures.roundDone(width: 60, height: 9), "too-small-60x9")
    }

    @Test func asciiWhenTheLocaleIsNotUTF8() {
        var state = Fixtures.roundDone()
        state.options.unicode = false
        _ = Fixtures.keys(&state, .char("d"))
        check(state, "ascii-80x24")
    }

    /// Country codes get a narrow untitled column; free-text places a "Where" column cut to six
    /// cells; a list without places gives the bar all the room; a narrow screen drops the column.
    @Test func placesAreShownWhenTheListHasThem() {
        var state = Fixtures.roundDone()
        #expect(render(state).rowText(2).contains("Frankfurt        de "))
        state.rows[0].mirror.location = "Frankfurt am Main"
        var grid = render(state)
        #expect(grid.rowText(1).contains("Where"))
        #expect(grid.rowText(2).contains(" Frank… "), "\(grid.rowText(2))")
        for i in state.rows.indices { state.rows[i].mirror.location = nil; state.rows[i].mirror.country = nil }
        grid = render(state)
        // The bar starts right after the 16-cell name column at 80 wide.
        #expect(!grid.rowText(1).contains("Where") && Array(grid.rowText(2))[19] == "█", "\(grid.rowText(2))")
        #expect(!render(Fixtures.roundDone(width: 59, height: 24)).rowText(2).contains(" de "))
    }

    @Test func everyRowFitsItsWidthWhateverTheSize() {
        for width in 40...130 {
            for height in [10, 11, 17, 24] {
                var state = Fixtures.roundDone(width: width, height: height)
                for keys in [[Key](), [.char("d")], [.char("?")], [.enter, .enter]] {
                    _ = Fixtures.keys(&state, keys.count > 0 ? keys[0] : .tab)
                    let grid = render(state)
                    #expect(grid.width == width && grid.height == height)
                    for y in 0..<height {
                        #expect(DisplayWidth.of(grid.rowText(y)) == width, "row \(y) at \(width)x\(height)")
                    }
                }
            }
        }
    }
}
