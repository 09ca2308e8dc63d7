/// `--rank history`: a mirror's figure is the weighted median of this round's median and the
/// last rounds' medians, each round older weighing `decay` times the one after it (this round
/// 1, the last 0.7, the one before 0.49...), over at most `MirrorTrend.keep` earlier rounds. A
/// failed earlier round counts as the page's timeout, so a mirror that often fails sinks however
/// fast it answered today; a mirror that fails this round is not ranked at all (as by response
/// time). A median rather than a mean: one bad evening does not outweigh a steady record.
public enum HistoryWeighting {
    public static let decay = 0.7

    /// The weighted figure from this round's median and the earlier ones (oldest first; nil:
    /// failed, counted as `failureMs`).
    public static func figure(current: Double?, past: [Double?], failureMs: Double) -> Double {
        var weighted: [(value: Double, weight: Double)] = []
        var weight = 1.0
        if let current { weighted.append((current, weight)) }
        for ms in past.suffix(MirrorTrend.keep).reversed() {
            if current != nil || !weighted.isEmpty { weight *= decay }
            weighted.append((ms ?? failureMs, weight))
        }
        return weightedMedian(weighted) ?? failureMs
    }

    /// The value at which half the total weight is reached, going up.
    static func weightedMedian(_ values: [(value: Double, weight: Double)]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted { $0.value < $1.value }
        let half = sorted.reduce(0) { $0 + $1.weight } / 2
        var sum = 0.0
        for item in sorted {
            sum += item.weight
            if sum >= half { return item.value }
        }
        return sorted.last?.value
    }
}
