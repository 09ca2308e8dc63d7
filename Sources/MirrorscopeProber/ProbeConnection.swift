import MirrorscopeCore
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// What one sample came to: a measurement, or a failure; and the headers sent, if a request went out.
struct SampleResult: Sendable {
    var measurement: Result<ProbeSample, ProbeFailure>
    var sentHeaders: [HeaderField] = []
}

/// One fresh-connection measurement of one mirror: look the host up, connect, shake hands (https),
/// send the request and time the first byte of the answer, all within one deadline.
struct ProbeConnection: Sendable {
    var target: ProbeTarget
    var request: ProbeRequest
    var timeoutMs: Int
    var tls: ProberTLS
    var eventLoop: any EventLoop

    /// nil when the calling task was cancelled (the connection is closed at once, nothing is measured).
    func run() async -> SampleResult? {
        let cancellation = SampleCancellation()
        return await withTaskCancellationHandler {
            await measure(cancellation)
        } onCancel: {
            cancellation.cancel()
        }
    }

    private func measure(_ cancellation: SampleCancellation) async -> SampleResult? {
        var sslContext: NIOSSLContext?
        if target.tls {
            switch tls.clientContext() {
            case .success(let context): sslContext = context
            case .failure(let failure): return SampleResult(measurement: .failure(failure))
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
                return Task.isCancelled ? nil : SampleResult(measurement: .failure(failure))
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
            let outcome = eventLoop.makePromise(of: ExchangeOutcome.self)
            do {
                _ = try await bootstrap(sslContext: sslContext, deadline: deadline, connectTimeout: remaining,
                                        outcome: outcome, cancellation: cancellation).connect(to: address).get()
            } catch {
                outcome.fail(error)  // no exchange took place; completes the promise if the handler did not
                if Task.isCancelled { return nil }
                failure = .connect(error, timeoutMs: timeoutMs)
                if failure.isRetryableOnAnotherAddress { continue }
                break
            }
            guard let result = try? await outcome.futureResult.get(), !Task.isCancelled else { return nil }
            return sample(from: result, dnsMs: dnsMs)
        }
        return SampleResult(measurement: .failure(failure))
    }

    private func bootstrap(sslContext: NIOSSLContext?, deadline: NIODeadline, connectTimeout: TimeAmount,
                           outcome: EventLoopPromise<ExchangeOutcome>,
                           cancellation: SampleCancellation) -> ClientBootstrap {
        let target = target
        let request = request
        let timeoutMs = timeoutMs
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
                    try pipeline.addHandler(ProbeExchange(request: request, tls: sslContext != nil, clock: clock,
                                                          deadline: deadline, timeoutMs: timeoutMs, promise: outcome))
                }
            }
    }

    private func sample(from outcome: ExchangeOutcome, dnsMs: Double) -> SampleResult {
        let stamps = outcome.stamps
        if let failure = outcome.failure {
            return SampleResult(measurement: .failure(failure), sentHeaders: outcome.sentHeaders)
        }
        guard let status = outcome.status,
              let connectMs = PhaseStamps.milliseconds(from: stamps.connectStart, to: stamps.connected),
              let ttfbMs = PhaseStamps.milliseconds(from: stamps.requestSent, to: stamps.firstByte)
        else {
            return SampleResult(measurement: .failure(.closedBeforeAnswer), sentHeaders: outcome.sentHeaders)
        }
        let tlsMs = target.tls ? PhaseStamps.milliseconds(from: stamps.connected, to: stamps.tlsDone) : nil
        return SampleResult(measurement: .success(ProbeSample(dnsMs: dnsMs, connectMs: connectMs, tlsMs: tlsMs,
                                                              ttfbMs: ttfbMs, status: status)),
                            sentHeaders: outcome.sentHeaders)
    }
}
