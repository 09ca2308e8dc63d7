import MirrorscopeCore
import NIOCore
import NIOHTTP1

/// What one sample download learned.
struct ThroughputOutcome: Sendable {
    var meter: RateMeter
    var stop: ThroughputResult.Stop?
    var failure: ProbeFailure?
}

/// Last in a throughput connection's pipeline: sends a GET for the sample object as soon as the
/// connection is ready, then times the body on the event loop as it arrives. The clock starts at
/// the first body read (connection set-up and first byte are the latency probe's business), and
/// the download stops at `maxBytes`, `maxMs` after that first read, or as soon as the rate is
/// steady (`RateMeter`). The connection's deadline bounds everything before the first byte.
/// Completes its promise exactly once and closes the channel.
final class ThroughputExchange: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    struct Limits: Sendable {
        var maxBytes: Int
        var maxMs: Int
    }

    private enum State {
        case connecting, waitingForAnswer, readingBody, done
    }

    private let request: ProbeRequest
    private let limits: Limits
    private let deadline: NIODeadline
    private let timeoutMs: Int
    private let promise: EventLoopPromise<ThroughputOutcome>
    private let onProgress: @Sendable (ThroughputProgress) -> Void
    private var state = State.connecting
    private var meter = RateMeter()
    private var firstRead: NIODeadline?
    private var timer: Scheduled<Void>?

    init(request: ProbeRequest, limits: Limits, deadline: NIODeadline, timeoutMs: Int,
         promise: EventLoopPromise<ThroughputOutcome>, onProgress: @escaping @Sendable (ThroughputProgress) -> Void) {
        self.request = request
        self.limits = limits
        self.deadline = deadline
        self.timeoutMs = timeoutMs
        self.promise = promise
        self.onProgress = onProgress
    }

    func channelActive(context: ChannelHandlerContext) {
        guard case .connecting = state else { return context.fireChannelActive() }
        schedule(at: deadline, context: context)
        // The connector hands over a connected channel, tunnelled and with TLS done: send at once.
        send(context: context)
        context.fireChannelActive()
    }

    private func send(context: ChannelHandlerContext) {
        let (head, _) = request.head(localAddress: context.channel.localAddress?.ipAddress)
        state = .waitingForAnswer
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (unwrapInboundIn(data), state) {
        case (.head(let head), .waitingForAnswer):
            let code = Int(head.status.code)
            guard (200..<300).contains(code) else {
                let failure = (300..<400).contains(code) ? ProbeFailure(.http, "HTTP \(code) (redirects are not followed)") : .httpStatus(code)
                return finish(context: context, failure: failure)
            }
            state = .readingBody
        case (.body(let part), .readingBody):
            let now = NIODeadline.now()
            if firstRead == nil {
                firstRead = now
                schedule(at: now + .milliseconds(Int64(limits.maxMs)), context: context)
            }
            let ms = PhaseStamps.milliseconds(from: firstRead, to: now) ?? 0
            if meter.add(part.readableBytes, atMs: ms) { onProgress(progress) }
            if meter.bytes >= limits.maxBytes {
                finish(context: context, stop: .maxBytes)
            } else if meter.isSteady {
                finish(context: context, stop: .steady)
            }
        case (.end, .readingBody):
            finish(context: context, stop: .end)
        default:
            break
        }
    }

    private var progress: ThroughputProgress {
        let fraction = max(Double(meter.bytes) / Double(max(1, limits.maxBytes)), meter.lastMs / Double(max(1, limits.maxMs)))
        return ThroughputProgress(bytes: meter.bytes, ms: meter.lastMs, bytesPerSecond: meter.bytesPerSecond, fraction: min(1, fraction))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch state {
        case .done: return
        case .readingBody: finish(context: context, failure: ProbeFailure(.reset, "connection broken during the download"))
        case .connecting, .waitingForAnswer: finish(context: context, failure: .exchange(error, phase: .firstByte))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        switch state {
        case .done: break
        // The HTTP decoder ends a body without a length at the close; one that closes early is cut.
        case .readingBody: finish(context: context, failure: ProbeFailure(.reset, "connection closed during the download"))
        case .connecting, .waitingForAnswer: finish(context: context, failure: .closedBeforeAnswer)
        }
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // Reached without the above only when the connect failed: the connector reports that failure.
        finish(context: context, failure: .closedBeforeAnswer, close: false)
    }

    private func schedule(at when: NIODeadline, context: ChannelHandlerContext) {
        timer?.cancel()
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: when) { [self] in
            timer = nil
            switch state {
            case .done: break
            case .readingBody:
                if firstRead != nil { finish(context: context, stop: .maxTime) } else {
                    finish(context: context, failure: .timeout(after: timeoutMs, in: .firstByte))
                }
            case .connecting, .waitingForAnswer: finish(context: context, failure: .timeout(after: timeoutMs, in: .firstByte))
            }
        }
    }

    private func finish(context: ChannelHandlerContext, stop: ThroughputResult.Stop? = nil, failure: ProbeFailure? = nil,
                        close: Bool = true) {
        if case .done = state { return }
        state = .done
        timer?.cancel()
        timer = nil
        promise.succeed(ThroughputOutcome(meter: meter, stop: failure == nil ? stop : nil, failure: failure))
        if close { context.close(promise: nil) }
    }
}
