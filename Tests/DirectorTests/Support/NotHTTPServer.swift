import NIOCore
import NIOPosix

/// A broken real server: it answers every request with bytes that are not HTTP and closes.
final class NotHTTPServer {
    private let channel: any Channel
    var url: String { "http://127.0.0.1:\(channel.localAddress?.port ?? 0)/pub/" }

    private init(channel: any Channel) { self.channel = channel }

    static func start() async throws -> NotHTTPServer {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture { try child.pipeline.syncOperations.addHandler(Answer()) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return NotHTTPServer(channel: channel)
    }

    func stop() async { try? await channel.close() }

    private final class Answer: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "THIS IS NOT HTTP\r\n\r\n"))).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        }
    }
}
