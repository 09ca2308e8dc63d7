/// `--lowest-speed`: a connection whose average rate over a whole window stays below the lowest
/// speed is stalled (curl's `--speed-limit`/`--speed-time`, aria2's `--lowest-speed-limit`).
/// The window is a parameter so tests can use a short one. Times are the caller's clock readings.
public struct StallWatch: Sendable {
    public var lowestBytesPerSecond: Double
    public var window: Duration

    private var windowStart: ContinuousClock.Instant
    private var bytesAtStart: Int64 = 0
    private var bytes: Int64 = 0

    public init(lowestBytesPerSecond: Double, window: Duration, now: ContinuousClock.Instant) {
        self.lowestBytesPerSecond = lowestBytesPerSecond
        self.window = window
        windowStart = now
    }

    public mutating func received(_ count: Int) { bytes += Int64(count) }

    /// Whether the window that just ended was too slow; a window that was fast enough starts the next.
    public mutating func isStalled(now: ContinuousClock.Instant) -> Bool {
        let elapsed = now - windowStart
        guard elapsed >= window else { return false }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        if Double(bytes - bytesAtStart) < lowestBytesPerSecond * seconds { return true }
        windowStart = now
        bytesAtStart = bytes
        return false
    }

    /// "10 KiB/s for 20 s", as the state text names it.
    public var description: String {
        "\(Int(lowestBytesPerSecond / 1024)) KiB/s for \(window.components.seconds) s"
    }
}
