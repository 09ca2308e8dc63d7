import NIOCore

/// Sits in front of NIO's request decoder and answers 414 to a request line that runs past
/// `maxLineBytes` without ending. NIO's decoder bounds the request target with the same limit as
/// a header field and reports both as one `headerOverflow`, so without this a huge target would
/// get the 431 meant for huge headers (or a 400). It looks only at the bytes of a connection's first
/// request line and at those after each response (`ConnectionHandler` re-arms it), so on a
/// keep-alive connection it costs one flag test per read.
final class RequestLineGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// The decoder's field limit (`Director.headLimits.maxHeaderFieldSize`): a line this long is
    /// refused here first.
    let maxLineBytes: Int
    /// Whether the bytes read are (still) the start of a request line.
    private var watching = true
    private var lineBytes = 0
    private var refused = false

    init(maxLineBytes: Int) { self.maxLineBytes = maxLineBytes }

    /// A response has ended: the next bytes begin the next request line.
    func expectRequestLine() {
        watching = true
        lineBytes = 0
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        guard watching else {
            context.fireChannelRead(data)
            return
        }
        let buffer = unwrapInboundIn(data)
        if let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            watching = false
            if lineBytes + (newline - buffer.readerIndex) <= maxLineBytes {
                context.fireChannelRead(data)
                return
            }
        } else {
            lineBytes += buffer.readableBytes
            if lineBytes <= maxLineBytes {
                context.fireChannelRead(data)
                return
            }
        }
        refused = true
        let answer = "HTTP/1.1 414 URI Too Long\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 22\r\n"
            + "Connection: close\r\n\r\nrequest line too long\n"
        context.writeAndFlush(NIOAny(context.channel.allocator.buffer(string: answer)), promise: nil)
        context.close(promise: nil)
    }
}
