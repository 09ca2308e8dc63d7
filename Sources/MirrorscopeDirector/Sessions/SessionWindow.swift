/// Sessions started during the last session lifetime, in ten buckets of a tenth of it each. The
/// director keeps no per-session state (the token is the state), so this is how it tells how many
/// sessions a real server holds: an estimate that counts a session from its start.
struct SessionWindow: Sendable {
    static let buckets = 10
    private var counts = [Int](repeating: 0, count: SessionWindow.buckets)
    private var epochs = [Int64](repeating: -1, count: SessionWindow.buckets)

    mutating func add(now: Int64, ttl: Int64) {
        let epoch = now / Self.width(ttl)
        let i = Int(epoch % Int64(Self.buckets))
        if epochs[i] != epoch {
            epochs[i] = epoch
            counts[i] = 0
        }
        counts[i] += 1
    }

    func total(now: Int64, ttl: Int64) -> Int {
        let epoch = now / Self.width(ttl)
        var sum = 0
        for i in 0..<Self.buckets where epochs[i] > epoch - Int64(Self.buckets) { sum += counts[i] }
        return sum
    }

    private static func width(_ ttl: Int64) -> Int64 { max(1, ttl / Int64(buckets)) }
}
