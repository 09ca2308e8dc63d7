import MirrorscopeCore
import MirrorscopeNetwork
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

/// The one way the prober connects to a mirror, for every phase (latency samples, throughput
/// downloads, freshness fetches): the client's `Connector` (the user's proxy as a tunnel, Happy
/// Eyeballs between address families, TLS with the mirror), then the HTTP/1.1 codec and the
/// phase's own exchange handler last in the pipeline. Each call is a fresh connection, bounded by
/// one deadline (`timeoutMs` from the start, after the TLS context is ready).
struct MirrorConnector: Sendable {
    var target: ProbeTarget
    var timeoutMs: Int
    var connector: Connector
    var eventLoop: any EventLoop
    /// See `Connector.connect`: a direct connection's connect time begins to count.
    var onConnectTimeBegins: (@Sendable () -> Void)? = nil

    /// Makes the exchange handler for one attempt, on the channel's event loop: it gets the
    /// connection's phase clock (the transport's times already in it), the deadline, and the
    /// promise it must complete exactly once. The channel is connected (and, for https, its TLS
    /// handshake done) when the exchange's `channelActive` is called.
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
        if target.tls {
            // Loading the trust roots on first use is not the mirror's time: before the deadline starts.
            do throws(ConnectionFailure) {
                _ = try connector.tlsContext()
            } catch {
                return .failed(ProbeFailure(.tls, error.description))
            }
        }
        let deadline = NIODeadline.now() + .milliseconds(Int64(timeoutMs))
        let request = Connector.Request(host: target.host, port: target.port, tls: target.tls)

        let connection: Connector.Connection
        do throws(ConnectionFailure) {
            connection = try await connector.connect(request, deadline: deadline, on: eventLoop, onConnectTimeBegins: onConnectTimeBegins)
        } catch {
            return Task.isCancelled ? nil : .failed(ProbeFailure(error, timeoutMs: timeoutMs))
        }
        let channel = connection.channel
        cancellation.onCancel { channel.close(promise: nil) }

        let outcome = channel.eventLoop.makePromise(of: Answer.self)
        let times = connection.times
        do {
            try await channel.eventLoop.submit {
                let clock = PhaseClock()
                clock.stamps.transport = times
                let pipeline = channel.pipeline.syncOperations
                // In clear: after the TLS handler for https, at the socket end for http.
                let timer = PhaseTimer(clock: clock)
                try pipeline.addHandler(timer)
                try pipeline.addHTTPClientHandlers()
                try pipeline.addHandler(exchange(clock, deadline, outcome))
                guard channel.isActive else { throw ChannelError.ioOnClosedChannel }
                // The handlers after the timer joined a live connection: tell them it is up.
                try pipeline.context(handler: timer).fireChannelActive()
            }.get()
        } catch {
            outcome.fail(error)
            channel.close(promise: nil)
            return Task.isCancelled ? nil : .failed(.closedBeforeAnswer)
        }
        guard let answer = try? await outcome.futureResult.get(), !Task.isCancelled else {
            channel.close(promise: nil)
            return nil
        }
        return .answered(answer, dnsMs: times.dnsMs ?? 0)
    }
}
