import ArgumentParser
import Foundation
import MirrorscopeCore
import MirrorscopeHistory

/// The history across runs (docs/history.md): on by default for the TUI, `probe`, `get` and
/// `demo`; `--no-history` turns it off, `--history-file` (or `$XDG_STATE_HOME`) moves it.
struct HistoryOptions: ParsableArguments {
    @Flag(name: .customLong("no-history"), help: "Neither read nor write the history of earlier runs.")
    var noHistory = false

    @Option(name: .customLong("history-file"), help: ArgumentHelp("The history database (default: $XDG_STATE_HOME/mirrorscope/history.sqlite, else ~/.local/state/mirrorscope/history.sqlite).", valueName: "file"))
    var file: String?

    var path: String { file ?? HistoryStore.defaultPath(environment: ProcessInfo.processInfo.environment) }

    /// The session's history, or nil (off, or unusable: `warn` is told why, once).
    func open(names: HistoryNames? = nil, warn: (String) -> Void) -> HistorySession? {
        guard !noHistory else { return nil }
        let opened = HistoryStore.open(path: path)
        if let warning = opened.warning { warn(warning) }
        return opened.store.map { HistorySession(store: $0, names: names) }
    }
}

/// Stable names for a page and its mirrors whose URLs change from run to run: the demo's farm
/// listens on new ports each time, so its rounds are kept under "mirrorscope demo (seed 1)" and
/// each mirror under "demo://seed-1/warsaw/", and the next demo finds them.
struct HistoryNames: Sendable {
    var source: String
    /// The run's URL of each mirror, to its stable name.
    var mirrors: [String: String]

    func mirror(_ url: String) -> String { mirrors[url] ?? url }
}

/// An open history for one command: its trends read once, its writes off the caller's thread.
final class HistorySession: Sendable {
    let store: HistoryStore
    let writer: HistoryWriter
    let names: HistoryNames?

    init(store: HistoryStore, names: HistoryNames? = nil) {
        self.store = store
        self.names = names
        self.writer = HistoryWriter(store: store, warn: { Stderr.print("mirrorscope: warning: \($0)") })
    }

    /// Each mirror's trend for the page, by the mirror's URL of this run (empty when it cannot
    /// be read: no history).
    func trends(for page: Page) -> [String: MirrorTrend] {
        guard let stored = try? store.trends(source: names?.source ?? page.url ?? page.source) else { return [:] }
        guard let names else { return stored }
        var trends: [String: MirrorTrend] = [:]
        for (url, stable) in names.mirrors { trends[url] = stored[stable] }
        return trends
    }

    /// What `EffectRunner` calls with each finished download of the terminal's (`w`).
    var recordDownload: @Sendable (DownloadRecord) -> Void {
        { [writer, names] record in
            var record = record
            if let names { record.mirrorURL = names.mirror(record.mirrorURL) }
            writer.record(record)
        }
    }

    /// What `EffectRunner` calls with each finished round.
    var recordRound: @Sendable (RoundRecord) -> Void {
        { [writer, names] record in
            var record = record
            if let names {
                record.source = names.source
                for i in record.measurements.indices { record.measurements[i].mirrorURL = names.mirror(record.measurements[i].mirrorURL) }
            }
            writer.record(record)
        }
    }
}
