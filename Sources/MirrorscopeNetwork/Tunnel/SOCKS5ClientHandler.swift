import NIOCore

/// The client side of a SOCKS5 handshake (RFC 1928), with user/password authentication
/// (RFC 1929) when the proxy URL carries credentials. swift-nio-extras' `SOCKSClientHandler` offers
/// no authentication at all, and a proxy that needs it (microsocks `-u/-P`, company SOCKS
/// gateways) is exactly what users have; so this one speaks both, in one path.
///
/// Put it first in a pipeline whose channel is connected to the proxy. Writes made before the
/// tunnel is up are held and sent after; `established` succeeds when the proxy has connected to
/// the target, and fails with a `ProxyFailure` otherwise. Then the handler leaves the pipeline,
/// passing on any bytes that came with the reply.
final class SOCKS5ClientHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Where the proxy is to connect: a name it resolves (socks5h) or an address (socks5).
    enum Target {
        case name(String, port: Int)
        case address(SocketAddress)
    }

    private enum State {
        case idle, greeted, authenticating, requested, established, failed
    }

    private let target: Target
    private let credentials: ProxyURL.Credentials?
    private let established: EventLoopPromise<Void>
    private var state = State.idle
    private var received: ByteBuffer?
    private var held: [(ByteBuffer, EventLoopPromise<Void>?)] = []

    init(target: Target, credentials: ProxyURL.Credentials?, established: EventLoopPromise<Void>) {
        self.target = target
        self.credentials = credentials
        self.established = established
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { greet(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        greet(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(context, ProxyFailure(.tunnel, "SOCKS5: the proxy closed the connection during the handshake"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(context, error)
        context.fireErrorCaught(error)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if state == .established { context.write(data, promise: promise); return }
        held.append((unwrapOutboundIn(data), promise))
    }

    func flush(context: ChannelHandlerContext) {
        if state == .established { context.flush() }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard state != .established else { context.fireChannelRead(data); return }
        var bytes = unwrapInboundIn(data)
        if received == nil { received = bytes } else { received!.writeBuffer(&bytes) }
        do {
            try advance(context)
        } catch {
            fail(context, error)
        }
    }

    // MARK: the handshake

    private func greet(_ context: ChannelHandlerContext) {
        guard state == .idle else { return }
        state = .greeted
        // Version 5; "no authentication", and "user/password" when we have some to give.
        let methods: [UInt8] = credentials == nil ? [0x00] : [0x00, 0x02]
        send(context, [0x05, UInt8(methods.count)] + methods)
    }

    private func advance(_ context: ChannelHandlerContext) throws {
        while var buffer = received, buffer.readableBytes > 0 {
            switch state {
            case .greeted:
                guard let reply = buffer.readBytes(length: 2) else { return }
                received = buffer
                guard reply[0] == 0x05 else { throw ProxyFailure(.tunnel, "SOCKS5: the proxy does not speak SOCKS5") }
                switch reply[1] {
                case 0x00: request(context)
                case 0x02 where credentials != nil: authenticate(context)
                // Offered "none" only and refused (0xFF), or asked for user/password: it wants credentials.
                case 0x02, 0xFF where credentials == nil:
                    throw ProxyFailure(.tunnel, "SOCKS5: the proxy asks for a user and password (give them in the proxy URL)")
                default: throw ProxyFailure(.tunnel, "SOCKS5: the proxy accepts none of our authentication methods")
                }
            case .authenticating:
                guard let reply = buffer.readBytes(length: 2) else { return }
                received = buffer
                guard reply[1] == 0x00 else { throw ProxyFailure(.tunnel, "SOCKS5: the proxy refused the user name or password") }
                request(context)
            case .requested:
                // VER REP RSV ATYP BND.ADDR BND.PORT; the address's length depends on its type.
                guard buffer.readableBytes >= 5, let head = buffer.getBytes(at: buffer.readerIndex, length: 5) else { return }
                guard head[0] == 0x05 else { throw ProxyFailure(.tunnel, "SOCKS5: a malformed reply") }
                guard head[1] == 0x00 else { throw ProxyFailure.socksReply(head[1]) }
                let addressLength: Int
                switch head[3] {
                case 0x01: addressLength = 4
                case 0x04: addressLength = 16
                case 0x03: addressLength = 1 + Int(head[4])
                default: throw ProxyFailure(.tunnel, "SOCKS5: a malformed reply")
                }
                let total = 4 + addressLength + 2
                guard buffer.readableBytes >= total else { return }
                buffer.moveReaderIndex(forwardBy: total)
                received = nil
                finish(context, rest: buffer)
                return
            case .idle, .established, .failed:
                return
            }
        }
    }

    private func authenticate(_ context: ChannelHandlerContext) {
        state = .authenticating
        let user = Array((credentials?.user ?? "").utf8.prefix(255))
        let password = Array((credentials?.password ?? "").utf8.prefix(255))
        send(context, [0x01, UInt8(user.count)] + user + [UInt8(password.count)] + password)
    }

    private func request(_ context: ChannelHandlerContext) {
        state = .requested
        var message: [UInt8] = [0x05, 0x01, 0x00]  // version, CONNECT, reserved
        let port: Int
        switch target {
        case .name(let name, let p):
            let bytes = Array(name.utf8.prefix(255))
            message += [0x03, UInt8(bytes.count)] + bytes
            port = p
        case .address(let address):
            switch address {
            case .v4(let v4):
                message.append(0x01)
                message += withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
            case .v6(let v6):
                message.append(0x04)
                message += withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            case .unixDomainSocket:
                fail(context, ProxyFailure(.tunnel, "SOCKS5: cannot reach a local socket"))
                return
            }
            port = address.port ?? 0
        }
        message += [UInt8(truncatingIfNeeded: port >> 8), UInt8(truncatingIfNeeded: port)]
        send(context, message)
    }

    private func finish(_ context: ChannelHandlerContext, rest: ByteBuffer) {
        state = .established
        for (buffer, promise) in held { context.write(wrapOutboundOut(buffer), promise: promise) }
        if !held.isEmpty { context.flush() }
        held.removeAll()
        established.succeed(())
        if rest.readableBytes > 0 { context.fireChannelRead(wrapInboundOut(rest)) }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    private func fail(_ context: ChannelHandlerContext, _ error: any Error) {
        guard state != .established, state != .failed else { return }
        state = .failed
        for (_, promise) in held { promise?.fail(error) }
        held.removeAll()
        established.fail(error)
        context.close(promise: nil)
    }

    private func send(_ context: ChannelHandlerContext, _ bytes: [UInt8]) {
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
    }
}
