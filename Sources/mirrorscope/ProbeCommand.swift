import ArgumentParser
import Foundation
import Logging
import MirrorscopeCore
import MirrorscopeFetch
import MirrorscopeManifest
import MirrorscopeProber

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

struct Probe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Probe a page's mirrors once, headless, and print the ranking.",
        discussion: """
            The fastest is named as soon as no unfinished mirror can still beat it (`decided_ms` in the JSON; \
            --until-decided stops the round there). While the round runs, a progress line is shown on stderr \
            when it is a terminal. With --save, the ranked list is written to a file in a format the system reads.

            Exit code 0 when at least one mirror answered (and --save wrote its file), 1 when none did \
            (--save then writes nothing), 2 for a bad or unreachable page or a --save file that cannot be written.
            """)

    @Argument(help: ArgumentHelp("The page: an http(s) URL, a file path, or - for stdin.", valueName: "source"))
    var source: String

    @Option(help: "Output: table, json (an object with a `mirrors` array, fastest first, failed last) or csv.")
    var format: OutputFormat = .table

    @OptionGroup(title: "Mirror selection") var selection: PageOptions
    @OptionGroup(title: "Probing") var probe: ProbeOptions
    @OptionGroup(title: "Saving the ranked list") var save: SaveOptions

    @Flag(name: .customLong("until-decided"), help: """
        Stop the round as soon as the fastest is certain and print the ranking known then \
        (mirrors still in flight are listed as unfinished).
        """)
    var untilDecided = false

    @Flag(help: "No progress line on stderr (it is only shown when stderr is a terminal).")
    var quiet = false

    @Option(name: .customLong("log-file"), help: ArgumentHelp("Write a log to this file.", valueName: "file"))
    var logFile: String?

    func validate() throws {
        if save.path == nil, save.format != nil || save.keep != nil {
            throw ValidationError("--save-format and --keep need --save FILE")
        }
    }

    func run() async throws {
        try LogBootstrap.bootstrap(path: logFile)
        let logger = Logger(label: "mirrorscope.probe")
        // Before a round is spent: a --save target that cannot be a file (exit 2).
        try save.checkTarget()
        let prepared = try await PreparedPage.load(source, selection: selection, probe: probe, logger: logger)
        let page = prepared.page
        for warning in page.warnings { Stderr.print("mirrorscope: warning: \(warning)") }

        let prober = Prober(configuration: prepared.proberConfiguration)
        // The terminal UI's own state machine: latency, then freshness and throughput when the
        // page has their objects, and the decision.
        let policy = probe.rankPolicy
        let history = probe.history.open { Stderr.print("mirrorscope: warning: \($0)") }
        let outcome = await HeadlessRound.run(page: page, policy: policy, prober: prober, web: prepared.web, logger: logger,
                                              untilDecided: untilDecided, progress: ProgressDisplay.make(quiet: quiet), history: history)
        await prepared.web.shutdown()
        if outcome.interrupted { throw ExitCodeValue.quitWithoutChoice }
        let state = outcome.state
        if let reason = state.throughputSkipReason { Stderr.print("mirrorscope: throughput not measured: \(reason)") }
        let output = ProbeOutput(state: state, stoppedAtDecision: outcome.stoppedAtDecision)
        switch format {
        case .table: print(output.table(), terminator: "")
        case .json: print(try output.json())
        case .csv: print(output.csv(), terminator: "")
        }
        let answered = state.rows.contains(where: \.isOK)
        if save.path != nil { try saveList(state, page: page) }
        if !answered { throw ExitCodeValue.noMirrorAnswered }
    }

    /// `--save`: the ranked list written safely, or nothing at all (exit 1 when there is nothing
    /// to write, 2 when the file cannot be written; the old file is left as it was either way).
    private func saveList(_ state: AppState, page: Page) throws {
        let settings = save.settings(for: page, variables: selection.values)
        guard let path = settings.path else { return }
        let list = SavedList.from(state, keep: settings.effectiveKeep, variables: settings.variables)
        guard !list.entries.isEmpty else {
            throw CLIFailure(message: "nothing saved: no mirror answered, so \(path) is left as it was", code: 1)
        }
        let request = SaveRequest(id: 1, path: path, format: settings.format, list: list)
        do {
            let written = try ListFileSaver.write(request, writtenAt: Date())
            if !quiet {
                let kept = written.backup.map { "; the previous file is kept as \($0)" } ?? ""
                Stderr.print("mirrorscope: saved \(list.entries.count) mirror\(list.entries.count == 1 ? "" : "s") to \(path) (\(settings.format.title)\(kept))")
            }
        } catch {
            throw CLIFailure(message: "--save: \(error.message)", code: error.code)
        }
    }
}
