#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import MirrorscopeCore
import MirrorscopeNetwork
import NIOCore
import NIOHTTP1
import NIOSSL

/// The phase a sample was in when something went wrong; timeouts name it.
enum ProbePhase: String, Sendable {
    case dns = "DNS"
    case connect = "connect"
    case tls = "TLS"
    case firstByte = "first byte"
}

extension ProbeFailure {
    static func timeout(after ms: Int, in phase: ProbePhase) -> ProbeFailure {
        ProbeFailure(.timeout, "timeout after \(ms) ms (\(phase.rawValue))")
    }

    static let closedBeforeAnswer = ProbeFailure(.reset, "connection closed before an answer")
    static let notHTTP = ProbeFailure(.protocolError, "not an HTTP answer")
    /// Over NIO's decoder limits (80 KiB of head): a mirror streaming headers without end.
    static let headersTooLarge = ProbeFailure(.protocolError, "answer headers too large")

    static func httpStatus(_ code: Int) -> ProbeFailure {
        ProbeFailure(.http, "HTTP \(code)")
    }

    /// A connection the connector could not make, in the prober's short words. A proxy's failure
    /// keeps the connector's reason, which names the proxy ("proxy 127.0.0.1:3128: refused",
    /// "proxy: tunnel refused (403)"): it is never reported as the mirror's.
    init(_ failure: ConnectionFailure, timeoutMs: Int) {
        switch (failure.stage, failure.cause) {
        case (.proxy, _): self.init(.proxy, failure.description)
        case (.dns, _): self.init(.dns, failure.description)
        case (.connect, .timeout): self = .timeout(after: timeoutMs, in: .connect)
        case (.tls, .timeout): self = .timeout(after: timeoutMs, in: .tls)
        case (.connect, .refused): self.init(.refused, "connection refused")
        case (.connect, .reset): self = .closedBeforeAnswer
        case (.connect, _): self.init(.unreachable, failure.description)
        case (.tls, _): self.init(.tls, failure.description)
        }
    }

    /// An error on an established connection, in the given phase.
    static func exchange(_ error: any Error, phase: ProbePhase) -> ProbeFailure {
        switch error {
        case NIOSSLError.handshakeFailed(let reason):
            return "\(reason)".contains("CERTIFICATE_VERIFY_FAILED")
                ? ProbeFailure(.tls, "TLS: certificate not trusted")
                : ProbeFailure(.tls, "TLS: handshake failed")
        case let extra as NIOSSLExtraError where extra == .failedToValidateHostname:
            return ProbeFailure(.tls, "TLS: certificate is for another host")
        case is NIOSSLError where phase == .tls:
            return ProbeFailure(.tls, "TLS: handshake failed")
        case let parser as HTTPParserError where parser == .headerOverflow:
            return .headersTooLarge
        case is HTTPParserError:
            return .notHTTP
        case let io as IOError:
            return fromErrno(io.errnoCode) ?? .closedBeforeAnswer
        default:
            return phase == .tls ? ProbeFailure(.tls, "TLS: handshake failed") : .closedBeforeAnswer
        }
    }

    private static func fromErrno(_ code: CInt) -> ProbeFailure? {
        switch code {
        case ECONNREFUSED: ProbeFailure(.refused, "connection refused")
        case ECONNRESET, EPIPE: .closedBeforeAnswer
        case ENETUNREACH: ProbeFailure(.unreachable, "network unreachable")
        case EHOSTUNREACH: ProbeFailure(.unreachable, "no route to host")
        case EADDRNOTAVAIL, EAFNOSUPPORT: ProbeFailure(.unreachable, "address not usable here")
        default: nil
        }
    }
}
