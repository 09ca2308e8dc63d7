import MirrorscopeCore
import Foundation
import Logging
import MirrorscopeLogFile
import NIOCore

/// Owns every change: configuration (reload, admin API), health states, and the snapshots made
/// from them. Each change builds a new snapshot and hands it to every event loop; admin changes
/// answer only once every loop has it, so a server added is balanced to by the very next request.
actor DirectorController {
    private(set) var config: DirectorConfig
    let configPath: String?
    private(set) var snapshot: Snapshot
    /// Health states by real server id (see DirectorController+Health.swift).
    var health: [String: HealthCounter] = [:]
    /// The URL each counter was measured on: a server whose URL changes starts afresh.
    var healthURLs: [String: String] = [:]
    private var slots: [String: Int] = [:]
    private var generation = 0
    var loops: [NIOLoopBound<LoopState>] = []
    private var accessLogFile: LogFile?
    /// The GeoIP files, opened at start and again on reload or when their paths change.
    private var geoDatabases: GeoDatabases?
    /// File-check caches by virtual server name (see DirectorController+Holdings.swift).
    var holdingsByVirtual: [String: HoldingsCache] = [:]
    /// File facts by virtual server name (see FileLinks/DirectorController+FileFacts.swift).
    var factsByVirtual: [String: FileFactsCache] = [:]
    /// Freshness verdicts by virtual server name, then real server id (DirectorController+Freshness.swift).
    var freshness: [String: [String: FreshnessVerdict]] = [:]
    let logger: Logger
    /// The shared store, when `store` is set (see Store/DirectorController+Store.swift): the
    /// source of truth for the real servers, which then come from its table, not from the file.
    private(set) var store: StoreLink?
    /// The store version the running real servers come from (0: none yet, the file's).
    var storeVersion: Int64 = 0
    /// The last store version that did not fit this configuration (told once, not at every poll).
    var refusedStoreVersion: Int64?
    /// The config file's own `[[real]]` tables: what a new, empty store is filled with.
    private(set) var fileReals: [RealServerConfig]

    init(config: DirectorConfig, configPath: String?, logger: Logger) throws {
        self.config = config
        self.configPath = configPath
        self.logger = logger
        fileReals = config.reals
        for (i, real) in config.reals.enumerated() { slots[real.id] = i }
        let (accessLogger, file) = try AccessLog.logger(for: config.accessLog, base: logger, previous: nil)
        accessLogFile = file
        let geoDatabases = config.geo.isOn ? try GeoDatabases(settings: config.geo) : nil
        self.geoDatabases = geoDatabases
        let holdings = config.virtualServers.map { $0.fileChecks.enabled ? HoldingsCache(settings: $0.fileChecks) : nil }
        for (virtual, cache) in zip(config.virtualServers, holdings) { holdingsByVirtual[virtual.name] = cache }
        snapshot = Snapshot(generation: 0, config: config,
                            table: ServerTable(config: config, isUp: { _ in true }, slots: slots),
                            accessLogger: accessLogger, geoDatabases: geoDatabases, holdings: holdings)
        factsByVirtual = Dictionary(zip(config.virtualServers.map(\.name), snapshot.facts), uniquingKeysWith: { first, _ in first })
    }

    func attach(_ loops: [NIOLoopBound<LoopState>]) { self.loops = loops }

    func attach(store: StoreLink) { self.store = store }

    // MARK: snapshots

    func publish() async {
        generation += 1
        for real in config.reals where slots[real.id] == nil { slots[real.id] = slots.count }
        let health = self.health
        let watched = Set(config.virtualServers.filter { $0.freshness != nil }.map(\.name))
        freshness = freshness.filter { watched.contains($0.key) }
        let table = ServerTable(config: config, isUp: { health[$0]?.up ?? true }, slots: slots, freshness: freshness)
        let new = Snapshot(generation: generation, config: config, table: table, accessLogger: snapshot.accessLogger,
                           geoDatabases: geoDatabases, holdings: holdingsCaches(for: config), facts: factsCaches(for: config))
        snapshot = new
        await withTaskGroup(of: Void.self) { group in
            for loop in loops {
                group.addTask { try? await loop.eventLoop.submit { loop.value.install(new) }.get() }
            }
        }
    }

    // MARK: configuration

    /// Runs `config` from now on. Listeners, threads and the TLS certificate are fixed at start:
    /// a configuration that changes them is refused (restart to change them).
    /// `reopenDatabases` opens the GeoIP files again even if their paths did not change (a reload
    /// picks up a file replaced with a newer edition).
    func apply(_ new: DirectorConfig, reopenDatabases: Bool = false) async throws {
        try new.validate()
        try checkReloadable(new)
        let databases = reopenDatabases || new.geo != config.geo
            ? (new.geo.isOn ? try GeoDatabases(settings: new.geo) : nil) : geoDatabases
        if new.accessLog != config.accessLog {
            let (accessLogger, file) = try AccessLog.logger(for: new.accessLog, base: logger, previous: accessLogFile)
            accessLogFile = file
            snapshot = Snapshot(generation: snapshot.generation, config: snapshot.config, table: snapshot.table, accessLogger: accessLogger,
                                geoDatabases: geoDatabases, holdings: snapshot.holdings, facts: snapshot.facts)
        }
        for real in new.reals where healthURLs[real.id] != nil && healthURLs[real.id] != real.url {
            health[real.id] = nil
            healthURLs[real.id] = nil
        }
        let ids = Set(new.reals.map(\.id))
        health = health.filter { ids.contains($0.key) }
        config = new
        geoDatabases = databases
        await publish()
    }

    func checkReloadable(_ new: DirectorConfig) throws {
        let listeners = { (c: DirectorConfig) in c.virtualServers.map { [$0.name] + ($0.listen + $0.tlsListen).map(\.description) } }
        if listeners(new) != listeners(config) {
            throw ConfigError(key: "listen", "virtual servers and their listen addresses change only with a restart")
        }
        if new.threads != config.threads { throw ConfigError(key: "threads", "changes only with a restart") }
        if new.tls != config.tls { throw ConfigError(key: "tls_cert", "changes only with a restart") }
        if new.upstreamCA != config.upstreamCA { throw ConfigError(key: "upstream_ca", "changes only with a restart") }
        if new.store != config.store { throw ConfigError(key: "store", "changes only with a restart") }
        if new.instance != config.instance { throw ConfigError(key: "instance", "changes only with a restart") }
    }

    /// Re-reads the config file (SIGHUP). With a store, the real servers stay those of the store
    /// (the file's `[[real]]` tables only fill a new store).
    func reload() async throws {
        guard let configPath else { throw ConfigError(key: nil, "this director was started without a config file") }
        var new = try ConfigParser.load(path: configPath)
        let fromFile = new.reals
        if store != nil && storeVersion > 0 { new.reals = config.reals }
        try await apply(new, reopenDatabases: true)
        fileReals = fromFile
        logger.info("configuration reloaded", metadata: ["file": "\(configPath)", "reals": "\(config.reals.count)"])
    }
}
