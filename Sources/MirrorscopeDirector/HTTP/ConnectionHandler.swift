import Logging
import MirrorscopeGeo
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
///
/// This file reads and routes requests; each other concern has its own file: `+Pipelining`
/// (queueing, replay, read control), `+Timeouts`, `+Redirect`, `+Links` (a redirect's `Link` and
/// `Digest` headers), `+Metalink` (a file's Metalink), `+Holdings` (file checks), `+Responses`,
/// `+Control` (the director's own pages) and `+AccessLog`.
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
        /// A content request waiting for file checks (`ConnectionHandler+Holdings`).
        case checking
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
    /// The socket's peer, read once per connection.
    var peerCache: (text: String, address: IPAddress?)?
    /// The last client address looked up in the GeoIP databases, and the answer.
    var placeCache: (address: IPAddress, answer: GeoAnswer?)?
    /// The encoder's context: a write from it skips the encoder (redirects are already bytes).
    var rawOutput: ChannelHandlerContext?
    /// Watches for over-long request lines (414); told when the next request line may begin.
    var lineGuard: RequestLineGuard?

    // Timeouts (ConnectionHandler+Timeouts.swift).
    /// Since when the connection waits for a request head (nil while a request is in progress).
    var awaitingHeadSince: NIODeadline? = .now()
    /// The last time the request in progress moved (a part read, a body chunk passed).
    var lastProgress = NIODeadline.now()
    var timer: Scheduled<Void>?

    // Pipelining and read control (ConnectionHandler+Pipelining.swift).
    /// Parts of the next request(s) that came while the current response was being made.
    var queued = CircularBuffer<HTTPServerRequestPart>()
    var replaying = false
    /// Proxy upload backpressure: the real server cannot take more.
    var exchangeHoldsReads = false
    var readPending = false

    /// Bound on a `/-/` request body (admin JSON).
    static let maxControlBody = 64 * 1024

    init(loop: LoopState, virtual: Int, isTLS: Bool, services: DirectorServices) {
        self.loop = loop
        self.virtual = virtual
        self.isTLS = isTLS
        self.services = services
    }

    /// A request has been read to its end and its response is not finished yet.
    var awaitingResponse: Bool { requestHead != nil && requestEnded && !responseEnded }

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

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        // Graceful shutdown: an idle connection closes now, a busy one after its response.
        keepAlive = false
        if requestHead == nil { context.close(promise: nil) }
    }

    /// A malformed request (NIO's decoder failed) gets a 400 when no response is under way, or a
    /// 431 when its head ran over the limits (`Director.headLimits`), then the connection closes;
    /// any other error just closes it.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        services.logger.debug("connection error", metadata: ["error": "\(error)"])
        if let parserError = error as? HTTPParserError, noResponseStarted {
            let status: HTTPResponseStatus = parserError == .headerOverflow ? .requestHeaderFieldsTooLarge : .badRequest
            let headers = HTTPHeaders([("Connection", "close"), ("Content-Length", "0")])
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
        context.close(promise: nil)
    }

    /// Nothing of a response has been written for the request being read (a malformed body of a
    /// `/-/` request can still be answered with a 400; one after a redirect cannot).
    private var noResponseStarted: Bool {
        switch state {
        case .idle, .collecting: true
        case .answered, .controlPending, .checking, .proxying: false
        }
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

    func handle(context: ChannelHandlerContext, _ part: HTTPServerRequestPart) {
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
            case .idle, .answered, .controlPending, .checking:
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
            case .idle, .answered, .controlPending, .checking:
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
            if head.method == .GET || head.method == .HEAD,
               let metalink = FileMetalinkRequest.detect(rest: rest, accept: head.headers.first(name: "accept")) {
                serveMetalink(context: context, head: head, request: metalink, rest: rest)
            } else {
                checkThenServe(context: context, head: head, directed: nil, rest: rest)
            }
        case .directed(let id, let rest):
            checkThenServe(context: context, head: head, directed: id, rest: rest)
        case .control(let path, let query):
            state = .collecting(ControlRequest(head: head, path: String(path), query: query.map(String.init),
                                               virtual: virtual, isTLS: isTLS, body: context.channel.allocator.buffer(capacity: 0)))
        case .rejected(let rejection):
            state = .answered
            keepAlive = false
            respond(context: context, .text(HTTPResponseStatus(statusCode: rejection.status), rejection.reason))
        }
    }

    /// A content request: find its real server by the session rules (among the mirrors that hold
    /// the path, when `holdings` is given), then redirect or proxy.
    func serve(context: ChannelHandlerContext, head: HTTPRequestHead, directed: Substring?, rest: Substring,
               holdings: PathHoldings? = nil) {
        let snapshot = loop.snapshot
        var sessionServer: String?
        if let cookie = head.headers.first(name: "cookie"), let token = SessionCookie.value(in: cookie) {
            sessionServer = loop.sessionServer(token: token)
        }
        let decision = SessionRules.decide(table: snapshot.table, virtual: virtual, sessionServer: sessionServer,
                                           directed: directed, lacks: { index in holdings.map { !$0.usable(index) } ?? false }) {
            loop.pickNew(virtual: virtual, holdings: holdings) { sessionClient(context) }
        }
        if decision == .unavailable, let holdings, holdings.noneHolds(snapshot.table.virtuals[virtual]) {
            state = .answered
            respond(context: context, .text(.notFound, "no mirror holds /\(FileChecker.path(of: rest))"))
            return
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
                sendRedirect(context: context, head: head, real: real, rest: rest, holdings: holdings)
            case .proxy:
                let exchange = ProxyExchange(downstream: self, context: context, real: real, rest: rest,
                                             startsSession: startsSession)
                state = .proxying(exchange)
                exchange.start(head: head)
                // After a file check's wait, the request (a GET's) may have ended meanwhile.
                if requestEnded { exchange.requestEnded() }
            }
        }
    }

    /// The socket's peer address (what proxied requests add to `X-Forwarded-For`, and the access log shows).
    func clientAddress(_ context: ChannelHandlerContext) -> String { peer(context).text }

    private func peer(_ context: ChannelHandlerContext) -> (text: String, address: IPAddress?) {
        if let cached = peerCache { return cached }
        let text = context.channel.remoteAddress?.ipAddress ?? "-"
        let peer = (text, IPAddress(text))
        peerCache = peer
        return peer
    }

    /// Whom a new session of the current request is for: the peer, or when the peer is a trusted
    /// proxy, the client it forwarded (per request: a proxy's keep-alive connection carries many clients).
    func sessionClient(_ context: ChannelHandlerContext) -> SessionClient {
        let peer = peer(context)
        let trusted = loop.snapshot.config.geo.trustedProxies
        guard !trusted.isEmpty, let address = peer.address, let head = requestHead else {
            return SessionClient(text: peer.text, address: peer.address)
        }
        let client = ClientAddress.resolve(peer: address, headers: head.headers, trusted: trusted)
        return client == address ? SessionClient(text: peer.text, address: address) : SessionClient(text: client.description, address: client)
    }
}
