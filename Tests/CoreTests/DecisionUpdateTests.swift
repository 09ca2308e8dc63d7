import MirrorscopeCore
import Testing

/// The session names the fastest the moment it is certain, while the round goes on.
@Suite("update: the decision")
struct DecisionUpdateTests {
    typealias F = Fixtures

    /// Round 1 with every mirror connecting at 1 ms (Amsterdam refused at once).
    func allConnecting(bell: Bool = false) -> AppState {
        var state = F.started()
        state.options.bell = bell
        for id in ["fra", "par", "ams", "lon", "tok", "syd"] {
            _ = update(&state, .probe(round: 1, .started(mirrorID: id), atMs: 1))
            if id != "ams" { _ = update(&state, .probe(round: 1, .connected(mirrorID: id, transportMs: 0), atMs: 1)) }
        }
        _ = update(&state, .probe(round: 1, .finished(F.failed("ams", .refused, "connection refused")), atMs: 2))
        return state
    }

    @Test func theFastestIsNamedWhenNoUnfinishedMirrorCanBeatItAndTheRoundGoesOn() throws {
        var state = allConnecting(bell: true)
        // Frankfurt (28 ms) finishes at 90 ms; everyone else has waited 89 ms on a first sample.
        let effects = update(&state, .probe(round: 1, .finished(F.ok("fra", [22, 23, 25], tls: 4)), atMs: 90))
        #expect(effects == [.bell])
        let decision = try #require(state.decision)
        #expect(decision == RoundDecision(mirrorID: "fra", atMs: 90, ms: 28))
        #expect(state.roundActive, "the round goes on filling in the rest")
        #expect(state.notice?.text.hasPrefix("Fastest: Frankfurt (https://fra.example.org/pub/) 28 ms") == true)
        #expect(state.cursorID == "fra")
        #expect(render(state).rowText(0).contains("decided in 90 ms"))

        // The rest arrive; the end of the round rings no second bell and keeps the decision.
        _ = update(&state, .probe(round: 1, .finished(F.ok("par", [40, 41, 39], tls: 5)), atMs: 140))
        _ = update(&state, .probe(round: 1, .finished(F.ok("lon", [120, 118, 130])), atMs: 400))
        _ = update(&state, .probe(round: 1, .finished(F.ok("tok", [250, 260, 255])), atMs: 800))
        _ = update(&state, .probe(round: 1, .finished(F.failed("syd", .timeout, "timeout")), atMs: 3001))
        #expect(update(&state, .roundFinished(round: 1, atMs: 3002)) == [])
        #expect(state.decision == decision)
        #expect(state.roundWallMs == 3002)
        #expect(render(state).rowText(0).contains("decided in 90 ms"))
    }

    @Test func whenOnlyTimeCanTellItAsksToBeWokenAndDecidesOnTheClock() throws {
        var state = F.started()
        _ = update(&state, .probe(round: 1, .started(mirrorID: "fra"), atMs: 0))
        _ = update(&state, .probe(round: 1, .connected(mirrorID: "fra", transportMs: 0), atMs: 0))
        for id in ["par", "ams", "lon", "tok"] {
            _ = update(&state, .probe(round: 1, .finished(F.ok(id, [200])), atMs: 10))
        }
        _ = update(&state, .probe(round: 1, .started(mirrorID: "syd"), atMs: 10))
        _ = update(&state, .probe(round: 1, .connected(mirrorID: "syd", transportMs: 0), atMs: 100))
        // Frankfurt (28 ms) finishes at 110; Sydney has waited 10 ms on its first sample: it could
        // still win, until it has waited 28 ms, at 128.
        let effects = update(&state, .probe(round: 1, .finished(F.ok("fra", [22, 23, 25], tls: 4)), atMs: 110))
        guard case .wake(round: 1, let at)? = effects.first, effects.count == 1 else { Issue.record("expected one wake: \(effects)"); return }
        #expect(abs(at - 128) < 0.01)
        #expect(state.decision == nil)

        // An early clock changes nothing (and asks again); the due one decides.
        #expect(update(&state, .clock(round: 1, atMs: 120)).count == 1)
        #expect(state.decision == nil)
        _ = update(&state, .clock(round: 1, atMs: 128.5))
        #expect(state.decision?.mirrorID == "fra")
        #expect(state.decision?.atMs == 128.5)
    }

    @Test func aMirrorStillConnectingIsOutOnceItHasWaitedLongerThanTheLeader() throws {
        // Sydney's connect began at 10 ms (its name looked up) and never ended (a handshake that
        // hangs): its figure grows from there, so it is out at 10 + 28 = 38 ms, long before its
        // timeout; without the connect's start it would be a contender until it failed.
        var state = F.started()
        for id in ["par", "ams", "lon", "tok"] {
            _ = update(&state, .probe(round: 1, .finished(F.ok(id, [200])), atMs: 5))
        }
        _ = update(&state, .probe(round: 1, .started(mirrorID: "syd"), atMs: 5))
        _ = update(&state, .probe(round: 1, .connecting(mirrorID: "syd"), atMs: 10))
        _ = update(&state, .probe(round: 1, .started(mirrorID: "fra"), atMs: 5))
        _ = update(&state, .probe(round: 1, .connected(mirrorID: "fra", transportMs: 0), atMs: 6))
        let effects = update(&state, .probe(round: 1, .finished(F.ok("fra", [22, 23, 25], tls: 4)), atMs: 30))
        guard case .wake(round: 1, let at)? = effects.first, effects.count == 1 else { Issue.record("expected one wake: \(effects)"); return }
        #expect(abs(at - 38) < 0.01)
        _ = update(&state, .clock(round: 1, atMs: 38.5))
        #expect(state.decision?.mirrorID == "fra")
    }

    @Test func aMirrorWhoseConnectHasNotBegunStaysAContender() {
        // Still looking its name up (or connecting through a proxy): nothing is known of it yet.
        var state = F.started()
        for id in ["par", "ams", "lon", "tok"] {
            _ = update(&state, .probe(round: 1, .finished(F.ok(id, [200])), atMs: 5))
        }
        _ = update(&state, .probe(round: 1, .started(mirrorID: "syd"), atMs: 5))
        _ = update(&state, .probe(round: 1, .finished(F.ok("fra", [22, 23, 25], tls: 4)), atMs: 30))
        #expect(update(&state, .clock(round: 1, atMs: 2000)) == [])
        #expect(state.decision == nil)
    }

    @Test func aClockOfAnOlderRoundIsIgnored() {
        var state = F.roundDone()
        _ = F.keys(&state, .char("r"))
        #expect(update(&state, .clock(round: 1, atMs: 5000)) == [])
        #expect(state.decision == nil)
    }

    @Test func aMirrorThatNeverStartedHoldsTheDecisionUntilItReports() throws {
        var state = F.midRound()  // Sydney has not started: it could still be the fastest
        #expect(state.decision == nil)
        _ = update(&state, .probe(round: 1, .finished(F.ok("tok", [250, 260, 255])), atMs: 700))
        #expect(state.decision == nil)
        _ = update(&state, .probe(round: 1, .finished(F.failed("syd", .timeout, "timeout")), atMs: 3100))
        #expect(state.decision == RoundDecision(mirrorID: "fra", atMs: 3100, ms: 28))
        _ = update(&state, .roundFinished(round: 1, atMs: 3101))
        #expect(state.decision?.atMs == 3100)
    }

    @Test func theBellRingsAtTheEndOnlyWhenNothingWasNamed() {
        var state = F.started()
        state.options.bell = true
        for id in ["fra", "par", "ams", "lon", "tok", "syd"] {
            _ = update(&state, .probe(round: 1, .finished(F.failed(id, .refused, "refused")), atMs: 5))
        }
        #expect(update(&state, .roundFinished(round: 1, atMs: 6)) == [.bell])
        #expect(state.decision == nil)
        #expect(state.notice?.text.hasPrefix("No mirror answered") == true)
    }

    @Test func aNearTieIsNotPresentedAsDecisive() throws {
        let state = F.decidedNearTie()
        let notice = try #require(state.notice)
        #expect(notice.text.contains("Frankfurt and Paris are within 5 ms of each other"), "\(notice.text)")
        #expect(notice.kind == .warning)
        #expect(state.decision?.mirrorID == "fra")
        #expect(state.decision?.atMs == 90)
    }

    @Test func aLaterFasterMirrorIsNamedAtTheEndAndTheNoticeSaysItOvertook() throws {
        var state = allConnecting()
        _ = update(&state, .probe(round: 1, .finished(F.ok("fra", [22, 23, 25], tls: 4)), atMs: 90))
        #expect(state.decision?.mirrorID == "fra")
        // Against the rule's assumption, Paris's later samples come in faster than its first.
        _ = update(&state, .probe(round: 1, .finished(F.ok("par", [5, 6, 7])), atMs: 150))
        for id in ["lon", "tok", "syd"] { _ = update(&state, .probe(round: 1, .finished(F.failed(id, .timeout, "timeout")), atMs: 3001)) }
        _ = update(&state, .roundFinished(round: 1, atMs: 3002))
        let notice = try #require(state.notice)
        #expect(notice.text.hasPrefix("Fastest: Paris"))
        #expect(notice.text.contains("it overtook Frankfurt"))
    }

    @Test func aReprobeForgetsTheDecision() {
        var state = F.roundDone()
        #expect(state.decision != nil)
        _ = F.keys(&state, .char("r"))
        #expect(state.decision == nil && state.roundWallMs == nil && state.wakeAt == nil)
        #expect(state.rows.allSatisfy { $0.sampleMs.isEmpty && $0.inFlight == nil })
    }

    @Test func theProgressLineSaysHowFarAndWhatWasDecided() {
        var state = allConnecting()
        #expect(ProgressLine.text(state) == "probing 1/6")
        _ = update(&state, .probe(round: 1, .finished(F.ok("fra", [22, 23, 25], tls: 4)), atMs: 90))
        #expect(ProgressLine.text(state) == "probing 2/6 · decided: Frankfurt 28 ms")
    }
}
