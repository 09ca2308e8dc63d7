// The history across runs in the state machine: the trends that arrive at the start, the order
// of the first probes they give, the record a finished round leaves, and the tie-break that
// spreads sessions over near-equal mirrors. Called from `update` (Update.swift, Update+Decision.swift).

/// Each mirror's past, by URL, onto its row (an empty trend for a mirror with none: a row's trend
/// is nil only when the session keeps no history); `--rank history` weighs it from the next round on.
func applyHistory(_ state: inout AppState, _ trends: [String: MirrorTrend]) {
    for i in state.rows.indices {
        state.rows[i].trend = trends[state.rows[i].mirror.url] ?? MirrorTrend()
    }
    state.ranking.failureMs = Double(state.page.probe.timeoutMs)
    if !state.roundActive { prepareHistoryForRound(&state) }
}

/// Before a round starts: the ranking weighs every finished round before it.
func prepareHistoryForRound(_ state: inout AppState) {
    var past: [String: [Double?]] = [:]
    for row in state.rows {
        if let trend = row.trend, !trend.points.isEmpty { past[row.mirror.id] = trend.points.map(\.ms) }
    }
    state.ranking.past = past
    state.ranking.failureMs = Double(state.page.probe.timeoutMs)
}

/// The order the round probes its mirrors in: the historically best first (their weighted
/// figure), so that with fewer probes at once than mirrors the likely winners are measured first
/// and the decision comes sooner; mirrors with no past after them, in page order. Without any
/// history, page order.
func probeOrder(_ state: AppState) -> [Mirror] {
    let failureMs = Double(state.page.probe.timeoutMs)
    let figures: [Double?] = state.rows.map { row in
        guard let points = row.trend?.points, !points.isEmpty else { return nil }
        return HistoryWeighting.figure(current: nil, past: points.map(\.ms), failureMs: failureMs)
    }
    guard figures.contains(where: { $0 != nil }) else { return state.rows.map(\.mirror) }
    let order = state.rows.indices.sorted { a, b in
        switch (figures[a], figures[b]) {
        case let (x?, y?) where x != y: return x < y
        case (.some, nil): return true
        case (nil, .some): return false
        default: return a < b
        }
    }
    return order.map { state.rows[$0].mirror }
}

/// The round and its phases are over: its record for the history, and its figures joined to
/// each mirror's trend (undated: the core has no clock; the pane says "now"). Nothing when the
/// session keeps no history (it never received `historyLoaded`: `--no-history`, or no usable file).
func recordFinishedRound(_ state: inout AppState) -> [Effect] {
    guard state.rows.contains(where: { $0.trend != nil }) else { return [] }
    var measurements: [MeasurementRecord] = []
    let judge = state.freshnessJudge
    for i in state.rows.indices {
        guard let report = state.rows[i].report else { continue }
        let verdict = judge.verdict(state.rows[i].mirror, measured: report.freshness)
        let bps = report.bytesPerSecond
        measurements.append(MeasurementRecord(
            mirrorURL: state.rows[i].mirror.url, ok: report.ok, medianMs: report.ms, samples: report.samples.count,
            errorKind: report.failure?.kind.rawValue, throughputBps: bps, behindSeconds: verdict.behindSeconds))
        state.rows[i].trend = (state.rows[i].trend ?? MirrorTrend()).appending(TrendPoint(at: nil, ms: report.ms), bps: bps)
    }
    guard !measurements.isEmpty else { return [] }
    return [.recordRound(RoundRecord(source: state.page.url ?? state.page.source, rankedBy: state.ranking.by.rawValue,
                                     decidedMs: state.decision?.atMs, wallMs: state.roundWallMs ?? state.roundClockMs,
                                     measurements: measurements))]
}

/// The near-equal leaders of a settled round and the one drawn among them: every answered,
/// ranked mirror whose samples overlap the leader's (`Decision.nearTie`, the measurement's own
/// spread) is as good a choice, so sessions are spread over them rather than all piling onto the
/// one that happened to measure a millisecond faster (librepo's lesson). The draw is seeded per
/// session (`tieBreakSeed`) and round, so the notice does not change its mind within a round.
/// nil while the round or a phase runs, and when no other mirror is within the spread.
struct TieBreak {
    var candidates: [Int]
    var chosen: Int
    var gapMs: Double
    var names: String
    var chosenName: String
}

func tieBreak(_ state: AppState, leader: Int, judge: FreshnessJudge) -> TieBreak? {
    guard !state.roundActive, state.phase == nil, let best = state.rows[leader].report else { return nil }
    var candidates = [leader]
    var gap = 0.0
    let order = Ranking.displayOrder(state.rows, sort: .responseTime, policy: state.ranking, judge: judge)
    for i in order where i != leader {
        guard let report = state.rows[i].report, report.ok,
              !judge.verdict(state.rows[i].mirror, measured: report.freshness).stale,
              let g = Decision.nearTie(leader: best, runnerUp: report) else { continue }
        candidates.append(i)
        gap = max(gap, g)
    }
    guard candidates.count > 1 else { return nil }
    var random = SplitMix64(seed: state.tieBreakSeed &+ UInt64(truncatingIfNeeded: state.round))
    let chosen = candidates[Int(random.next() % UInt64(candidates.count))]
    let shown = candidates.map { TerminalText.sanitize(state.rows[$0].name, maxCharacters: 40) }
    let names = shown.count == 2 ? "\(shown[0]) and \(shown[1])"
        : shown.dropLast().joined(separator: ", ") + " and " + shown.last!
    return TieBreak(candidates: candidates, chosen: chosen, gapMs: gap, names: names,
                    chosenName: TerminalText.sanitize(state.rows[chosen].name, maxCharacters: 40))
}
