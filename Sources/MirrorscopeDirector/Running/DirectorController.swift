import Foundation
import Logging
import NIOCore

/// A real server as the admin API lists it.
public struct RealServerStatus: Sendable, Hashable, Codable {
    public var id: String
    public var url: String
    public var httpsURL: String?
    public var weight: Int
    public var backup: String
    public var location: String?
    /// The display name the mirror page gives clients.
    public var name: String?
    public var state: RealState
    /// Sessions started on it within the session lifetime (see `SessionWindow`).
    public var sessions: Int

    enum CodingKeys: String, CodingKey {
        case id, url, httpsURL = "https_url", weight, backup, location, name, state, sessions
    }
}

/// Owns every change: configuration (reload, admin API), health states, and the snapshots made
/// from them. Each change builds a new snapshot and hands it to every event loop; admin changes
/// answer only once every loop has it, so a server added is balanced to by the very next request.
actor DirectorController {
    private(set) var config: DirectorConfig
    let configPath: String?
    private(set) var snapshot: Snapshot
    private var health: [String: HealthCounter] = [:]
    /// The URL each counter was measured on: a server whose URL changes starts afresh.
    private var healthURLs: [String: String] = [:]
    private var slots: [String: Int] = [:]
    private var generation = 0
    private var loops: [NIOLoopBound<LoopState>] = []
    private var accessLogFile: AccessLogFile?
    private let logger: Logger

    init(config: DirectorConfig, configPath: String?, logger: Logger) throws {
        self.config = config
        self.configPath = configPath
        self.logger = logger
        for (i, real) in config.reals.enumerated() { slots[real.id] = i }
        let (accessLogger, file) = try AccessLog.logger(for: config.accessLog, base: logger, previous: nil)
        accessLogFile = file
        snapshot = Snapshot(generation: 0, config: config,
                            table: ServerTable(config: config, isUp: { _ in true }, slots: slots),
                            accessLogger: accessLogger)
    }

    func attach(_ loops: [NIOLoopBound<LoopState>]) { self.loops = loops }

    // MARK: snapshots

    private func publish() async {
        generation += 1
        for real in config.reals where slots[real.id] == nil { slots[real.id] = slots.count }
        let health = self.health
        let table = ServerTable(config: config, isUp: { health[$0]?.up ?? true }, slots: slots)
        let new = Snapshot(generation: generation, config: config, table: table, accessLogger: snapshot.accessLogger)
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
    func apply(_ new: DirectorConfig) async throws {
        try new.validate()
        try checkReloadable(new)
        if new.accessLog != config.accessLog {
            let (accessLogger, file) = try AccessLog.logger(for: new.accessLog, base: logger, previous: accessLogFile)
            accessLogFile = file
            snapshot = Snapshot(generation: snapshot.generation, config: snapshot.config, table: snapshot.table, accessLogger: accessLogger)
        }
        for real in new.reals where healthURLs[real.id] != nil && healthURLs[real.id] != real.url {
            health[real.id] = nil
            healthURLs[real.id] = nil
        }
        let ids = Set(new.reals.map(\.id))
        health = health.filter { ids.contains($0.key) }
        config = new
        await publish()
    }

    private func checkReloadable(_ new: DirectorConfig) throws {
        let listeners = { (c: DirectorConfig) in c.virtualServers.map { [$0.name] + ($0.listen + $0.tlsListen).map(\.description) } }
        if listeners(new) != listeners(config) {
            throw ConfigError(key: "listen", "virtual servers and their listen addresses change only with a restart")
        }
        if new.threads != config.threads { throw ConfigError(key: "threads", "changes only with a restart") }
        if new.tls != config.tls { throw ConfigError(key: "tls_cert", "changes only with a restart") }
        if new.upstreamCA != config.upstreamCA { throw ConfigError(key: "upstream_ca", "changes only with a restart") }
    }

    /// Re-reads the config file (SIGHUP).
    func reload() async throws {
        guard let configPath else { throw ConfigError(key: nil, "this director was started without a config file") }
        try await apply(ConfigParser.load(path: configPath))
        logger.info("configuration reloaded", metadata: ["file": "\(configPath)", "reals": "\(config.reals.count)"])
    }

    // MARK: admin changes

    /// Makes an admin change: on the config file when there is one (the file is the source of
    /// truth, so the change is made to what it says now and the result is what runs), else on the
    /// running configuration. Nothing is written or applied unless the whole result is valid.
    func perform(_ change: AdminChange) async throws(AdminError) -> DirectorConfig {
        var base = config
        var text: String?
        if let configPath {
            do {
                let current = try String(contentsOfFile: configPath, encoding: .utf8)
                base = try ConfigParser.parse(current, file: configPath)
                text = current
            } catch {
                throw AdminError(status: 409, "the config file cannot be used as it is; fix it first: \(error)")
            }
        }
        let updated = try change.applied(to: base)
        do {
            try updated.validate()
            try checkReloadable(updated)
        } catch {
            throw AdminError(status: 400, "\(error)")
        }
        if let configPath, let text {
            let edited: String
            do {
                edited = try ConfigFileEditor.edited(text, change: change, expected: updated, file: configPath)
                try ConfigFileEditor.writeAtomically(edited, to: configPath)
            } catch let error as AdminError {
                throw error
            } catch {
                throw AdminError(status: 500, "cannot write the config file: \(error)")
            }
        }
        do {
            try await apply(updated)
        } catch {
            throw AdminError(status: 500, "\(error)")
        }
        logger.notice("real servers changed", metadata: ["change": "\(change)"])
        return updated
    }

    func status() async -> [RealServerStatus] {
        let snapshot = self.snapshot
        var sessions: [Int: Int] = [:]
        for loop in loops {
            guard let counts = try? await loop.eventLoop.submit({ loop.value.liveSessions() }).get() else { continue }
            sessions.merge(counts, uniquingKeysWith: +)
        }
        return snapshot.table.reals.map { real in
            RealServerStatus(id: real.config.id, url: real.config.url, httpsURL: real.config.httpsURL, weight: real.config.weight,
                             backup: real.config.backup.description, location: real.config.location, name: real.config.name, state: real.state,
                             sessions: sessions[real.slot] ?? 0)
        }
    }

    // MARK: health

    func healthTargets() -> (settings: HealthSettings, targets: [(id: String, url: String)]) {
        (config.health, config.reals.map { ($0.id, $0.url) })
    }

    func recordHealth(_ results: [(id: String, url: String, healthy: Bool)]) async {
        let settings = config.health
        var changed = false
        for result in results where config.real(result.id)?.url == result.url {
            healthURLs[result.id] = result.url
            var counter = health[result.id] ?? HealthCounter()
            if counter.record(success: result.healthy, rise: settings.rise, fall: settings.fall) {
                changed = true
                logger.warning("real server \(counter.up ? "up" : "down")", metadata: ["real": "\(result.id)", "url": "\(result.url)"])
            }
            health[result.id] = counter
        }
        if changed { await publish() }
    }

    /// A proxied exchange failed on this server: it goes down at once (only with health checks on,
    /// since they alone can bring it back).
    func reportProxyFailure(id: String) async {
        guard config.health.enabled, config.real(id) != nil else { return }
        var counter = health[id] ?? HealthCounter()
        if counter.markDown() {
            health[id] = counter
            logger.warning("real server down (proxy failure)", metadata: ["real": "\(id)"])
            await publish()
        } else {
            health[id] = counter
        }
    }
}
