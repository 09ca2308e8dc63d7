/// The "selector": compares results and names the fastest.
public enum Ranking {
    /// Finished reports ordered for output: answered mirrors by the policy (median response time by
    /// default; ties by page order), then stale ones, then failed ones in page order.
    public static func rank(_ reports: [MirrorReport], pageOrder: [String: Int], policy: RankPolicy = RankPolicy(),
                            isStale: (String) -> Bool = { _ in false }) -> [MirrorReport] {
        let keys = Dictionary(reports.map { ($0.mirrorID, key($0, policy: policy, stale: isStale($0.mirrorID))) }, uniquingKeysWith: { a, _ in a })
        return reports.sorted { a, b in
            let order = (pageOrder[a.mirrorID] ?? 0) < (pageOrder[b.mirrorID] ?? 0)
            switch (keys[a.mirrorID] ?? nil, keys[b.mirrorID] ?? nil) {
            case let (x?, y?): return x.group != y.group ? x.group < y.group : (x.value != y.value ? x.value < y.value : order)
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return order
            }
        }
    }

    /// The fastest answered row of the current round by the policy (stale rows never), if any.
    public static func fastest(_ rows: [MirrorRow], policy: RankPolicy = RankPolicy(), judge: FreshnessJudge? = nil) -> Int? {
        var best: (index: Int, key: (group: Int, value: Double))?
        for (i, row) in rows.enumerated() {
            guard let report = row.report else { continue }
            let stale = judge?.verdict(row.mirror, measured: report.freshness).stale ?? false
            guard let k = key(report, policy: policy, stale: stale), k.group != Group.stale else { continue }
            if let b = best, b.key.group < k.group || (b.key.group == k.group && (b.key.value < k.value
                || (b.key.value == k.value && rows[b.index].mirror.pageOrder <= row.mirror.pageOrder))) { continue }
            best = (i, k)
        }
        return best?.index
    }

    /// The fastest answered row after `leader` by the same policy (the second), if any.
    public static func runnerUp(_ rows: [MirrorRow], after leader: Int, policy: RankPolicy = RankPolicy(),
                                judge: FreshnessJudge? = nil) -> Int? {
        var rest = rows
        rest[leader].status = .waiting
        return fastest(rest, policy: policy, judge: judge)
    }

    /// Display order. By the ranking (response time unless the policy says throughput): answered
    /// rows fastest first, then rows still waiting (by their previous figure, then page order),
    /// then stale rows, failed rows at the bottom. By name or page order: just that.
    public static func displayOrder(_ rows: [MirrorRow], sort: SortOrder, policy: RankPolicy = RankPolicy(),
                                    judge: FreshnessJudge? = nil) -> [Int] {
        let indices = Array(rows.indices)
        switch sort {
        case .pageOrder:
            return indices.sorted { rows[$0].mirror.pageOrder < rows[$1].mirror.pageOrder }
        case .name:
            // The names as shown (computed once per page); lower-cased once, not per comparison.
            let names = rows.map { $0.name.lowercased() }
            return indices.sorted {
                names[$0] != names[$1] ? names[$0] < names[$1] : rows[$0].mirror.pageOrder < rows[$1].mirror.pageOrder
            }
        case .responseTime:
            // Precompute the sort keys once: this runs every frame for up to thousands of rows.
            // Stale rows (the judge's) follow the waiting ones: listed, never ranked.
            let keys: [(group: Int, ms: Double, order: Int)] = rows.map { row in
                let order = row.mirror.pageOrder
                if let report = row.report {
                    let stale = judge?.verdict(row.mirror, measured: report.freshness).stale ?? false
                    if let k = key(report, policy: policy, stale: stale) { return (k.group, k.value, order) }
                    return (Group.failed, 0, order)
                }
                return (Group.waiting, row.previous?.ms ?? .infinity, order)
            }
            return indices.sorted { a, b in
                let x = keys[a], y = keys[b]
                if x.group != y.group { return x.group < y.group }
                if x.ms != y.ms { return x.ms < y.ms }
                return x.order < y.order
            }
        }
    }
}
