/// Why a connection through a proxy failed, in the words a user reads. It always names the proxy
/// side, so that a broken proxy is never mistaken for a broken mirror (and never silently turned
/// into a direct connection).
public struct ProxyFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Stage: String, Sendable, Hashable {
        /// Reaching the proxy itself (TCP, and TLS for an https proxy).
        case connect
        /// The tunnel to the mirror (the CONNECT answer, the SOCKS reply).
        case tunnel
    }

    public var stage: Stage
    public var description: String

    public init(_ stage: Stage, _ description: String) {
        self.stage = stage
        self.description = description
    }

    /// Reaching the proxy failed: `proxy 127.0.0.1:3128: refused`.
    public static func unreachable(_ proxy: ProxyURL, _ reason: String) -> ProxyFailure {
        ProxyFailure(.connect, "proxy \(proxy.address): \(reason)")
    }

    /// The CONNECT answer was not 2xx: `proxy: tunnel refused (403)`, `proxy: authentication required (407)`.
    public static func connectAnswered(_ status: Int) -> ProxyFailure {
        switch status {
        case 407: return ProxyFailure(.tunnel, "proxy: authentication required (407)")
        // A 5xx answer to CONNECT is the proxy failing to reach the mirror (tinyproxy says 500,
        // squid 503, others 502 or 504).
        case 500...599: return ProxyFailure(.tunnel, "proxy: could not reach the mirror (\(status))")
        default: return ProxyFailure(.tunnel, "proxy: tunnel refused (\(status))")
        }
    }

    /// A SOCKS5 reply code other than success (RFC 1928, section 6).
    public static func socksReply(_ code: UInt8) -> ProxyFailure {
        let reason: String
        switch code {
        case 1: reason = "general failure"
        case 2: reason = "connection not allowed by the proxy's rules"
        case 3: reason = "network unreachable"
        case 4: reason = "host unreachable"
        case 5: reason = "connection refused"
        case 6: reason = "TTL expired"
        case 7: reason = "command not supported"
        case 8: reason = "address type not supported"
        default: reason = "reply \(code)"
        }
        return ProxyFailure(.tunnel, "SOCKS5: \(reason)")
    }
}
