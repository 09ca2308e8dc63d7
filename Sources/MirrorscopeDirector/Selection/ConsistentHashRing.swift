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
