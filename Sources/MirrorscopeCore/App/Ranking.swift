/// The "selector": compares results and names the fastest.
public enum Ranking {
    /// Finished reports ordered for output: answered mirrors by median response time (ties by page
    /// order), then failed ones in page order.
    public static func rank(_ reports: [MirrorReport], pageOrder: [String: Int]) -> [MirrorReport] {
        reports.sorted { a, b in
            switch (a.ms, b.ms) {
            case let (x?, y?): return x != y ? x < y : (pageOrder[a.mirrorID] ?? 0) < (pageOrder[b.mirrorID] ?? 0)
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return (pageOrder[a.mirrorID] ?? 0) < (pageOrder[b.mirrorID] ?? 0)
            }
        }
    }

    /// The fastest answered row of the current round, if any.
    public static func fastest(_ rows: [MirrorRow]) -> Int? {
        var best: Int?
        for (i, row) in rows.enumerated() {
            guard let ms = row.report?.ms else { continue }
            if let b = best, let bestMs = rows[b].report?.ms, bestMs < ms || (bestMs == ms && rows[b].mirror.pageOrder <= row.mirror.pageOrder) { continue }
            best = i
        }
        return best
    }

    /// Display order. By response time: answered rows fastest first, then rows still waiting (by
    /// their previous figure, then page order), failed rows at the bottom. By name or page order:
    /// just that.
    public static func displayOrder(_ rows: [MirrorRow], sort: SortOrder) -> [Int] {
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
            let keys: [(group: Int, ms: Double, order: Int)] = rows.map { row in
                let order = row.mirror.pageOrder
                if let report = row.report {
                    if let ms = report.ms { return (0, ms, order) }
                    return (2, 0, order)
                }
                return (1, row.previous?.ms ?? .infinity, order)
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
