import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL
import PostgresNIO

/// One director's link to the shared store: a `PostgresClient` (a small pool) for admin writes,
/// and one connection of its own that `LISTEN`s on `mirrorscope_reals`, reads the table again on
/// every notification and every `store_poll`, and hands each state it reads to `apply`.
///
/// The listening connection is also how the director knows the store is there: while it is down
/// the director serves what it has, refuses admin writes at once (503), and reconnects with
/// backoff; on reconnecting it reads the table, so nothing changed meanwhile is missed.
final class StoreLink: Sendable {
    enum Reachability: Sendable, Equatable {
        case connecting
        case up
        case down(reason: String)
    }

    let settings: StoreSettings
    let instance: InstanceName
    private let client: PostgresClient
    private let listenerConfiguration: PostgresConnection.Configuration
    private let logger: Logger
    /// postgres-nio's own messages: shown only when the director logs at debug or trace.
    private let libraryLogger: Logger
    private let reachability = NIOLockedValueBox(Reachability.connecting)
    /// The content problem last told, so that a poll every few seconds does not repeat it.
    private let badContent = NIOLockedValueBox<StoreContentError?>(nil)
    private let firstAttempt: AsyncStream<Void>
    private let firstAttemptDone: AsyncStream<Void>.Continuation

    /// A connection attempt, and each statement, is given up after these.
    static let connectTimeout: Duration = .seconds(3)
    static let operationTimeout: Duration = .seconds(5)
    /// Reconnecting waits 250 ms after the first failure, doubling up to 10 s.
    static let firstBackoff: Duration = .milliseconds(250)
    static let maxBackoff: Duration = .seconds(10)

    init(settings: StoreSettings, instance: InstanceName, logger: Logger) throws {
        self.settings = settings
        self.instance = instance
        self.logger = logger
        var libraryLogger = logger
        if logger.logLevel > .debug { libraryLogger.logLevel = .critical }
        self.libraryLogger = libraryLogger
        let url = settings.url
        let tlsConfiguration = TLSConfiguration.makeClientConfiguration()
        let clientTLS: PostgresClient.Configuration.TLS
        let listenerTLS: PostgresConnection.Configuration.TLS
        switch url.tls {
        case .disable:
            clientTLS = .disable
            listenerTLS = .disable
        case .prefer:
            clientTLS = .prefer(tlsConfiguration)
            listenerTLS = .prefer(try NIOSSLContext(configuration: tlsConfiguration))
        case .require:
            clientTLS = .require(tlsConfiguration)
            listenerTLS = .require(try NIOSSLContext(configuration: tlsConfiguration))
        }
        var clientConfiguration = PostgresClient.Configuration(host: url.host, port: url.port, username: url.user,
                                                               password: url.password, database: url.database, tls: clientTLS)
        clientConfiguration.options.connectTimeout = Self.connectTimeout
        // Admin writes are rare and short: a few connections are plenty, and nothing stays open idle.
        clientConfiguration.options.maximumConnections = 4
        clientConfiguration.options.minimumConnections = 0
        client = PostgresClient(configuration: clientConfiguration, backgroundLogger: libraryLogger)
        var listenerConfiguration = PostgresConnection.Configuration(host: url.host, port: url.port, username: url.user,
                                                                     password: url.password, database: url.database, tls: listenerTLS)
        listenerConfiguration.options.connectTimeout = TimeAmount(Self.connectTimeout)
        self.listenerConfiguration = listenerConfiguration
        (firstAttempt, firstAttemptDone) = AsyncStream.makeStream(of: Void.self)
    }

    var state: Reachability { reachability.withLockedValue { $0 } }

    // MARK: running

    /// Runs the pool and the listening connection until cancelled. `seed` gives the config file's
    /// real servers (for a table never filled), `apply` takes every state read.
    func run(seed: @escaping @Sendable () async -> [RealServerConfig],
             apply: @escaping @Sendable (StoreState) async -> Void) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.client.run() }
            group.addTask { await self.listen(seed: seed, apply: apply) }
            await group.next()
            group.cancelAll()
        }
    }

    /// Waits until the first connection attempt has read the table or failed (at most `limit`),
    /// so that a director whose store answers serves the table's servers from its first request.
    func waitForFirstAttempt(atMost limit: Duration) async {
        _ = try? await withStoreDeadline(limit, "the first read of the store") { [firstAttempt] in
            for await _ in firstAttempt { break }
        }
    }

    private func listen(seed: @escaping @Sendable () async -> [RealServerConfig],
                        apply: @escaping @Sendable (StoreState) async -> Void) async {
        var backoff = Self.firstBackoff
        var attempt = 0
        while !Task.isCancelled {
            attempt += 1
            do {
                let connection = try await PostgresConnection.connect(configuration: listenerConfiguration, id: attempt,
                                                                      logger: libraryLogger)
                do {
                    try await session(on: connection, seed: seed, apply: apply) { backoff = Self.firstBackoff }
                } catch {
                    try? await connection.close()
                    throw error
                }
                try? await connection.close()
            } catch {
                if Task.isCancelled { break }
                markDown(StoreFailure.reason(error), retryingIn: backoff)
            }
            firstAttemptDone.yield()
            do { try await Task.sleep(for: backoff) } catch { break }
            backoff = min(backoff * 2, Self.maxBackoff)
        }
        firstAttemptDone.finish()
    }

    /// One listening connection's life: LISTEN, read (seeding a new table), then read again on
    /// each notification and each poll, until the connection fails.
    private func session(on connection: PostgresConnection, seed: @escaping @Sendable () async -> [RealServerConfig],
                         apply: @escaping @Sendable (StoreState) async -> Void, connected: () -> Void) async throws {
        let logger = libraryLogger
        let instance = self.instance.value
        try await connection.listen(on: RealTable.channel) { notifications in
            let seeded = await seed()
            let first = try await content {
                try await withStoreDeadline(Self.operationTimeout, "reading the store") {
                    try await RealTable.prepare(on: connection, seed: seeded, instance: instance, logger: logger)
                }
            }
            markUp(first)
            connected()
            if let first { await apply(first) }
            firstAttemptDone.yield()
            let poll = settings.poll
            let (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await notification in notifications {
                        self.logger.debug("store notification", metadata: ["payload": "\(notification.payload)"])
                        wake.yield()
                    }
                    throw StoreFailure("the listening connection was closed")
                }
                group.addTask {
                    while true {
                        try await Task.sleep(for: poll)
                        wake.yield()
                    }
                }
                group.addTask {
                    // Wake-ups that come while a read runs collapse into one more read.
                    for await _ in wakeups {
                        let state = try await self.content {
                            try await withStoreDeadline(Self.operationTimeout, "reading the store") {
                                try await RealTable.read(on: connection, logger: logger)
                            }
                        }
                        if let state { await apply(state) }
                    }
                }
                defer { group.cancelAll() }
                try await group.next()
            }
        }
    }

    /// A read whose content does not fit is nil (told once per distinct problem); connection
    /// errors go on to the caller, which reconnects.
    private func content(_ read: () async throws -> StoreState) async throws -> StoreState? {
        do {
            let state = try await read()
            badContent.withLockedValue { $0 = nil }
            return state
        } catch let error as StoreContentError {
            let isNew = badContent.withLockedValue { told in
                defer { told = error }
                return told != error
            }
            if isNew {
                logger.error("the store's table cannot be used as it is; keeping the running real servers until it is fixed",
                             metadata: ["store": "\(settings.url)", "error": "\(error)"])
            }
            return nil
        }
    }

    private func markUp(_ state: StoreState?) {
        let previous = reachability.withLockedValue { old in
            defer { old = .up }
            return old
        }
        if previous != .up {
            logger.notice("store connected", metadata: ["store": "\(settings.url)", "reals": "\(state.map { "\($0.reals.count)" } ?? "?")",
                                                      "version": "\(state.map { "\($0.version)" } ?? "?")", "listening": "\(RealTable.channel)"])
        }
    }

    private func markDown(_ reason: String, retryingIn backoff: Duration) {
        let previous = reachability.withLockedValue { old in
            defer { old = .down(reason: reason) }
            return old
        }
        // Said loudly once when it happens, then quietly at each retry.
        let metadata: Logger.Metadata = ["store": "\(settings.url)", "error": "\(reason)", "retry_in": "\(backoff)"]
        if case .down = previous {
            logger.debug("store still unreachable", metadata: metadata)
        } else {
            logger.error("store unreachable: serving the real servers this director has, admin changes answer 503 until it is back",
                         metadata: metadata)
        }
    }

    // MARK: writing

    /// Makes `change` in the store in one transaction (see `RealTable.write`) and returns the
    /// state it leaves. A store that is down or does not answer in time is a 503.
    func write(_ change: AdminChange,
               validated: @escaping @Sendable ([RealServerConfig]) throws(AdminError) -> [RealServerConfig]) async throws(AdminError)
        -> StoreState {
        if case .down(let reason) = state {
            throw AdminError(status: 503, "the store \(settings.url) is unreachable (\(reason)); nothing was changed, and this director goes on with the real servers it has")
        }
        if state == .connecting {
            throw AdminError(status: 503, "the store \(settings.url) is not connected yet; nothing was changed, try again in a moment")
        }
        let client = self.client, logger = libraryLogger, instance = self.instance.value
        do {
            return try await withStoreDeadline(Self.operationTimeout, "the change") {
                try await client.withTransaction(logger: logger) { connection in
                    try await RealTable.write(change, on: connection, instance: instance, logger: logger, validated: validated)
                }
            }
        } catch let error as AdminError {
            throw error
        } catch let error as PostgresTransactionError {
            if let refusal = error.closureError as? AdminError { throw refusal }
            if error.commitError != nil {
                throw AdminError(status: 503, "the store \(settings.url) failed while committing (\(StoreFailure.reason(error))); the change may or may not be stored: GET /-/admin/real shows what runs")
            }
            throw AdminError(status: 503, "the store \(settings.url) did not take the change (\(StoreFailure.reason(error))); nothing was changed")
        } catch {
            throw AdminError(status: 503, "the store \(settings.url) did not take the change (\(StoreFailure.reason(error))); nothing was changed")
        }
    }
}
