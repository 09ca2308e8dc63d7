import Crypto
import Logging

/// Everything the request path reads, frozen: the configuration, the server table and what is
/// derived from them. The controller builds a new one on every change and hands it to each event
/// loop; a request reads its loop's current one without any lock.
final class Snapshot: Sendable {
    let generation: Int
    let config: DirectorConfig
    let table: ServerTable
    let signer: SessionSigner
    let sessionTTLSeconds: Int64
    /// SHA-256 of the admin token; comparing a digest with it (constant-time in swift-crypto)
    /// keeps the check's timing independent of how much of a guess matches.
    let adminTokenDigest: [UInt8]?
    /// nil when the access log is off.
    let accessLogger: Logger?
    /// nil when no GeoIP database is configured.
    let geo: GeoSelection?
    /// Per virtual server: what its file checks found (nil when `check_files` is off). Kept by the
    /// controller across snapshots, so a table change does not forget what mirrors hold.
    let holdings: [HoldingsCache?]
    /// Per virtual server: the sizes and hashes learnt for its files' Metalinks and `Digest`
    /// headers (`FileFactsCache`), kept across snapshots as `holdings` are.
    let facts: [FileFactsCache]

    init(generation: Int, config: DirectorConfig, table: ServerTable, accessLogger: Logger?, geoDatabases: GeoDatabases? = nil,
         holdings: [HoldingsCache?] = [], facts: [FileFactsCache] = []) {
        self.holdings = holdings.count == config.virtualServers.count ? holdings : config.virtualServers.map { _ in nil }
        self.facts = facts.count == config.virtualServers.count ? facts : config.virtualServers.map(FileFactsCache.init(for:))
        self.generation = generation
        self.accessLogger = accessLogger
        self.config = config
        self.table = table
        signer = SessionSigner(secret: config.secret)
        sessionTTLSeconds = max(1, config.sessionTTL.components.seconds)
        adminTokenDigest = config.adminToken.map { Array(SHA256.hash(data: Array($0.utf8))) }
        geo = geoDatabases.map { GeoSelection(databases: $0, table: table) }
    }
}
