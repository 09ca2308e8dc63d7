import MirrorscopeCore
import MirrorscopeProber

/// One freshness round for one virtual server: its mirrors' timestamp objects read by the
/// client's own freshness phase (`Prober.freshnessRound`: the same object, formats and parser),
/// then judged by the client's `FreshnessJudge` against the origin's copy or the newest mirror.
struct FreshnessRoundRunner: Sendable {
    let prober: Prober
    /// A timestamp object that does not come within this is unknown (not held against its mirror).
    static let timeoutMs = 5000

    func verdicts(settings: FreshnessWatchSettings, reals: [(id: String, url: String)]) async -> [String: FreshnessVerdict] {
        let mirrors = reals.map { Mirror(id: $0.id, url: $0.url) }
        let format = settings.format.flatMap(FreshnessFormat.init(rawValue:)) ?? FreshnessFormat.guess(forPath: settings.path)
        let reference: FreshnessReference = settings.reference.map { .url($0) } ?? .newest
        var probe = ProbeSettings(timeoutMs: Self.timeoutMs, concurrency: 16)
        probe.freshness = MirrorscopeCore.FreshnessSettings(path: settings.path, format: format, reference: reference)
        let round = await prober.freshnessRound(mirrors: mirrors, settings: probe) { _ in }
        let judge = FreshnessJudge(configured: reference, fetchedReference: round.reference?.syncedAt,
                                   syncTimes: round.results.values.compactMap(\.syncedAt),
                                   maxBehindSeconds: settings.maxBehind.map { $0.components.seconds })
        var verdicts: [String: FreshnessVerdict] = [:]
        for mirror in mirrors { verdicts[mirror.id] = judge.verdict(mirror, measured: round.results[mirror.id]) }
        return verdicts
    }
}
