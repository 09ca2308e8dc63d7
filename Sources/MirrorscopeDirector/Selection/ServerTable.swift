import MirrorscopeCore

/// An immutable snapshot of the real servers, their states and everything the request path derives
/// from them (candidates, rings, backup resolutions). A change builds a new table and hands it to
/// every event loop, so the request path reads it without locks.
final class ServerTable: Sendable {
    let reals: [RealEntry]
    let indexByID: [String: Int]
    let virtuals: [VirtualTable]

    /// `freshness`: the verdicts by virtual server name, then real server id.
    init(config: DirectorConfig, isUp: (String) -> Bool, slots: [String: Int], freshness: [String: [String: FreshnessVerdict]] = [:]) {
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
        virtuals = config.virtualServers.map {
            VirtualTable(config: $0, reals: reals, resolution: resolution, freshness: freshness[$0.name] ?? [:])
        }
    }

    func index(of id: some StringProtocol) -> Int? { indexByID[String(id)] }

    /// Real index `index`'s freshness as the first virtual server that holds it and watches
    /// freshness judges it (`.unknown` before its first read); nil when none watches.
    func freshness(of index: Int) -> FreshnessVerdict? {
        guard let view = virtuals.first(where: { $0.config.freshness != nil && $0.isMember[index] }) else { return nil }
        return view.freshness[index] ?? .unknown
    }
}
