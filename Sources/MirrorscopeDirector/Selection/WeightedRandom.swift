/// A candidate drawn at random with a probability proportional to its weight.
public enum WeightedRandom {
    public static func pick<G: RandomNumberGenerator>(weights: [Int], using generator: inout G) -> Int {
        let total = weights.reduce(0, +)
        var point = Int.random(in: 0..<total, using: &generator)
        for (i, weight) in weights.enumerated() {
            if point < weight { return i }
            point -= weight
        }
        return weights.count - 1
    }
}
