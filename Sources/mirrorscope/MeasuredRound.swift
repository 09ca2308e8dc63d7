import MirrorscopeCore
import MirrorscopeProber

/// One headless round as the terminal session runs it: the latency probes, then the freshness
/// phase (every answered mirror's timestamp object), then the throughput phase on the leading
/// mirrors that are not stale, chosen by the same core functions the session uses. The phases'
/// results are merged into the reports.
struct MeasuredRound {
    var reports: [MirrorReport]
    var judge: FreshnessJudge
    /// Why the throughput phase did not run, when the user asked for it.
    var throughputSkipped: String?

    static func run(prober: Prober, page: Page, policy: RankPolicy,
                    onEvent: @escaping @Sendable (ProbeEvent) -> Void = { _ in }) async -> MeasuredRound {
        let settings = page.probe
        var reports = await prober.probeRound(mirrors: page.mirrors, settings: settings, onEvent: onEvent)
        let byID = Dictionary(page.mirrors.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        func merge(_ id: String, _ change: (inout MirrorReport) -> Void) {
            if let i = reports.firstIndex(where: { $0.mirrorID == id }) { change(&reports[i]) }
        }

        var reference: Int64?
        if settings.freshness != nil {
            let answered = reports.filter(\.ok).compactMap { byID[$0.mirrorID] }
            let read = await prober.freshnessRound(mirrors: answered, settings: settings, onEvent: onEvent)
            for (id, result) in read.results { merge(id) { $0.freshness = result } }
            reference = read.reference?.syncedAt
        }
        let syncTimes = reports.compactMap { report in
            byID[report.mirrorID].flatMap { FreshnessJudge.syncTime($0, measured: report.freshness)?.0 }
        }
        let judge = FreshnessJudge(configured: settings.freshness?.reference, fetchedReference: reference, syncTimes: syncTimes,
                                   maxBehindSeconds: policy.maxBehindSeconds)

        var skipped: String?
        if let reason = settings.throughput.skipReason(page.mirrors) {
            if settings.throughput.requested { skipped = reason }
        } else {
            let answered = reports.compactMap { report in byID[report.mirrorID].map { (mirror: $0, report: report) } }
            let freshness = Dictionary(reports.map { ($0.mirrorID, $0.freshness) }, uniquingKeysWith: { a, _ in a })
            let leading = Ranking.throughputCandidates(answered, settings: settings.throughput,
                                                       isStale: { mirror in judge.verdict(mirror, measured: freshness[mirror.id] ?? nil).stale })
            let rates = await prober.throughputRound(mirrors: leading, settings: settings, onEvent: onEvent)
            for (id, result) in rates { merge(id) { $0.throughput = result } }
        }
        return MeasuredRound(reports: reports, judge: judge, throughputSkipped: skipped)
    }

    func ranked(_ page: Page, policy: RankPolicy) -> [MirrorReport] {
        let order = Dictionary(page.mirrors.map { ($0.id, $0.pageOrder) }, uniquingKeysWith: { a, _ in a })
        let byID = Dictionary(page.mirrors.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let stale = Set(reports.filter { report in
            byID[report.mirrorID].map { judge.verdict($0, measured: report.freshness).stale } ?? false
        }.map(\.mirrorID))
        return Ranking.rank(reports, pageOrder: order, policy: policy, isStale: { stale.contains($0) })
    }
}
