/// The top-level keys `store` and `store_poll`: PostgreSQL as the source of truth for the real
/// servers, shared by every director that names it (see docs/director.md, "A cluster on PostgreSQL").
public struct StoreSettings: Sendable, Hashable {
    public var url: StoreURL
    /// How often the table is read again whatever the notifications said: the safety net for a
    /// notification lost while the listening connection was down.
    public var poll: Duration

    public static let defaultPoll: Duration = .seconds(10)
    /// Bounds of `store_poll`: faster than 100 ms is a load on the store for nothing, slower than
    /// an hour leaves a missed change unseen for too long.
    public static let pollRange: ClosedRange<Duration> = .milliseconds(100) ... .seconds(3600)

    public init(url: StoreURL, poll: Duration = StoreSettings.defaultPoll) {
        self.url = url
        self.poll = poll
    }
}
