import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A real server for the proxy's streaming tests: answers every request with `size` bytes, written
/// only as fast as its connection takes them, and counts what it has handed to the socket. A
/// proxy that buffered whole bodies would let it write everything at once.
final class StreamingBackend: Sendable {
    let size: Int
    private let sent: NIOLockedValueBox<Int>
    private let open: NIOLockedValueBox<Int>
    private let channel: any Channel

    var url: String { "http://127.0.0.1:\(channel.localAddress!.port!)/" }
    var sentBytes: Int { sent.withLockedValue { $0 } }
    /// Connections from the director that are open now.
    var openConnections: Int { open.withLockedValue { $0 } }

    private init(size: Int, channel: any Channel, sent: NIOLockedValueBox<Int>, open: NIOLockedValueBox<Int>) {
        self.size = size
        self.channel = channel
        self.sent = sent
        self.open = open
    }

    static func start(size: Int) async throws -> StreamingBackend {
        let sent = NIOLockedValueBox(0)
        let open = NIOLockedValueBox(0)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(size: size, sent: sent, open: open))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return StreamingBackend(size: size, channel: channel, sent: sent, open: open)
    }

    func shutdown() async { try? await channel.close() }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let size: Int
        let sent: NIOLockedValueBox<Int>
        let open: NIOLockedValueBox<Int>
        var remaining = 0
        var pumping = false
        let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 64 * 1024)

        init(size: Int, sent: NIOLockedValueBox<Int>, open: NIOLockedValueBox<Int>) {
            self.size = size
            self.sent = sent
            self.open = open
        }

        func channelActive(context: ChannelHandlerContext) {
            open.withLockedValue { $0 += 1 }
            context.fireChannelActive()
        }

        func channelInactive(context: ChannelHandlerContext) {
            open.withLockedValue { $0 -= 1 }
            context.fireChannelInactive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .end = unwrapInboundIn(data) else { return }
            var headers = HTTPHeaders()
            headers.add(name: "Content-Length", value: String(size))
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
            remaining = size
            pump(context: context)
        }

        func channelWritabilityChanged(context: ChannelHandlerContext) {
            pump(context: context)
        }

        /// Writes while the connection takes more. A flush can report a writability change from
        /// within a write, so the loop guards against running inside itself.
        private func pump(context: ChannelHandlerContext) {
            guard !pumping else { return }
            pumping = true
            defer { pumping = false }
            while remaining > 0 && context.channel.isWritable {
                let count = min(remaining, chunk.readableBytes)
                remaining -= count
                let sent = self.sent
                let last = remaining == 0
                context.write(wrapOutboundOut(.body(.byteBuffer(chunk.getSlice(at: 0, length: count)!)))).whenSuccess {
                    sent.withLockedValue { $0 += count }
                }
                if last { context.write(wrapOutboundOut(.end(nil)), promise: nil) }
                context.flush()
            }
        }
    }
}
