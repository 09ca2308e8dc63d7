/// least-connections: the candidate with the least load for its weight (the load is open proxied
/// exchanges plus live sessions, see `LoopCounters.load`).
public enum LeastConnections {
    /// The candidate with the least load per unit of weight; ties go to the heavier weight, then to
    /// the earlier candidate.
    public static func pick(weights: [Int], loads: [Int]) -> Int {
        var best = 0
        for i in weights.indices.dropFirst() {
            // load[i]/weight[i] < load[best]/weight[best], without division.
            let lhs = loads[i] * weights[best]
            let rhs = loads[best] * weights[i]
            if lhs < rhs || (lhs == rhs && weights[i] > weights[best]) { best = i }
        }
        return best
    }
}
