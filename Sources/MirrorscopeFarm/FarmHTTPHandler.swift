import NIOCore
import NIOHTTP1

/// Answers one connection's requests as its site's script says: after the scripted delay (timed on
/// the event loop, never by blocking it), or with the scripted fault.
final class FarmHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// Bodies go out in slices of this size, as the channel can take them.
    private static let chunkSize = 64 * 1024

    let site: FarmSite
    private let ledger: FarmLedger
    private var request: HTTPRequestHead?
    private var requestNumber = 0
    private var scheduledAnswer: Scheduled<Void>?
    /// The rest of the body being sent; nil when no response is being written.
    private var unsentBody: FarmBody?
    private var closeAfterResponse = false
    /// Paces bodies when the site has a bandwidth; its next tick, while one is due.
    private var bucket: TokenBucket?
    private var nextTick: Scheduled<Void>?

    init(site: FarmSite, ledger: FarmLedger) {
        self.site = site
        self.ledger = ledger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            request = head
            requestNumber = ledger.recordRequest(site: site.index, headers: head.headers, method: head.method, uri: head.uri)
        case .body:
            break
        case .end:
            guard let head = request else { return }
            request = nil
            answer(head, context: context)
        }
    }

    private func answer(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let resource: FarmResource
        switch site.fault {
        case .hang:
            return  // the connection stays open until the client or the farm closes it
        case .reset:
            context.close(promise: nil)
            return
        case .status(let code):
            resource = .status(code)
        case .refuse, nil:  // a refusing mirror has no listener, so no handler either
            if let file = site.largeFile, let answer = largeFileAnswer(file, head) {
                return later(context) { self.respondWithLargeFile(file, answer, to: head, context: context) }
            }
            resource = site.resource(forURI: head.uri)
        }
        later(context) { self.respond(resource, to: head, context: context) }
    }

    /// Runs `answer` after this request's scripted delay (timed on the event loop).
    private func later(_ context: ChannelHandlerContext, _ answer: @escaping () -> Void) {
        let delay = site.delay(forRequest: requestNumber)
        guard delay > .zero else { return answer() }
        scheduledAnswer = context.eventLoop.assumeIsolated().scheduleTask(in: delay) {
            self.scheduledAnswer = nil
            answer()
        }
    }

    private func respond(_ resource: FarmResource, to request: HTTPRequestHead, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        if let id = site.mirrorID { headers.add(name: "X-Farm-Mirror", value: id) }
        var status = resource.status
        var body = resource.body
        // One byte range of a file (`Range: bytes=A-B`), as curl's -r asks: a benchmark's peer
        // downloads exactly as much as the prober reads.
        if status == .ok, let range = request.headers.first(name: "Range").flatMap({ Self.byteRange($0, size: body.readableBytes) }) {
            status = .partialContent
            headers.add(name: "Content-Range", value: "bytes \(range.lowerBound)-\(range.upperBound - 1)/\(body.readableBytes)")
            body = body.getSlice(at: body.readerIndex + range.lowerBound, length: range.count)!
        }
        headers.add(name: "Content-Type", value: resource.contentType)
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        if status == .ok || status == .partialContent, let lastModified = site.lastModified {
            headers.add(name: "Last-Modified", value: lastModified)
        }
        for header in resource.headers { headers.add(name: header.name, value: header.value) }
        send(status, headers, FarmBody(source: .buffer(request.method == .HEAD ? ByteBuffer() : body)), to: request, context: context)
    }

    private func respondWithLargeFile(_ file: FarmLargeFile, _ answer: LargeFileAnswer, to request: HTTPRequestHead,
                                      context: ChannelHandlerContext) {
        var (status, headers, body) = largeFileResponse(file, answer, to: request, fault: site.downloadFault)
        if let id = site.mirrorID { headers.add(name: "X-Farm-Mirror", value: id) }
        headers.add(name: "Content-Length", value: String(request.method == .HEAD ? 0 : body.readableBytes))
        if request.method == .HEAD { body = FarmBody(source: .buffer(ByteBuffer())) }
        send(status, headers, body, to: request, context: context)
    }

    private func send(_ status: HTTPResponseStatus, _ headers: HTTPHeaders, _ body: FarmBody, to request: HTTPRequestHead,
                      context: ChannelHandlerContext) {
        var headers = headers
        closeAfterResponse = !request.isKeepAlive
        if closeAfterResponse { headers.add(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: request.version, status: status, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        unsentBody = body
        bucket = site.bytesPerSecond.map { TokenBucket(bytesPerSecond: $0, now: .now()) }
        writeBody(context: context)
    }

    /// `bytes=A-B` or `bytes=A-` within `size`, as a half-open range; nil for anything else
    /// (several ranges, suffix ranges: the whole file is sent, as a server may).
    static func byteRange(_ value: String, size: Int) -> Range<Int>? {
        guard value.hasPrefix("bytes="), !value.contains(",") else { return nil }
        let bounds = value.dropFirst(6).split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard bounds.count == 2, let start = Int(bounds[0]), start < size else { return nil }
        let end = bounds[1].isEmpty ? size - 1 : min(Int(bounds[1]) ?? -1, size - 1)
        guard end >= start else { return nil }
        return start..<(end + 1)
    }

    /// Writes body slices while the channel is writable (and, on a paced site, while the bucket
    /// has tokens; a tick refills it); `channelWritabilityChanged` resumes.
    private func writeBody(context: ChannelHandlerContext) {
        bucket?.refill(now: .now())
        while var body = unsentBody, body.readableBytes > 0, !body.isCut, context.channel.isWritable {
            let allowed = bucket?.available ?? Self.chunkSize
            guard allowed > 0 else { break }
            let chunk = body.next(min(Self.chunkSize, allowed))
            bucket?.take(chunk.readableBytes)
            unsentBody = body
            context.write(wrapOutboundOut(.body(.byteBuffer(chunk))), promise: nil)
        }
        // A scripted cut: a reset closes once the bytes before it are out; a stall sends nothing more.
        if let body = unsentBody, body.readableBytes > 0, body.isCut {
            if body.cut?.reset == true {
                let channel = context.channel
                context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer())))).whenComplete { _ in channel.close(promise: nil) }
            } else {
                context.flush()
            }
            return
        }
        if let body = unsentBody, body.readableBytes > 0, context.channel.isWritable, let bucket, nextTick == nil {
            nextTick = context.eventLoop.assumeIsolated().scheduleTask(in: bucket.wait(forBytes: min(body.readableBytes, bucket.tickBytes))) {
                self.nextTick = nil
                self.writeBody(context: context)
            }
        }
        guard let body = unsentBody, body.readableBytes == 0 else {
            context.flush()
            return
        }
        unsentBody = nil
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if closeAfterResponse {
            let channel = context.channel
            written.whenComplete { _ in channel.close(promise: nil) }
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, unsentBody != nil { writeBody(context: context) }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        scheduledAnswer?.cancel()
        scheduledAnswer = nil
        nextTick?.cancel()
        nextTick = nil
        unsentBody = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A reset, a failed TLS handshake (a client that does not trust the farm's CA): nothing to answer.
        context.close(promise: nil)
    }
}
