import MirrorscopeCore
import MirrorscopeNetwork
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// What one sample came to: a measurement, or a failure; and the headers sent, if a request went out.
struct SampleResult: Sendable {
    var measurement: Result<ProbeSample, ProbeFailure>
    var sentHeaders: [HeaderField] = []
}

/// One fresh-connection measurement of one mirror: connect (`MirrorConnector`: through the user's
/// proxy when one applies, Happy Eyeballs, TLS for https), send the request and time the first
/// byte of the answer, all within one deadline.
struct ProbeConnection: Sendable {
    var target: ProbeTarget
    var request: ProbeRequest
    var timeoutMs: Int
    var connector: Connector
    var eventLoop: any EventLoop
    /// Called once the connection is up (TLS done), before the request goes out, with what the
    /// sample has taken so far by its own measure (connect + TLS): from then on its response
    /// time grows with the wait, which is what the decision rule needs to know.
    var onConnected: @Sendable (_ transportMs: Double) -> Void = { _ in }
    /// Called, on a direct connection, when its connect time begins to count (the name lookup
    /// done): from then on the sample's figure grows with the wait, before it is connected too.
    var onConnecting: (@Sendable () -> Void)? = nil

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
        let connector = MirrorConnector(target: target, timeoutMs: timeoutMs, connector: connector, eventLoop: eventLoop,
                                        onConnectTimeBegins: onConnecting)
        let (request, timeoutMs, onConnected) = (request, timeoutMs, onConnected)
        let outcome: ConnectorOutcome<ExchangeOutcome>? = await connector.run(cancellation) { clock, deadline, promise in
            if let transport = clock.stamps.transport {
                onConnected((Self.connectMs(transport, dnsMs: transport.dnsMs ?? 0) ?? 0) + (transport.tlsMs ?? 0))
            }
            return ProbeExchange(request: request, clock: clock, deadline: deadline, timeoutMs: timeoutMs, promise: promise)
        }
        switch outcome {
        case nil: return nil
        case .failed(let failure)?: return SampleResult(measurement: .failure(failure))
        case .answered(let result, let dnsMs)?: return sample(from: result, dnsMs: dnsMs)
        }
    }

    private func sample(from outcome: ExchangeOutcome, dnsMs: Double) -> SampleResult {
        let stamps = outcome.stamps
        if let failure = outcome.failure {
            return SampleResult(measurement: .failure(failure), sentHeaders: outcome.sentHeaders)
        }
        guard let status = outcome.status, let transport = stamps.transport,
              let connectMs = Self.connectMs(transport, dnsMs: dnsMs),
              let ttfbMs = PhaseStamps.milliseconds(from: stamps.requestSent, to: stamps.firstByte)
        else {
            return SampleResult(measurement: .failure(.closedBeforeAnswer), sentHeaders: outcome.sentHeaders)
        }
        let route = ProbeSample.Route(address: transport.address?.ipAddress, family: transport.family,
                                      proxy: transport.proxy?.description, proxyConnectMs: transport.proxyConnectMs)
        return SampleResult(measurement: .success(ProbeSample(dnsMs: dnsMs, connectMs: connectMs, tlsMs: transport.tlsMs,
                                                              ttfbMs: ttfbMs, status: status, route: route)),
                            sentHeaders: outcome.sentHeaders)
    }

    /// The mirror's connect figure. Direct: from the end of the lookup to the connection up, so a
    /// family that did not answer costs what it cost (Happy Eyeballs' 250 ms), as it would any
    /// client. Through a proxy: the tunnel's set-up, the proxy's own connect to the mirror.
    static func connectMs(_ transport: ConnectionTimes, dnsMs: Double) -> Double? {
        if transport.proxy != nil { return transport.tunnelMs }
        guard let waited = ConnectionTimes.milliseconds(from: transport.started, to: transport.connected) else { return nil }
        return max(transport.connectMs ?? 0, waited - dnsMs)
    }
}
