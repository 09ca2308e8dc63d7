import MirrorscopeCore
import NIOCore
import NIOHTTP1

/// What one timestamp fetch read: the sync time, or why there is none.
struct FreshnessOutcome: Sendable {
    var syncedAt: Int64?
    var failure: ProbeFailure?
}

/// Last in a freshness connection's pipeline: GETs the timestamp object and reads the sync time
/// as its format says (`TimestampObjects`): the `Last-Modified` header (the body is not read), a
/// unix time in the body, or a `Release` file's `Date:` field (read only until it is found).
/// Bodies are bounded; everything within the connection's deadline. Completes its promise exactly
/// once and closes the channel.
final class FreshnessExchange: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private enum State {
        case connecting, waitingForAnswer, readingBody, done
    }

    private let request: ProbeRequest
    private let format: FreshnessFormat
    private let deadline: NIODeadline
    private let timeoutMs: Int
    private let promise: EventLoopPromise<FreshnessOutcome>
    private var state = State.connecting
    private var body: [UInt8] = []
    private var timer: Scheduled<Void>?

    init(request: ProbeRequest, format: FreshnessFormat, deadline: NIODeadline, timeoutMs: Int,
         promise: EventLoopPromise<FreshnessOutcome>) {
        self.request = request
        self.format = format
        self.deadline = deadline
        self.timeoutMs = timeoutMs
        self.promise = promise
    }

    private var limit: Int { format == .unixTime ? TimestampObjects.unixTimeLimit : TimestampObjects.releaseLimit }

    func channelActive(context: ChannelHandlerContext) {
        guard case .connecting = state else { return context.fireChannelActive() }
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timer = nil
            switch state {
            case .done: break
            case .connecting, .waitingForAnswer, .readingBody: finish(context: context, failure: .timeout(after: timeoutMs, in: .firstByte))
            }
        }
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
            if format == .lastModified {
                return finish(context: context, reading: TimestampObjects.lastModified(head.headers.first(name: "Last-Modified")))
            }
            state = .readingBody
        case (.body(var part), .readingBody):
            let room = limit + 1 - body.count  // one byte past the limit tells "too large"
            if let bytes = part.readBytes(length: min(room, part.readableBytes)) { body += bytes }
            if format == .releaseDate, case .time = TimestampObjects.releaseDate(body, complete: false) {
                finish(context: context, reading: TimestampObjects.releaseDate(body, complete: false))
            } else if body.count > limit {
                finish(context: context, reading: read(complete: false))
            }
        case (.end, .readingBody):
            finish(context: context, reading: read(complete: true))
        default:
            break
        }
    }

    private func read(complete: Bool) -> TimestampObjects.Reading {
        switch format {
        case .unixTime: return TimestampObjects.unixTime(body)
        case .releaseDate: return TimestampObjects.releaseDate(Array(body.prefix(limit)), complete: complete)
        case .lastModified: return .notFound(why: "no Last-Modified header")
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch state {
        case .done: return
        case .connecting, .waitingForAnswer, .readingBody: finish(context: context, failure: .exchange(error, phase: .firstByte))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        switch state {
        case .done: break
        case .connecting, .waitingForAnswer, .readingBody: finish(context: context, failure: .closedBeforeAnswer)
        }
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        finish(context: context, failure: .closedBeforeAnswer, close: false)
    }

    private func finish(context: ChannelHandlerContext, reading: TimestampObjects.Reading) {
        switch reading {
        case .time(let t): finish(context: context, syncedAt: t)
        case .notFound(let why): finish(context: context, failure: ProbeFailure(.protocolError, why))
        }
    }

    private func finish(context: ChannelHandlerContext, syncedAt: Int64? = nil, failure: ProbeFailure? = nil, close: Bool = true) {
        if case .done = state { return }
        state = .done
        timer?.cancel()
        timer = nil
        promise.succeed(FreshnessOutcome(syncedAt: failure == nil ? syncedAt : nil, failure: failure))
        if close { context.close(promise: nil) }
    }
}
