import MirrorscopeCore
import NIOCore
import NIOHTTP1

/// A response body with its type and any extra headers.
struct FarmResource: Sendable {
    var body: ByteBuffer
    var contentType: String
    var headers: [(name: String, value: String)] = []
    var status: HTTPResponseStatus = .ok

    static func text(_ text: String, type: String = "text/plain; charset=utf-8",
                     headers: [(name: String, value: String)] = []) -> FarmResource {
        FarmResource(body: ByteBuffer(string: text), contentType: type, headers: headers)
    }

    /// Where a directory path without its "/" belongs, as web servers answer it.
    static func redirect(to location: String, status: HTTPResponseStatus = .movedPermanently,
                         headers: [(name: String, value: String)] = []) -> FarmResource {
        FarmResource(body: ByteBuffer(string: "moved to \(location)\n"), contentType: "text/plain; charset=utf-8",
                     headers: [("Location", location)] + headers, status: status)
    }

    static let notFound = FarmResource(body: ByteBuffer(string: "not found\n"),
                                       contentType: "text/plain; charset=utf-8", status: .notFound)

    /// A scripted status; 1xx, 204 and 304 answers carry no body, as HTTP requires.
    static func status(_ code: Int) -> FarmResource {
        let status = HTTPResponseStatus(statusCode: code)
        let bodyless = code < 200 || code == 204 || code == 304
        return FarmResource(body: ByteBuffer(string: bodyless ? "" : "\(code) \(status.reasonPhrase)\n"),
                            contentType: "text/plain; charset=utf-8", status: status)
    }
}

/// What one listener serves and how: a mirror's tree under /pub/ with its script, or the origin.
struct FarmSite: Sendable {
    /// Position in the farm's ledger: the mirror's index in config order, or the origin's.
    var index: Int
    /// The `X-Farm-Mirror` value; nil for the origin.
    var mirrorID: String?
    var delayMs: Double = 0
    var jitterMs: Double = 0
    var fault: FarmFault?
    var seed: UInt64 = 0
    /// Bodies are paced to this rate (bytes per second); nil: unpaced.
    var bytesPerSecond: Double? = nil
    /// The `Last-Modified` of every file the site serves (its sync time), as an HTTP date.
    var lastModified: String? = nil
    var routes: [String: FarmResource]
    /// The farm's large file, when it has one, and what this mirror does wrong serving it.
    var largeFile: FarmLargeFile? = nil
    var downloadFault: FarmDownloadFault? = nil

    func resource(forURI uri: String) -> FarmResource {
        let path = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? uri
        return routes[path] ?? .notFound
    }

    /// The scripted wait before answering request number `request` (from 1): the delay plus this
    /// request's share of jitter, drawn from its own seeded stream so that runs repeat.
    func delay(forRequest request: Int) -> TimeAmount {
        var ms = delayMs
        if jitterMs > 0 {
            var random = FarmRandom(seed: seed, stream: UInt64(index) << 32 | UInt64(truncatingIfNeeded: request))
            ms += (random.unit() * 2 - 1) * jitterMs
        }
        return .nanoseconds(Int64(max(0, ms) * 1_000_000))
    }
}

extension FarmSite {
    /// The files directory as served under `prefix` ("/pub/" on mirrors, "/" on the origin).
    static func fileRoutes(prefix: String, serverName: String, serverID: String, location: String,
                           largeFile: FarmLargeFile? = nil) -> [String: FarmResource] {
        let readme = ByteBuffer(string: FarmFiles.readme(serverName: serverName, serverID: serverID, location: location))
        let sums = ByteBuffer(string: FarmFiles.sums(readme: readme))
        let dir = prefix + "files/"
        let listing = FarmListing.html(path: dir, entries: [
            .init(name: FarmFiles.readmeName, size: readme.readableBytes),
            .init(name: FarmFiles.sumsName, size: sums.readableBytes),
            .init(name: FarmFiles.tarballName, size: FarmFiles.tarball.readableBytes),
        ] + (largeFile.map { [.init(name: FarmLargeFile.name, size: $0.size), .init(name: FarmLargeFile.name + ".meta4")] } ?? []))
        return [
            prefix + "files": .redirect(to: dir),
            dir: .text(listing, type: "text/html; charset=utf-8"),
            dir + FarmFiles.readmeName: FarmResource(body: readme, contentType: "text/plain; charset=utf-8"),
            dir + FarmFiles.sumsName: FarmResource(body: sums, contentType: "text/plain; charset=utf-8"),
            dir + FarmFiles.tarballName: FarmResource(body: FarmFiles.tarball, contentType: "application/gzip"),
        ]
    }

    /// What tells when a site last synced, and a throughput sample, at the paths real mirrors
    /// keep them (docs/formats.md, "Presets"): `lastsync`, a suite's `Release`, `repomd.xml`, the
    /// core database, and `big.bin`.
    static func freshnessRoutes(prefix: String, syncedAt: Int64) -> [String: FarmResource] {
        let binary = "application/octet-stream"
        var routes: [String: FarmResource] = [
            prefix + FarmFiles.lastsyncName: .text(FarmFiles.lastsync(syncedAt)),
            prefix + FarmFiles.releasePath: .text(FarmFiles.release(syncedAt)),
            prefix + FarmFiles.repomdPath: .text(FarmFiles.repomd(syncedAt), type: "application/xml"),
            prefix + FarmFiles.coreDatabasePath: FarmResource(body: FarmFiles.coreDatabase, contentType: binary),
            prefix + FarmFiles.sampleName: FarmResource(body: FarmFiles.sample, contentType: binary),
        ]
        // The folders of the deeper files answer too (a pacman mirror's URL is its repository's
        // folder, which the latency probe times).
        for path in [FarmFiles.releasePath, FarmFiles.repomdPath, FarmFiles.coreDatabasePath] {
            let parts = path.split(separator: "/")
            let folder = prefix + parts.dropLast().joined(separator: "/") + "/"
            let size = routes[prefix + path]?.body.readableBytes
            routes[folder] = .text(FarmListing.html(path: folder, entries: [.init(name: String(parts.last!), size: size)]),
                                   type: "text/html; charset=utf-8")
        }
        return routes
    }

    static func mirror(index: Int, spec: FarmMirrorSpec, seed: UInt64, syncedAt: Int64, largeFile: FarmLargeFile? = nil) -> FarmSite {
        var routes = fileRoutes(prefix: "/pub/", serverName: spec.name, serverID: spec.id, location: spec.location,
                                largeFile: largeFile)
        routes.merge(freshnessRoutes(prefix: "/pub/", syncedAt: syncedAt)) { a, _ in a }
        routes["/"] = .text(FarmListing.html(path: "/", entries: [.init(name: "pub/")]),
                            type: "text/html; charset=utf-8")
        routes["/pub"] = .redirect(to: "/pub/")
        routes["/pub/"] = .text(FarmListing.html(path: "/pub/", entries: [
            .init(name: "files/"),
            .init(name: FarmFiles.probeName, size: FarmFiles.probe.readableBytes),
            .init(name: FarmFiles.sampleName, size: FarmFiles.sample.readableBytes),
            .init(name: FarmFiles.lastsyncName, size: FarmFiles.lastsync(syncedAt).utf8.count),
        ]), type: "text/html; charset=utf-8")
        routes["/pub/" + FarmFiles.probeName] = FarmResource(body: FarmFiles.probe, contentType: "application/octet-stream")
        for path in spec.missing ?? [] { routes["/pub/" + path] = nil }
        return FarmSite(index: index, mirrorID: spec.id, delayMs: spec.delayMs, jitterMs: spec.jitterMs,
                        fault: spec.fault, seed: seed, bytesPerSecond: spec.bytesPerSecond,
                        lastModified: InternetDate.format(syncedAt, zone: "GMT"), routes: routes,
                        largeFile: largeFile, downloadFault: spec.downloadFault)
    }
}
