import NIOConcurrencyHelpers

/// Carries task cancellation to the NIO side of one sample: whatever the sample is waiting on
/// (a lookup, a connection) registers how to stop it, and `cancel` does that at once.
final class SampleCancellation: Sendable {
    private struct State {
        var cancelled = false
        var stop: (@Sendable () -> Void)?
    }

    private let state = NIOLockedValueBox(State())

    func cancel() {
        let stop = state.withLockedValue { state in
            state.cancelled = true
            defer { state.stop = nil }
            return state.stop
        }
        stop?()
    }

    /// Replaces the way to stop the sample; runs `stop` at once when already cancelled.
    func onCancel(_ stop: @escaping @Sendable () -> Void) {
        let cancelled = state.withLockedValue { state in
            if !state.cancelled { state.stop = stop }
            return state.cancelled
        }
        if cancelled { stop() }
    }
}
