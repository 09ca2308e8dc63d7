import MirrorscopeCore
import TestSupport
import Testing

/// The history across runs in the state machine: the record a finished round leaves, the trends
/// that arrive at the start (probe order, `--rank history`), the seeded tie-break among
/// near-equals, and the detail pane's trend.
@Suite("update: history")
struct HistoryUpdateTests {
    typealias F = Fixtures

    /// Frankfurt steady and fast, Paris failing, London slow: three earlier rounds.
    static let trends: [String: MirrorTrend] = [
        "https://fra.example.org/pub/": MirrorTrend(points: [TrendPoint(at: 1_780_000_000, ms: 30), TrendPoint(at: 1_780_003_600, ms: 26),
                                                             TrendPoint(at: 1_780_007_200, ms: 28)], lastGoodBps: 4_200_000),
        "https://par.example.org/pub/": MirrorTrend(points: [TrendPoint(at: 1_780_000_000, ms: nil), TrendPoint(at: 1_780_003_600, ms: nil),
                                                             TrendPoint(at: 1_780_007_200, ms: nil)]),
        "http://lon.example.org/": MirrorTrend(points: [TrendPoint(at: 1_780_000_000, ms: 118), TrendPoint(at: 1_780_003_600, ms: 125),
                                                        TrendPoint(at: 1_780_007_200, ms: 121)]),
    ]

    func withHistory(_ policy: RankPolicy = RankPolicy()) -> (AppState, [Effect]) {
        var state = AppState(page: F.page, options: F.options)
        state.ranking = policy
        _ = update(&state, .historyLoaded(Self.trends))
        let effects = update(&state, .start)
        return (state, effects)
    }

    func finishAll(_ state: inout AppState, _ reports: [MirrorReport]) -> [Effect] {
        var effects: [Effect] = []
        for (i, report) in reports.enumerated() {
            effects += update(&state, .probe(round: state.round, .started(mirrorID: report.mirrorID), atMs: Double(i)))
            effects += update(&state, .probe(round: state.round, .finished(report), atMs: 100 + Double(i)))
        }
        effects += update(&state, .roundFinished(round: state.round, atMs: 200))
        return effects
    }

    @Test func withoutHistoryNothingIsRecorded() {
        var state = F.started()
        let effects = finishAll(&state, [F.ok("fra", [22, 23, 25]), F.ok("par", [40, 41, 39])])
        #expect(!effects.contains { if case .recordRound = $0 { return true } else { return false } })
        #expect(state.rows.allSatisfy { $0.trend == nil })
    }

    @Test func aFinishedRoundIsRecordedOnceWithEveryMirrorsFigures() throws {
        var state = AppState(page: F.page, options: F.options)
        _ = update(&state, .historyLoaded([:]))
        _ = update(&state, .start)
        let effects = finishAll(&state, [F.ok("fra", [22, 23, 25]), F.ok("par", [40, 41, 39]), F.failed("ams", .refused, "refused"),
                                         F.ok("lon", [120, 118, 130]), F.ok("tok", [250, 260, 255]), F.failed("syd", .timeout, "timeout")])
        let records = effects.compactMap { effect -> RoundRecord? in
            if case .recordRound(let r) = effect { return r }
            return nil
        }
        let record = try #require(records.first)
        #expect(records.count == 1)
        #expect(record.source == "https://downloads.example.org/")
        #expect(record.rankedBy == "response")
        #expect(record.wallMs == 200)
        #expect(record.decidedMs != nil)
        let fra = try #require(record.measurements.first { $0.mirrorURL == "https://fra.example.org/pub/" })
        #expect(fra.ok && fra.medianMs == 24 && fra.samples == 3 && fra.errorKind == nil)
        let syd = try #require(record.measurements.first { $0.mirrorURL == "http://syd.example.org/" })
        #expect(!syd.ok && syd.medianMs == nil && syd.errorKind == "timeout")
        // The round joins each mirror's trend at once (undated: this session).
        #expect(state.row(id: "fra")?.trend?.points == [TrendPoint(at: nil, ms: 24)])
        // A later message of the same round records nothing more.
        #expect(update(&state, .roundFinished(round: 1, atMs: 300)).isEmpty)
    }

    @Test func aCancelledRoundIsNotRecorded() {
        var state = F.midRound()
        let effects = update(&state, .key(.char("r")))
        #expect(!effects.contains { if case .recordRound = $0 { return true } else { return false } })
    }

    @Test func theFirstRoundOfAKnownPageProbesTheHistoricallyBestFirst() throws {
        let (_, effects) = withHistory()
        guard case .startRound(_, let mirrors, _)? = effects.last else { Issue.record("no round started: \(effects)"); return }
        // Frankfurt (28 ms weighted), London (121), Paris (failed: counted as the 3000 ms
        // timeout), then the mirrors without a past in page order.
        #expect(mirrors.map(\.id) == ["fra", "lon", "par", "ams", "tok", "syd"])
        // Without history: page order.
        let plain = F.started()
        #expect(plain.rows.map(\.mirror.id) == ["fra", "par", "ams", "lon", "tok", "syd"])
    }

    @Test func theWeightedFigureIsAWeightedMedianWhereFailuresCountAgainst() {
        // This round 40; the last three 20: the past outweighs one slow round.
        #expect(HistoryWeighting.figure(current: 40, past: [20, 20, 20], failureMs: 3000) == 20)
        // One earlier round: this round's weight (1) beats the last's (0.7).
        #expect(HistoryWeighting.figure(current: 40, past: [20], failureMs: 3000) == 40)
        // Failed rounds count as the timeout.
        #expect(HistoryWeighting.figure(current: 20, past: [nil, nil, nil], failureMs: 3000) == 3000)
        // Recent rounds weigh more than old ones: the same values, in the other order.
        #expect(HistoryWeighting.figure(current: nil, past: [100, 100, 10, 10], failureMs: 3000) == 10)
        #expect(HistoryWeighting.figure(current: nil, past: [10, 10, 100, 100], failureMs: 3000) == 100)
        #expect(HistoryWeighting.figure(current: 55, past: [], failureMs: 3000) == 55)
    }

    @Test func rankHistoryOrdersByTheWeightedFigure() throws {
        // Paris is faster this round (21 ms against Frankfurt's 25) but failed its three
        // earlier rounds: by history Frankfurt leads; by response time Paris.
        let reports = [F.ok("fra", [22, 24, 25]), F.ok("par", [19, 20, 21]), F.ok("lon", [120, 118, 130])]
        var byHistory = withHistory(RankPolicy(by: .history)).0
        _ = finishAll(&byHistory, reports)
        #expect(byHistory.leaderIndex.map { byHistory.rows[$0].mirror.id } == "fra")
        #expect(byHistory.notice?.text.contains("Fastest: Frankfurt") == true, "\(byHistory.notice?.text ?? "")")
        #expect(byHistory.notice?.text.contains("over 4 rounds") == true, "\(byHistory.notice?.text ?? "")")
        var byResponse = withHistory(RankPolicy(by: .response)).0
        _ = finishAll(&byResponse, reports)
        #expect(byResponse.leaderIndex.map { byResponse.rows[$0].mirror.id } == "par")
        // The order shown follows the ranking too.
        let order = byHistory.displayOrder.map { byHistory.rows[$0].mirror.id }
        #expect(Array(order.prefix(3)) == ["fra", "lon", "par"])
    }

    /// Four mirrors: Frankfurt, Paris and Amsterdam within each other's spread, London well
    /// behind. The choice is drawn among the three with the session's seed, never London.
    @Test func theTieBreakIsSeededAndOnlyAmongNearEquals() throws {
        var chosen: Set<String> = []
        for seed in UInt64(0)..<40 {
            var state = AppState(page: F.page, options: F.options)
            state.tieBreakSeed = seed
            _ = update(&state, .start)
            _ = finishAll(&state, [F.ok("fra", [20, 22, 26]), F.ok("par", [21, 23, 25]), F.ok("ams", [24, 25, 27]),
                                   F.ok("lon", [120, 118, 130]), F.failed("tok", .refused, "refused"), F.failed("syd", .refused, "refused")])
            let notice = try #require(state.notice?.text)
            #expect(notice.contains("Frankfurt, Paris and Amsterdam are within 3 ms of each other; chose "), "\(notice)")
            let id = try #require(state.cursorID)
            #expect(notice.contains("chose \(state.row(id: id)!.name) at random"), "\(notice)")
            chosen.insert(id)
            // The same seed draws the same mirror.
            var again = AppState(page: F.page, options: F.options)
            again.tieBreakSeed = seed
            _ = update(&again, .start)
            _ = finishAll(&again, [F.ok("fra", [20, 22, 26]), F.ok("par", [21, 23, 25]), F.ok("ams", [24, 25, 27]),
                                   F.ok("lon", [120, 118, 130]), F.failed("tok", .refused, "refused"), F.failed("syd", .refused, "refused")])
            #expect(again.cursorID == id)
        }
        #expect(chosen == ["fra", "par", "ams"])
    }

    @Test func aClearLeadIsNoTie() throws {
        var state = F.started()
        _ = finishAll(&state, [F.ok("fra", [20, 21, 22]), F.ok("par", [40, 41, 39]), F.failed("ams", .refused, "refused"),
                               F.ok("lon", [120, 118, 130]), F.ok("tok", [250, 260, 255]), F.failed("syd", .refused, "refused")])
        #expect(state.notice?.text.contains("at random") == false)
        #expect(state.cursorID == "fra")
    }

    /// The detail pane on Frankfurt after a round: the three earlier rounds and this one as a
    /// sparkline, the dates of the first and last, the failure rate and the last good rate.
    static func detailWithTrend(width: Int, height: Int) -> AppState {
        var state = AppState(page: F.page, width: width, height: height, options: F.options)
        _ = update(&state, .historyLoaded(trends))
        _ = update(&state, .start)
        for (i, report) in [F.ok("fra", [22, 24, 25], tls: 4), F.ok("par", [40, 41, 39]), F.failed("ams", .refused, "connection refused"),
                            F.ok("lon", [120, 118, 130]), F.ok("tok", [250, 260, 255]), F.ok("syd", [300, 310, 305])].enumerated() {
            _ = update(&state, .probe(round: 1, .started(mirrorID: report.mirrorID), atMs: Double(i)))
            _ = update(&state, .probe(round: 1, .finished(report), atMs: 400 + Double(i)))
        }
        _ = update(&state, .roundFinished(round: 1, atMs: 500))
        _ = update(&state, .key(.char("d")))
        return state
    }

    @Test(arguments: [(80, 24), (120, 40)]) func theDetailPaneShowsTheTrend(width: Int, height: Int) {
        let state = Self.detailWithTrend(width: width, height: height)
        let text = GridSnapshot.text(render(state))
        #expect(text.contains("Trend"), "\(text)")
        let mismatch = SnapshotFile.verify(text, named: "detail-trend-\(width)x\(height)")
        #expect(mismatch == nil, Comment(rawValue: mismatch ?? ""))
    }

    @Test func theSparklineDrawsFailuresAndScalesToTheRange() {
        let points = [TrendPoint(at: 1, ms: 10), TrendPoint(at: 2, ms: nil), TrendPoint(at: 3, ms: 80), TrendPoint(at: nil, ms: 45)]
        #expect(TrendLine.sparkline(points, unicode: true) == "▁×█▅")
        #expect(TrendLine.sparkline(points, unicode: false) == ".x%+")
        #expect(TrendLine.date(points.first) == "1970-01-01 00:00 UTC")
        #expect(TrendLine.date(points.last) == "now")
    }
}
