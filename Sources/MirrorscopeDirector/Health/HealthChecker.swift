import MirrorscopeCore
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// `rise`/`fall` counting for one real server. A server starts up (a director that just started
/// serves at once); `fall` failures in a row take it down, `rise` successes in a row bring it back.
public struct HealthCounter: Sendable, Hashable {
    public private(set) var up = true
    private var successes = 0
    private var failures = 0

    public init() {}

    /// Returns true when the state changed.
    public mutating func record(success: Bool, rise: Int, fall: Int) -> Bool {
        if success {
            failures = 0
            successes += 1
            if !up && successes >= rise {
                up = true
                return true
            }
        } else {
            successes = 0
            failures += 1
            if up && failures >= fall {
                up = false
                return true
            }
        }
        return false
    }

    /// A proxied exchange failed on this server: down at once, back after `rise` successes.
    public mutating func markDown() -> Bool {
        successes = 0
        failures = 0
        defer { up = false }
        return up
    }
}

/// One health check: `GET url+path` on a fresh connection; any answer below 400 within the
/// timeout is a success.
struct HealthProbe: Sendable {
    let group: any EventLoopGroup
    let tlsContext: NIOSSLContext?

    func check(url: String, path: String, timeout: TimeAmount) async -> Bool {
        guard let target = UpstreamTarget(url: url) else { return false }
        let eventLoop = group.next()
        let promise = eventLoop.makePromise(of: Bool.self)
        let deadline = eventLoop.scheduleTask(in: timeout) { promise.succeed(false) }
        let connected = target.connect(on: eventLoop, tlsContext: tlsContext, timeout: timeout) { channel in
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
