import MirrorscopeCore
/// The policies that pick a real server for a new session. Each works on the candidates of one
/// virtual server (healthy, not draining, weight above 0), given as parallel arrays; the result is
/// a position in those arrays. Load balancing happens only here, at the start of a session.
///
/// Each event loop keeps its own `Balancer`, so picking never takes a lock; with N loops each one
/// spreads its own share by the weights, which spreads the whole by the weights too (nginx's
/// workers do the same without a shared zone).
public struct Balancer: Sendable {
    public let policy: SelectionPolicyKind
    private var roundRobin = SmoothWeightedRoundRobin()
    private var random: SplitMix64

    public init(policy: SelectionPolicyKind, seed: UInt64) {
        self.policy = policy
        random = SplitMix64(seed: seed)
    }

    /// - Parameters:
    ///   - weights: the candidates' weights (all above 0).
    ///   - loads: the candidates' current loads, read only by least-connections.
    ///   - clientHash: a hash of the client, read only by consistent-hash.
    ///   - ring: the virtual server's ring, read only by consistent-hash.
    public mutating func pick(weights: [Int], loads: () -> [Int], clientHash: () -> UInt64,
                              ring: ConsistentHashRing?) -> Int? {
        guard !weights.isEmpty else { return nil }
        switch policy {
        case .weightedRoundRobin:
            return roundRobin.next(weights: weights)
        case .weightedRandom:
            return WeightedRandom.pick(weights: weights, using: &random)
        case .leastConnections:
            return LeastConnections.pick(weights: weights, loads: loads())
        case .consistentHash:
            return ring?.lookup(clientHash()) ?? roundRobin.next(weights: weights)
        }
    }

    /// Forget round-robin positions (the candidate set changed).
    public mutating func reset() { roundRobin = SmoothWeightedRoundRobin() }
}
