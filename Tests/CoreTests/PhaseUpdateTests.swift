import MirrorscopeCore
import Testing

/// The phases after a latency round as `update` runs them: freshness on the answered mirrors,
/// then throughput on the leading ones that are not stale; the notice names the fastest by the
/// active ranking and says by what.
@Suite("update: freshness and throughput phases")
struct PhaseUpdateTests {
    static let reference: Int64 = 1_764_590_000

    /// The fixture page with a sample object and a timestamp object.
    static func measuredPage(top: Int = 2) -> Page {
        var page = Fixtures.page
        page.probe.throughput = ThroughputSettings(path: "big.bin", top: top, origin: "the probe script")
        page.probe.freshness = FreshnessSettings(path: "lastsync", format: .unixTime, reference: .time(reference), origin: "the probe script")
        return page
    }

    /// Round 1 done on the measured page (Frankfurt 23 ms, Paris 40, London 120, Tokyo 255; two failed).
    static func roundDone(policy: RankPolicy = RankPolicy(), top: Int = 2, width: Int = 80, height: Int = 24) -> (AppState, [Effect]) {
        var state = AppState(page: measuredPage(top: top), width: width, height: height, options: Fixtures.options)
        state.ranking = policy
        _ = update(&state, .start)
        for report in [Fixtures.ok("fra", [22, 23, 25], tls: 4), Fixtures.ok("par", [40, 41, 39], tls: 5),
                       Fixtures.failed("ams", .refused, "connection refused"), Fixtures.ok("lon", [120, 118, 130]),
                       Fixtures.ok("tok", [250, 260, 255]), Fixtures.failed("syd", .timeout, "timeout after 3000 ms (first byte)")] {
            // Stamped as a round would be: each report after its slowest sample, the timeout at 3 s.
            let at = report.ok ? 3 * (report.samples.map(\.responseMs).max() ?? 0) : report.failure?.kind == .timeout ? 3000 : 2
            _ = update(&state, .probe(round: 1, .finished(report), atMs: at))
        }
        let effects = update(&state, .roundFinished(round: 1, atMs: 3001))
        return (state, effects)
    }

    static func fresh(_ behind: Int64) -> FreshnessResult {
        FreshnessResult(syncedAt: reference - behind, url: "https://x.example/lastsync")
    }

    static func rate(_ bps: Double) -> ThroughputResult {
        ThroughputResult(bytesPerSecond: bps, bytes: 4 << 20, ms: 4e9 / bps, points: [RatePoint(ms: 100, bytesPerSecond: bps)],
                         stop: .maxBytes, url: "https://x.example/big.bin")
    }

    static func phaseMirrors(_ effects: [Effect]) -> (MeasurementPhase, [String])? {
        for case .startPhase(_, let phase, let mirrors, _) in effects { return (phase, mirrors.map(\.id)) }
        return nil
    }

    /// Freshness read (Frankfurt two days behind), then the throughput phase.
    static func freshnessDone(policy: RankPolicy) -> (AppState, [Effect]) {
        var (state, _) = roundDone(policy: policy)
        for (id, behind) in [("fra", 2 * 86_400), ("par", 600), ("lon", 0), ("tok", 3 * 3600)] as [(String, Int64)] {
            _ = update(&state, .probe(round: 1, .freshness(mirrorID: id, fresh(behind))))
        }
        let effects = update(&state, .phaseFinished(round: 1, .freshness))
        return (state, effects)
    }

    @Test func freshnessRunsOnTheAnsweredMirrorsFirst() {
        let (state, effects) = Self.roundDone()
        #expect(state.phase == .freshness)
        #expect(Self.phaseMirrors(effects)?.0 == .freshness)
        #expect(Self.phaseMirrors(effects)?.1.sorted() == ["fra", "lon", "par", "tok"])
        #expect(state.notice?.text.hasPrefix("Fastest: Frankfurt (https://fra.example.org/pub/) 28 ms — checking how far behind") == true,
                "\(state.notice?.text ?? "")")
        #expect(state.wantsTicks, "the header's spinner turns while a phase runs")
    }

    @Test func throughputRunsOnTheLeadingMirrorsThatAreNotStale() {
        let (state, effects) = Self.freshnessDone(policy: RankPolicy(maxBehindSeconds: 6 * 3600))
        #expect(Self.phaseMirrors(effects)?.0 == .throughput)
        #expect(Self.phaseMirrors(effects)?.1 == ["par", "lon"], "Frankfurt is two days behind: out of the ranking")
        #expect(state.phase == .throughput)
        #expect(state.notice?.text.hasPrefix("Fastest: Paris") == true, "the stale Frankfurt is not named: \(state.notice?.text ?? "")")
        #expect(state.notice?.text.contains("measuring the throughput of the leading 2") == true)
        #expect(state.rows[state.displayOrder.last!].mirror.id == "syd", "failed last")
        let order = state.displayOrder.map { state.rows[$0].mirror.id }
        #expect(order == ["par", "lon", "tok", "fra", "ams", "syd"], "stale after the ranked ones, failed last: \(order)")
    }

    @Test func byThroughputRowsReorderAsRatesComeAndTheNoticeSaysByWhat() throws {
        var (state, _) = Self.freshnessDone(policy: RankPolicy(by: .throughput))
        #expect(Self.phaseMirrors(update(&state, .probe(round: 1, .throughputStarted(mirrorID: "fra")))) == nil)
        let progress = ThroughputProgress(bytes: 1 << 20, ms: 200, bytesPerSecond: 5e6, fraction: 0.25)
        _ = update(&state, .probe(round: 1, .throughputProgress(mirrorID: "fra", progress)))
        #expect(state.row(id: "fra")?.throughputProgress == progress)
        _ = update(&state, .probe(round: 1, .throughputFinished(mirrorID: "fra", Self.rate(2e6))))
        _ = update(&state, .probe(round: 1, .throughputFinished(mirrorID: "par", Self.rate(40e6))))
        #expect(state.row(id: "fra")?.throughputProgress == nil)
        #expect(state.displayOrder.prefix(3).map { state.rows[$0].mirror.id } == ["par", "fra", "lon"],
                "measured by rate first, the rest by response time after them")
        let effects = update(&state, .phaseFinished(round: 1, .throughput))
        #expect(effects.isEmpty)
        #expect(state.phase == nil)
        let notice = try #require(state.notice?.text)
        #expect(notice == "Fastest: Paris (https://par.example.org/pub/) 40.0 MB/s · 46 ms by throughput — Enter to use it, ↑/↓ to choose another, r to re-probe")
        #expect(state.cursorID == "par", "the cursor follows the fastest by the active ranking")
        #expect(!state.wantsTicks)
    }

    @Test func byResponseTheRatesAreShownButDoNotReorder() {
        var (state, _) = Self.freshnessDone(policy: RankPolicy())
        _ = update(&state, .probe(round: 1, .throughputFinished(mirrorID: "fra", Self.rate(2e6))))
        _ = update(&state, .probe(round: 1, .throughputFinished(mirrorID: "par", Self.rate(40e6))))
        _ = update(&state, .phaseFinished(round: 1, .throughput))
        #expect(state.displayOrder.first.map { state.rows[$0].mirror.id } == "fra")
        #expect(state.notice?.text.hasPrefix("Fastest: Frankfurt (https://fra.example.org/pub/) 28 ms · 2.00 MB/s by response time — Enter") == true,
                "\(state.notice?.text ?? "")")
    }

    @Test func reprobingOrQuittingCancelsARunningPhase() {
        var (state, _) = Self.freshnessDone(policy: RankPolicy())
        _ = update(&state, .probe(round: 1, .throughputStarted(mirrorID: "fra")))
        let reprobe = Fixtures.keys(&state, .char("r"))
        #expect(reprobe.first == .cancelRound(round: 1))
        #expect(state.phase == nil)
        #expect(state.rows.allSatisfy { $0.throughputProgress == nil })
        // A late report of round 1's phase changes nothing.
        _ = update(&state, .phaseFinished(round: 1, .throughput))
        _ = update(&state, .probe(round: 1, .throughputFinished(mirrorID: "fra", Self.rate(2e6))))
        #expect(state.row(id: "fra")?.report == nil)

        var (other, _) = Self.roundDone()
        #expect(update(&other, .key(.char("q"))).first == .cancelRound(round: 1))
    }

    @Test func withoutObjectsThePhasesAreSkippedAndSaySoOnlyWhenAsked() {
        var page = Fixtures.page
        var state = AppState(page: page, options: Fixtures.options)
        _ = update(&state, .start)
        _ = update(&state, .probe(round: 1, .finished(Fixtures.ok("fra", [22]))))
        #expect(update(&state, .roundFinished(round: 1)).isEmpty)
        #expect(state.notice?.text.hasSuffix("— Enter to use it, ↑/↓ to choose another, r to re-probe") == true)

        page.probe.throughput.requested = true  // --top, --rank throughput
        state = AppState(page: page, options: Fixtures.options)
        _ = update(&state, .start)
        _ = update(&state, .probe(round: 1, .finished(Fixtures.ok("fra", [22]))))
        #expect(update(&state, .roundFinished(round: 1)).isEmpty)
        #expect(state.notice?.text.contains("throughput not measured: no sample object") == true, "\(state.notice?.text ?? "")")
    }

    @Test func everyAnsweredMirrorStaleIsSaid() {
        var (state, _) = Self.roundDone(policy: RankPolicy(maxBehindSeconds: 60))
        for id in ["fra", "par", "lon", "tok"] { _ = update(&state, .probe(round: 1, .freshness(mirrorID: id, Self.fresh(3600)))) }
        var page = state.page
        page.probe.throughput.top = 0
        state.page = page
        _ = update(&state, .phaseFinished(round: 1, .freshness))
        #expect(state.notice?.text.hasPrefix("Every mirror that answered is more than 1m behind (--max-behind)") == true,
                "\(state.notice?.text ?? "")")
    }
}
