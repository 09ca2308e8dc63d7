import Logging
import NIOCore
import NIOHTTP1

/// One client connection: reads request heads, routes each one (the director's own pages, a
/// redirect, or a proxied exchange), keeps pipelined requests in order and keeps the
/// connection's timers.
///
/// The pipeline is deliberately short: NIO's request decoder (bounded heads), NIO's response
/// encoder, and this handler. It does itself what NIO's pipelining, protocol-error and idle
/// handlers would do, because on the redirect path every handler a message passes costs a
/// measurable share of the time (see docs/director.md, "Performance"):
/// - pipelining: parts of the next request that arrive while a response is still being made are
///   queued and replayed in order, and reads pause meanwhile;
/// - a malformed request gets a 400 and the connection closes;
/// - one timer per connection closes it when a request head is slow to come (`header_timeout`,
///   which also ends idle keep-alive connections) or an exchange stops moving (`idle_timeout`).
/// Redirects are written as bytes from cached parts straight to the socket side of the encoder;
/// everything else goes through the encoder. The encoder is not paired with the decoder and does
/// not add framing headers: every response here sets its own (see `ProxyExchange` for proxied ones).
final class ConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    enum State {
        /// Waiting for a request head.
        case idle
        /// Answered already; the request's body (if any) is read and dropped.
        case answered
        /// A `/-/` request whose body is being collected.
        case collecting(ControlRequest)
        /// A `/-/` request being answered asynchronously.
        case controlPending
        case proxying(ProxyExchange)
    }

    let loop: LoopState
    let virtual: Int
    let isTLS: Bool
    let services: DirectorServices
    var state = State.idle
    var requestHead: HTTPRequestHead?
    var requestStart = NIODeadline.now()
    var keepAlive = true
    var requestEnded = false
    var responseEnded = false
    var clientAddressCache: String?
    /// Since when the connection waits for a request head (nil while a request is in progress).
    var awaitingHeadSince: NIODeadline? = .now()
    /// The last time the request in progress moved (a part read, a body chunk passed).
    var lastProgress = NIODeadline.now()
    private var timer: Scheduled<Void>?
    /// The encoder's context: a write from it skips the encoder (redirects are already bytes).
    private var rawOutput: ChannelHandlerContext?
    /// Parts of the next request(s) that came while the current response was being made.
    private var queued = CircularBuffer<HTTPServerRequestPart>()
    private var replaying = false
    /// Proxy upload backpressure: the real server cannot take more.
    private var exchangeHoldsReads = false
    private var readPending = false

    /// Bound on a `/-/` request body (admin JSON).
    static let maxControlBody = 64 * 1024

    init(loop: LoopState, virtual: Int, isTLS: Bool, services: DirectorServices) {
        self.loop = loop
        self.virtual = virtual
        self.isTLS = isTLS
        self.services = services
    }

    /// A request has been read to its end and its response is not finished yet.
    private var awaitingResponse: Bool { requestHead != nil && requestEnded && !responseEnded }

    // MARK: lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        rawOutput = try? context.pipeline.syncOperations.context(handlerType: HTTPResponseEncoder.self)
    }

    func channelActive(context: ChannelHandlerContext) {
        loop.connections[ObjectIdentifier(context.channel)] = context.channel
        let config = loop.snapshot.config
        armTimer(context: context, at: .now() + min(TimeAmount(config.headerTimeout), TimeAmount(config.idleTimeout)))
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        loop.connections[ObjectIdentifier(context.channel)] = nil
        timer?.cancel()
        if case .proxying(let exchange) = state { exchange.downstreamClosed() }
        queued.removeAll()
        context.fireChannelInactive()
    }

    /// One timer per connection, re-armed lazily (never per request): it closes the connection
    /// once it has waited `header_timeout` for a request head, or once the request in progress has
    /// not moved for `idle_timeout`. Since the connection may go from one case to the other
    /// between two firings, it fires at least every min(header_timeout, idle_timeout).
    private func armTimer(context: ChannelHandlerContext, at deadline: NIODeadline) {
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            let config = loop.snapshot.config
            let header = TimeAmount(config.headerTimeout)
            let idle = TimeAmount(config.idleTimeout)
            let due = awaitingHeadSince.map { $0 + header } ?? lastProgress + idle
            let now = NIODeadline.now()
            if due <= now {
                context.close(promise: nil)
            } else {
                armTimer(context: context, at: min(due, now + min(header, idle)))
            }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        // Graceful shutdown: an idle connection closes now, a busy one after its response.
        keepAlive = false
        if requestHead == nil { context.close(promise: nil) }
    }

    /// A malformed request (NIO's decoder failed) gets a 400 when no response is under way, then
    /// the connection closes; any other error just closes it.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        services.logger.debug("connection error", metadata: ["error": "\(error)"])
        if error is HTTPParserError, case .idle = state {
            let headers = HTTPHeaders([("Connection", "close"), ("Content-Length", "0")])
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .badRequest, headers: headers))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
        context.close(promise: nil)
    }

    // MARK: reading requests

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if awaitingResponse || !queued.isEmpty {
            queued.append(part)
        } else {
            handle(context: context, part)
        }
    }

    private func handle(context: ChannelHandlerContext, _ part: HTTPServerRequestPart) {
        switch part {
        case .head(let head):
            startRequest(head)
            route(context: context, head: head)
        case .body(let buffer):
            lastProgress = .now()
            switch state {
            case .collecting(var request):
                guard request.body.readableBytes + buffer.readableBytes <= Self.maxControlBody else {
                    state = .answered
                    keepAlive = false
                    respond(context: context, ControlResponse.text(.payloadTooLarge, "request body too large"))
                    return
                }
                state = .idle // drop the copy held in `state` so appending does not copy the buffer
                var body = buffer
                request.body.writeBuffer(&body)
                state = .collecting(request)
            case .proxying(let exchange):
                exchange.forwardRequestBody(buffer)
            case .idle, .answered, .controlPending:
                break
            }
        case .end:
            requestEnded = true
            switch state {
            case .collecting(let request):
                state = .controlPending
                dispatchControl(context: context, request)
            case .proxying(let exchange):
                exchange.requestEnded()
                finishIfDone(context: context)
            case .idle, .answered, .controlPending:
                finishIfDone(context: context)
            }
        }
    }

    private func startRequest(_ head: HTTPRequestHead) {
        requestHead = head
        requestStart = .now()
        lastProgress = requestStart
        awaitingHeadSince = nil
        keepAlive = keepAlive && head.isKeepAlive
        requestEnded = false
        responseEnded = false
        loop.clock.tick()
    }

    private func route(context: ChannelHandlerContext, head: HTTPRequestHead) {
        switch RequestTarget.classify(head.uri) {
        case .content(let rest):
            serve(context: context, head: head, directed: nil, rest: rest)
        case .directed(let id, let rest):
            serve(context: context, head: head, directed: id, rest: rest)
        case .control(let path, let query):
            state = .collecting(ControlRequest(head: head, path: String(path), query: query.map(String.init),
                                               virtual: virtual, isTLS: isTLS, body: context.channel.allocator.buffer(capacity: 0)))
        case .rejected(let rejection):
            state = .answered
            keepAlive = false
            respond(context: context, .text(HTTPResponseStatus(statusCode: rejection.status), rejection.reason))
        }
    }

    /// A content request: find its real server by the session rules, then redirect or proxy.
    private func serve(context: ChannelHandlerContext, head: HTTPRequestHead, directed: Substring?, rest: Substring) {
        let snapshot = loop.snapshot
        var sessionServer: String?
        if let cookie = head.headers.first(name: "cookie"), let token = SessionCookie.value(in: cookie) {
            sessionServer = loop.sessionServer(token: token)
        }
        let decision = SessionRules.decide(table: snapshot.table, virtual: virtual, sessionServer: sessionServer,
                                           directed: directed) {
            loop.pickNew(virtual: virtual) { clientAddress(context) }
        }
        switch decision {
        case .unknownIdentifier:
            state = .answered
            respond(context: context, .text(.notFound, "no real server is named \"\(directed ?? "")\""))
        case .unavailable:
            state = .answered
            respond(context: context, .text(.serviceUnavailable, "no real server is available"))
        case .serve(let index, let startsSession):
            let real = snapshot.table.reals[index]
            switch snapshot.config.virtualServers[virtual].mode {
            case .redirect:
                state = .answered
                loop.recordServed(real, proxied: false, startsSession: startsSession)
                sendRedirect(context: context, head: head, real: real, rest: rest)
            case .proxy:
                let exchange = ProxyExchange(downstream: self, context: context, real: real, rest: rest,
                                             startsSession: startsSession)
                state = .proxying(exchange)
                exchange.start(head: head)
            }
        }
    }

    func clientAddress(_ context: ChannelHandlerContext) -> String {
        if let cached = clientAddressCache { return cached }
        let address = context.channel.remoteAddress?.ipAddress ?? "-"
        clientAddressCache = address
        return address
    }

    // MARK: control requests

    private func dispatchControl(context: ChannelHandlerContext, _ request: ControlRequest) {
        var request = request
        if let local = context.channel.localAddress { request.localPort = local.port }
        services.control.respond(to: request, loop: loop).assumeIsolated().whenComplete { [self] result in
            guard case .controlPending = state else { return }
            state = .answered
            switch result {
            case .success(let response): respond(context: context, response)
            case .failure(let error):
                services.logger.error("control request failed", metadata: ["path": "\(request.path)", "error": "\(error)"])
                respond(context: context, .text(.internalServerError, "internal error"))
            }
        }
    }

    /// Writes a complete response held in memory (errors and the director's own pages).
    func respond(context: ChannelHandlerContext, _ response: ControlResponse) {
        var headers = response.headers
        headers.add(name: "Content-Length", value: String(response.body.readableBytes))
        headers.add(name: "Date", value: loop.clock.httpDate)
        addConnectionHeader(&headers)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: requestHead?.version ?? .http1_1,
                                                             status: response.status, headers: headers))), promise: nil)
        if response.body.readableBytes > 0 && requestHead?.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(response.body))), promise: nil)
        }
        endResponse(context: context, status: Int(response.status.code), real: nil, bytes: response.body.readableBytes)
    }

    // MARK: ending responses

    func addConnectionHeader(_ headers: inout HTTPHeaders) {
        if !keepAlive {
            headers.add(name: "Connection", value: "close")
        } else if requestHead?.version == .http1_0 {
            headers.add(name: "Connection", value: "keep-alive")
        }
    }

    /// Ends a response written through the encoder.
    func endResponse(context: ChannelHandlerContext, status: Int, real: RealEntry?, bytes: Int) {
        let end = wrapOutboundOut(.end(nil))
        if keepAlive {
            context.writeAndFlush(end, promise: nil)
        } else {
            context.writeAndFlush(end).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
        responseCompleted(context: context, status: status, real: real, bytes: bytes)
    }

    /// Writes a whole response that is already bytes, past the encoder.
    func writeRaw(context: ChannelHandlerContext, _ response: ByteBuffer, status: Int, real: RealEntry?) {
        guard let output = rawOutput else { preconditionFailure("an HTTPResponseEncoder must precede ConnectionHandler") }
        if keepAlive {
            output.writeAndFlush(NIOAny(response), promise: nil)
        } else {
            output.writeAndFlush(NIOAny(response)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
        responseCompleted(context: context, status: status, real: real, bytes: 0)
    }

    private func responseCompleted(context: ChannelHandlerContext, status: Int, real: RealEntry?, bytes: Int) {
        responseEnded = true
        loop.recordResponse(status: status, startedAt: requestStart)
        if let logger = loop.snapshot.accessLogger, let head = requestHead {
            logger.info("\(accessLine(context: context, head: head, status: status, real: real, bytes: bytes))")
        }
        finishIfDone(context: context)
    }

    /// Once the request and its response have both ended: ready for the next request (replaying
    /// any that came early), or closed.
    private func finishIfDone(context: ChannelHandlerContext) {
        guard requestEnded && responseEnded else { return }
        if case .proxying(let exchange) = state {
            exchange.finish()
            exchangeHoldsReads = false
        }
        state = .idle
        requestHead = nil
        awaitingHeadSince = .now()
        guard keepAlive else {
            queued.removeAll()
            return
        }
        replayQueued(context: context)
        readIfAllowed(context: context)
    }

    private func replayQueued(context: ChannelHandlerContext) {
        guard !replaying else { return }
        replaying = true
        defer { replaying = false }
        while !queued.isEmpty && !awaitingResponse && context.channel.isActive {
            handle(context: context, queued.removeFirst())
        }
    }

    /// Common Log Format plus the user agent and the real server:
    /// `ADDR - - [DATE] "METHOD TARGET VERSION" STATUS BYTES "UA" real=ID`.
    private func accessLine(context: ChannelHandlerContext, head: HTTPRequestHead, status: Int, real: RealEntry?, bytes: Int) -> String {
        let agent = head.headers.first(name: "user-agent").map { AccessLog.quoted($0) } ?? "-"
        return "\(clientAddress(context)) - - [\(loop.clock.logDate)] \"\(head.method.rawValue) \(AccessLog.quoted(head.uri)) \(head.version)\" "
            + "\(status) \(bytes) \"\(agent)\" real=\(real?.config.id ?? "-")"
    }

    // MARK: reads

    func holdReads() { exchangeHoldsReads = true }

    func releaseReads(context: ChannelHandlerContext) {
        exchangeHoldsReads = false
        readIfAllowed(context: context)
    }

    private var readsHeld: Bool { exchangeHoldsReads || awaitingResponse || !queued.isEmpty }

    private func readIfAllowed(context: ChannelHandlerContext) {
        if readPending && !readsHeld {
            readPending = false
            context.read()
        }
    }

    func read(context: ChannelHandlerContext) {
        if readsHeld {
            readPending = true
        } else {
            context.read()
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if case .proxying(let exchange) = state, context.channel.isWritable { exchange.downstreamWritable() }
        context.fireChannelWritabilityChanged()
    }
}
