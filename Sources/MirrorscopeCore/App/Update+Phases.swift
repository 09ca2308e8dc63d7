// The phases after a latency round: freshness (every answered mirror's timestamp object), then
// throughput (the leading mirrors' sample downloads), and the notice that names the fastest by the
// active ranking. Called from `update` (Update.swift).

/// Forgets the last round's phases (a new round begins).
func resetPhases(_ state: inout AppState) {
    state.phase = nil
    state.freshnessReference = nil
    state.throughputSkipReason = nil
}

/// Starts the phase that follows `done` (nil: the latency round), when the page has its object
/// and there are mirrors for it; returns its effect, or none when nothing is left to run.
func startNextPhase(_ state: inout AppState, after done: MeasurementPhase?) -> [Effect] {
    let settings = state.page.probe
    if done == nil, settings.freshness != nil {
        let answered = state.rows.filter(\.isOK).map(\.mirror)
        if !answered.isEmpty {
            state.phase = .freshness
            return [.startPhase(round: state.round, .freshness, mirrors: answered, settings: settings)]
        }
    }
    guard done != .throughput else { return [] }
    if let reason = settings.throughput.skipReason(state.rows.map(\.mirror)) {
        // Said when the user asked for the phase and it cannot run; not when they turned it off.
        if settings.throughput.requested, settings.throughput.top > 0 { state.throughputSkipReason = reason }
        return []
    }
    let leading = Ranking.throughputCandidates(state.rows, settings: settings.throughput, judge: state.freshnessJudge)
    guard !leading.isEmpty else { return [] }
    state.phase = .throughput
    return [.startPhase(round: state.round, .throughput, mirrors: leading, settings: settings)]
}

func finishPhase(_ state: inout AppState, _ phase: MeasurementPhase) -> [Effect] {
    state.phase = nil
    for i in state.rows.indices { state.rows[i].throughputProgress = nil }
    var effects = startNextPhase(&state, after: phase)
    effects += settleRound(&state)
    // The fastest may have changed (a stale mirror left the ranking, rates came in); on the
    // "using" screen the notice is about the chosen mirror and stays.
    if state.screen == .mirrors { _ = announceFastest(&state) }
    keepCursorVisible(&state)
    return effects
}

func applyPhaseEvent(_ state: inout AppState, _ event: ProbeEvent) {
    func index(_ id: String) -> Int? { state.rows.firstIndex { $0.mirror.id == id } }
    func updateReport(_ id: String, _ change: (inout MirrorReport) -> Void) {
        guard let i = index(id), case .finished(var report) = state.rows[i].status else { return }
        change(&report)
        state.rows[i].status = .finished(report)
    }
    switch event {
    case .freshness(let id, let result):
        updateReport(id) { $0.freshness = result }
        // A stale mirror leaves the ranking: rows may move.
        if state.ranking.maxBehindSeconds != nil { keepCursorVisible(&state) }
    case .freshnessReference(let result):
        state.freshnessReference = result
    case .throughputStarted(let id):
        if let i = index(id) { state.rows[i].throughputProgress = ThroughputProgress(bytes: 0, ms: 0, bytesPerSecond: nil, fraction: 0) }
    case .throughputProgress(let id, let progress):
        if let i = index(id), state.rows[i].isFinished { state.rows[i].throughputProgress = progress }
    case .throughputFinished(let id, let result):
        if let i = index(id) { state.rows[i].throughputProgress = nil }
        updateReport(id) { $0.throughput = result }
        if state.ranking.by == .throughput { keepCursorVisible(&state) }
    case .started, .connecting, .connected, .sample, .finished:
        break
    }
}

/// Names the fastest by the active ranking in the notice and moves the cursor there (unless the
/// user moved it): "Fastest: Warsaw (URL) 18 ms · 41 MB/s by response time — Enter to use it…".
/// While a phase runs the notice says what is still being measured. Returns false when no
/// mirror answered.
func announceFastest(_ state: inout AppState) -> Bool {
    let judge = state.freshnessJudge
    guard let best = Ranking.fastest(state.rows, policy: state.ranking, judge: judge),
          let report = state.rows[best].report else {
        guard state.rows.contains(where: \.isOK), let limit = state.ranking.maxBehindSeconds else { return false }
        state.notice = Notice("Every mirror that answered is more than \(Format.age(seconds: limit)) behind (--max-behind) — r to re-probe, d for details", .warning)
        return true
    }
    let mirror = state.rows[best].mirror
    if !state.userMovedCursor { state.cursorID = mirror.id }
    // A pending question (S) keeps the notice line.
    guard state.saveProposal == nil else { return true }
    let name = TerminalText.sanitize(state.rows[best].name, maxCharacters: 40)
    var figures = Ranking.figures(report, policy: state.ranking)
    let anyRate = state.rows.contains { $0.report?.throughput != nil }
    if state.ranking.by == .throughput, report.bytesPerSecond != nil {
        figures += " by throughput"
    } else if state.ranking.by == .throughput || anyRate {
        figures += " by response time"
    }
    let next: String
    switch state.phase {
    case .freshness?:
        next = "checking how far behind each mirror is…"
    case .throughput?:
        let count = Ranking.throughputCandidates(state.rows, settings: state.page.probe.throughput, judge: judge).count
        next = "measuring the throughput of the leading \(count)…"
    case nil:
        if let reason = state.throughputSkipReason {
            next = "throughput not measured: \(reason)"
        } else {
            next = "Enter to use it, ↑/↓ to choose another, r to re-probe"
        }
    }
    var text = "Fastest: \(name) (\(mirror.url)) \(figures)"
    var kind = Notice.Kind.success
    // A near tie is not presented as decisive (Decision.nearTie: response times' spreads; a
    // leader by rate is not compared by its response time).
    if !(state.ranking.by == .throughput && report.bytesPerSecond != nil),
       let second = Ranking.runnerUp(state.rows, after: best, policy: state.ranking, judge: judge),
       let other = state.rows[second].report, let gap = Decision.nearTie(leader: report, runnerUp: other) {
        if let tie = tieBreak(state, leader: best, judge: judge) {
            // Once the round is settled: one of the near-equals at random (Update+History.swift).
            text += " — \(tie.names) are within \(Format.gap(tie.gapMs)) of each other; chose \(tie.chosenName) at random"
            if !state.userMovedCursor { state.cursorID = state.rows[tie.chosen].mirror.id }
        } else {
            text += " — \(name) and \(TerminalText.sanitize(state.rows[second].name, maxCharacters: 40)) are within \(Format.gap(gap)) of each other"
        }
        kind = .warning
    }
    if let named = state.decision, named.mirrorID != mirror.id, let first = state.row(id: named.mirrorID) {
        // The rule's one assumption (Decision) did not hold: say so rather than hide it.
        text += " (it overtook \(TerminalText.sanitize(first.name, maxCharacters: 40)), named first)"
    }
    state.notice = Notice("\(text) — \(next)", kind, elidable: mirror.url)
    return true
}
