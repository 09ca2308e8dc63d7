#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Logging
import MirrorscopeNetwork
import MirrorscopeCore
import MirrorscopeProber
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Starts directors in-process: `mirrorscope serve` does it from a file, the demo and the tests
/// from a value.
public enum Director {
    /// Opens the files a configuration names that `start` opens before binding (the GeoIP
    /// databases), so that `--check` finds the same mistakes as a start. Throws a `ConfigError`.
    public static func checkFiles(_ config: DirectorConfig) throws {
        if config.geo.isOn { _ = try GeoDatabases(settings: config.geo) }
    }

    /// Binds every listener of every virtual server, starts health checks and returns once the
    /// director answers. `configPath` is where admin changes are written and what `reload()` reads;
    /// without it, admin changes live in memory only. `upstreamTrustRootsPEM` adds CA certificates
    /// (PEM text) trusted for https real servers, as `upstream_ca` does from a file.
    /// `upstreamHosts` answers real servers' names without the system resolver (a test seam:
    /// dual-stack names on loopback).
    public static func start(config: DirectorConfig, configPath: String? = nil,
                             logger: Logger = Logger(label: "mirrorscope.director"),
                             upstreamTrustRootsPEM: [String] = [],
                             upstreamHosts: [String: [String]] = [:]) async throws -> RunningDirector {
        try config.validate()
        let upstreamTLS = try makeUpstreamTLSContext(caFile: config.upstreamCA, extraPEM: upstreamTrustRootsPEM)
        let threads = config.threads ?? System.coreCount
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        do {
            return try await start(config: config, configPath: configPath, logger: logger, upstreamTLS: upstreamTLS,
                                   upstreamHosts: upstreamHosts, upstreamTrustRootsPEM: upstreamTrustRootsPEM, group: group)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private static func start(config: DirectorConfig, configPath: String?, logger: Logger, upstreamTLS: NIOSSLContext,
                              upstreamHosts: [String: [String]], upstreamTrustRootsPEM: [String],
                              group: MultiThreadedEventLoopGroup) async throws -> RunningDirector {
        let serverTLS = try config.tls.map(makeServerTLSContext)
        let primary = config.primary
        let instance = InstanceName(configured: config.instance, port: (primary.listen + primary.tlsListen).first?.port ?? 0)
        let metrics = DirectorMetrics(instance: instance)
        let controller = try DirectorController(config: config, configPath: configPath, logger: logger)
        let initial = await controller.snapshot
        var loops: [NIOLoopBound<LoopState>] = []
        for (index, eventLoop) in group.makeIterator().enumerated() {
            // The latency series is made once the instance's name is known (after binding, below).
            loops.append(try await eventLoop.submit {
                NIOLoopBound(LoopState(eventLoop: eventLoop, index: index, snapshot: initial, latency: nil), eventLoop: eventLoop)
            }.get())
        }
        await controller.attach(loops)
        let storeTask = try await startStore(config: config, controller: controller, instance: instance, logger: logger)
        // Sizes, hashes and freshness objects are read trusting what the director's own upstream
        // connections trust.
        let caFile = config.upstreamCA.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }
        let upstreamRoots = upstreamTrustRootsPEM + (caFile.map { [$0] } ?? [])
        let factsReader = FileFactsReader(connector: Connector(configuration: .init(hosts: upstreamHosts, additionalTrustRootsPEM: upstreamRoots),
                                                               group: group), logger: logger)
        let services = DirectorServices(controller: controller, control: ControlEndpoints(controller: controller, metrics: metrics, loops: loops,
                                                                                 files: FileChecker(tlsContext: upstreamTLS, hosts: upstreamHosts)),
                                        logger: logger, upstreamTLS: upstreamTLS, upstreamHosts: upstreamHosts, facts: factsReader)
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
                    listeners.append(.init(virtualServer: server.name, isTLS: tls, url: "\(tls ? "https" : "http")://\(host):\(port)",
                                           port: port))
                    logger.info("listening", metadata: ["virtual": "\(server.name)", "url": "\(listeners.last!.url)",
                                                        "mode": "\(server.mode.rawValue)"])
                }
            }
        } catch {
            for channel in channels { try? await channel.close() }
            storeTask?.cancel()
            await storeTask?.value
            throw error
        }
        let primaryListener = listeners.first { $0.virtualServer == primary.name && !$0.isTLS }
            ?? listeners.first { $0.virtualServer == primary.name }
        instance.bound(port: primaryListener?.port ?? 0, configured: config.instance)
        for (index, loop) in loops.enumerated() {
            let latency = metrics.latencyTimer(loop: index)
            try await loop.eventLoop.submit { loop.value.counters.latency = latency }.get()
        }
        // Freshness objects are read by the client's prober.
        let prober = Prober(configuration: ProberConfiguration(clientInfo: directorClientInfo,
                                                               additionalTrustRootsPEM: upstreamRoots,
                                                               hosts: upstreamHosts), group: group)
        let healthTask = Task {
            async let health: Void = HealthLoop(controller: controller,
                                                probe: HealthProbe(group: group, tlsContext: upstreamTLS, hosts: upstreamHosts)).run()
            async let freshness: Void = FreshnessLoop(controller: controller, runner: FreshnessRoundRunner(prober: prober)).run()
            _ = await (health, freshness)
        }
        return RunningDirector(listeners: listeners, group: group, serverChannels: channels, loops: loops,
                               controller: controller, healthTask: healthTask, storeTask: storeTask, logger: logger)
    }

    /// With `store` set: links the controller to the store and waits (briefly) for its first
    /// read, so that the director serves the table's real servers from its first request; a
    /// store that is down leaves the file's servers running, and the link goes on trying.
    private static func startStore(config: DirectorConfig, controller: DirectorController, instance: InstanceName,
                                   logger: Logger) async throws -> Task<Void, Never>? {
        guard let settings = config.store else { return nil }
        let link = try StoreLink(settings: settings, instance: instance, logger: logger)
        await controller.attach(store: link)
        let task = Task {
            await link.run(seed: { await controller.fileReals }, apply: { await controller.storeChanged($0) })
        }
        await link.waitForFirstAttempt(atMost: StoreLink.connectTimeout + StoreLink.operationTimeout)
        if await controller.storeVersion == 0 {
            logger.warning("starting with the config file's real servers until the store answers",
                           metadata: ["store": "\(settings.url)", "reals": "\(config.reals.count)"])
        }
        return task
    }

    private static func bind(address: ListenAddress, group: MultiThreadedEventLoopGroup,
                             loops: [ObjectIdentifier: NIOLoopBound<LoopState>], virtual: Int,
                             tls: NIOSSLContext?, services: DirectorServices) async throws -> any Channel {
        let limits = headLimits
        let bootstrap = ServerBootstrap(group: group)
            // As deep as Linux allows (net.core.somaxconn caps it): a burst of connections (2000
            // slow clients at once) must wait in the queue, not have their SYNs dropped.
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelInitializer { channel in
                // Out of descriptors (EMFILE, ENFILE, ENOBUFS, ENOMEM): pause accepting briefly, say so
                // at most once a second, and go on as connections close (AcceptErrors.swift).
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        AcceptBackoffHandler(shouldForwardIOErrorCaught: true) { _ in AcceptErrors.backoff })
                    try channel.pipeline.syncOperations.addHandler(AcceptErrors(logger: services.logger))
                }
            }
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let loop = loops[ObjectIdentifier(channel.eventLoop)]?.value else { throw ChannelError.ioOnClosedChannel }
                    let operations = channel.pipeline.syncOperations
                    if let tls { try operations.addHandler(NIOSSLServerHandler(context: tls)) }
                    // NIO's decoder and encoder, and nothing else but the request-line guard (414s):
                    // see ConnectionHandler for why.
                    let lineGuard = RequestLineGuard(maxLineBytes: limits.maxHeaderFieldSize)
                    try operations.addHandler(lineGuard)
                    var encoder = HTTPResponseEncoder.Configuration()
                    encoder.automaticallySetFramingHeaders = false
                    try operations.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes,
                                                                                      informationalResponseStrategy: .drop,
                                                                                      limitConfiguration: limits)))
                    try operations.addHandler(HTTPResponseEncoder(configuration: encoder))
                    let handler = ConnectionHandler(loop: loop, virtual: virtual, isTLS: tls != nil, services: services)
                    handler.lineGuard = lineGuard
                    try operations.addHandler(handler)
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

    /// Who reads freshness objects: a bare `User-Agent: mirrorscope`, nothing about the host.
    static let directorClientInfo = ClientInfo(version: "director", platform: "", platformVersion: "", architecture: "",
                                               hostname: "", policy: .none)

    /// 8 KiB per header line and for the request line, 32 KiB for the whole head: what real
    /// clients need, and little for a hostile one to hold.
    static let headLimits: NIOHTTPDecoderLimitConfiguration = {
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderFieldSize = 8 * 1024
        limits.maxHeaderListSize = 32 * 1024
        limits.maxHeaderFieldCount = 100
        return limits
    }()
}
