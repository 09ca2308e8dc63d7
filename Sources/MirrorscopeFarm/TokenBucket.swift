import NIOCore

/// Paces one response body to a mirror's scripted bandwidth: tokens (bytes) accrue at the rate,
/// up to a burst of 50 ms worth (at least 16 KiB, so slow rates still send whole segments; an
/// event loop that ticks late on a busy machine makes up that much), and each write spends them.
/// The bucket starts with one initial window (16 KiB, about what a TCP connection's first window
/// carries): a small answer (the probe object, `lastsync`, a `Release` file) goes out with its head
/// at once, so pacing never delays a latency probe, and a large body then flows at the rate (the
/// prober's rate leaves the first read out). Times are the event loop's monotonic clock.
struct TokenBucket {
    let bytesPerSecond: Double
    let burst: Double
    private(set) var tokens: Double
    private var last: NIODeadline

    /// What may go at once at the start of a body.
    static let initialWindow = 16 * 1024

    /// The shortest wait between ticks: finer ticks cost CPU and buy no precision.
    static let minimumTick = TimeAmount.milliseconds(1)

    init(bytesPerSecond: Double, now: NIODeadline) {
        self.bytesPerSecond = bytesPerSecond
        burst = max(Double(Self.initialWindow), bytesPerSecond * 0.05)
        tokens = Double(Self.initialWindow)
        last = now
    }

    mutating func refill(now: NIODeadline) {
        let seconds = Double((now - last).nanoseconds) / 1e9
        guard seconds > 0 else { return }
        tokens = min(burst, tokens + seconds * bytesPerSecond)
        last = now
    }

    /// What one tick waits for: about 2 ms of the rate (at least 1 KiB), so that the body flows
    /// evenly rather than in bursts a reader would see as a jumpy rate.
    var tickBytes: Int { max(1024, Int(bytesPerSecond * 0.002)) }

    /// Whole bytes that may go now.
    var available: Int { Int(tokens) }

    mutating func take(_ count: Int) { tokens -= Double(count) }

    /// How long until `count` bytes (at most a burst) may go.
    func wait(forBytes count: Int) -> TimeAmount {
        let needed = min(Double(count), burst) - tokens
        guard needed > 0 else { return Self.minimumTick }
        return max(Self.minimumTick, .nanoseconds(Int64(needed / bytesPerSecond * 1e9)))
    }
}
