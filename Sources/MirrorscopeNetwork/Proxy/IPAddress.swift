#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address as bytes (4 or 16), read with the C library's `inet_pton`, for
/// matching hosts against `no_proxy` ranges.
struct IPAddress: Sendable, Hashable {
    var bytes: [UInt8]

    var isIPv6: Bool { bytes.count == 16 }

    /// Nil when `text` is no address literal (a host name). Brackets around IPv6 are allowed.
    init?(_ text: some StringProtocol) {
        var literal = String(text)
        if literal.hasPrefix("["), literal.hasSuffix("]") { literal = String(literal.dropFirst().dropLast()) }
        if let zone = literal.firstIndex(of: "%") { literal = String(literal[..<zone]) }  // fe80::1%eth0
        var v4 = in_addr()
        if inet_pton(AF_INET, literal, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, literal, &v6) == 1 {
            bytes = withUnsafeBytes(of: &v6) { Array($0) }
            return
        }
        return nil
    }

    /// Whether the first `prefix` bits of both addresses agree (same family only).
    func matches(_ network: IPAddress, prefix: Int) -> Bool {
        guard bytes.count == network.bytes.count else { return false }
        var bits = min(max(prefix, 0), bytes.count * 8)
        var i = 0
        while bits >= 8 {
            if bytes[i] != network.bytes[i] { return false }
            bits -= 8
            i += 1
        }
        guard bits > 0 else { return true }
        let mask = UInt8(0xFF) << (8 - bits)
        return bytes[i] & mask == network.bytes[i] & mask
    }
}
