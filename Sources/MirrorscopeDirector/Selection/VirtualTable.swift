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
