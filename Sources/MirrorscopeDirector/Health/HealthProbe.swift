import MirrorscopeCore
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One health check: `GET url+path` on a fresh connection; any answer below 400 within the
/// timeout is a success. File checks (`FileCheck`) send their `HEAD`s through the same `status`.
struct HealthProbe: Sendable {
    let group: any EventLoopGroup
    let tlsContext: NIOSSLContext?
    var hosts: [String: [String]] = [:]

    func check(url: String, path: String, timeout: TimeAmount) async -> Bool {
        guard let target = UpstreamTarget(url: url) else { return false }
        let status = try? await Self.status(target: target, method: .GET, path: path, on: group.next(), tlsContext: tlsContext,
                                            timeout: timeout, hosts: hosts).get()
        return (status ?? nil).map { $0 < 400 } ?? false
    }

    /// The status of `method url+path` on a fresh connection (closed once the head is read), or nil
    /// when the connection fails, closes first or the timeout passes. `path` is relative to the
    /// target's base path and already safe for a request line.
    static func status(target: UpstreamTarget, method: HTTPMethod, path: String, on eventLoop: any EventLoop,
                       tlsContext: NIOSSLContext?, timeout: TimeAmount, hosts: [String: [String]]) -> EventLoopFuture<Int?> {
        let promise = eventLoop.makePromise(of: Int?.self)
        let deadline = eventLoop.scheduleTask(in: timeout) { promise.succeed(nil) }
        let connected = target.connect(on: eventLoop, tlsContext: tlsContext, timeout: timeout, hosts: hosts) { channel in
            try channel.pipeline.syncOperations.addHandler(StatusProbeHandler(promise: promise))
        }
        connected.whenSuccess { channel in
            var headers = HTTPHeaders()
            headers.add(name: "Host", value: target.authority)
            headers.add(name: "User-Agent", value: method == .HEAD ? "mirrorscope-director file check" : "mirrorscope-director health check")
            headers.add(name: "Connection", value: "close")
            let head = HTTPRequestHead(version: .http1_1, method: method, uri: target.basePath + path, headers: headers)
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        }
        connected.whenFailure { _ in promise.succeed(nil) }
        let result = promise.futureResult
        result.whenComplete { _ in
            deadline.cancel()
            connected.whenSuccess { $0.close(promise: nil) }
        }
        return result
    }
}

/// Completes the probe's promise with the status of the first response head (or nil when the
/// connection fails or closes first). The promise may already be complete after a timeout.
private final class StatusProbeHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let promise: EventLoopPromise<Int?>

    init(promise: EventLoopPromise<Int?>) { self.promise = promise }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data) {
            promise.succeed(Int(head.status.code))
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.succeed(nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.succeed(nil)
        context.close(promise: nil)
    }
}
