import Foundation
import MirrorscopeCore
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A mirror of a running farm: its script, its base URL and its port.
public struct RunningFarmMirror: Sendable, Hashable {
    public var spec: FarmMirrorSpec
    /// "http://127.0.0.1:PORT/pub/" (https for a TLS mirror).
    public var url: String
    public var port: Int
}

public struct FarmError: Error, CustomStringConvertible {
    public var description: String
}

/// Simulated mirrors on loopback, one listener each, plus an origin serving the download page.
/// Everything runs on the given event loop group; delays are scheduled on the event loops.
public final class Farm: Sendable {
    public let originURL: String
    /// The download page with the embedded probe script.
    public var pageURL: String { originURL }
    /// In config order.
    public let mirrors: [RunningFarmMirror]
    /// Trust this to probe the farm's https mirrors.
    public let caCertificatePEM: String
    /// The farm's loopback certificate (for 127.0.0.1, ::1 and localhost, signed by the farm's
    /// CA) and its private key: for a TLS peer a test puts beside the farm.
    public var loopbackCertificatePEM: String { serverTLS.serverCertificatePEM }
    public var loopbackKeyPEM: String { serverTLS.serverKeyPEM }
    /// The master's time the mirrors' sync times count back from (seconds since 1970).
    public let syncReference: Int64
    /// The large file every site serves (`FarmConfig.largeFileBytes`); nil when there is none.
    public let largeFile: FarmLargeFile?

    private let host: String
    private let group: any EventLoopGroup
    private let ledger: FarmLedger
    private let sites: [FarmSite]
    private let serverTLS: FarmCertificates
    private let indexByID: [String: Int]
    /// The listening channels by site index (mirrors, then the origin); a stopped mirror has none.
    private let listeners: NIOLockedValueBox<[Int: any Channel]>
    private let reservedPorts: [ReservedPort]

    private init(host: String, group: any EventLoopGroup, ledger: FarmLedger, sites: [FarmSite],
                 mirrors: [RunningFarmMirror], originURL: String, serverTLS: FarmCertificates,
                 listeners: [Int: any Channel], reservedPorts: [ReservedPort], syncReference: Int64, largeFile: FarmLargeFile?) {
        self.syncReference = syncReference
        self.largeFile = largeFile
        self.host = host
        self.group = group
        self.ledger = ledger
        self.sites = sites
        self.mirrors = mirrors
        self.originURL = originURL
        self.serverTLS = serverTLS
        self.caCertificatePEM = serverTLS.caPEM
        self.listeners = NIOLockedValueBox(listeners)
        self.reservedPorts = reservedPorts
        var indexByID: [String: Int] = [:]
        for (index, mirror) in mirrors.enumerated() { indexByID[mirror.spec.id] = index }
        self.indexByID = indexByID
    }

    public static func start(_ config: FarmConfig,
                             group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> Farm {
        try validate(config)
        let certificates = try FarmCertificates()
        let count = config.mirrors.count
        let ledger = FarmLedger(sites: count + 1, mirrors: count)
        let reference = config.syncReference ?? Int64(Date().timeIntervalSince1970)
        let largeFile = config.largeFileBytes.map { FarmLargeFile(size: $0, seed: config.seed ^ 0x6C61_7267_65, modifiedAt: reference) }
        var sites = config.mirrors.enumerated().map {
            FarmSite.mirror(index: $0, spec: $1, seed: config.seed, syncedAt: reference - ($1.behindSeconds ?? 0), largeFile: largeFile)
        }

        // Refusing mirrors first: if one cannot be reserved, nothing is listening yet (and the ports
        // reserved so far are released as they go out of scope).
        var reserved: [Int: ReservedPort] = [:]
        for (index, spec) in config.mirrors.enumerated() where spec.fault == .refuse {
            reserved[index] = try ReservedPort(host: config.host)
        }
        // All binds at once: 500 listeners need not wait for each other.
        let binding = config.mirrors.indices.filter { reserved[$0] == nil }.map { index in
            (index, FarmListener.bind(site: sites[index], host: config.host, port: 0,
                                      tls: config.mirrors[index].tls ? certificates.serverContext : nil,
                                      ledger: ledger, group: group))
        }
        var listeners: [Int: any Channel] = [:]
        var failure: (any Error)?
        for (index, future) in binding {
            do { listeners[index] = try await future.get() } catch { failure = failure ?? error }
        }

        let mirrors = config.mirrors.enumerated().map { index, spec in
            let port = reserved[index]?.port ?? listeners[index]?.localAddress?.port ?? 0
            return RunningFarmMirror(spec: spec, url: "\(spec.tls ? "https" : "http")://\(urlHost(config.host)):\(port)/pub/",
                                     port: port)
        }
        largeFile?.mirrors.withLockedValue { $0 = mirrors }
        // The origin is the master: its own timestamp objects say the reference.
        sites.append(FarmSite(index: count, mirrorID: nil, lastModified: InternetDate.format(reference, zone: "GMT"),
                              routes: FarmPage(config: config, mirrors: mirrors, caPEM: certificates.caPEM,
                                               syncReference: reference, largeFile: largeFile).routes,
                              largeFile: largeFile))
        if failure == nil {
            do {
                listeners[count] = try await FarmListener.bind(site: sites[count], host: config.host, port: config.originPort,
                                                               tls: nil, ledger: ledger, group: group).get()
            } catch {
                failure = error
            }
        }
        if let failure {
            for channel in listeners.values { try? await channel.close() }
            throw failure
        }
        let originPort = listeners[count]?.localAddress?.port ?? config.originPort
        return Farm(host: config.host, group: group, ledger: ledger, sites: sites, mirrors: mirrors,
                    originURL: "http://\(urlHost(config.host)):\(originPort)/", serverTLS: certificates,
                    listeners: listeners, reservedPorts: Array(reserved.values), syncReference: reference, largeFile: largeFile)
    }

    public func url(ofMirror id: String) -> String? {
        indexByID[id].map { mirrors[$0].url }
    }

    /// Requests the mirror has read (faulty mirrors count theirs too); 0 for an unknown id.
    public func requestCount(mirror id: String) -> Int {
        indexByID[id].map { ledger.requestCount(site: $0) } ?? 0
    }

    /// Requests with this method for this path (`/pub/files/x`, the query dropped) the mirror has read.
    public func requestCount(mirror id: String, method: String, path: String) -> Int {
        indexByID[id].map { ledger.requestCount(site: $0, method: method, path: path) } ?? 0
    }

    /// The headers of the last request the mirror read, in the order they came.
    public func lastRequestHeaders(mirror id: String) -> [(name: String, value: String)] {
        indexByID[id].map { ledger.lastHeaders(site: $0) } ?? []
    }

    /// The most connections that were open at once, over all mirrors (the origin not counted).
    public func maxConcurrentConnections() -> Int {
        ledger.mirrorHighWater
    }

    /// Connections open now, over all mirrors (the origin not counted).
    public func openConnections() -> Int {
        ledger.openMirrorConnections
    }

    /// Closes the mirror's listener and its connections: new connections are refused.
    public func stopMirror(_ id: String) async throws {
        let index = try index(of: id)
        let listener = listeners.withLockedValue { $0.removeValue(forKey: index) }
        try await listener?.close()
        for channel in ledger.connections(sites: [index]) { try? await channel.close() }
    }

    /// Listens again on the mirror's port after `stopMirror` (a refusing mirror stays refusing).
    public func startMirror(_ id: String) async throws {
        let index = try index(of: id)
        let spec = mirrors[index].spec
        guard spec.fault != .refuse, listeners.withLockedValue({ $0[index] == nil }) else { return }
        let channel = try await FarmListener.bind(site: sites[index], host: host, port: mirrors[index].port,
                                                  tls: spec.tls ? serverTLS.serverContext : nil,
                                                  ledger: ledger, group: group).get()
        let raced = listeners.withLockedValue { listeners -> Bool in
            if listeners[index] != nil { return true }
            listeners[index] = channel
            return false
        }
        if raced { try await channel.close() }
    }

    /// Closes every listener and connection and releases the refusing ports. The event loop
    /// group is the caller's (by default the process-wide singleton) and stays up.
    public func shutdown() async throws {
        let open = listeners.withLockedValue { listeners in
            defer { listeners.removeAll() }
            return Array(listeners.values)
        }
        for channel in open { try? await channel.close() }
        for channel in ledger.connections() { try? await channel.close() }
        for port in reservedPorts { port.release() }
    }

    private func index(of id: String) throws -> Int {
        guard let index = indexByID[id] else { throw FarmError(description: "no farm mirror with id \"\(id)\"") }
        return index
    }

    private static func urlHost(_ host: String) -> String {
        host.contains(":") ? "[\(host)]" : host
    }

    private static func validate(_ config: FarmConfig) throws {
        var ids = Set<String>()
        for spec in config.mirrors {
            guard ids.insert(spec.id).inserted else { throw FarmError(description: "two farm mirrors have the id \"\(spec.id)\"") }
            // The id goes into the X-Farm-Mirror header, the location into Link headers, as they are.
            let text = (spec.id + spec.name + spec.location).unicodeScalars
            guard !spec.id.isEmpty, !text.contains(where: { $0.properties.generalCategory == .control }) else {
                throw FarmError(description: "farm mirror \"\(spec.id)\": an empty id, or a control character in its id, name or location")
            }
            guard spec.delayMs.isFinite, spec.delayMs >= 0, spec.jitterMs.isFinite, spec.jitterMs >= 0 else {
                throw FarmError(description: "farm mirror \"\(spec.id)\": delay and jitter must be finite and not negative")
            }
            if let rate = spec.bytesPerSecond, !(rate.isFinite && rate >= 1) {
                throw FarmError(description: "farm mirror \"\(spec.id)\": bytes per second must be finite and at least 1")
            }
            if let behind = spec.behindSeconds, behind < 0 {
                throw FarmError(description: "farm mirror \"\(spec.id)\": behind seconds must not be negative")
            }
        }
    }
}
