/// SplitMix64: a small, fast, seedable generator. The director gives each event loop its own (so
/// weighted-random needs no lock), the farm draws its delays, jitter and files from it so runs
/// repeat, and tests fix its seed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state = state &+ 0x9e37_79b9_7f4a_7c15
        return Self.mix(state)
    }

    /// The output function alone: a good 64-bit mixer (used for hashing too).
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
