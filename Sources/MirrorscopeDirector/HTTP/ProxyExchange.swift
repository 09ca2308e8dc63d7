import Foundation
import MirrorscopeCore
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One proxied request: the request goes to the real server and the response streams back, each
/// direction with backpressure (a side that cannot take more stops reads on the other), so a large
/// body passes through a bounded amount of memory. One upstream connection per exchange, closed
/// after it, like nginx's default `proxy_pass`.
///
/// A real server that refuses the connection or fails before answering is reported (it goes down
/// at once, like a failed health check `fall` times); a request without a body is then retried
/// once on where its session goes next, and otherwise answered 502 with a session token for that
/// server, so the client's next request lands there.
final class ProxyExchange {
    private weak var downstream: ConnectionHandler?
    private let context: ChannelHandlerContext
    private var real: RealEntry
    private let rest: String
    private var startsSession: Bool
    private var head: HTTPRequestHead?
    private var upstream: (any Channel)?
    /// Request parts that arrived before the upstream connection was ready.
    private var pending: [HTTPClientRequestPart] = []
    private var requestDone = false
    private var responseStarted = false
    private var status = 0
    private var retried = false
    private var over = false
    private var bytes = 0
    /// The client cannot take more: the upstream's next read waits.
    private var upstreamReadHeld = false
    private var upstreamReadWanted = false

    static let connectTimeout: TimeAmount = .seconds(5)

    init(downstream: ConnectionHandler, context: ChannelHandlerContext, real: RealEntry, rest: Substring, startsSession: Bool) {
        self.downstream = downstream
        self.context = context
        self.real = real
        self.rest = String(rest)
        self.startsSession = startsSession
    }

    func start(head: HTTPRequestHead) {
        self.head = head
        downstream?.holdReads()
        downstream?.loop.adjustInFlight(slot: real.slot, by: 1)
        connect()
    }

    private var hasRequestBody: Bool {
        guard let head else { return false }
        if head.headers.contains(name: "transfer-encoding") { return true }
        return head.headers.first(name: "content-length").flatMap { Int($0) }.map { $0 > 0 } ?? false
    }

    private func connect() {
        guard let downstream, let target = real.upstream else {
            failBeforeResponse(reason: "bad upstream URL")
            return
        }
        target.connect(on: context.eventLoop, tlsContext: downstream.services.upstreamTLS, timeout: Self.connectTimeout,
                       hosts: downstream.services.upstreamHosts)
            .assumeIsolated()
            .whenComplete { [self] result in
                switch result {
                case .success(let channel):
                    guard !over else {
                        channel.close(promise: nil)
                        return
                    }
                    do {
                        try channel.pipeline.syncOperations.addHandler(UpstreamHandler(exchange: self))
                    } catch {
                        channel.close(promise: nil)
                        return
                    }
                    upstream = channel
                    sendRequestHead(to: channel, target: target)
                case .failure:
                    failBeforeResponse(reason: "cannot connect to \(real.config.id)")
                }
            }
    }

    private func sendRequestHead(to channel: any Channel, target: UpstreamTarget) {
        guard let head, let downstream else { return }
        let headers = Self.upstreamRequestHeaders(head.headers, client: downstream.clientAddress(context),
                                                  isTLS: downstream.isTLS, authority: target.authority)
        let upstreamHead = HTTPRequestHead(version: .http1_1, method: head.method, uri: target.basePath + rest, headers: headers)
        channel.write(HTTPClientRequestPart.head(upstreamHead), promise: nil)
        for part in pending { channel.write(part, promise: nil) }
        pending = []
        channel.flush()
        relieveDownstream()
    }

    // MARK: client -> real server

    func forwardRequestBody(_ buffer: ByteBuffer) {
        downstream?.lastProgress = .now()
        let part = HTTPClientRequestPart.body(.byteBuffer(buffer))
        if let upstream {
            upstream.writeAndFlush(part, promise: nil)
            relieveDownstream()
        } else {
            pending.append(part)
        }
    }

    func requestEnded() {
        requestDone = true
        if let upstream {
            upstream.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        } else {
            pending.append(.end(nil))
        }
    }

    /// Client reads go on while the real server's connection can take more.
    private func relieveDownstream() {
        guard let downstream else { return }
        if upstream?.isWritable ?? false {
            downstream.releaseReads(context: context)
        } else {
            downstream.holdReads()
        }
    }

    func upstreamWritabilityChanged() { relieveDownstream() }

    // MARK: real server -> client

    /// Whether `channel` is the exchange's current upstream. Events of a connection already given
    /// up (closed after a failure, possibly while a retry connects) are ignored: its close reports
    /// `channelInactive` from inside `close` itself, and it must not fail the exchange a second time.
    private func isCurrent(_ channel: any Channel) -> Bool { upstream.map { $0 === channel } ?? false }

    func upstreamResponse(_ part: HTTPClientResponsePart, from channel: any Channel) {
        guard let downstream, !over, isCurrent(channel) else { return }
        switch part {
        case .head(let response):
            responseStarted = true
            downstream.lastProgress = .now()
            status = Int(response.status.code)
            var headers = Self.downstreamResponseHeaders(response.headers)
            frame(&headers, status: response.status, downstream: downstream)
            headers.add(name: "Set-Cookie", value: downstream.loop.setCookie(for: real))
            downstream.addConnectionHeader(&headers)
            downstream.loop.recordServed(real, proxied: true, startsSession: startsSession)
            let head = HTTPResponseHead(version: self.head?.version ?? .http1_1, status: response.status, headers: headers)
            context.write(downstream.wrapOutboundOut(.head(head)), promise: nil)
        case .body(let buffer):
            bytes += buffer.readableBytes
            downstream.lastProgress = .now()
            context.writeAndFlush(downstream.wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            upstreamReadHeld = !context.channel.isWritable
        case .end:
            guard responseStarted else { return }
            complete()
            downstream.endResponse(context: context, status: status, real: real, bytes: bytes)
        }
    }

    /// The client's framing of the body (the encoder adds none): the real server's length when it
    /// gave one; otherwise chunked for an HTTP/1.1 client, or the end of the connection for 1.0.
    /// A response to HEAD (or a 1xx/204/304) has no body, so it keeps its length and nothing more.
    private func frame(_ headers: inout HTTPHeaders, status: HTTPResponseStatus, downstream: ConnectionHandler) {
        let bodiless = head?.method == .HEAD || status.code < 200 || status == .noContent || status == .notModified
        guard !bodiless, !headers.contains(name: "content-length") else { return }
        if head?.version == .http1_0 {
            downstream.keepAlive = false
        } else {
            headers.add(name: "Transfer-Encoding", value: "chunked")
        }
    }

    /// Asked by the upstream handler before each read: wait while the client is slow.
    func upstreamMayRead() -> Bool {
        if upstreamReadHeld { upstreamReadWanted = true }
        return !upstreamReadHeld
    }

    func downstreamWritable() {
        upstreamReadHeld = false
        if upstreamReadWanted {
            upstreamReadWanted = false
            upstream?.read()
        }
    }

    // MARK: endings

    func upstreamFailed(_ channel: any Channel) {
        guard !over, isCurrent(channel) else { return }
        if responseStarted {
            // Part of the body is already with the client: all that is left is to close, so it
            // sees a truncated response rather than a complete wrong one.
            report()
            complete()
            context.close(promise: nil)
        } else {
            failBeforeResponse(reason: "\(real.config.id) failed before answering")
        }
    }

    private func failBeforeResponse(reason: String) {
        guard let downstream, !over else { return }
        report()
        let failed = upstream
        upstream = nil  // before closing it, so its channelInactive is not taken for a new failure
        failed?.close(promise: nil)
        let alternative = nextServer(after: real)
        if let alternative, !retried, !hasRequestBody {
            retried = true
            downstream.loop.adjustInFlight(slot: real.slot, by: -1)
            downstream.loop.adjustInFlight(slot: alternative.slot, by: 1)
            real = alternative
            startsSession = true
            pending = requestDone ? [.end(nil)] : []
            connect()
            return
        }
        complete()
        var response = ControlResponse.text(.badGateway, reason)
        if let alternative { response.headers.add(name: "Set-Cookie", value: downstream.loop.setCookie(for: alternative)) }
        downstream.keepAlive = downstream.keepAlive && requestDone
        downstream.respond(context: context, response)
    }

    /// Where the session goes now that `failed` has failed: its backup chain with `failed` counted
    /// as down, else the policy's choice among the others.
    private func nextServer(after failed: RealEntry) -> RealEntry? {
        guard let downstream else { return nil }
        let table = downstream.loop.snapshot.table
        var nodes: [String: BackupResolver.Node] = [:]
        for entry in table.reals {
            nodes[entry.config.id] = .init(backup: entry.config.backup, available: entry.available && entry.config.id != failed.config.id)
        }
        if case .serve(let id) = BackupResolver.resolve(failed.config.id, nodes: nodes), let index = table.index(of: id) {
            return table.reals[index]
        }
        let view = table.virtuals[downstream.virtual]
        if let picked = downstream.loop.pickNew(virtual: downstream.virtual, client: { downstream.sessionClient(context) }),
           table.reals[picked].config.id != failed.config.id {
            return table.reals[picked]
        }
        return view.candidates.map { table.reals[$0] }.first { $0.config.id != failed.config.id }
    }

    private func report() {
        guard let downstream else { return }
        let id = real.config.id
        let controller = downstream.services.controller
        Task { await controller.reportProxyFailure(id: id) }
    }

    /// Releases the upstream side; safe to call more than once.
    private func complete() {
        guard !over else { return }
        over = true
        downstream?.loop.adjustInFlight(slot: real.slot, by: -1)
        let finished = upstream
        upstream = nil
        finished?.close(promise: nil)
    }

    /// Called by the connection once the request and the response have both ended.
    func finish() { complete() }

    func downstreamClosed() { complete() }

    func upstreamClosed(_ channel: any Channel) {
        guard isCurrent(channel) else { return }
        if over { upstream = nil } else { upstreamFailed(channel) }  // which lets go of it
    }
}
