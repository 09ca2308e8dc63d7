import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback address and port where SYNs are dropped: a socket that listens but never accepts,
/// with its accept queue full. The kernel here has no netem; this is a faithful black hole on
/// loopback (GUIDE §3b), as an IPv6 path that drops packets is in the wild.
public final class BlackHole: @unchecked Sendable {
    public enum Family: Sendable { case ipv4, ipv6 }

    public let port: Int
    private var descriptors: [Int32] = []

    /// On `port` (0: a free one) of 127.0.0.1 or ::1. IPv6 sockets are v6-only, so the same port
    /// of the other family stays free for a working server.
    public init(_ family: Family, port: Int = 0) throws {
        let listener = try Self.listener(family, port: port, backlog: 0)
        self.port = try Self.boundPort(listener, family)
        descriptors = [listener]
        // Backlog 0 holds one connection: the first filler fills the queue; wait (with a deadline)
        // until it is in, then later SYNs are dropped. Two more make sure of it.
        let first = Self.connectNonBlocking(family, port: self.port)
        descriptors.append(first)
        var ready = pollfd(fd: first, events: Int16(POLLOUT), revents: 0)
        guard poll(&ready, 1, 2000) == 1 else { throw SocketFailure("the black hole's queue did not fill") }
        for _ in 0..<2 { descriptors.append(Self.connectNonBlocking(family, port: self.port)) }
    }

    deinit { descriptors.forEach { close($0) } }

    /// A plain listener (accepting is up to the caller), for tests that pair one with a black hole.
    public static func listener(_ family: Family, port: Int, backlog: Int32) throws -> Int32 {
        let fd = socket(family == .ipv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        if family == .ipv6 { setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, socklen_t(MemoryLayout<Int32>.size)) }
        let bound = withLoopback(family, port: port) { bind(fd, $0, $1) == 0 }
        guard bound, listen(fd, backlog) == 0 else {
            let code = errno
            close(fd)
            throw SocketFailure("cannot listen on port \(port): errno \(code)")
        }
        return fd
    }

    public static func boundPort(_ fd: Int32, _ family: Family) throws -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) == 0 }
        }
        guard ok else { throw SocketFailure("getsockname failed") }
        return withUnsafePointer(to: &storage) { pointer in
            family == .ipv6
                ? pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
                : pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
        }
    }

    static func connectNonBlocking(_ family: Family, port: Int) -> Int32 {
        let fd = socket(family == .ipv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        _ = withLoopback(family, port: port) { connect(fd, $0, $1) }
        return fd
    }

    private static func withLoopback<T>(_ family: Family, port: Int, _ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        if family == .ipv6 {
            var a = sockaddr_in6()
            a.sin6_family = sa_family_t(AF_INET6)
            a.sin6_addr = in6addr_loopback
            a.sin6_port = UInt16(port).bigEndian
            return withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) } }
        }
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        a.sin_addr.s_addr = inet_addr("127.0.0.1")
        a.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
    }
}

public struct SocketFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
