import ArgumentParser
import Foundation
import MirrorscopeFarm

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run everything on this machine: a farm of simulated mirrors on 127.0.0.1 and the terminal UI on its download page.",
        discussion: """
            The farm's mirrors are named after cities, each with its own latency and jitter; one refuses \
            connections, one hangs and one answers 503. No network is needed.
            """)

    @Option(help: "How many simulated mirrors (1-2000).")
    var mirrors = 12

    @Option(help: "Seed for the mirrors' latencies (the same seed gives the same farm).")
    var seed: UInt64 = 1

    @Flag(name: .customLong("serve-only"), help: "Print the page URL and keep serving (for scripts and benchmarks); Ctrl-C stops.")
    var serveOnly = false

    @Flag(name: .customLong("no-jitter"), help: "Mirrors answer after exactly their scripted delay.")
    var noJitter = false

    @Option(help: "Port of the farm's origin (the page); 0 picks a free one.")
    var port = 0

    @OptionGroup(title: "Mirror selection") var selection: PageOptions
    @OptionGroup(title: "Probing") var probe: ProbeOptions
    @OptionGroup(title: "Interface") var ui: InterfaceOptions

    func validate() throws {
        if !(1...2000).contains(mirrors) { throw ValidationError("--mirrors must be between 1 and 2000") }
        if !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() async throws {
        var config = FarmConfig.demo(count: mirrors, seed: seed, jitter: !noJitter)
        config.originPort = port
        let farm: Farm
        do {
            farm = try await Farm.start(config)
        } catch {
            throw CLIFailure(message: "cannot start the demo farm: \(error)")
        }
        if serveOnly {
            print(farm.pageURL)
            fflush(nil) // the URL must reach a reading script now, not at exit
            Stderr.print("mirrorscope: serving \(farm.mirrors.count) simulated mirrors; the page is \(farm.pageURL) (Ctrl-C stops)")
            await SignalWatch.waitForTermination()
            try? await farm.shutdown()
            return
        }
        do {
            try await InteractiveSession.run(source: farm.pageURL, selection: selection, probe: probe, ui: ui, extraTrustRoots: [farm.caCertificatePEM])
        } catch {
            try? await farm.shutdown()
            throw error
        }
        try? await farm.shutdown()
    }
}
