import MirrorscopeCore

/// Hashes that place clients and servers on the consistent-hash ring.
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
