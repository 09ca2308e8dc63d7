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

/// Points on a 64-bit ring, `pointsPerWeight` per unit of weight: a client hash goes to the first
/// point at or after it. Taking a server out moves only the clients that were on its points.
public struct ConsistentHashRing: Sendable {
    private let points: [(hash: UInt64, candidate: Int)]
    static let pointsPerWeight = 64
    static let maxPointsPerServer = 4096

    /// `ids` and `weights` are the candidates in order; the ids place the points, so the same server
    /// keeps its points whatever the others do.
    public init(ids: [String], weights: [Int]) {
        var points: [(hash: UInt64, candidate: Int)] = []
        for (candidate, id) in ids.enumerated() {
            let count = min(Self.maxPointsPerServer, max(1, weights[candidate] * Self.pointsPerWeight))
            for k in 0..<count { points.append((Hashing.fnv1a("\(id)#\(k)".utf8), candidate)) }
        }
        self.points = points.sorted { $0.hash < $1.hash }
    }

    public func lookup(_ hash: UInt64) -> Int? {
        guard !points.isEmpty else { return nil }
        var low = 0
        var high = points.count
        while low < high {
            let mid = (low + high) / 2
            if points[mid].hash < hash { low = mid + 1 } else { high = mid }
        }
        return points[low == points.count ? 0 : low].candidate
    }
}

public enum Hashing {
    /// FNV-1a with a final avalanche (SplitMix64's), so that close inputs spread over the ring.
    public static func fnv1a<S: Sequence>(_ bytes: S) -> UInt64 where S.Element == UInt8 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return SplitMix64.mix(hash)
    }
}
