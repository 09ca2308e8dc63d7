import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A client that sends a GET and then reads nothing until told to: the slow client of the
/// backpressure test. `resume()` reads the rest and returns the body's size.
struct PausedClient {
    let channel: any Channel
    let done: EventLoopFuture<Int>
    let firstBody: EventLoopFuture<Void>

    static func get(host: String = "127.0.0.1", port: Int, path: String) async throws -> PausedClient {
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        let done = eventLoop.makePromise(of: Int.self)
        let firstBody = eventLoop.makePromise(of: Void.self)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: eventLoop)
                .channelOption(.autoRead, value: false)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(Counter(done: done, firstBody: firstBody))
                    }
                }
                .connect(host: host, port: port).get()
        } catch {
            done.fail(error)
            firstBody.fail(error)
            throw error
        }
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path)
        head.headers.add(name: "Host", value: "127.0.0.1:\(port)")
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        try await channel.writeAndFlush(HTTPClientRequestPart.end(nil)).get()
        return PausedClient(channel: channel, done: done.futureResult, firstBody: firstBody.futureResult)
    }

    /// Reads once (enough to see the head and the first bytes), still without reading on.
    func readOnce() { channel.read() }

    func resume() async throws -> Int {
        try await channel.setOption(.autoRead, value: true).get()
        channel.read()
        let size = try await done.get()
        try? await channel.close()
        return size
    }

    private final class Counter: ChannelInboundHandler {
        typealias InboundIn = HTTPClientResponsePart
        let done: EventLoopPromise<Int>
        let firstBody: EventLoopPromise<Void>
        var size = 0

        init(done: EventLoopPromise<Int>, firstBody: EventLoopPromise<Void>) {
            self.done = done
            self.firstBody = firstBody
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head: break
            case .body(let buffer):
                size += buffer.readableBytes
                firstBody.succeed()
            case .end: done.succeed(size)
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            done.fail(ChannelError.eof)
            firstBody.fail(ChannelError.eof)
        }
    }
}
