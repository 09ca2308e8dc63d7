/// What the ranking compares (`--rank`).
public enum RankBy: String, Sendable, Hashable, CaseIterable {
    /// The median response time of the latency round.
    case response
    /// The measured download rate; mirrors without one follow, by response time.
    case throughput
    /// This round's median weighed with the last rounds' (the history across runs; failures count
    /// against): `HistoryWeighting`.
    case history
}

/// How the ranking is decided: by what, and which mirrors it leaves out (`--max-behind`: stale
/// mirrors stay listed, marked, but are never named the fastest).
public struct RankPolicy: Sendable, Hashable {
    public var by: RankBy
    public var maxBehindSeconds: Int64?
    /// Each mirror's medians of earlier rounds (nil: failed), oldest first, by mirror id: what
    /// `--rank history` weighs with this round's. Filled from the history when it loads.
    public var past: [String: [Double?]] = [:]
    /// What a failed earlier round counts as (the page's timeout).
    public var failureMs: Double = 3000

    public init(by: RankBy = .response, maxBehindSeconds: Int64? = nil) {
        self.by = by
        self.maxBehindSeconds = maxBehindSeconds
    }
}

extension Ranking {
    /// Where an answered mirror sorts: lower `group` first, then lower `value`. By throughput, the
    /// measured mirrors come first (fastest rate first), then the rest by response time; stale
    /// mirrors after every ranked one. nil for a mirror that did not answer.
    public static func key(_ report: MirrorReport, policy: RankPolicy, stale: Bool) -> (group: Int, value: Double)? {
        guard let ms = report.ms else { return nil }
        if stale { return (Group.stale, ms) }
        if policy.by == .throughput, let rate = report.bytesPerSecond { return (Group.measuredRate, -rate) }
        if policy.by == .history {
            return (Group.response, HistoryWeighting.figure(current: ms, past: policy.past[report.mirrorID] ?? [], failureMs: policy.failureMs))
        }
        return (Group.response, ms)
    }

    /// The sort groups of the display order, in order.
    enum Group {
        static let measuredRate = 0
        static let response = 1
        static let waiting = 2
        static let stale = 3
        static let failed = 4
    }

    /// The leading `settings.top` mirrors by response time that answered, are not stale and have a
    /// sample object: the throughput phase's downloads.
    public static func throughputCandidates(_ answered: [(mirror: Mirror, report: MirrorReport)],
                                            settings: ThroughputSettings, isStale: (Mirror) -> Bool) -> [Mirror] {
        guard settings.top > 0 else { return [] }
        let eligible = answered.filter { $0.report.ok && !isStale($0.mirror) && settings.url(on: $0.mirror) != nil }
        let ordered = eligible.sorted { a, b in
            let x = a.report.ms ?? .infinity, y = b.report.ms ?? .infinity
            return x != y ? x < y : a.mirror.pageOrder < b.mirror.pageOrder
        }
        return Array(ordered.prefix(settings.top).map(\.mirror))
    }

    /// Rows for `throughputCandidates`: this round's answered ones.
    public static func throughputCandidates(_ rows: [MirrorRow], settings: ThroughputSettings,
                                            judge: FreshnessJudge) -> [Mirror] {
        let answered = rows.compactMap { row in row.report.map { (mirror: row.mirror, report: $0) } }
        let stale = Set(rows.filter { judge.verdict($0.mirror, measured: $0.report?.freshness).stale }.map(\.mirror.id))
        return throughputCandidates(answered, settings: settings, isStale: { stale.contains($0.id) })
    }

    /// The words of the fastest's figures, the active ranking's first: "18 ms · 41 MB/s".
    public static func figures(_ report: MirrorReport, policy: RankPolicy) -> String {
        let ms = report.ms.map(Format.ms)
        let rate = report.bytesPerSecond.map(Format.rate)
        let parts = policy.by == .throughput && rate != nil ? [rate, ms] : [ms, rate]
        let text = parts.compactMap { $0 }.joined(separator: " · ")
        guard policy.by == .history, let now = report.ms, let past = policy.past[report.mirrorID], !past.isEmpty else { return text }
        let weighted = HistoryWeighting.figure(current: now, past: past, failureMs: policy.failureMs)
        return text + " (\(Format.ms(weighted)) over \(past.count + 1) rounds)"
    }
}
