#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOConcurrencyHelpers
import NIOCore

/// A TCP port held by a socket that is bound but never listens: connecting to it is refused, and
/// while the farm runs no other socket can take the port (a port merely bound and released could
/// be handed to a later listener, and a "refusing" mirror would then answer).
final class ReservedPort: Sendable {
    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    let port: Int
    private let descriptor: NIOLockedValueBox<CInt?>

    init(host: String) throws {
        let address = try SocketAddress(ipAddress: host, port: 0)
        #if canImport(Darwin)
        let fd = socket(address.protocol.rawValue, SOCK_STREAM, 0)
        #else
        let fd = socket(address.protocol.rawValue, CInt(SOCK_STREAM.rawValue), 0)
        #endif
        guard fd >= 0 else { throw Failed(description: "cannot open a socket to reserve a port (errno \(errno))") }
        let bound = address.withSockAddr { bind(fd, $0, socklen_t($1)) }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard bound == 0, named == 0 else {
            let code = errno
            close(fd)
            throw Failed(description: "cannot reserve a port on \(host) (errno \(code))")
        }
        port = withUnsafePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                if CInt(generic.pointee.sa_family) == AF_INET6 {
                    return generic.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
                }
                return generic.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
            }
        }
        descriptor = NIOLockedValueBox(fd)
    }

    func release() {
        if let fd = descriptor.withLockedValue({ fd in defer { fd = nil }; return fd }) {
            close(fd)
        }
    }

    deinit {
        release()
    }
}
