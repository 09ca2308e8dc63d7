#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// What the connection handlers share.
final class DirectorServices: Sendable {
    let controller: DirectorController
    let control: ControlEndpoints
    let logger: Logger
    /// For proxying to and checking `https://` real servers (system trust roots).
    let upstreamTLS: NIOSSLContext?

    init(controller: DirectorController, control: ControlEndpoints, logger: Logger, upstreamTLS: NIOSSLContext?) {
        self.controller = controller
        self.control = control
        self.logger = logger
        self.upstreamTLS = upstreamTLS
    }
}

/// Starts directors in-process: `mirrorscope serve` does it from a file, the demo and the tests
/// from a value.
public enum Director {
    /// Binds every listener of every virtual server, starts health checks and returns once the
    /// director answers. `configPath` is where admin changes are written and what `reload()` reads;
    /// without it, admin changes live in memory only. `upstreamTrustRootsPEM` adds CA certificates
    /// (PEM text) trusted for https real servers, as `upstream_ca` does from a file.
    public static func start(config: DirectorConfig, configPath: String? = nil,
                             logger: Logger = Logger(label: "mirrorscope.director"),
                             upstreamTrustRootsPEM: [String] = []) async throws -> RunningDirector {
        try config.validate()
        let upstreamTLS = try makeUpstreamTLSContext(caFile: config.upstreamCA, extraPEM: upstreamTrustRootsPEM)
        let threads = config.threads ?? System.coreCount
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        do {
            return try await start(config: config, configPath: configPath, logger: logger, upstreamTLS: upstreamTLS, group: group)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private static func start(config: DirectorConfig, configPath: String?, logger: Logger, upstreamTLS: NIOSSLContext,
                              group: MultiThreadedEventLoopGroup) async throws -> RunningDirector {
        let serverTLS = try config.tls.map(makeServerTLSContext)
        let metrics = DirectorMetrics()
        let controller = try DirectorController(config: config, configPath: configPath, logger: logger)
        let initial = await controller.snapshot
        var loops: [NIOLoopBound<LoopState>] = []
        for (index, eventLoop) in group.makeIterator().enumerated() {
            let latency = metrics.latencyTimer(loop: index)
            loops.append(try await eventLoop.submit {
                NIOLoopBound(LoopState(eventLoop: eventLoop, index: index, snapshot: initial, latency: latency), eventLoop: eventLoop)
            }.get())
        }
        await controller.attach(loops)
        let services = DirectorServices(controller: controller, control: ControlEndpoints(controller: controller, metrics: metrics, loops: loops),
                                        logger: logger, upstreamTLS: upstreamTLS)
        var loopByEventLoop: [ObjectIdentifier: NIOLoopBound<LoopState>] = [:]
        for loop in loops { loopByEventLoop[ObjectIdentifier(loop.eventLoop)] = loop }

        var listeners: [RunningDirector.Listener] = []
        var channels: [any Channel] = []
        do {
            for (virtual, server) in config.virtualServers.enumerated() {
                for (address, tls) in server.listen.map({ ($0, false) }) + server.tlsListen.map({ ($0, true) }) {
                    let channel = try await bind(address: address, group: group, loops: loopByEventLoop, virtual: virtual,
                                                 tls: tls ? serverTLS : nil, services: services)
                    channels.append(channel)
                    let port = channel.localAddress?.port ?? address.port
                    let host = address.host.contains(":") ? "[\(address.host)]" : address.host
                    listeners.append(.init(virtualServer: server.name, isTLS: tls, url: "\(tls ? "https" : "http")://\(host):\(port)"))
                    logger.info("listening", metadata: ["virtual": "\(server.name)", "url": "\(listeners.last!.url)",
                                                        "mode": "\(server.mode.rawValue)"])
                }
            }
        } catch {
            for channel in channels { try? await channel.close() }
            throw error
        }
        let healthTask = Task {
            await HealthLoop(controller: controller, probe: HealthProbe(group: group, tlsContext: upstreamTLS)).run()
        }
        return RunningDirector(listeners: listeners, group: group, serverChannels: channels, loops: loops,
                               controller: controller, healthTask: healthTask, logger: logger)
    }

    private static func bind(address: ListenAddress, group: MultiThreadedEventLoopGroup,
                             loops: [ObjectIdentifier: NIOLoopBound<LoopState>], virtual: Int,
                             tls: NIOSSLContext?, services: DirectorServices) async throws -> any Channel {
        let limits = headLimits
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let loop = loops[ObjectIdentifier(channel.eventLoop)]?.value else { throw ChannelError.ioOnClosedChannel }
                    let operations = channel.pipeline.syncOperations
                    if let tls { try operations.addHandler(NIOSSLServerHandler(context: tls)) }
                    // NIO's decoder and encoder, and nothing else: see ConnectionHandler for why.
                    var encoder = HTTPResponseEncoder.Configuration()
                    encoder.automaticallySetFramingHeaders = false
                    try operations.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes,
                                                                                      informationalResponseStrategy: .drop,
                                                                                      limitConfiguration: limits)))
                    try operations.addHandler(HTTPResponseEncoder(configuration: encoder))
                    try operations.addHandler(ConnectionHandler(loop: loop, virtual: virtual, isTLS: tls != nil, services: services))
                }
            }
        do {
            return try await bootstrap.bind(host: address.host, port: address.port).get()
        } catch {
            let key = virtual == 0 ? (tls == nil ? "listen" : "tls_listen") : "virtual[\(virtual - 1)].\(tls == nil ? "listen" : "tls_listen")"
            let reason = (error as? IOError).map { String(cString: strerror($0.errnoCode)) } ?? "\(error)"
            throw ConfigError(key: key, "cannot listen on \(address): \(reason)")
        }
    }

    /// 8 KiB per header line and for the request line, 32 KiB for the whole head: what real
    /// clients need, and little for a hostile one to hold.
    static let headLimits: NIOHTTPDecoderLimitConfiguration = {
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderFieldSize = 8 * 1024
        limits.maxHeaderListSize = 32 * 1024
        limits.maxHeaderFieldCount = 100
        return limits
    }()

    private static func makeServerTLSContext(_ files: TLSFiles) throws -> NIOSSLContext {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMFile(files.certificatePath)
        } catch {
            throw ConfigError(key: "tls_cert", "cannot read a PEM certificate from \(files.certificatePath): \(error)")
        }
        do {
            key = try NIOSSLPrivateKey(file: files.keyPath, format: .pem)
        } catch {
            throw ConfigError(key: "tls_key", "cannot read a PEM private key from \(files.keyPath): \(error)")
        }
        do {
            return try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: chain.map { .certificate($0) },
                                                                             privateKey: .privateKey(key)))
        } catch {
            throw ConfigError(key: "tls_cert", "the certificate and key do not make a TLS configuration: \(error)")
        }
    }
}

extension Director {
    /// The client side of health checks and proxying to https real servers: the system's trust
    /// roots plus `upstream_ca` and any given PEM.
    static func makeUpstreamTLSContext(caFile: String?, extraPEM: [String]) throws -> NIOSSLContext {
        var roots: [NIOSSLCertificate] = []
        if let caFile {
            do {
                roots += try NIOSSLCertificate.fromPEMFile(caFile)
            } catch {
                throw ConfigError(key: "upstream_ca", "cannot read PEM certificates from \(caFile): \(error)")
            }
        }
        do {
            roots += try extraPEM.flatMap { try NIOSSLCertificate.fromPEMBytes(Array($0.utf8)) }
        } catch {
            throw ConfigError(key: "upstream_ca", "a trust root given in-process is not a PEM certificate: \(error)")
        }
        var configuration = TLSConfiguration.makeClientConfiguration()
        if !roots.isEmpty { configuration.additionalTrustRoots = [.certificates(roots)] }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw ConfigError(key: "upstream_ca", "cannot set up TLS to real servers: \(error)")
        }
    }
}

/// Checks every real server each `interval`, all at once, and hands the results to the controller.
struct HealthLoop {
    let controller: DirectorController
    let probe: HealthProbe

    func run() async {
        while !Task.isCancelled {
            let (settings, targets) = await controller.healthTargets()
            if settings.enabled {
                let timeout = TimeAmount(settings.timeout)
                let results = await withTaskGroup(of: (id: String, url: String, healthy: Bool).self) { group in
                    for target in targets {
                        group.addTask { (target.id, target.url, await probe.check(url: target.url, path: settings.path, timeout: timeout)) }
                    }
                    return await group.reduce(into: []) { $0.append($1) }
                }
                if Task.isCancelled { return }
                await controller.recordHealth(results)
            }
            try? await Task.sleep(for: settings.interval)
        }
    }
}

/// A director that runs: its bound URLs, run-time control and shutdown.
public final class RunningDirector: Sendable {
    public struct Listener: Sendable, Hashable {
        public var virtualServer: String
        public var isTLS: Bool
        /// `http://127.0.0.1:PORT` (the actual port when the config asked for port 0), no trailing "/".
        public var url: String
    }

    public let listeners: [Listener]
    private let group: MultiThreadedEventLoopGroup
    private let serverChannels: [any Channel]
    private let loops: [NIOLoopBound<LoopState>]
    private let controller: DirectorController
    private let healthTask: Task<Void, Never>
    private let logger: Logger

    init(listeners: [Listener], group: MultiThreadedEventLoopGroup, serverChannels: [any Channel],
         loops: [NIOLoopBound<LoopState>], controller: DirectorController, healthTask: Task<Void, Never>, logger: Logger) {
        self.listeners = listeners
        self.group = group
        self.serverChannels = serverChannels
        self.loops = loops
        self.controller = controller
        self.healthTask = healthTask
        self.logger = logger
    }

    /// The primary virtual server's first plain-HTTP URL (else its first TLS one).
    public var url: String {
        let primary = listeners.filter { $0.virtualServer == VirtualServerConfig.primaryName }
        return (primary.first { !$0.isTLS } ?? primary[0]).url
    }

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

    /// Makes an admin change, exactly as the admin API does (file written first when there is one).
    public func perform(_ change: AdminChange) async throws { _ = try await controller.perform(change) }

    public var config: DirectorConfig { get async { await controller.config } }

    public func realServers() async -> [RealServerStatus] { await controller.status() }

    /// Stops accepting, lets requests in progress finish (for at most `gracePeriod`), then closes
    /// everything and stops the threads.
    public func shutdown(gracePeriod: Duration = .seconds(10)) async {
        healthTask.cancel()
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
        try? await group.shutdownGracefully()
        logger.info("director stopped")
    }
}
