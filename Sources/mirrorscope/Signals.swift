import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Turns termination signals into a call, instead of the default of dying with the terminal in
/// raw mode. Keep the returned value alive for as long as the handler should run.
/// `@unchecked Sendable`: `sources` is written once in `init` and only cancelled in `deinit`, and
/// dispatch sources are themselves thread-safe.
final class SignalWatch: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]

    init(_ signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }

    /// Suspends until SIGINT or SIGTERM arrives.
    static func waitForTermination() async {
        let stream = AsyncStream<Int32> { continuation in
            let watch = SignalWatch([SIGINT, SIGTERM]) { continuation.yield($0) }
            continuation.onTermination = { _ in _ = watch }
        }
        for await _ in stream { return }
    }
}
