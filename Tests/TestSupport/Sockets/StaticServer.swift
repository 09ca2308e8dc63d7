import NIOCore
import NIOHTTP1
import NIOPosix

/// A small real HTTP server on 127.0.0.1 that answers each path with fixed bytes and a fixed
/// `Content-Type`, whatever the bytes are: the way nginx without a `types` block labels every
/// file `text/plain`. A resource may also set its status line's code and reason phrase, which
/// are written as given (a hostile server's reason phrase carries terminal escapes).
public final class StaticServer: Sendable {
    public struct Resource: Sendable {
        public var contentType: String
        public var body: [UInt8]
        public var status: HTTPResponseStatus

        public init(contentType: String, body: [UInt8], status: HTTPResponseStatus = .ok) {
            self.contentType = contentType
            self.body = body
            self.status = status
        }
    }

    private let channel: any Channel

    public var baseURL: String { "http://127.0.0.1:\(channel.localAddress!.port!)/" }

    private init(channel: any Channel) { self.channel = channel }

    public static func start(_ routes: [String: Resource]) async throws -> StaticServer {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    // No outbound validation: the test's reason phrases are sent as a hostile server would.
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withOutboundHeaderValidation: false)
                    try channel.pipeline.syncOperations.addHandler(Handler(routes: routes))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return StaticServer(channel: channel)
    }

    public func shutdown() async throws { try await channel.close() }

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
                let head = HTTPResponseHead(version: .http1_1, status: resource?.status ?? .notFound, headers: headers)
                context.write(wrapOutboundOut(.head(head)), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}
