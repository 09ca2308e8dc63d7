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

/// An immutable snapshot of the real servers, their states and everything the request path derives
/// from them (candidates, rings, backup resolutions). A change builds a new table and hands it to
/// every event loop, so the request path reads it without locks.
final class ServerTable: Sendable {
    let reals: [RealEntry]
    let indexByID: [String: Int]
    let virtuals: [VirtualTable]

    init(config: DirectorConfig, isUp: (String) -> Bool, slots: [String: Int]) {
        let reals = config.reals.map { RealEntry(config: $0, slot: slots[$0.id] ?? 0, up: isUp($0.id)) }
        self.reals = reals
        var indexByID: [String: Int] = [:]
        for (i, real) in reals.enumerated() { indexByID[real.config.id] = i }
        self.indexByID = indexByID
        var nodes: [String: BackupResolver.Node] = [:]
        for real in reals { nodes[real.config.id] = .init(backup: real.config.backup, available: real.available) }
        let resolution: [Int?] = reals.map { real in
            switch BackupResolver.resolve(real.config.id, nodes: nodes) {
            case .serve(let id): return indexByID[id]
            case .rebalance: return nil
            }
        }
        virtuals = config.virtualServers.map { VirtualTable(config: $0, reals: reals, resolution: resolution) }
    }

    func index(of id: some StringProtocol) -> Int? { indexByID[String(id)] }
}

/// One virtual server's view of the table.
struct VirtualTable: Sendable {
    let config: VirtualServerConfig
    /// Per real index: does this virtual server hold it.
    let isMember: [Bool]
    /// Real indexes that may start a session: members that are up, not draining, weight above 0.
    let candidates: [Int]
    let candidateWeights: [Int]
    let ring: ConsistentHashRing?
    /// Per real index: the real index its sessions go to, or nil to re-balance.
    let resolution: [Int?]

    init(config: VirtualServerConfig, reals: [RealEntry], resolution: [Int?]) {
        self.config = config
        isMember = reals.map { config.includes($0.config.id) }
        candidates = reals.indices.filter { config.includes(reals[$0].config.id) && reals[$0].available && reals[$0].config.weight > 0 }
        candidateWeights = candidates.map { reals[$0].config.weight }
        ring = config.policy == .consistentHash
            ? ConsistentHashRing(ids: candidates.map { reals[$0].config.id }, weights: candidateWeights) : nil
        self.resolution = resolution
    }
}
