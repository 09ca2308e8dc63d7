import NIOCore
import NIOSSL
import NIOTLS

/// When each phase of one probe connection happened, on the monotonic clock.
struct PhaseStamps: Sendable {
    var connectStart: NIODeadline?
    var connected: NIODeadline?
    var tlsDone: NIODeadline?
    var requestSent: NIODeadline?
    var firstByte: NIODeadline?

    static func milliseconds(from start: NIODeadline?, to end: NIODeadline?) -> Double? {
        guard let start, let end else { return nil }
        return Double((end - start).nanoseconds) / 1_000_000
    }
}

/// The stamps of one connection, written by its `PhaseTimer`s on the channel's event loop.
final class PhaseClock {
    var stamps = PhaseStamps()
}

/// Takes the phase timestamps on the event loop at the moment each event passes, so that hops
/// between threads never count in a measurement. The transport timer sits at the socket end of the
/// pipeline (the connect call and its completion); the application timer sits where the request's
/// bytes leave and the answer's bytes arrive in clear: at the socket end for http, just after the
/// TLS handler for https (where it also sees the handshake complete).
final class PhaseTimer: ChannelDuplexHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny

    struct Role: OptionSet {
        let rawValue: Int
        static let transport = Role(rawValue: 1)
        static let application = Role(rawValue: 2)
    }

    private let clock: PhaseClock
    private let role: Role

    init(clock: PhaseClock, role: Role) {
        self.clock = clock
        self.role = role
    }

    func connect(context: ChannelHandlerContext, to address: SocketAddress, promise: EventLoopPromise<Void>?) {
        if role.contains(.transport) { clock.stamps.connectStart = .now() }
        context.connect(to: address, promise: promise)
    }

    func channelActive(context: ChannelHandlerContext) {
        if role.contains(.transport) { clock.stamps.connected = .now() }
        context.fireChannelActive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if role.contains(.application), case TLSUserEvent.handshakeCompleted = event {
            clock.stamps.tlsDone = .now()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func flush(context: ChannelHandlerContext) {
        if role.contains(.application), clock.stamps.requestSent == nil { clock.stamps.requestSent = .now() }
        context.flush()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if role.contains(.application), clock.stamps.firstByte == nil { clock.stamps.firstByte = .now() }
        context.fireChannelRead(data)
    }
}
