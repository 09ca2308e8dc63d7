import MirrorscopeCore
import NIOCore
import NIOHTTP1

/// What one probe connection learned: its phase stamps, the answer's status or the failure, and the
/// headers that were sent (empty when no request went out).
struct ExchangeOutcome: Sendable {
    var stamps: PhaseStamps
    var status: Int?
    var failure: ProbeFailure?
    var sentHeaders: [HeaderField]
}

/// The request the exchange sends; the client-information headers are decided at send time,
/// when the connection's own address is known.
struct ProbeRequest: Sendable {
    var method: HTTPMethod
    var uri: String
    var hostHeader: String
    var clientInfo: ClientInfo
    var requested: Set<ClientInfoField>

    /// The request head as sent on a connection from `localAddress`, and its headers in order.
    func head(localAddress: String?) -> (HTTPRequestHead, [HeaderField]) {
        var headers = [HeaderField("Host", hostHeader)]
        headers += clientInfo.headers(requested: requested, localAddress: localAddress)
        headers += [HeaderField("Accept", "*/*"), HeaderField("Connection", "close")]
        let head = HTTPRequestHead(version: .http1_1, method: method, uri: uri,
                                   headers: HTTPHeaders(headers.map { ($0.name, $0.value) }))
        return (head, headers)
    }
}

/// Last in a probe connection's pipeline. Sends the request as soon as it joins the connection
/// (connected, tunnelled and, for https, the handshake done by the connector), reads the status and
/// discards up to 64 KiB of body, and holds the sample's deadline. Completes its promise exactly once and closes the channel.
final class ProbeExchange: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    /// Enough to see the answer is real; the probe measures latency, not throughput.
    static let bodyCap = 64 * 1024

    private enum State {
        case connecting
        case waitingForAnswer
        case readingBody
        case done
    }

    private let request: ProbeRequest
    private let clock: PhaseClock
    private let deadline: NIODeadline
    private let timeoutMs: Int
    private let promise: EventLoopPromise<ExchangeOutcome>
    private var state = State.connecting
    private var status: Int?
    private var bodyBytes = 0
    private var sentHeaders: [HeaderField] = []
    private var timer: Scheduled<Void>?

    init(request: ProbeRequest, clock: PhaseClock, deadline: NIODeadline, timeoutMs: Int,
         promise: EventLoopPromise<ExchangeOutcome>) {
        self.request = request
        self.clock = clock
        self.deadline = deadline
        self.timeoutMs = timeoutMs
        self.promise = promise
    }

    func channelActive(context: ChannelHandlerContext) {
        // The connector's phases are bounded by the same deadline; from here this timer is.
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timedOut(context: context)
        }
        send(context: context)
        context.fireChannelActive()
    }

    private func send(context: ChannelHandlerContext) {
        let (head, headers) = request.head(localAddress: context.channel.localAddress?.ipAddress)
        sentHeaders = headers
        state = .waitingForAnswer
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (unwrapInboundIn(data), state) {
        case (.head(let head), .waitingForAnswer):
            let code = Int(head.status.code)
            guard code < 400 else { return finish(context: context, failure: .httpStatus(code)) }
            status = code
            state = .readingBody
        case (.body(let part), .readingBody):
            bodyBytes += part.readableBytes
            if bodyBytes >= Self.bodyCap { finish(context: context, failure: nil) }
        case (.end, .readingBody):
            finish(context: context, failure: nil)
        default:
            break  // nothing else matters once the answer is in
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch state {
        case .done:
            return
        case .readingBody:
            finish(context: context, failure: nil)  // the answer is in; a broken body does not undo it
        case .connecting, .waitingForAnswer:
            finish(context: context, failure: .exchange(error, phase: .firstByte))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        switch state {
        case .done: break
        case .readingBody: finish(context: context, failure: nil)
        case .connecting, .waitingForAnswer: finish(context: context, failure: .closedBeforeAnswer)
        }
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // Reached without the above only when the handlers could not join the connection: the
        // connector reports that.
        finish(context: context, failure: .closedBeforeAnswer, close: false)
    }

    private func timedOut(context: ChannelHandlerContext) {
        timer = nil
        switch state {
        case .done: break
        case .readingBody: finish(context: context, failure: nil)
        case .connecting, .waitingForAnswer: finish(context: context, failure: .timeout(after: timeoutMs, in: .firstByte))
        }
    }

    private func finish(context: ChannelHandlerContext, failure: ProbeFailure?, close: Bool = true) {
        if case .done = state { return }
        state = .done
        timer?.cancel()
        timer = nil
        promise.succeed(ExchangeOutcome(stamps: clock.stamps, status: failure == nil ? status : nil,
                                        failure: failure, sentHeaders: sentHeaders))
        if close { context.close(promise: nil) }
    }
}
