/// nginx's smooth weighted round-robin: weights 5,1,1 give a a b a c a a rather than a a a a a b c,
/// so a short run of new sessions is already spread by the weights.
public struct SmoothWeightedRoundRobin: Sendable {
    private var current: [Int] = []

    public init() {}

    public mutating func next(weights: [Int]) -> Int {
        if current.count != weights.count { current = Array(repeating: 0, count: weights.count) }
        var best = 0
        var total = 0
        for i in weights.indices {
            current[i] += weights[i]
            total += weights[i]
            if current[i] > current[best] { best = i }
        }
        current[best] -= total
        return best
    }
}
