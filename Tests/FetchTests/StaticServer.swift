import NIOCore
import NIOHTTP1
import NIOPosix

/// A small real HTTP server on 127.0.0.1 that answers each path with fixed bytes and a fixed
/// `Content-Type`, whatever the bytes are: the way nginx without a `types` block labels every
/// file `text/plain`.
final class StaticServer: Sendable {
    struct Resource: Sendable {
        var contentType: String
        var body: [UInt8]
    }

    private let channel: any Channel

    var baseURL: String { "http://127.0.0.1:\(channel.localAddress!.port!)/" }

    private init(channel: any Channel) { self.channel = channel }

    static func start(_ routes: [String: Resource]) async throws -> StaticServer {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(routes: routes))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return StaticServer(channel: channel)
    }

    func shutdown() async throws { try await channel.close() }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let routes: [String: Resource]
        var path = "/"

        init(routes: [String: Resource]) { self.routes = routes }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                path = head.uri
            case .body:
                break
            case .end:
                // Answered at the request's end, so a kept-alive connection stays in step.
                let resource = routes[path]
                var headers = HTTPHeaders()
                headers.add(name: "Content-Type", value: resource?.contentType ?? "text/plain")
                let body = resource?.body ?? Array("not found\n".utf8)
                headers.add(name: "Content-Length", value: String(body.count))
                let head = HTTPResponseHead(version: .http1_1, status: resource == nil ? .notFound : .ok, headers: headers)
                context.write(wrapOutboundOut(.head(head)), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}
