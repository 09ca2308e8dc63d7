#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import MirrorscopeCore
import NIOCore
import NIOPosix

/// Name lookups with the system resolver (so /etc/hosts, nsswitch and the resolver's cache apply,
/// as they do for curl). getaddrinfo blocks, so it runs on threads of its own, never on an event
/// loop; a lookup that outlives its deadline is abandoned (getaddrinfo cannot be interrupted).
enum HostResolver {
    struct Lookup: Sendable {
        /// In the system's order of preference.
        var addresses: [SocketAddress]
        var milliseconds: Double
    }

    /// Enough threads that a round over many host names is not queued behind a few slow lookups.
    private static let threads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 16)
        pool.start()
        return pool
    }()

    /// The lookup, or a `ProbeFailure` (.dns, or a DNS timeout at `deadline`), on `eventLoop`.
    static func resolve(host: String, port: Int, on eventLoop: any EventLoop, deadline: NIODeadline,
                        timeoutMs: Int) -> EventLoopPromise<Lookup> {
        let promise = eventLoop.makePromise(of: Lookup.self)
        let timer = eventLoop.scheduleTask(deadline: deadline) {
            promise.fail(ProbeFailure.timeout(after: timeoutMs, in: .dns))
        }
        threads.runIfActive(eventLoop: eventLoop) {
            let start = NIODeadline.now()
            let addresses = try addresses(of: host, port: port)
            return Lookup(addresses: addresses, milliseconds: PhaseStamps.milliseconds(from: start, to: .now()) ?? 0)
        }.cascade(to: promise)
        promise.futureResult.whenComplete { _ in timer.cancel() }
        return promise
    }

    private static func addresses(of host: String, port: Int) throws(ProbeFailure) -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Darwin)
        hints.ai_socktype = SOCK_STREAM
        #else
        hints.ai_socktype = CInt(SOCK_STREAM.rawValue)
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let code = getaddrinfo(host, String(port), &hints, &list)
        guard code == 0, let first = list else {
            switch code {
            case EAI_NONAME: throw ProbeFailure(.dns, "no such host")
            case EAI_AGAIN: throw ProbeFailure(.dns, "name lookup failed for now (no answer from DNS)")
            default: throw ProbeFailure(.dns, "name lookup failed: \(String(cString: gai_strerror(code)))")
            }
        }
        defer { freeaddrinfo(list) }
        var addresses: [SocketAddress] = []
        for entry in sequence(first: first, next: { $0.pointee.ai_next }) {
            guard let raw = entry.pointee.ai_addr else { continue }
            switch entry.pointee.ai_family {
            case AF_INET:
                addresses.append(raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { SocketAddress($0.pointee, host: host) })
            case AF_INET6:
                addresses.append(raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { SocketAddress($0.pointee, host: host) })
            default:
                continue
            }
        }
        guard !addresses.isEmpty else { throw ProbeFailure(.dns, "no such host") }
        return addresses
    }
}
