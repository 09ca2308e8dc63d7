import NIOCore

/// When each transport phase of one connection happened, on the monotonic clock, taken on the
/// channel's event loop as the events pass (so that hops between threads never count).
public struct ConnectionTimes: Sendable {
    /// The connection was asked for.
    public var started: NIODeadline
    /// Name lookup of the host connected to (the mirror's, or the proxy's); nil for an address.
    public var dnsMs: Double?
    /// The winning attempt's connect call and its completion (to the mirror, or to the proxy).
    public var connectStart: NIODeadline?
    public var connected: NIODeadline?
    /// Through a proxy: the proxy reached (after TLS to it, for an https proxy), and the tunnel up.
    public var proxyReady: NIODeadline?
    public var tunnelReady: NIODeadline?
    /// TLS with the mirror done (https mirrors).
    public var tlsDone: NIODeadline?
    /// The address the connection went to (the proxy's when there is one): the winner of Happy
    /// Eyeballs.
    public var address: SocketAddress?
    /// The proxy used, if any.
    public var proxy: ProxyURL?

    public init(started: NIODeadline) {
        self.started = started
    }

    public static func milliseconds(from start: NIODeadline?, to end: NIODeadline?) -> Double? {
        guard let start, let end else { return nil }
        return Double((end - start).nanoseconds) / 1_000_000
    }

    /// TCP connect of the winning attempt.
    public var connectMs: Double? { Self.milliseconds(from: connectStart, to: connected) }
    /// Through a proxy: TCP (and TLS) to the proxy, from the winning attempt's connect call.
    public var proxyConnectMs: Double? { proxy == nil ? nil : Self.milliseconds(from: connectStart, to: proxyReady) }
    /// Through a proxy: from the proxy reached to the tunnel up (the proxy's own connect to the
    /// mirror is inside it).
    public var tunnelMs: Double? { Self.milliseconds(from: proxyReady, to: tunnelReady) }
    /// TLS with the mirror.
    public var tlsMs: Double? { Self.milliseconds(from: tunnelReady ?? connected, to: tlsDone) }
    /// Time spent before the winning attempt started: Happy Eyeballs' wait for a family that did
    /// not answer (0 when the first attempt won), and the lookup.
    public var waitedMs: Double? { Self.milliseconds(from: started, to: connectStart) }

    /// "IPv6", "IPv4" for the address connected to.
    public var family: String? {
        switch address?.protocol {
        case .inet6?: return "ipv6"
        case .inet?: return "ipv4"
        default: return nil
        }
    }
}
