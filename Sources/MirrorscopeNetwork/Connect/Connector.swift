import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

/// Every connection the client makes, made one way: through the proxy the rules choose (a tunnel:
/// CONNECT or SOCKS5, also for http mirrors, so that a probe measures the mirror and never a
/// proxy's cache), with Happy Eyeballs between address families (NIO's connector, RFC 8305), in
/// the families the user allows, then TLS with the mirror. The result is a channel whose
/// pipeline holds only the transport (TLS, when https): the caller adds its HTTP handlers.
///
/// The transport phases are timed on the event loop (`ConnectionTimes`); the caller times its own
/// request and answer.
public final class Connector: Sendable {
    public struct Configuration: Sendable {
        public var proxies: ProxyRules
        public var family: IPFamily
        /// Names answered without the system resolver (a test seam: dual-stack names on loopback).
        public var hosts: [String: [String]]
        /// PEM certificates trusted besides the system's roots (`--cacert`, a farm's CA).
        public var additionalTrustRootsPEM: [String]

        public init(proxies: ProxyRules = .direct, family: IPFamily = .any, hosts: [String: [String]] = [:],
                    additionalTrustRootsPEM: [String] = []) {
            self.proxies = proxies
            self.family = family
            self.hosts = hosts
            self.additionalTrustRootsPEM = additionalTrustRootsPEM
        }
    }

    /// What to connect to.
    public struct Request: Sendable {
        /// A name or an address literal (IPv6 without brackets).
        public var host: String
        public var port: Int
        public var tls: Bool

        public init(host: String, port: Int, tls: Bool) {
            self.host = host
            self.port = port
            self.tls = tls
        }

        /// TLS asks for (SNI) and checks the name; an address is checked against the
        /// certificate's IP entries instead.
        var serverName: String? { isAddress(host) ? nil : host }
    }

    public struct Connection: Sendable {
        public let channel: any Channel
        public var times: ConnectionTimes
    }

    public let configuration: Configuration
    private let group: any EventLoopGroup
    private let contexts: TLSContexts

    public init(configuration: Configuration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        self.group = group
        contexts = TLSContexts(additionalRootsPEM: configuration.additionalTrustRootsPEM)
    }

    /// The proxy a request would go through (nil: direct).
    public func proxy(for request: Request) -> ProxyURL? {
        configuration.proxies.proxy(scheme: request.tls ? "https" : "http", host: request.host, port: request.port)
    }

    /// The mirrors' TLS context, set up once (loading the system's roots costs time a caller may
    /// want to keep out of a measurement: call it before starting the clock).
    public func tlsContext() throws(ConnectionFailure) -> NIOSSLContext { try contexts.mirror() }

    /// Connects, tunnels and shakes hands before `deadline`. Cancelling the calling task closes
    /// whatever is open at once and throws `CancellationError`-worded failure.
    ///
    /// `onConnectTimeBegins` is called, on a direct connection, when the name lookup is done (at
    /// once for an address): from then on every millisecond until the handshake is done counts in
    /// the connection's connect + TLS figures, so a caller can bound them while it waits (the
    /// prober's decision rule). Through a proxy it is not called: the figure there is the tunnel's.
    public func connect(_ request: Request, deadline: NIODeadline, on eventLoop: (any EventLoop)? = nil,
                        onConnectTimeBegins: (@Sendable () -> Void)? = nil) async throws(ConnectionFailure) -> Connection {
        let loop = eventLoop ?? group.next()
        let opened = OpenChannels()
        do {
            return try await withTaskCancellationHandler {
                try await establish(request, deadline: deadline, loop: loop, opened: opened, onConnectTimeBegins: onConnectTimeBegins)
            } onCancel: {
                opened.closeAll()
            }
        } catch let failure as ConnectionFailure {
            opened.closeAll()
            throw failure
        } catch {
            opened.closeAll()
            throw ConnectionFailure(.connect, .other, Task.isCancelled ? "cancelled" : "\(error)")
        }
    }

    private func establish(_ request: Request, deadline: NIODeadline, loop: any EventLoop, opened: OpenChannels,
                           onConnectTimeBegins: (@Sendable () -> Void)?) async throws -> Connection {
        var times = ConnectionTimes(started: .now())
        let proxy = self.proxy(for: request)
        times.proxy = proxy
        let mirrorTLS = request.tls ? try contexts.mirror() : nil
        let proxyTLS = proxy?.kind == .https ? try contexts.proxy() : nil

        // 1. TCP to the first hop (the proxy, or the mirror), racing its addresses.
        let hop = proxy.map { (host: $0.host, port: $0.port) } ?? (host: request.host, port: request.port)
        let direct = proxy == nil ? onConnectTimeBegins : nil
        let resolver = MirrorResolver(on: loop, family: configuration.family, hosts: configuration.hosts, onAnswered: direct)
        let remaining = deadline - .now()
        guard remaining > .zero else { throw ConnectionFailure(proxy == nil ? .connect : .proxy, .timeout, "timeout") }
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(remaining)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .resolver(resolver)
            .channelInitializer { channel in
                opened.add(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(TransportTimer(), position: .first)
                }
            }
        let channel: any Channel
        do {
            if isAddress(hop.host) {
                let address = try SocketAddress(ipAddress: hop.host, port: hop.port)
                try checkFamily(address)
                direct?()
                channel = try await bootstrap.connect(to: address).get()
            } else {
                channel = try await bootstrap.connect(host: hop.host, port: hop.port).get()
                times.dnsMs = resolver.milliseconds
            }
        } catch let failure as ConnectionFailure {
            throw failure
        } catch {
            throw ConnectionFailure.connect(error, proxy: proxy)
        }
        let (connectStart, connected) = try await loop.submit {
            let timer = try channel.pipeline.syncOperations.handler(type: TransportTimer.self)
            return (timer.connectStart, timer.connected)
        }.get()
        times.connectStart = connectStart
        times.connected = connected
        times.address = channel.remoteAddress

        // 2. The tunnel through the proxy.
        if let proxy {
            try await loop.submit {
                try channel.pipeline.syncOperations.handler(type: TransportTimer.self).promptAcknowledgements = true
            }.get()
            var target = ProxyTunnel.Target(host: request.host, port: request.port)
            if proxy.kind == .socks5 {
                // socks5://: the name is resolved here (socks5h:// leaves it to the proxy).
                target.address = try await resolveForSOCKS(request, loop: loop)
            }
            let tunnelTarget = target
            do {
                let tunnel = try await loop.flatSubmit {
                    ProxyTunnel.open(channel, through: proxy, to: tunnelTarget, deadline: deadline, proxyTLS: proxyTLS)
                }.get()
                times.proxyReady = tunnel.proxyReady
                times.tunnelReady = tunnel.tunnelReady
            } catch let failure as ProxyFailure {
                let cause: ConnectionFailure.Cause = failure.description.contains("timeout") ? .timeout : .other
                throw ConnectionFailure(.proxy, cause, failure.description, underlying: failure)
            }
        }

        // 3. TLS with the mirror, inside the tunnel when there is one.
        if let mirrorTLS {
            let done = loop.makePromise(of: NIODeadline.self)
            let timeout = loop.scheduleTask(deadline: deadline) {
                done.fail(ConnectionFailure(.tls, .timeout, "timeout"))
            }
            try await loop.submit {
                try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: mirrorTLS, serverHostname: request.serverName))
                try channel.pipeline.syncOperations.addHandler(HandshakeWaiter(done: done))
            }.get()
            do {
                times.tlsDone = try await done.futureResult.get()
                timeout.cancel()
            } catch let failure as ConnectionFailure {
                throw failure
            } catch {
                timeout.cancel()
                throw ConnectionFailure(.tls, .other, TLSReasons.describe(error), underlying: error)
            }
        }
        opened.keep(channel)
        return Connection(channel: channel, times: times)
    }

    private func checkFamily(_ address: SocketAddress) throws {
        switch (configuration.family, address.protocol) {
        case (.ipv4, .inet6): throw ConnectionFailure(.connect, .unreachable, "an IPv6 address, and only IPv4 is allowed (-4)")
        case (.ipv6, .inet): throw ConnectionFailure(.connect, .unreachable, "an IPv4 address, and only IPv6 is allowed (-6)")
        default: return
        }
    }

    private func resolveForSOCKS(_ request: Request, loop: any EventLoop) async throws -> SocketAddress {
        if isAddress(request.host) { return try SocketAddress(ipAddress: request.host, port: request.port) }
        let resolver = MirrorResolver(on: loop, family: configuration.family, hosts: configuration.hosts)
        do {
            let v4 = try await resolver.initiateAQuery(host: request.host, port: request.port).get()
            let v6 = try await resolver.initiateAAAAQuery(host: request.host, port: request.port).get()
            guard let first = v4.first ?? v6.first else { throw LookupFailure("no address") }
            return first
        } catch {
            throw ConnectionFailure(.dns, .unreachable, (error as? LookupFailure)?.description ?? "name lookup failed")
        }
    }
}

func isAddress(_ host: String) -> Bool { (try? SocketAddress(ipAddress: host, port: 0)) != nil }

/// The channels one connection attempt opened (Happy Eyeballs opens several): closed when the
/// attempt fails or is cancelled, except the one handed to the caller.
private final class OpenChannels: Sendable {
    private let state = NIOLockedValueBox<(channels: [any Channel], cancelled: Bool, kept: ObjectIdentifier?)>(([], false, nil))

    func add(_ channel: any Channel) {
        let cancelled = state.withLockedValue { s in
            s.channels.append(channel)
            return s.cancelled
        }
        if cancelled { channel.close(promise: nil) }
    }

    func keep(_ channel: any Channel) { state.withLockedValue { $0.kept = ObjectIdentifier(channel) } }

    func closeAll() {
        let channels = state.withLockedValue { s in
            s.cancelled = true
            return s.channels.filter { ObjectIdentifier($0) != s.kept }
        }
        channels.forEach { $0.close(promise: nil) }
    }
}

/// Stamps the connect call and its completion at the socket end of the pipeline.
final class TransportTimer: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny
    var connectStart: NIODeadline?
    var connected: NIODeadline?

    func connect(context: ChannelHandlerContext, to address: SocketAddress, promise: EventLoopPromise<Void>?) {
        connectStart = .now()
        context.connect(to: address, promise: promise)
    }

    func channelActive(context: ChannelHandlerContext) {
        connected = .now()
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if promptAcknowledgements { DelayedAcknowledgement.sendNow(context.channel) }
        context.fireChannelRead(data)
    }

    /// Set for connections through a proxy (see `DelayedAcknowledgement`).
    var promptAcknowledgements = false
}

/// Completes when the TLS handshake with the mirror is done (or fails), then leaves.
private final class HandshakeWaiter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    let done: EventLoopPromise<NIODeadline>
    init(done: EventLoopPromise<NIODeadline>) { self.done = done }

    /// A channel closed before this handler was added (a cancel closing it between the connect
    /// and the handshake) sends no `channelInactive` any more: without this the wait would last
    /// until the deadline.
    func handlerAdded(context: ChannelHandlerContext) {
        if !context.channel.isActive {
            done.fail(ConnectionFailure(.tls, .reset, "TLS: the connection closed during the handshake"))
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event {
            done.succeed(.now())
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        done.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        done.fail(ConnectionFailure(.tls, .reset, "TLS: the connection closed during the handshake"))
        context.fireChannelInactive()
    }
}
