import NIOCore
import NIOHTTP1
import NIOPosix

/// One listener on 127.0.0.1 that answers every path with a small 200: any number of distinct
/// mirror URLs (`http://127.0.0.1:PORT/m1/`, `/m2/`, …) on one port, for the client's
/// 10 000-mirror round, where 10 000 farm mirrors would cost 10 000 listeners, and for the
/// hostile-text test (a `body` of the test's choosing, served as text/plain).
public final class WildcardMirror: Sendable {
    private let channel: any Channel

    private init(channel: any Channel) { self.channel = channel }

    /// The base URL of mirror number `n`.
    public func url(ofMirror n: Int) -> String { "http://127.0.0.1:\(channel.localAddress!.port!)/m\(n)/" }

    public static func start(body: [UInt8] = Array(repeating: UInt8(ascii: "w"), count: 4096),
                             group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> WildcardMirror {
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(body: ByteBuffer(bytes: body)))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return WildcardMirror(channel: channel)
    }

    public func stop() async { try? await channel.close() }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let body: ByteBuffer

        init(body: ByteBuffer) { self.body = body }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .end = unwrapInboundIn(data) else { return }
            let headers = HTTPHeaders([("Content-Length", "\(body.readableBytes)"), ("Content-Type", "text/plain")])
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
