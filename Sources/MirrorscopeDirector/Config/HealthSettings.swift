/// The `[health]` table: active checks of every real server (see `HealthLoop`).
public struct HealthSettings: Sendable, Hashable {
    public var enabled: Bool
    /// Relative to each real server's URL ("" checks the base URL itself).
    public var path: String
    public var interval: Duration
    public var timeout: Duration
    /// Successes in a row that bring a down server back.
    public var rise: Int
    /// Failures in a row that take a server down.
    public var fall: Int

    public init(enabled: Bool = true, path: String = "", interval: Duration = .seconds(5), timeout: Duration = .seconds(2),
                rise: Int = 2, fall: Int = 3) {
        self.enabled = enabled
        self.path = path
        self.interval = interval
        self.timeout = timeout
        self.rise = rise
        self.fall = fall
    }
}
