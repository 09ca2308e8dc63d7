import MirrorscopeCore
import Testing

/// The rule that names the fastest as soon as no unfinished mirror can beat it (Decision.swift).
@Suite("decision: the rule")
struct DecisionRuleTests {
    func lowest(_ done: [Double], inFlight: Double? = nil, samples: Int = 3) -> Double {
        Decision.lowestPossibleMedian(Decision.Progress(samplesMs: done, inFlightMs: inFlight), samples: samples)
    }

    @Test func aMirrorWithNothingMeasuredCanStillEndAnywhere() {
        #expect(lowest([]) == 0)
    }

    @Test func theFirstSampleInFlightBoundsEverySampleNotBegun() {
        // 30 ms into its first sample: every sample is assumed to take at least that.
        #expect(lowest([], inFlight: 30) == 30)
        #expect(lowest([], inFlight: 30, samples: 1) == 30)
    }

    @Test func doneSamplesCountAndTheFastestBoundsTheRest() {
        // (18, 30) done, third 5 ms in: 18 is the middle of (5, 18, 30).
        #expect(lowest([18, 30], inFlight: 5) == 18)
        // 25 ms in: (18, 25, 30) -> 25.
        #expect(lowest([18, 30], inFlight: 25) == 25)
        // (35) done, between samples: both later ones assumed >= 35.
        #expect(lowest([35]) == 35)
        // (35) done, second just begun: (2, 35, 35) -> 35: one fast sample cannot carry it.
        #expect(lowest([35], inFlight: 2) == 35)
        // (10) done, second 50 ms in: the third may be as fast as the first, (10, 10, 50) -> 10.
        #expect(lowest([10], inFlight: 50) == 10)
    }

    @Test func anEvenCountUsesTheMeanOfTheMiddleTwo() {
        // (10, 30) done, third 20 ms in, fourth >= 10: (10, 10, 20, 30) -> 15.
        #expect(lowest([10, 30], inFlight: 20, samples: 4) == 15)
    }

    /// Rows for `Decision.verdict`: a finished leader and the contenders given.
    func rows(leaderMs: Double, _ contenders: [(status: RowStatus, samples: [Double], since: Double?)]) -> [MirrorRow] {
        var leader = MirrorRow(mirror: Mirror(id: "lead", url: "http://lead/", pageOrder: 1))
        let third = leaderMs * 3 - 2 * (leaderMs - 1)
        leader.status = .finished(MirrorReport(mirrorID: "lead", samples: [leaderMs - 1, leaderMs, third].map {
            ProbeSample(dnsMs: 0, connectMs: 0, tlsMs: nil, ttfbMs: $0, status: 200)
        }, failure: nil))
        return [leader] + contenders.enumerated().map { i, c in
            var row = MirrorRow(mirror: Mirror(id: "c\(i)", url: "http://c\(i)/", pageOrder: i + 2))
            row.status = c.status
            row.sampleMs = c.samples
            row.inFlight = c.since.map { InFlightSample(atMs: $0, takenMs: 0) }
            return row
        }
    }

    func verdict(_ rows: [MirrorRow], now: Double, timeoutMs: Int = 3000) -> Decision.Verdict {
        Decision.verdict(rows: rows, leader: 0, samples: 3, timeoutMs: timeoutMs, now: now)
    }

    @Test func aMirrorNotStartedKeepsItOpenAndOnlyAReportCanSettleIt() {
        let r = rows(leaderMs: 20, [(.waiting, [], nil)])
        #expect(verdict(r, now: 500) == .undecided(recheckAt: nil))
    }

    @Test func aMirrorStillResolvingItsNameCanStillWin() {
        let r = rows(leaderMs: 20, [(.probing(samplesDone: 0), [], nil)])
        #expect(verdict(r, now: 500) == .undecided(recheckAt: nil))
    }

    @Test func aFirstSampleLongerThanTheLeadersFigureIsOut() throws {
        // Connected at 100 ms; the leader's figure is 20 ms.
        let r = rows(leaderMs: 20, [(.probing(samplesDone: 0), [], 100)])
        guard case .undecided(let at?) = verdict(r, now: 110) else { Issue.record("expected a wake"); return }
        #expect(abs(at - 120) < 0.01, "out once 20 ms have passed: at \(at)")
        #expect(verdict(r, now: 121) == .decided)
    }

    @Test func samplesDoneThatCouldStillCarryItKeepItOpenWhateverTheTime() {
        // (18, 19) done: the median of three is at most 19 < 20 whatever the third takes.
        let r = rows(leaderMs: 20, [(.probing(samplesDone: 2), [18, 19], 50)])
        #expect(verdict(r, now: 2000) == .undecided(recheckAt: nil))
    }

    @Test func aMiddleSampleCanPutItOutWhenItGrowsPastTheLeader() throws {
        // (18, 30) done, third connecting since 100: out once the third passes 20 ms.
        let r = rows(leaderMs: 20, [(.probing(samplesDone: 2), [18, 30], 100)])
        guard case .undecided(let at?) = verdict(r, now: 105) else { Issue.record("expected a wake"); return }
        #expect(abs(at - 120) < 0.01)
        #expect(verdict(r, now: 120.5) == .decided)
    }

    @Test func oneSlowSampleDoneIsOutAtOnce() {
        // (35) done and the second just begun: two of three are assumed >= 35.
        let r = rows(leaderMs: 20, [(.probing(samplesDone: 1), [35], 200)])
        #expect(verdict(r, now: 201) == .decided)
    }

    @Test func theWakeIsWhenTheLastContenderIsOut() throws {
        let r = rows(leaderMs: 20, [(.probing(samplesDone: 0), [], 100), (.probing(samplesDone: 0), [], 105),
                                    (.probing(samplesDone: 1), [40], 90)])
        guard case .undecided(let at?) = verdict(r, now: 110) else { Issue.record("expected a wake"); return }
        #expect(abs(at - 125) < 0.01, "the later of 120 and 125 (the third is out already): \(at)")
    }

    @Test func tiesGoToTheEarlierOnThePage() {
        // Exactly the leader's figure: a mirror earlier on the page would win the tie, a later one not.
        var r = rows(leaderMs: 20, [(.probing(samplesDone: 0), [], 0)])
        #expect(verdict(r, now: 20) == .decided)
        r[1].mirror.pageOrder = 0
        #expect(verdict(r, now: 20) != .decided)
        #expect(verdict(r, now: 20.01) == .decided)
    }

    @Test func excludedMirrorsDoNotHoldTheDecision() {
        let r = rows(leaderMs: 20, [(.waiting, [], nil)])
        #expect(Decision.verdict(rows: r, leader: 0, samples: 3, timeoutMs: 3000, now: 50, isExcluded: { $0.mirror.id == "c0" }) == .decided)
    }

    @Test func aSampleThatCouldOnlyBePutOutByItsTimeoutWaitsForItsReport() {
        // The leader's figure is longer than the timeout: only the failure report will say it.
        let r = rows(leaderMs: 200, [(.probing(samplesDone: 0), [], 0)])
        #expect(verdict(r, now: 50, timeoutMs: 100) == .undecided(recheckAt: nil))
    }

    @Test func nearTiesAreOverlappingSpreads() {
        func report(_ times: [Double]) -> MirrorReport {
            MirrorReport(mirrorID: "x", samples: times.map { ProbeSample(dnsMs: 0, connectMs: 0, tlsMs: nil, ttfbMs: $0, status: 200) }, failure: nil)
        }
        #expect(Decision.nearTie(leader: report([17, 18, 21]), runnerUp: report([20, 21, 22])) == 3)
        #expect(Decision.nearTie(leader: report([17, 18, 19]), runnerUp: report([20, 21, 22])) == nil)
        #expect(Decision.nearTie(leader: report([18]), runnerUp: report([18])) == 0)
    }
}
