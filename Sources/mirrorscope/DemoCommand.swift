import ArgumentParser
import Foundation
import Logging
import MirrorscopeDirector
import MirrorscopeFarm

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run everything on this machine: simulated mirrors on 127.0.0.1, the director in front of them, and the terminal UI on its page.",
        discussion: """
            The farm's mirrors are named after cities, each with its own latency and jitter; one refuses \
            connections, one hangs, one answers 503, and a quarter serve https with the farm's own CA. \
            The director (`mirrorscope serve`) runs in front of them and serves the page the UI reads. \
            No network is needed.
            """)

    @Option(help: "How many simulated mirrors (1-2000).")
    var mirrors = 12

    @Option(help: "Seed for the mirrors' latencies (the same seed gives the same farm).")
    var seed: UInt64 = 1

    @Flag(name: .customLong("serve-only"), help: """
        Print the page URL, then the farm's own URL (with /farm.json, the scripted truth, and /ca.pem), \
        and keep serving (for scripts and benchmarks); Ctrl-C stops.
        """)
    var serveOnly = false

    @Flag(name: .customLong("without-director"), help: "Serve the farm's own download page, without the director in front (benchmarks of the prober alone).")
    var withoutDirector = false

    @Flag(name: .customLong("no-jitter"), help: "Mirrors answer after exactly their scripted delay.")
    var noJitter = false

    @Option(help: "Port of the farm's origin (its own page); 0 picks a free one.")
    var port = 0

    @Option(name: .customLong("large-file"), help: ArgumentHelp("Serve files/mirrorscope-demo-1.0.img of this many bytes on every mirror (its bytes computed, never held in memory; its SHA-256 in SHA256SUMS and a Metalink beside it). The terminal demo serves \(Demo.defaultLargeFile) bytes unless told; --serve-only none.", valueName: "bytes"))
    var largeFile: Int?

    /// The terminal demo's large file: at the demo mirrors' scripted rates (1-50 MB/s a
    /// connection) a download takes seconds, long enough to watch it and to stop its mirror (X).
    static let defaultLargeFile = 40_000_000

    @Option(name: .customLong("farm-mirrors"), help: ArgumentHelp("The mirrors' scripts from a JSON file (an array of {id, name, location, delayMs, bytesPerSecond, downloadFault...}) instead of the demo's cities (benchmarks).", valueName: "file"))
    var farmMirrors: String?

    @OptionGroup(title: "Mirror selection") var selection: PageOptions
    @OptionGroup(title: "Probing") var probe: ProbeOptions
    @OptionGroup(title: "Interface") var ui: InterfaceOptions
    @OptionGroup(title: "Saving the ranked list (S)") var save: SaveOptions

    func validate() throws {
        if !(1...2000).contains(mirrors) { throw ValidationError("--mirrors must be between 1 and 2000") }
        if !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535") }
        if let largeFile, !(1...(1 << 40)).contains(largeFile) { throw ValidationError("--large-file must be between 1 byte and 1 TiB") }
    }

    func run() async throws {
        // Before the director exists: its loggers must go to the log file, never onto the screen.
        try LogBootstrap.bootstrap(path: ui.logFile)
        var config = FarmConfig.demo(count: mirrors, seed: seed, jitter: !noJitter)
        config.originPort = port
        config.largeFileBytes = largeFile ?? (serveOnly ? nil : Demo.defaultLargeFile)
        if let farmMirrors {
            do {
                config.mirrors = try JSONDecoder().decode([FarmMirrorSpec].self, from: Data(contentsOf: URL(fileURLWithPath: farmMirrors)))
            } catch {
                throw CLIFailure(message: "--farm-mirrors \(farmMirrors): \(error)")
            }
        }
        let farm: Farm
        do {
            farm = try await Farm.start(config)
        } catch {
            throw CLIFailure(message: "cannot start the demo farm: \(error)")
        }
        var director: RunningDirector?
        if !withoutDirector {
            do {
                director = try await Director.start(config: DemoDirector.configuration(for: farm),
                                                    logger: Logger(label: "mirrorscope.demo.director"),
                                                    upstreamTrustRootsPEM: [farm.caCertificatePEM])
            } catch {
                try? await farm.shutdown()
                throw CLIFailure(message: "cannot start the demo director: \(error)")
            }
        }
        let pageURL = director?.mirrorPageURL ?? farm.pageURL
        if serveOnly {
            print(pageURL)
            print(farm.originURL)
            fflush(nil) // the URLs must reach a reading script now, not at exit
            Stderr.print("mirrorscope: serving \(farm.mirrors.count) simulated mirrors; the page is \(pageURL)"
                         + (director == nil ? "" : " (the director), the farm's own is \(farm.originURL)") + " (Ctrl-C stops)")
            await SignalWatch.waitForTermination()
            await director?.shutdown(gracePeriod: .seconds(1))
            try? await farm.shutdown()
            return
        }
        do {
            // All on loopback: the environment's proxies are not for it (an explicit --proxy still is).
            // X stops a farm mirror (the page's mirror URLs are the farm's), to watch a download move.
            let stop: @Sendable (String) async throws -> Void = { url in
                guard let mirror = farm.mirrors.first(where: { Self.sameURL($0.url, url) }) else {
                    throw NotAFarmMirror(url: url)
                }
                try await farm.stopMirror(mirror.spec.id)
            }
            // The farm's ports are new each run: its history is kept under stable names.
            let names = HistoryNames(source: "mirrorscope demo (seed \(seed), \(mirrors) mirrors)", mirrors: Dictionary(
                farm.mirrors.map { ($0.url, "demo://seed-\(seed)/\($0.spec.id)/") }, uniquingKeysWith: { a, _ in a }))
            try await InteractiveSession.run(source: pageURL, selection: selection, probe: probe, ui: ui, save: save,
                                             extraTrustRoots: [farm.caCertificatePEM], proxiesFromEnvironment: false,
                                             historyNames: farmMirrors == nil ? names : nil, stopMirror: stop)
        } catch {
            await director?.shutdown(gracePeriod: .seconds(1))
            try? await farm.shutdown()
            throw error
        }
        await director?.shutdown(gracePeriod: .seconds(1))
        try? await farm.shutdown()
    }

    struct NotAFarmMirror: Error, CustomStringConvertible {
        var url: String
        var description: String { "\(url) is not one of the farm's mirrors" }
    }

    static func sameURL(_ a: String, _ b: String) -> Bool {
        func trimmed(_ s: String) -> String { s.hasSuffix("/") ? String(s.dropLast()) : s }
        return trimmed(a) == trimmed(b)
    }
}

/// The director in front of the demo's farm: every simulated mirror is a real server (named after
/// its city), checked on the probe object, and the page lists the farm's files.
enum DemoDirector {
    static func configuration(for farm: Farm) -> DirectorConfig {
        let reals = farm.mirrors.map { mirror in
            RealServerConfig(id: mirror.spec.id, url: mirror.url, location: mirror.spec.location, name: mirror.spec.name)
        }
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in String(UInt8.random(in: 0...255, using: &generator), radix: 16) }.joined()
        var config = DirectorConfig(listen: ["127.0.0.1:0"], secret: secret, reals: reals)
        config.health = HealthSettings(enabled: true, path: "probe.bin", interval: .seconds(5), timeout: .seconds(2), rise: 2, fall: 2)
        // The farm's throughput sample and sync times, as the farm's own probe script names them.
        config.page = PageSettings(title: "Mirrorscope demo 1.0 downloads", probePath: "probe.bin",
                                   links: ["files/README.txt", "files/mirrorscope-demo-1.0.tar.gz"]
                                       + (farm.largeFile == nil ? [] : ["files/" + FarmLargeFile.name])
                                       + ["files/SHA256SUMS", "files/"],
                                   throughputPath: "big.bin", freshnessPath: "lastsync", freshnessFormat: "unix-time")
        config.accessLog = .off
        config.threads = 1
        return config
    }
}
