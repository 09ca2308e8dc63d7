#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix

/// Why a connection could not be made, with the stage it failed in. `description` is what a user
/// reads; `underlying` keeps the original error for callers that word it their own way (the
/// prober's short reasons, the fetcher's messages).
public struct ConnectionFailure: Error, Sendable, CustomStringConvertible {
    public enum Stage: String, Sendable, Hashable {
        case dns, connect, proxy, tls
    }

    public enum Cause: Sendable, Hashable {
        case refused, unreachable, timeout, reset, other
    }

    public var stage: Stage
    public var cause: Cause
    public var description: String
    public var underlying: (any Error)?

    public init(_ stage: Stage, _ cause: Cause, _ description: String, underlying: (any Error)? = nil) {
        self.stage = stage
        self.cause = cause
        self.description = description
        self.underlying = underlying
    }

    /// A failed connect to `what` ("proxy 127.0.0.1:3128" or nil for the mirror), worded from NIO's
    /// error: the lookup's reason, refused, unreachable, timed out.
    static func connect(_ error: any Error, proxy: ProxyURL?) -> ConnectionFailure {
        let stage: Stage = proxy == nil ? .connect : .proxy
        func named(_ cause: Cause, _ reason: String) -> ConnectionFailure {
            ConnectionFailure(stage, cause, proxy.map { "proxy \($0.address): \(reason)" } ?? reason, underlying: error)
        }
        if case ChannelError.connectTimeout = error { return named(.timeout, "timeout") }
        if let io = error as? IOError { return fromErrno(io.errnoCode, named) ?? named(.unreachable, "cannot connect: \(io.description)") }
        if let he = error as? NIOConnectionError {
            // Every address failed, or none was found: the lookup's reason first, then the connects'.
            if he.connectionErrors.isEmpty {
                let lookup = [he.dnsAAAAError, he.dnsAError].compactMap { $0 as? LookupFailure }.first
                let reason = lookup?.description ?? "no address"
                let failure = ConnectionFailure(proxy == nil ? .dns : .proxy, .unreachable,
                                                proxy.map { "proxy \($0.address): \(reason)" } ?? reason,
                                                underlying: error)
                return failure
            }
            for attempt in he.connectionErrors {
                if let io = attempt.error as? IOError, let failure = fromErrno(io.errnoCode, named) { return failure }
            }
            if he.connectionErrors.contains(where: { if case ChannelError.connectTimeout = $0.error { return true }; return false }) {
                return named(.timeout, "timeout")
            }
            return named(.unreachable, "cannot connect: \(he.connectionErrors[0].error)")
        }
        return named(.unreachable, "cannot connect: \(error)")
    }

    private static func fromErrno(_ code: CInt, _ named: (Cause, String) -> ConnectionFailure) -> ConnectionFailure? {
        switch code {
        case ECONNREFUSED: return named(.refused, "refused")
        case ECONNRESET, EPIPE: return named(.reset, "connection reset")
        case ENETUNREACH: return named(.unreachable, "network unreachable")
        case EHOSTUNREACH: return named(.unreachable, "no route to host")
        case EADDRNOTAVAIL, EAFNOSUPPORT: return named(.unreachable, "address not usable here")
        case ETIMEDOUT: return named(.timeout, "timeout")
        default: return nil
        }
    }
}
