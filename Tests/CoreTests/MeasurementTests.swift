import MirrorscopeCore
import Testing

/// The pure parts of the throughput and freshness phases: the rate meter, the dates, the judge of
/// freshness, the ranking by rate and the leading mirrors it picks.
@Suite("measurements: rate, dates, freshness, ranking")
struct MeasurementTests {
    // MARK: rate meter

    @Test func theFirstReadIsNotCounted() {
        var meter = RateMeter()
        meter.add(64 * 1024, atMs: 0)  // waited in buffers while the connection was made
        #expect(meter.bytesPerSecond == nil, "one read times nothing")
        meter.add(10_000, atMs: 10)
        #expect(meter.bytesPerSecond == 1_000_000, "10 kB in 10 ms after the first read")
        #expect(meter.bytes == 64 * 1024 + 10_000)
    }

    @Test func aSteadyRateIsSeenAndAJumpyOneIsNot() {
        var steady = RateMeter()
        steady.add(1000, atMs: 0)
        for step in 1...20 { steady.add(10_000, atMs: Double(step) * 10) }  // 1 MB/s, evenly
        #expect(!steady.isSteady, "200 ms is too early to call it")
        for step in 21...60 { steady.add(10_000, atMs: Double(step) * 10) }
        #expect(steady.isSteady)
        #expect(steady.points.count >= 5)
        #expect(abs(steady.points.last!.bytesPerSecond - 1_000_000) < 1)

        var jumpy = RateMeter()
        jumpy.add(1000, atMs: 0)
        for step in 1...100 { jumpy.add(step % 20 < 10 ? 2_000 : 20_000, atMs: Double(step) * 10) }
        #expect(!jumpy.isSteady, "rates swinging 10x between intervals are not steady")

        var rampUp = RateMeter()  // slow start: each interval faster than the last
        rampUp.add(1000, atMs: 0)
        for step in 1...100 { rampUp.add(100 * step, atMs: Double(step) * 10) }
        #expect(!rampUp.isSteady)
    }

    // MARK: dates

    @Test func internetDatesAsDebianAndHTTPWriteThem() {
        #expect(InternetDate.parse("Sat, 09 Nov 2024 10:05:13 UTC") == 1_731_146_713)
        #expect(InternetDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
        #expect(InternetDate.parse("9 Nov 2024 11:05:13 +0100") == 1_731_146_713)
        #expect(InternetDate.parse("Sat, 09 Nov 2024 10:05 UTC") == 1_731_146_700)
        for junk in ["", "yesterday", "Sat, 09 Nov 2024", "Sat, 09 Nov 2024 10:05:13", "Sat, 32 Nov 2024 10:05:13 UTC",
                     "Sat, 09 November 2024 10:05:13 UTC", "Sat, 09 Nov 2024 25:05:13 UTC", "Sat, 09 Nov 2024 10:05:13 EST",
                     "Sunday, 06-Nov-94 08:49:37 GMT"] {
            #expect(InternetDate.parse(junk) == nil, "\(junk)")
        }
        #expect(InternetDate.format(1_731_146_713) == "Sat, 09 Nov 2024 10:05:13 UTC")
        #expect(InternetDate.format(784_111_777, zone: "GMT") == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(InternetDate.parse(InternetDate.format(1_764_590_000)) == 1_764_590_000)
    }

    @Test func timestampObjects() {
        #expect(TimestampObjects.unixTime(Array("1764590000\n".utf8)) == .time(1_764_590_000))
        #expect(TimestampObjects.unixTime(Array("1764590000.25".utf8)) == .time(1_764_590_000))
        #expect(TimestampObjects.unixTime(Array("<html>not found</html>".utf8)) != .time(0))
        if case .time = TimestampObjects.unixTime(Array(repeating: UInt8(ascii: "1"), count: 2000)) { Issue.record("a 2 kB body is no unix time") }
        let release = Array("Origin: Debian\nSuite: stable\nDate: Sat, 09 Nov 2024 10:05:13 UTC\nValid-Until: x\n".utf8)
        #expect(TimestampObjects.releaseDate(release, complete: true) == .time(1_731_146_713))
        #expect(TimestampObjects.releaseDate(Array(release.prefix(20)), complete: false) == .notFound(why: "no Date: field"))
        #expect(TimestampObjects.releaseDate(Array("Date: whenever\n".utf8), complete: true)
                == .notFound(why: "Date: \"whenever\" is not an RFC 2822 date"))
        #expect(TimestampObjects.lastModified(nil) == .notFound(why: "no Last-Modified header"))
        #expect(TimestampObjects.lastModified("Sun, 06 Nov 1994 08:49:37 GMT") == .time(784_111_777))
    }

    @Test func formats() {
        #expect(Format.rate(12_400_000) == "12.4 MB/s")
        #expect(Format.rate(850_000) == "850 kB/s")
        #expect(Format.rate(1_050_000_000) == "1.05 GB/s")
        #expect(Format.rate(123_456_789) == "123 MB/s")
        #expect(Format.rate(999) == "999 B/s")
        #expect(Format.age(seconds: 0) == "0s")
        #expect(Format.age(seconds: 3 * 3600 + 59) == "3h")
        #expect(Format.age(seconds: 2 * 86_400 + 5) == "2d")
    }

    // MARK: freshness

    static let reference: Int64 = 1_764_590_000
    func mirror(_ id: String, listed: Int64? = nil) -> Mirror {
        var m = Mirror(id: id, url: "https://\(id).example/")
        if let listed { m.freshness = Freshness(lastSync: listed) }
        return m
    }
    func measured(_ t: Int64?) -> FreshnessResult { FreshnessResult(syncedAt: t, url: "https://x.example/lastsync") }

    @Test func theReferenceIsThePagesTimeTheOriginsOrTheNewest() {
        let times: [Int64] = [Self.reference - 600, Self.reference - 7200]
        let page = FreshnessJudge(configured: .time(Self.reference), fetchedReference: nil, syncTimes: times, maxBehindSeconds: nil)
        #expect(page.reference == Self.reference)
        #expect(page.referenceSource == .page)
        let origin = FreshnessJudge(configured: .url("https://o.example/lastsync"), fetchedReference: Self.reference + 60,
                                    syncTimes: times, maxBehindSeconds: nil)
        #expect(origin.reference == Self.reference + 60)
        #expect(origin.referenceSource == .origin)
        let unread = FreshnessJudge(configured: .url("https://o.example/lastsync"), fetchedReference: nil, syncTimes: times,
                                    maxBehindSeconds: nil)
        #expect(unread.reference == Self.reference - 600, "the origin unread: the newest mirror")
        #expect(unread.referenceSource == .newest)
        let newest = FreshnessJudge(configured: nil, fetchedReference: nil, syncTimes: times, maxBehindSeconds: nil)
        #expect(newest.verdict(mirror("a"), measured: measured(Self.reference - 600)).behindSeconds == 0)
        #expect(newest.verdict(mirror("b"), measured: measured(Self.reference - 7200)).behindSeconds == 6600)
    }

    @Test func staleIsPastMaxBehindAndUnknownIsNotStale() {
        let judge = FreshnessJudge(configured: .time(Self.reference), fetchedReference: nil, syncTimes: [], maxBehindSeconds: 6 * 3600)
        let old = judge.verdict(mirror("old"), measured: measured(Self.reference - 2 * 86_400))
        #expect(old.stale)
        #expect(old.behindSeconds == Int64(2 * 86_400))
        #expect(!judge.verdict(mirror("new"), measured: measured(Self.reference - 3600)).stale)
        #expect(judge.verdict(mirror("unknown"), measured: measured(nil)) == .unknown)
        #expect(judge.highlightAfterSeconds == 6 * 3600)
    }

    @Test func aMeasuredTimeWinsOverTheListsAndTheListsIsUsedWithout() {
        let judge = FreshnessJudge(configured: .time(Self.reference), fetchedReference: nil, syncTimes: [], maxBehindSeconds: nil)
        let listed = mirror("a", listed: Self.reference - 86_400)
        let both = judge.verdict(listed, measured: measured(Self.reference - 60))
        #expect(both.source == .measured)
        #expect(both.behindSeconds == 60)
        let listOnly = judge.verdict(listed, measured: measured(nil))
        #expect(listOnly.source == .list)
        #expect(listOnly.behindSeconds == 86_400)
    }

    // MARK: ranking

    func report(_ id: String, ms: Double, rate: Double? = nil) -> MirrorReport {
        var r = MirrorReport(mirrorID: id, samples: [ProbeSample(dnsMs: 0, connectMs: 0, tlsMs: nil, ttfbMs: ms, status: 200)], failure: nil)
        if let rate { r.throughput = ThroughputResult(bytesPerSecond: rate, bytes: 4 << 20, ms: 100, url: "x") }
        return r
    }

    @Test func byThroughputTheMeasuredComeFirstByRateTheRestByResponse() {
        let reports = [report("quick-trickle", ms: 10, rate: 1e6), report("slow-fast", ms: 250, rate: 50e6),
                       report("unmeasured", ms: 20), report("middle", ms: 100, rate: 10e6),
                       MirrorReport(mirrorID: "dead", samples: [], failure: ProbeFailure(.refused, "connection refused"))]
        let order = Dictionary(uniqueKeysWithValues: reports.enumerated().map { ($1.mirrorID, $0) })
        #expect(Ranking.rank(reports, pageOrder: order).map(\.mirrorID)
                == ["quick-trickle", "unmeasured", "middle", "slow-fast", "dead"])
        #expect(Ranking.rank(reports, pageOrder: order, policy: RankPolicy(by: .throughput)).map(\.mirrorID)
                == ["slow-fast", "middle", "quick-trickle", "unmeasured", "dead"])
        #expect(Ranking.rank(reports, pageOrder: order, policy: RankPolicy(by: .throughput), isStale: { $0 == "slow-fast" }).map(\.mirrorID)
                == ["middle", "quick-trickle", "unmeasured", "slow-fast", "dead"], "a stale mirror leaves the ranking, still listed")
    }

    @Test func theLeadingMirrorsAreTheFastestToAnswerThatAreNotStale() {
        let mirrors = (0..<8).map { Mirror(id: "m\($0)", url: "https://m\($0).example/", pageOrder: $0) }
        let answered = mirrors.map { (mirror: $0, report: report($0.id, ms: Double(100 - $0.pageOrder * 10))) }
        let settings = ThroughputSettings(path: "big.bin", top: 3)
        #expect(Ranking.throughputCandidates(answered, settings: settings, isStale: { _ in false }).map(\.id) == ["m7", "m6", "m5"])
        #expect(Ranking.throughputCandidates(answered, settings: settings, isStale: { $0.id == "m6" }).map(\.id) == ["m7", "m5", "m4"])
        var off = settings
        off.top = 0
        #expect(Ranking.throughputCandidates(answered, settings: off, isStale: { _ in false }).isEmpty)
        #expect(Ranking.throughputCandidates(answered, settings: ThroughputSettings(top: 3), isStale: { _ in false }).isEmpty,
                "no object, no download")
    }

    @Test func theFiguresSayByWhat() {
        let both = report("w", ms: 18, rate: 41e6)
        #expect(Ranking.figures(both, policy: RankPolicy()) == "18 ms · 41.0 MB/s")
        #expect(Ranking.figures(both, policy: RankPolicy(by: .throughput)) == "41.0 MB/s · 18 ms")
        #expect(Ranking.figures(report("w", ms: 18), policy: RankPolicy(by: .throughput)) == "18 ms")
    }
}
