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

/// One fresh-connection measurement of one mirror: connect (`MirrorConnector`: look the host up,
/// connect, shake hands for https), send the request and time the first byte of the answer, all
/// within one deadline.
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
        let connector = MirrorConnector(target: target, timeoutMs: timeoutMs, tls: tls, eventLoop: eventLoop)
        let (request, useTLS, timeoutMs) = (request, target.tls, timeoutMs)
        let outcome: ConnectorOutcome<ExchangeOutcome>? = await connector.run(cancellation) { clock, deadline, promise in
            ProbeExchange(request: request, tls: useTLS, clock: clock, deadline: deadline, timeoutMs: timeoutMs, promise: promise)
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
