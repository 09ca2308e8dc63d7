import MirrorscopeCore

/// One virtual server's view of the table.
struct VirtualTable: Sendable {
    let config: VirtualServerConfig
    /// Per real index: does this virtual server hold it.
    let isMember: [Bool]
    /// Real indexes that may start a session: members that are up, not draining, weight above 0,
    /// and not stale (further behind than `max_behind`; unless every one of them is: a stale copy
    /// is better than none).
    let candidates: [Int]
    let candidateWeights: [Int]
    /// Real indexes that can serve requests (members up and not draining, whatever their weight):
    /// the mirrors a file check asks.
    let serving: [Int]
    let ring: ConsistentHashRing?
    /// Per real index: the real index its sessions go to, or nil to re-balance.
    let resolution: [Int?]

    /// Per real index: how far behind it is, when this virtual server watches freshness.
    let freshness: [FreshnessVerdict?]

    init(config: VirtualServerConfig, reals: [RealEntry], resolution: [Int?], freshness: [String: FreshnessVerdict] = [:]) {
        self.config = config
        isMember = reals.map { config.includes($0.config.id) }
        let verdicts = reals.map { freshness[$0.config.id] }
        self.freshness = verdicts
        let usable = reals.indices.filter { config.includes(reals[$0].config.id) && reals[$0].available && reals[$0].config.weight > 0 }
        let fresh = usable.filter { verdicts[$0]?.stale != true }
        candidates = fresh.isEmpty ? usable : fresh
        candidateWeights = candidates.map { reals[$0].config.weight }
        serving = reals.indices.filter { config.includes(reals[$0].config.id) && reals[$0].available }
        ring = config.policy == .consistentHash
            ? ConsistentHashRing(ids: candidates.map { reals[$0].config.id }, weights: candidateWeights) : nil
        self.resolution = resolution
    }
}
