// Naming the fastest: the moment the rule (`Decision`) says it is certain, while the round goes
// on; or, when the active ranking needs what only the later phases measure, when they end.

/// Whether the decision can come before the round ends. By response time, with no freshness
/// limit, the latency round alone ranks. `--rank throughput` ranks by rates measured after the
/// round, and `--max-behind` by timestamps read after it: the answer is certain only then.
func decidesDuringRound(_ state: AppState) -> Bool {
    state.ranking.by == .response && state.ranking.maxBehindSeconds == nil
}

/// Names the fastest the moment no unfinished mirror can beat it, or asks to be woken when
/// only time can tell. Called after every probe event and wake while the round runs.
func decideFastest(_ state: inout AppState) -> [Effect] {
    guard state.roundActive, state.decision == nil, decidesDuringRound(state), state.notStartedCount == 0,
          let leader = state.leaderIndex else { return [] }
    let verdict = Decision.verdict(rows: state.rows, leader: leader, samples: state.page.probe.samples,
                                   timeoutMs: state.page.probe.timeoutMs, now: state.roundClockMs)
    switch verdict {
    case .decided:
        let effects = recordDecision(&state, leader)
        if state.screen == .mirrors { _ = announceFastest(&state) }
        return effects
    case .undecided(let recheckAt):
        guard let at = recheckAt, at != state.wakeAt else { return [] }
        state.wakeAt = at
        return [.wake(round: state.round, atMs: at)]
    }
}

/// After the round or a phase: once every measurement the ranking uses is in, the fastest is
/// certain (if not named already), and the round's wall time is known. The bell rings once a
/// round: at the decision, or at the end when no mirror answered.
func settleRound(_ state: inout AppState) -> [Effect] {
    if state.roundActive { return [] }
    var effects: [Effect] = []
    if state.decision == nil, rankingIsKnown(state), let leader = state.leaderIndex {
        effects = recordDecision(&state, leader)
    }
    guard state.phase == nil else { return effects }
    state.roundWallMs = state.roundClockMs
    if state.decision == nil, state.options.bell { effects.append(.bell) }  // no mirror answered (or all stale)
    return effects + recordFinishedRound(&state)
}

/// Whether every measurement the active ranking uses is in, once the latency round is over: by
/// response time at once (with --max-behind once the timestamps are read); by throughput when
/// the rates are.
private func rankingIsKnown(_ state: AppState) -> Bool {
    switch state.ranking.by {
    case .response, .history: state.ranking.maxBehindSeconds == nil || state.phase != .freshness
    case .throughput: state.phase == nil
    }
}

private func recordDecision(_ state: inout AppState, _ leader: Int) -> [Effect] {
    guard let ms = state.rows[leader].report?.ms else { return [] }
    state.decision = RoundDecision(mirrorID: state.rows[leader].mirror.id, atMs: state.roundClockMs, ms: ms)
    state.wakeAt = nil
    return state.options.bell ? [.bell] : []
}
