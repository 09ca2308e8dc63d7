import NIOCore
import NIOHTTP1

/// Writing and ending responses: through the encoder (errors, the director's own pages, proxied
/// responses) or as finished bytes past it (redirects); either way a response ends in
/// `responseCompleted`, which counts it, logs it and lets the next request in.
extension ConnectionHandler {
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

    func responseCompleted(context: ChannelHandlerContext, status: Int, real: RealEntry?, bytes: Int) {
        responseEnded = true
        loop.recordResponse(status: status, startedAt: requestStart)
        logAccess(context: context, status: status, real: real, bytes: bytes)
        finishIfDone(context: context)
    }
}
