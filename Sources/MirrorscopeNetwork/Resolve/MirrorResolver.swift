#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Which address families connections may use (`-4`, `-6`, `--ip-family`).
public enum IPFamily: String, Sendable, Hashable, CaseIterable {
    case any, ipv4, ipv6
}

/// Why a name did not resolve, in a user's words.
public struct LookupFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Name lookups for Happy Eyeballs (RFC 8305). NIO's `ClientBootstrap.connect(host:port:)` races
/// the address families itself (IPv6 first, the other family 250 ms later without cancelling the
/// first, the first to complete wins) and asks its resolver for A and AAAA records separately.
/// This resolver answers both from one system lookup (`getaddrinfo`, so /etc/hosts and nsswitch
/// apply, as for curl) on threads of its own (it blocks), keeps the time the lookup took for the
/// DNS phase, keeps one family only when the user asked for it, and answers names listed in
/// `hosts` without the system (a seam for tests: a name with an IPv6 and an IPv4 address).
///
/// One resolver serves one connection attempt (NIO asks it once per `connect`).
public final class MirrorResolver: Resolver, Sendable {
    private struct State {
        var started: NIODeadline?
        var finished: NIODeadline?
        var lookup: EventLoopFuture<[SocketAddress]>?
    }

    private let eventLoop: any EventLoop
    private let family: IPFamily
    private let hosts: [String: [String]]
    private let onAnswered: (@Sendable () -> Void)?
    private let state = NIOLockedValueBox(State())

    /// `onAnswered` is called once the lookup has addresses (not when it fails).
    public init(on eventLoop: any EventLoop, family: IPFamily = .any, hosts: [String: [String]] = [:],
                onAnswered: (@Sendable () -> Void)? = nil) {
        self.eventLoop = eventLoop
        self.family = family
        self.hosts = hosts
        self.onAnswered = onAnswered
    }

    /// How long the lookup took, once it has finished.
    public var milliseconds: Double? {
        state.withLockedValue { s in
            guard let start = s.started, let end = s.finished else { return nil }
            return Double((end - start).nanoseconds) / 1_000_000
        }
    }

    public func initiateAQuery(host: String, port: Int) -> EventLoopFuture<[SocketAddress]> {
        guard family != .ipv6 else { return eventLoop.makeSucceededFuture([]) }
        return lookup(host: host, port: port).map { $0.filter { $0.protocol == .inet } }
    }

    public func initiateAAAAQuery(host: String, port: Int) -> EventLoopFuture<[SocketAddress]> {
        guard family != .ipv4 else { return eventLoop.makeSucceededFuture([]) }
        return lookup(host: host, port: port).map { $0.filter { $0.protocol == .inet6 } }
    }

    public func cancelQueries() {}

    /// The one lookup both queries share.
    private func lookup(host: String, port: Int) -> EventLoopFuture<[SocketAddress]> {
        let promise = eventLoop.makePromise(of: [SocketAddress].self)
        let existing: EventLoopFuture<[SocketAddress]>? = state.withLockedValue { s in
            if let lookup = s.lookup { return lookup }
            s.started = .now()
            s.lookup = promise.futureResult
            return nil
        }
        if let existing {
            promise.succeed([])  // not handed out
            return existing
        }
        // Outside the lock: a completed future runs its callbacks at once.
        promise.futureResult.whenComplete { [state, onAnswered] result in
            state.withLockedValue { $0.finished = .now() }
            if case .success = result { onAnswered?() }
        }
        if let listed = hosts[host.lowercased()] {
            promise.completeWith(Result { try listed.map { try SocketAddress(ipAddress: $0, port: port) } })
        } else {
            Self.threads.runIfActive(eventLoop: eventLoop) { try Self.systemLookup(host: host, port: port) }.cascade(to: promise)
        }
        return promise.futureResult
    }

    /// Enough threads that a round over many host names is not queued behind a few slow lookups.
    private static let threads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 16)
        pool.start()
        return pool
    }()

    static func systemLookup(host: String, port: Int) throws -> [SocketAddress] {
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
            case EAI_NONAME: throw LookupFailure("no such host")
            case EAI_AGAIN: throw LookupFailure("name lookup failed for now (no answer from DNS)")
            default: throw LookupFailure("name lookup failed: \(String(cString: gai_strerror(code)))")
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
        guard !addresses.isEmpty else { throw LookupFailure("no such host") }
        return addresses
    }
}
