import MirrorscopeCore
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One health check: `GET url+path` on a fresh connection; any answer below 400 within the
/// timeout is a success.
struct HealthProbe: Sendable {
    let group: any EventLoopGroup
    let tlsContext: NIOSSLContext?
    var hosts: [String: [String]] = [:]

    func check(url: String, path: String, timeout: TimeAmount) async -> Bool {
        guard let target = UpstreamTarget(url: url) else { return false }
        let eventLoop = group.next()
        let promise = eventLoop.makePromise(of: Bool.self)
        let deadline = eventLoop.scheduleTask(in: timeout) { promise.succeed(false) }
        let connected = target.connect(on: eventLoop, tlsContext: tlsContext, timeout: timeout, hosts: hosts) { channel in
            try channel.pipeline.syncOperations.addHandler(HealthProbeHandler(promise: promise))
        }
        connected.whenSuccess { channel in
            var headers = HTTPHeaders()
            headers.add(name: "Host", value: target.authority)
            headers.add(name: "User-Agent", value: "mirrorscope-director health check")
            headers.add(name: "Connection", value: "close")
            let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: target.basePath + path, headers: headers)
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        }
        connected.whenFailure { _ in promise.succeed(false) }
        let healthy = (try? await promise.futureResult.get()) ?? false
        deadline.cancel()
        if let channel = try? await connected.get() { try? await channel.close() }
        return healthy
    }
}

/// Completes the probe's promise with the status of the first response head (or false when the
/// connection fails or closes first). The promise may already be complete after a timeout.
private final class HealthProbeHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let promise: EventLoopPromise<Bool>

    init(promise: EventLoopPromise<Bool>) { self.promise = promise }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data) {
            promise.succeed(head.status.code < 400)
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.succeed(false)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.succeed(false)
        context.close(promise: nil)
    }
}
