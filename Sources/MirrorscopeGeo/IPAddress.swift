#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address as 128 bits: IPv4 is held IPv4-mapped (`::ffff:a.b.c.d`), so one
/// comparison serves both families and a dual-stack socket's `::ffff:127.0.0.1` peer is 127.0.0.1.
/// Parsed by the C library's `inet_pton` (numeric only: never a name lookup). Two integers rather
/// than an array: the request path makes these without allocating.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// The first and last 64 bits, most significant first (network order read as big-endian).
    public let high: UInt64
    public let low: UInt64

    /// nil unless `text` is an IPv4 dotted quad or an IPv6 literal (without brackets or zone).
    public init?(_ text: some StringProtocol) {
        guard !text.isEmpty, text.utf8.count <= 45 else { return nil }  // INET6_ADDRSTRLEN - 1
        let string = String(text)
        var v4 = in_addr()
        if inet_pton(AF_INET, string, &v4) == 1 {
            self.init(ipv4: UInt32(bigEndian: v4.s_addr))
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, string, &v6) == 1 else { return nil }
        self.init(networkOrder: withUnsafeBytes(of: v6) { Array($0) })
    }

    /// An IPv4 address in host order (`0x7F000001` is 127.0.0.1).
    public init(ipv4: UInt32) {
        high = 0
        low = 0xFFFF_0000_0000 | UInt64(ipv4)
    }

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Sixteen bytes of an IPv6 address in network order.
    public init(networkOrder bytes: some Collection<UInt8>) {
        var high: UInt64 = 0, low: UInt64 = 0
        for (i, byte) in bytes.prefix(16).enumerated() {
            if i < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
        }
        self.init(high: high, low: low)
    }

    /// An IPv4 address (held mapped).
    public var isV4: Bool { high == 0 && low >> 32 == 0xFFFF }

    /// The usual text: dotted quad for IPv4, RFC 5952 for IPv6 (`inet_ntop`).
    public var description: String {
        var buffer = [CChar](repeating: 0, count: 64)
        let count = socklen_t(buffer.count)
        if isV4 {
            var v4 = in_addr(s_addr: UInt32(truncatingIfNeeded: low).bigEndian)
            inet_ntop(AF_INET, &v4, &buffer, count)
        } else {
            var v6 = in6_addr()
            withUnsafeMutableBytes(of: &v6) { raw in
                withUnsafeBytes(of: high.bigEndian) { raw[0..<8].copyBytes(from: $0) }
                withUnsafeBytes(of: low.bigEndian) { raw[8..<16].copyBytes(from: $0) }
            }
            inet_ntop(AF_INET6, &v6, &buffer, count)
        }
        return String(cString: buffer)
    }
}

/// A CIDR block (`10.0.0.0/8`, `2001:db8::/32`, or one address: a /32 or /128). An IPv4 block
/// matches IPv4 addresses only, however a socket shows them.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    public let address: IPAddress
    /// Counted on the 128-bit form: an IPv4 /8 is 104 here.
    private let bits: Int

    /// nil unless `text` is ADDRESS or ADDRESS/BITS with BITS within the family's range; host bits
    /// are cleared (`10.1.2.3/8` is `10.0.0.0/8`).
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let base = IPAddress(parts[0]) else { return nil }
        let familyBits = base.isV4 ? 32 : 128
        var prefix = familyBits
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].count <= 3, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
                  let value = Int(parts[1]), value <= familyBits else { return nil }
            prefix = value
        }
        bits = prefix + (base.isV4 ? 96 : 0)
        let (maskHigh, maskLow) = Self.mask(bits)
        address = IPAddress(high: base.high & maskHigh, low: base.low & maskLow)
    }

    private static func mask(_ bits: Int) -> (UInt64, UInt64) {
        func ones(_ n: Int) -> UInt64 { n <= 0 ? 0 : (n >= 64 ? .max : ~(UInt64.max >> n)) }
        return (ones(bits), ones(bits - 64))
    }

    public func contains(_ other: IPAddress) -> Bool {
        let (maskHigh, maskLow) = Self.mask(bits)
        return other.high & maskHigh == address.high && other.low & maskLow == address.low
    }

    public var description: String { "\(address)/\(address.isV4 ? bits - 96 : bits)" }
}
