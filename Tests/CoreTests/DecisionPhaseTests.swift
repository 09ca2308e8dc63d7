import MirrorscopeCore
import Testing

/// The decision with the phases after the latency round: by response time it comes with the
/// round and the phases go on; by throughput, or with --max-behind, it waits for what only the
/// phases measure. The progress line says which phase runs.
@Suite("core: the decision and the phases")
struct DecisionPhaseTests {
    @Test func byResponseTheDecisionDoesNotWaitForThePhases() {
        let (state, _) = PhaseUpdateTests.roundDone()
        #expect(state.phase == .freshness)
        #expect(state.decision?.mirrorID == "fra")
        #expect(state.decision?.atMs == 3000, "when the last mirror (Sydney's timeout) reported")
        #expect(state.roundWallMs == nil, "the round's wall time includes its phases")
        #expect(ProgressLine.text(state) == "probing 6/6 · decided: Frankfurt 28 ms · freshness")
    }

    @Test func byThroughputTheDecisionWaitsForTheRates() {
        var (state, _) = PhaseUpdateTests.freshnessDone(policy: RankPolicy(by: .throughput))
        #expect(state.phase == .throughput)
        #expect(state.decision == nil, "a rate still to come can change the fastest")
        #expect(ProgressLine.text(state) == "probing 6/6 · throughput 0/2")
        _ = update(&state, .probe(round: 1, .throughputFinished(mirrorID: "fra", PhaseUpdateTests.rate(2e6)), atMs: 3500))
        #expect(ProgressLine.text(state) == "probing 6/6 · throughput 1/2")
        _ = update(&state, .probe(round: 1, .throughputFinished(mirrorID: "par", PhaseUpdateTests.rate(40e6)), atMs: 3600))
        #expect(state.decision == nil)
        let effects = update(&state, .phaseFinished(round: 1, .throughput, atMs: 3650))
        #expect(state.decision == RoundDecision(mirrorID: "par", atMs: 3650, ms: 46))
        #expect(state.roundWallMs == 3650)
        #expect(!effects.contains(.bell), "no bell unless asked for")
    }

    @Test func withMaxBehindTheDecisionWaitsForTheTimestamps() {
        let (before, _) = PhaseUpdateTests.roundDone(policy: RankPolicy(maxBehindSeconds: 6 * 3600))
        #expect(before.decision == nil, "Frankfurt, the fastest to answer, may be stale")
        let (state, _) = PhaseUpdateTests.freshnessDone(policy: RankPolicy(maxBehindSeconds: 6 * 3600))
        // Freshness read, the throughput phase next: by response time the stale Frankfurt is out.
        #expect(state.phase == .throughput)
        #expect(state.decision == RoundDecision(mirrorID: "par", atMs: 3001, ms: 46), "the rates do not change a ranking by response time")
    }
}
