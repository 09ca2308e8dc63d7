import MirrorscopeNetwork
import NIOCore

/// When each phase of one probe connection happened, on the monotonic clock: the transport's
/// (lookup, connect, tunnel, TLS) as the connector took them, then the request and its answer.
struct PhaseStamps: Sendable {
    var transport: ConnectionTimes?
    var requestSent: NIODeadline?
    var firstByte: NIODeadline?

    static func milliseconds(from start: NIODeadline?, to end: NIODeadline?) -> Double? {
        ConnectionTimes.milliseconds(from: start, to: end)
    }
}

/// The stamps of one connection, written by its `PhaseTimer` on the channel's event loop.
final class PhaseClock {
    var stamps = PhaseStamps()
}

/// Takes the request's and the answer's timestamps on the event loop at the moment each event
/// passes, so that hops between threads never count in a measurement. It sits where the request's
/// bytes leave and the answer's bytes arrive in clear: after the TLS handler for https, at the
/// socket end for http (after the tunnel, which the connector has set up and left).
final class PhaseTimer: ChannelDuplexHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny

    private let clock: PhaseClock

    init(clock: PhaseClock) {
        self.clock = clock
    }

    func flush(context: ChannelHandlerContext) {
        if clock.stamps.requestSent == nil { clock.stamps.requestSent = .now() }
        context.flush()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if clock.stamps.firstByte == nil { clock.stamps.firstByte = .now() }
        context.fireChannelRead(data)
    }
}
