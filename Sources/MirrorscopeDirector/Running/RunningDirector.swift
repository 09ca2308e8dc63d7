import Logging
import NIOCore
import NIOPosix

/// A director that runs: its bound URLs, run-time control and shutdown.
public final class RunningDirector: Sendable {
    public struct Listener: Sendable, Hashable {
        public var virtualServer: String
        public var isTLS: Bool
        /// `http://127.0.0.1:PORT` (the actual port when the config asked for port 0), no trailing "/".
        public var url: String
        /// The port bound (the actual one when the config asked for port 0).
        public var port: Int
    }

    public let listeners: [Listener]
    private let group: MultiThreadedEventLoopGroup
    private let serverChannels: [any Channel]
    private let loops: [NIOLoopBound<LoopState>]
    private let controller: DirectorController
    private let healthTask: Task<Void, Never>
    /// The link to the shared store (LISTEN and polls), when `store` is set.
    private let storeTask: Task<Void, Never>?
    private let logger: Logger

    init(listeners: [Listener], group: MultiThreadedEventLoopGroup, serverChannels: [any Channel],
         loops: [NIOLoopBound<LoopState>], controller: DirectorController, healthTask: Task<Void, Never>, storeTask: Task<Void, Never>?, logger: Logger) {
        self.listeners = listeners
        self.group = group
        self.serverChannels = serverChannels
        self.loops = loops
        self.controller = controller
        self.healthTask = healthTask
        self.storeTask = storeTask
        self.logger = logger
    }

    /// The primary virtual server's first plain-HTTP listener (else its first TLS one).
    private var primaryListener: Listener {
        let primary = listeners.filter { $0.virtualServer == VirtualServerConfig.primaryName }
        return primary.first { !$0.isTLS } ?? primary[0]
    }

    /// The primary virtual server's first plain-HTTP URL (else its first TLS one).
    public var url: String { primaryListener.url }

    /// The port of `url`.
    public var port: Int { primaryListener.port }

    /// The primary virtual server's first TLS URL, if it has a TLS listener.
    public var tlsURL: String? {
        listeners.first { $0.virtualServer == VirtualServerConfig.primaryName && $0.isTLS }?.url
    }

    /// The mirror page of the primary virtual server, for `mirrorscope URL`.
    public var mirrorPageURL: String { url + "/-/mirrors" }

    public func urls(of virtualServer: String) -> [String] {
        listeners.filter { $0.virtualServer == virtualServer }.map(\.url)
    }

    /// Re-reads the config file, as SIGHUP does; open connections are not touched.
    public func reload() async throws { try await controller.reload() }

    /// Runs a new configuration (same listeners) as a reload would.
    public func apply(_ config: DirectorConfig) async throws { try await controller.apply(config) }

    /// Makes an admin change, exactly as the admin API does (in the store with `store`, else the
    /// file written first when there is one).
    public func perform(_ change: AdminChange) async throws { _ = try await controller.perform(change) }

    public var config: DirectorConfig { get async { await controller.config } }

    public func realServers() async -> [RealServerStatus] { await controller.status() }

    /// Stops accepting, lets requests in progress finish (for at most `gracePeriod`), then closes
    /// everything and stops the threads.
    public func shutdown(gracePeriod: Duration = .seconds(10)) async {
        healthTask.cancel()
        storeTask?.cancel()
        for channel in serverChannels { try? await channel.close() }
        // Each connection handler closes at once when idle, or after its current response.
        var open: [EventLoopFuture<Void>] = []
        for loop in loops {
            let closing = try? await loop.eventLoop.submit { () -> [EventLoopFuture<Void>] in
                loop.value.connections.values.map { channel in
                    channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
                    return channel.closeFuture
                }
            }.get()
            open += closing ?? []
        }
        // Whichever comes first: every connection closed, or the grace period over.
        let eventLoop = group.next()
        let race = eventLoop.makePromise(of: Bool.self)
        EventLoopFuture.andAllComplete(open, on: eventLoop).whenComplete { _ in race.succeed(true) }
        let timer = eventLoop.scheduleTask(in: TimeAmount(gracePeriod)) { race.succeed(false) }
        let closedInTime = (try? await race.futureResult.get()) ?? false
        timer.cancel()
        if !closedInTime {
            logger.warning("closing connections still busy after the grace period")
            for loop in loops {
                try? await loop.eventLoop.submit { for channel in loop.value.connections.values { channel.close(promise: nil) } }.get()
            }
        }
        _ = await healthTask.value
        await storeTask?.value
        try? await group.shutdownGracefully()
        logger.info("director stopped")
    }
}
