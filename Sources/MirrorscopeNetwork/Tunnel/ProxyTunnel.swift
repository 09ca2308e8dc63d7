import Foundation
import NIOCore
import NIOExtras
import NIOHTTP1
import NIOSSL
import NIOTLS

/// Opens a tunnel to a mirror through a proxy, on a channel already connected to the proxy: TLS to
/// the proxy first for an `https://` one, then an HTTP CONNECT (with `Proxy-Authorization: Basic`
/// when the URL carries credentials) or a SOCKS5 handshake. Probes always tunnel, also to `http://`
/// mirrors, so that every sample is a fresh connection end to end and no proxy cache answers for
/// the mirror.
public enum ProxyTunnel {
    /// When each leg was ready.
    public struct Times: Sendable {
        /// The proxy itself is reached (after TLS, for an https proxy).
        public var proxyReady: NIODeadline
        /// The tunnel is up: the proxy has connected to the mirror.
        public var tunnelReady: NIODeadline
    }

    /// Where the tunnel goes. `address` is the mirror's address when the name was resolved here
    /// (`socks5://`); HTTP proxies and `socks5h://` get the name and resolve it themselves.
    public struct Target: Sendable {
        public var host: String
        public var port: Int
        public var address: SocketAddress?

        public init(host: String, port: Int, address: SocketAddress? = nil) {
            self.host = host
            self.port = port
            self.address = address
        }
    }

    /// Adds the handshake to `channel`'s pipeline (at its front) and completes when the tunnel is
    /// up; bytes written to the channel after that reach the mirror. Fails with a `ProxyFailure`,
    /// and closes the channel, when the proxy refuses or `deadline` passes first. Call it on the
    /// channel's event loop, before anything else is written.
    public static func open(_ channel: any Channel, through proxy: ProxyURL, to target: Target, deadline: NIODeadline,
                            proxyTLS: NIOSSLContext?) -> EventLoopFuture<Times> {
        let loop = channel.eventLoop
        loop.assertInEventLoop()
        let tunnel = loop.makePromise(of: Void.self)
        let proxyReady = loop.makePromise(of: NIODeadline.self)
        let timeout = loop.scheduleTask(deadline: deadline) {
            tunnel.fail(ProxyFailure(.tunnel, "proxy \(proxy.address): no tunnel before the timeout"))
        }
        do {
            // Closed already (a cancel between the connect and now): no handler added now would
            // hear of it, and the wait would last until the deadline.
            guard channel.isActive else { throw ProxyFailure(.tunnel, "proxy \(proxy.address): the connection closed") }
            let pipeline = channel.pipeline.syncOperations
            var handlers: [any ChannelHandler] = []
            if proxy.kind == .https {
                guard let proxyTLS else { throw ProxyFailure(.connect, "proxy \(proxy.address): no TLS configuration") }
                let isAddress = (try? SocketAddress(ipAddress: proxy.host, port: 0)) != nil
                handlers.append(try NIOSSLClientHandler(context: proxyTLS, serverHostname: isAddress ? nil : proxy.host))
                handlers.append(TLSReadyHandler(ready: proxyReady, tunnel: tunnel, proxy: proxy))
            } else {
                proxyReady.succeed(.now())
            }
            switch proxy.kind {
            case .http, .https:
                var headers = HTTPHeaders()
                if let credentials = proxy.credentials {
                    let token = Data("\(credentials.user):\(credentials.password)".utf8).base64EncodedString()
                    headers.add(name: "Proxy-Authorization", value: "Basic \(token)")
                }
                let encoder = HTTPRequestEncoder()
                let decoder = ByteToMessageHandler(HTTPResponseDecoder(leftOverBytesStrategy: .forwardBytes))
                // The CONNECT handler's error keeps the answer's status to itself: note it on the way.
                let status = ConnectStatusRecorder()
                let connect = NIOHTTP1ProxyConnectHandler(targetHost: target.host.contains(":") ? "[\(target.host)]" : target.host,
                                                          targetPort: target.port, headers: headers, deadline: deadline,
                                                          promise: tunnel)
                handlers += [encoder, decoder, status] as [any ChannelHandler]
                try pipeline.addHandlers(handlers, position: .first)
                // Last: it sends CONNECT as soon as it is added, so the encoder must be there.
                try pipeline.addHandler(connect, position: .after(status))
                // Once the tunnel is up, the HTTP codec for the proxy leaves: what follows is the mirror's.
                tunnel.futureResult.assumeIsolated().whenSuccess {
                    let pipeline = channel.pipeline.syncOperations
                    _ = try? pipeline.removeHandler(connect)
                    _ = try? pipeline.removeHandler(status)
                    _ = try? pipeline.removeHandler(decoder)
                    _ = try? pipeline.removeHandler(encoder)
                }
                return finish(tunnel, proxyReady, timeout: timeout, channel: channel, proxy: proxy, status: status)
            case .socks5, .socks5h:
                let socksTarget: SOCKS5ClientHandler.Target
                if proxy.kind == .socks5, let address = target.address {
                    socksTarget = .address(address)
                } else {
                    socksTarget = .name(target.host, port: target.port)
                }
                handlers.append(SOCKS5ClientHandler(target: socksTarget, credentials: proxy.credentials, established: tunnel))
                try pipeline.addHandlers(handlers, position: .first)
            }
        } catch {
            tunnel.fail(error)
        }
        return finish(tunnel, proxyReady, timeout: timeout, channel: channel, proxy: proxy, status: nil)
    }

    private static func finish(_ tunnel: EventLoopPromise<Void>, _ proxyReady: EventLoopPromise<NIODeadline>,
                               timeout: Scheduled<Void>, channel: any Channel, proxy: ProxyURL,
                               status: ConnectStatusRecorder?) -> EventLoopFuture<Times> {
        tunnel.futureResult.whenComplete { _ in timeout.cancel() }
        let recorder = NIOLoopBound(status, eventLoop: channel.eventLoop)  // read on the loop, in the error path
        return tunnel.futureResult
            .flatMapErrorThrowing { error in
                channel.close(promise: nil)
                throw describe(error, proxy: proxy, status: recorder.value?.status)
            }
            .flatMap { proxyReady.futureResult.map { Times(proxyReady: $0, tunnelReady: .now()) } }
    }

    /// The words for what went wrong; a `ProxyFailure` already has them.
    static func describe(_ error: any Error, proxy: ProxyURL, status: Int?) -> ProxyFailure {
        if let failure = error as? ProxyFailure { return failure }
        if let connect = error as? NIOHTTP1ProxyConnectHandler.Error {
            if connect == .proxyAuthenticationRequired() { return .connectAnswered(407) }
            if connect == .httpProxyHandshakeTimeout() {
                return ProxyFailure(.tunnel, "proxy \(proxy.address): no answer to CONNECT before the timeout")
            }
            if connect == .remoteConnectionClosed() || connect == .channelUnexpectedlyInactive() {
                return ProxyFailure(.tunnel, "proxy \(proxy.address): closed the connection before the tunnel was up")
            }
            if let status { return .connectAnswered(status) }
            return ProxyFailure(.tunnel, "proxy \(proxy.address): not a CONNECT answer")
        }
        if error is NIOSSLError { return ProxyFailure(.connect, "proxy \(proxy.address): TLS to the proxy failed (\(String(describing: error).prefix(80)))") }
        return ProxyFailure(.tunnel, "proxy \(proxy.address): \(String(describing: error).prefix(100))")
    }
}

/// Notes the status of the proxy's answer to CONNECT.
private final class ConnectStatusRecorder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias InboundOut = HTTPClientResponsePart
    var status: Int?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data) { status = Int(head.status.code) }
        context.fireChannelRead(data)
    }
}

/// Notes when TLS to an https proxy is done: the proxy leg's end. A failed handshake fails the
/// tunnel with its own reason (the CONNECT handler behind would only see the connection close).
private final class TLSReadyHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    let ready: EventLoopPromise<NIODeadline>
    let tunnel: EventLoopPromise<Void>
    let proxy: ProxyURL
    init(ready: EventLoopPromise<NIODeadline>, tunnel: EventLoopPromise<Void>, proxy: ProxyURL) {
        self.ready = ready
        self.tunnel = tunnel
        self.proxy = proxy
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event {
            ready.succeed(.now())
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        tunnel.fail(ProxyFailure(.connect, "proxy \(proxy.address): \(TLSReasons.describe(error)) (TLS to the proxy)"))
        context.fireErrorCaught(error)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        ready.fail(ProxyFailure(.connect, "TLS to the proxy did not finish"))
    }
}
