/// A real server's state as clients feel it.
public enum RealState: String, Sendable, Hashable, Codable {
    case up
    case down
    /// Configured or patched to drain: takes no sessions, whatever its health.
    case draining
}

/// One real server in a table.
struct RealEntry: Sendable {
    let config: RealServerConfig
    /// Stable for the life of the director (survives table rebuilds), indexes per-loop statistics.
    let slot: Int
    let up: Bool
    /// Where proxy mode and health checks connect, parsed once per table rather than per request;
    /// nil for a URL that cannot be reached (validation refuses those).
    let upstream: UpstreamTarget?

    init(config: RealServerConfig, slot: Int, up: Bool) {
        self.config = config
        self.slot = slot
        self.up = up
        upstream = UpstreamTarget(url: config.url)
    }

    var available: Bool { up && !config.drain }
    var state: RealState { config.drain ? .draining : (up ? .up : .down) }
}
