import ArgumentParser
import Foundation
import Logging
import MirrorscopeCore
import MirrorscopeFetch
import MirrorscopeProber

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

struct Probe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Probe a page's mirrors once, headless, and print the ranking.",
        discussion: "Exit code 0 when at least one mirror answered, 1 when none did, 2 for a bad or unreachable page.")

    @Argument(help: ArgumentHelp("The page: an http(s) URL, a file path, or - for stdin.", valueName: "source"))
    var source: String

    @Option(help: "Output: table, json (an object with a `mirrors` array, fastest first, failed last) or csv.")
    var format: OutputFormat = .table

    @OptionGroup(title: "Mirror selection") var selection: PageOptions
    @OptionGroup(title: "Probing") var probe: ProbeOptions

    @Option(name: .customLong("log-file"), help: ArgumentHelp("Write a log to this file.", valueName: "file"))
    var logFile: String?

    func run() async throws {
        try LogBootstrap.bootstrap(path: logFile)
        let prepared = try await PreparedPage.load(source, selection: selection, probe: probe,
                                                   logger: Logger(label: "mirrorscope.probe"))
        await prepared.web.shutdown()
        let page = prepared.page
        for warning in page.warnings { Stderr.print("mirrorscope: warning: \(warning)") }

        let prober = Prober(configuration: prepared.proberConfiguration)
        // Latency, then freshness and throughput when the page has their objects.
        let policy = probe.rankPolicy
        let round = await MeasuredRound.run(prober: prober, page: page, policy: policy)
        if let reason = round.throughputSkipped { Stderr.print("mirrorscope: throughput not measured: \(reason)") }
        let ranked = round.ranked(page, policy: policy)
        let output = ProbeOutput(page: page, ranked: ranked, policy: policy, judge: round.judge)
        switch format {
        case .table: print(output.table(), terminator: "")
        case .json: print(try output.json())
        case .csv: print(output.csv(), terminator: "")
        }
        if !ranked.contains(where: \.ok) { throw ExitCodeValue.noMirrorAnswered }
    }
}
