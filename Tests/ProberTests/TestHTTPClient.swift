import MirrorscopeCore
import NIOCore
import NIOHTTP1
import NIOPosix

/// A one-request HTTP/1.1 client for checking what the farm serves (plain http only): enough to
/// see status, headers and body exactly as they came, without a pooling client in between.
enum TestHTTPClient {
    struct Answer: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: ByteBuffer
        var text: String { String(buffer: body) }
        func header(_ name: String) -> String? { headers.first(name: name) }
    }

    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    static func fetch(_ url: String, method: HTTPMethod = .GET) async throws -> Answer {
        guard let parts = URLParts(url), parts.scheme == "http", let port = parts.effectivePort else {
            throw Failed(description: "not an http URL: \(url)")
        }
        let uri = (parts.path.isEmpty ? "/" : parts.path) + (parts.query.map { "?" + $0 } ?? "")
        let promise = MultiThreadedEventLoopGroup.singleton.next().makePromise(of: Answer.self)
        let channel = try await ClientBootstrap(group: promise.futureResult.eventLoop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(Collector(promise: promise))
                }
            }
            .connect(host: parts.host, port: port).get()
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: uri)
        head.headers.add(name: "Host", value: "\(parts.host):\(port)")
        head.headers.add(name: "Connection", value: "close")
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        // A farm that stops answering fails the test instead of hanging the serialized suite.
        let timer = promise.futureResult.eventLoop.scheduleTask(in: .seconds(10)) {
            promise.fail(Failed(description: "no complete answer from \(url) within 10 s"))
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        try await channel.writeAndFlush(HTTPClientRequestPart.end(nil)).get()
        return try await promise.futureResult.get()
    }

    private final class Collector: ChannelInboundHandler {
        typealias InboundIn = HTTPClientResponsePart

        private let promise: EventLoopPromise<Answer>
        private var answer: Answer?

        init(promise: EventLoopPromise<Answer>) {
            self.promise = promise
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                answer = Answer(status: Int(head.status.code), headers: head.headers, body: ByteBuffer())
            case .body(var part):
                answer?.body.writeBuffer(&part)
            case .end:
                if let answer { promise.succeed(answer) }
                context.close(promise: nil)
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            promise.fail(error)
            context.close(promise: nil)
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            promise.fail(Failed(description: "connection closed before the whole answer"))
        }
    }
}
