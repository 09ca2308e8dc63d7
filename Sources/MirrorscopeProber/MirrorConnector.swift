import MirrorscopeCore
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// How a connection made by `MirrorConnector` ended: the exchange's answer (with the time the name
/// lookup took), or the failure that kept it from happening.
enum ConnectorOutcome<Answer: Sendable>: Sendable {
    case answered(Answer, dnsMs: Double)
    case failed(ProbeFailure)
}

/// The one way this program connects to a mirror, for every phase (latency samples, throughput
/// downloads, freshness fetches; proxies will join here): look the host up, TCP-connect trying each
/// address in the system's order while time remains, TLS with SNI for https, the HTTP/1.1 codec,
/// then the phase's own exchange handler last in the pipeline. Each call is a fresh connection,
/// bounded by one deadline (`timeoutMs` from the start, after the TLS context is ready).
struct MirrorConnector: Sendable {
    var target: ProbeTarget
    var timeoutMs: Int
    var tls: ProberTLS
    var eventLoop: any EventLoop

    /// Makes the exchange handler for one attempt, on the channel's event loop: it gets the
    /// connection's phase clock, the deadline, and the promise it must complete exactly once.
    typealias ExchangeMaker<Answer: Sendable> =
        @Sendable (_ clock: PhaseClock, _ deadline: NIODeadline, _ promise: EventLoopPromise<Answer>) -> any ChannelHandler

    /// Connects and runs the exchange; nil when the calling task was cancelled (the connection is
    /// closed at once).
    func run<Answer: Sendable>(exchange: @escaping ExchangeMaker<Answer>) async -> ConnectorOutcome<Answer>? {
        let cancellation = SampleCancellation()
        return await withTaskCancellationHandler {
            await run(cancellation, exchange: exchange)
        } onCancel: {
            cancellation.cancel()
        }
    }

    /// Connects and runs the exchange; nil when `cancellation` fired (the connection is closed at
    /// once, nothing is reported).
    func run<Answer: Sendable>(_ cancellation: SampleCancellation, exchange: @escaping ExchangeMaker<Answer>) async
        -> ConnectorOutcome<Answer>? {
        var sslContext: NIOSSLContext?
        if target.tls {
            switch tls.clientContext() {
            case .success(let context): sslContext = context
            case .failure(let failure): return .failed(failure)
            }
        }
        // After the TLS context: loading the trust roots on first use is not the mirror's time.
        let deadline = NIODeadline.now() + .milliseconds(Int64(timeoutMs))

        var addresses: [SocketAddress]
        var dnsMs = 0.0
        if let address = target.ipAddress {
            addresses = [address]
        } else {
            let lookup = HostResolver.resolve(host: target.host, port: target.port, on: eventLoop,
                                              deadline: deadline, timeoutMs: timeoutMs)
            cancellation.onCancel { lookup.fail(CancellationError()) }
            do {
                let found = try await lookup.futureResult.get()
                addresses = found.addresses
                dnsMs = found.milliseconds
            } catch let failure as ProbeFailure {
                return Task.isCancelled ? nil : .failed(failure)
            } catch {
                return nil
            }
        }

        // Each address in the system's order, while time remains: a host whose IPv6 address is
        // unreachable from here is still measured over IPv4.
        var failure = ProbeFailure.timeout(after: timeoutMs, in: .connect)
        for address in addresses {
            let remaining = deadline - .now()
            guard remaining > .zero else {
                failure = .timeout(after: timeoutMs, in: .connect)
                break
            }
            let outcome = eventLoop.makePromise(of: Answer.self)
            do {
                _ = try await bootstrap(sslContext: sslContext, deadline: deadline, connectTimeout: remaining,
                                        outcome: outcome, cancellation: cancellation, exchange: exchange).connect(to: address).get()
            } catch {
                outcome.fail(error)  // no exchange took place; completes the promise if the handler did not
                if Task.isCancelled { return nil }
                failure = .connect(error, timeoutMs: timeoutMs)
                if failure.isRetryableOnAnotherAddress { continue }
                break
            }
            guard let answer = try? await outcome.futureResult.get(), !Task.isCancelled else { return nil }
            return .answered(answer, dnsMs: dnsMs)
        }
        return .failed(failure)
    }

    private func bootstrap<Answer: Sendable>(sslContext: NIOSSLContext?, deadline: NIODeadline, connectTimeout: TimeAmount,
                                             outcome: EventLoopPromise<Answer>, cancellation: SampleCancellation,
                                             exchange: @escaping ExchangeMaker<Answer>) -> ClientBootstrap {
        let target = target
        return ClientBootstrap(group: eventLoop)
            .connectTimeout(connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                cancellation.onCancel { channel.close(promise: nil) }
                return channel.eventLoop.makeCompletedFuture {
                    let clock = PhaseClock()
                    let pipeline = channel.pipeline.syncOperations
                    if let sslContext {
                        try pipeline.addHandler(PhaseTimer(clock: clock, role: .transport))
                        // SNI carries names only; an address is checked against the certificate's IP entries.
                        try pipeline.addHandler(NIOSSLClientHandler(context: sslContext,
                                                                    serverHostname: target.ipAddress == nil ? target.host : nil))
                        try pipeline.addHandler(PhaseTimer(clock: clock, role: .application))
                    } else {
                        try pipeline.addHandler(PhaseTimer(clock: clock, role: [.transport, .application]))
                    }
                    try pipeline.addHTTPClientHandlers()
                    try pipeline.addHandler(exchange(clock, deadline, outcome))
                }
            }
    }
}
