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

    @Test(arguments: [(80, 24), (120, 40)]) func detailPaneOfAMirrorProbedThroughAProxy(width: Int, height: Int) {
        check(Fixtures.throughProxy(width: width, height: height), "detail-via-proxy-\(width)x\(height)")
    }

    @Test func helpOverlaySaysWhichProxyIsUsed() {
        var state = Fixtures.throughProxy(width: 80, height: 24)
        _ = Fixtures.keys(&state, .char("d"), .char("?"))
        check(state, "help-via-proxy-80x24")
    }

    @Test(arguments: sizes) func secondRoundShowsFirstRoundDimmed(width: Int, height: Int) {
        var state = Fixtures.roundDone(width: width, height: height)
        _ = Fixtures.keys(&state, .char("r"))
        _ = update(&state, .probe(round: 2, .started(mirrorID: "par")))
        _ = update(&state, .probe(round: 2, .finished(Fixtures.ok("lon", [30, 31, 29]))))
        check(state, "round-two-\(width)x\(height)")
    }

    @Test(arguments: sizes) func usingScreenListsThePagesLinksThroughTheChosenMirror(width: Int, height: Int) {
        var state = Fixtures.roundDone(width: width, height: height)
        _ = Fixtures.keys(&state, .enter)
        #expect(state.screen == .using)
        check(state, "using-links-\(width)x\(height)")
    }

    @Test(arguments: sizes) func usingScreenWithAnOpenedFile(width: Int, height: Int) {
        var state = Fixtures.roundDone(width: width, height: height)
        _ = Fixtures.keys(&state, .enter, .enter)
        _ = update(&state, .fetched(FetchResult(requestID: 1, url: "https://fra.example.org/pub/files/README.txt", status: 200,
                                                bytes: 1843, elapsedMs: 41.7, contentType: "text/plain",
                                                preview: ["Example 1.0", "", "Thanks for downloading."])))
        check(state, "using-\(width)x\(height)")
    }

    /// Decided mid-round: the header says when, the notice names a near tie, and each bar's
    /// samples' spread shows as a whisker (Frankfurt's and Paris's overlap).
    @Test(arguments: [(80, 24), (120, 40)]) func decidedWithANearTie(width: Int, height: Int) {
        check(Fixtures.decidedNearTie(width: width, height: height), "decided-near-tie-\(width)x\(height)")
    }

    @Test func decidedWithANearTieInASCII() {
        var state = Fixtures.decidedNearTie()
        state.options.unicode = false
        check(state, "decided-near-tie-ascii-80x24")
    }

    @Test func theSaveQuestion() {
        var state = Fixtures.roundDone()
        state.options.save = SaveSettings(format: .pacman)
        _ = Fixtures.keys(&state, .char("S"))
        check(state, "save-question-80x24")
    }

    @Test func whiskersSpanTheSamplesAroundTheBarsEnd() {
        let g = Glyphs.unicode
        // Scale 100 over 10 cells: 10 ms a cell. Median 45 ends in cell 4; 21 lies in cell 2, 78 in cell 7.
        let cells = Bar.whisker(fastest: 21, slowest: 78, median: 45, scale: 100, width: 10, glyphs: g)
        #expect(cells.map(\.offset) == [2, 5, 6, 7])
        #expect(cells.map(\.text) == ["├", "─", "─", "┤"])
        // A spread inside the bar's last cell draws nothing.
        #expect(Bar.whisker(fastest: 41, slowest: 48, median: 45, scale: 100, width: 10, glyphs: g).isEmpty)
        // The slowest at the scale's end caps the last cell; ASCII uses [ - ].
        let ascii = Bar.whisker(fastest: 5, slowest: 100, median: 70, scale: 100, width: 10, glyphs: .ascii)
        #expect(ascii.map(\.text) == ["[", "-", "-", "]"])
        #expect(ascii.map(\.offset) == [0, 7, 8, 9])
        // In ASCII a last eighth under half a cell draws nothing: the line starts there, so the
        // whisker stays on its bar. Median 42 = 4 full cells and a blank; 35 in cell 3, 70 in cell 6.
        let blankEnd = Bar.whisker(fastest: 35, slowest: 70, median: 42, scale: 100, width: 10, glyphs: .ascii)
        #expect(Bar.text(fraction: 0.42, width: 10, glyphs: .ascii) == "####")
        #expect(blankEnd.map(\.offset) == [3, 4, 5, 6])
        #expect(blankEnd.map(\.text) == ["[", "-", "-", "]"])
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

    /// Every screen a user can reach, at every size from the smallest up: each journey starts from
    /// a finished round, sends all its keys, and must have reached its screen before it is measured.
    @Test func everyRowFitsItsWidthWhateverTheSize() {
        let opened = FetchResult(requestID: 1, url: "https://fra.example.org/pub/files/README.txt", status: 200, bytes: 1843,
                                 elapsedMs: 41.7, contentType: "text/plain", preview: ["Example 1.0", "", "Thanks for downloading."])
        let journeys: [(name: String, keys: [Key], result: FetchResult?, reached: (AppState) -> Bool)] = [
            ("the mirror list", [], nil, { $0.screen == .mirrors && !$0.showDetail && !$0.showHelp }),
            ("the detail pane", [.char("d")], nil, { $0.screen == .mirrors && $0.showDetail }),
            ("the help", [.char("?")], nil, { $0.showHelp }),
            ("the links", [.enter], nil, { $0.screen == .using && $0.browser.pending == nil }),
            ("a link opening", [.enter, .enter], nil, { $0.screen == .using && $0.browser.pending != nil }),
            ("an opened link", [.enter, .enter], opened, { $0.screen == .using && $0.browser.result == opened }),
            ("the save question", [.char("S")], nil, { $0.saveProposal != nil }),
        ]
        // Problems are collected and reported once: thousands of failed expectations would take
        // minutes to record and bury the first one.
        var problems: [String] = []
        for width in 40...130 {
            for height in [10, 11, 17, 24] {
                for journey in journeys {
                    var state = Fixtures.roundDone(width: width, height: height)
                    for key in journey.keys { _ = update(&state, .key(key)) }
                    if let result = journey.result { _ = update(&state, .fetched(result)) }
                    guard journey.reached(state) else {
                        problems.append("\(journey.name) not reached at \(width)x\(height)")
                        continue
                    }
                    let grid = render(state)
                    if grid.width != width || grid.height != height {
                        problems.append("\(journey.name) at \(width)x\(height) drew \(grid.width)x\(grid.height)")
                    }
                    for y in 0..<height where DisplayWidth.of(grid.rowText(y)) != width {
                        problems.append("row \(y) of \(journey.name) at \(width)x\(height) is \(DisplayWidth.of(grid.rowText(y))) wide")
                    }
                }
            }
        }
        #expect(problems.isEmpty, "\(problems.count) problems, the first: \(problems.prefix(5).joined(separator: "; "))")
    }
}
