import MirrorscopeCore

/// The farm's generator: seeded, so that a farm's delays, jitter and files repeat from run to run
/// (benchmarks compare runs; tests state exact expectations).
typealias FarmRandom = SplitMix64

extension SplitMix64 {
    /// A generator for one stream of a seed ("the jitter of mirror 7"), independent of the others.
    init(seed: UInt64, stream: UInt64) {
        var mixer = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        self.init(seed: mixer.next())
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }
}
