import ArgumentParser
import Foundation
import MirrorscopeCore
import MirrorscopeHistory
import MirrorscopeManifest

struct History: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Print what earlier runs measured: each mirror's rounds, trend, failure rate and last good throughput.",
        discussion: """
            Every probe round (of the TUI, probe, get and demo) and every download is kept in \
            $XDG_STATE_HOME/mirrorscope/history.sqlite (default ~/.local/state/mirrorscope/); see docs/history.md \
            for the schema and the JSON keys. Exit code 0, also when there is no history yet; 2 when the \
            file cannot be read.
            """)

    @Argument(help: ArgumentHelp("Only this page (the URL or file as it was given to probe or the TUI).", valueName: "source"))
    var source: String?

    @Option(help: "Output: table, json (an object with a `mirrors` array) or csv.")
    var format: OutputFormat = .table

    @Option(help: ArgumentHelp("Only rounds younger than this: 90m, 6h, 2d (a bare number is hours).", valueName: "age"))
    var since: String?

    @Option(name: .customLong("history-file"), help: ArgumentHelp("The history database (default: $XDG_STATE_HOME/mirrorscope/history.sqlite).", valueName: "file"))
    var file: String?

    func validate() throws {
        if let since, PageOptions.seconds(since) == nil { throw ValidationError("--since \(since): give an age such as 90m, 6h or 2d") }
    }

    func run() async throws {
        let path = file ?? HistoryStore.defaultPath(environment: ProcessInfo.processInfo.environment)
        guard FileManager.default.fileExists(atPath: path) else {
            // Not made here: reading never creates the file.
            Stderr.print("mirrorscope: no history yet (\(path))")
            print(HistoryOutput(mirrors: [], path: path).render(format), terminator: format == .json ? "\n" : "")
            return
        }
        let opened = HistoryStore.open(path: path)
        guard let store = opened.store else { throw CLIFailure(message: opened.warning ?? "history \(path): cannot be read") }
        let cutoff = since.flatMap(PageOptions.seconds).map { Date().timeIntervalSince1970 - Double($0) }
        let mirrors: [MirrorHistory]
        do {
            mirrors = try store.mirrors(source: source, since: cutoff)
        } catch {
            throw CLIFailure(message: "history \(path): \(error)")
        }
        print(HistoryOutput(mirrors: mirrors, path: path).render(format), terminator: format == .json ? "\n" : "")
    }
}

/// `mirrorscope history` as table, JSON or CSV.
struct HistoryOutput {
    var mirrors: [MirrorHistory]
    var path: String

    func render(_ format: OutputFormat) -> String {
        switch format {
        case .table: table()
        case .json: json()
        case .csv: csv()
        }
    }

    /// One block per page: its mirrors, best median first.
    func table() -> String {
        guard !mirrors.isEmpty else { return "no rounds recorded\n" }
        var out = ""
        var lines: [[String]] = []
        var current: String?
        func flush() {
            if !lines.isEmpty { out += TextTable.render(lines, alignRight: { (1...4).contains($0) }) }
            lines = []
        }
        for m in mirrors {
            if m.source != current {
                flush()
                if current != nil { out += "\n" }
                out += "page \(TerminalText.sanitize(m.source, maxCharacters: 200))\n"
                lines = [["TREND", "ROUNDS", "FAILED", "MEDIAN", "RATE", "FIRST", "LAST", "URL"]]
                current = m.source
            }
            lines.append([TrendLine.sparkline(m.trend.points, unicode: true), "\(m.rounds)",
                          Format.fixed(m.failureRate * 100, decimals: 0) + "%",
                          m.medianMs.map(Format.ms) ?? "-", m.trend.lastGoodBps.map(Format.rate) ?? "-",
                          Format.utc(epochSeconds: Int64(m.firstAt)), Format.utc(epochSeconds: Int64(m.lastAt)),
                          TerminalText.sanitize(m.mirrorURL, maxCharacters: 300)])
        }
        flush()
        return out
    }

    func csv() -> String {
        let q = CSV.field
        func f(_ v: Double?) -> String { v.map { Format.fixed($0, decimals: 3) } ?? "" }
        var out = "source,mirror_url,rounds,failures,failure_rate,median_ms,last_ms,last_good_bps,first_at,last_at,downloads,trend_ms\n"
        for m in mirrors {
            let trend = m.trend.points.map { $0.ms.map { Format.fixed($0, decimals: 1) } ?? "" }.joined(separator: " ")
            out += [q(m.source), q(m.mirrorURL), "\(m.rounds)", "\(m.failures)", Format.fixed(m.failureRate, decimals: 3),
                    f(m.medianMs), f(m.lastMs), m.trend.lastGoodBps.map { String(Int($0)) } ?? "",
                    iso(m.firstAt), iso(m.lastAt), "\(m.downloads)", q(trend)].joined(separator: ",") + "\n"
        }
        return out
    }

    func json() -> String {
        struct Point: Encodable {
            var at: String
            var ms: Double?
        }
        struct Entry: Encodable {
            var source: String
            var mirrorUrl: String
            var rounds: Int
            var failures: Int
            var failureRate: Double
            var medianMs: Double?
            var lastMs: Double?
            var lastGoodBps: Double?
            var firstAt: String
            var lastAt: String
            var downloads: Int
            var trend: [Point]

            enum CodingKeys: String, CodingKey {
                case source, rounds, failures, downloads, trend
                case mirrorUrl = "mirror_url", failureRate = "failure_rate", medianMs = "median_ms", lastMs = "last_ms"
                case lastGoodBps = "last_good_bps", firstAt = "first_at", lastAt = "last_at"
            }

            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(source, forKey: .source)
                try c.encode(mirrorUrl, forKey: .mirrorUrl)
                try c.encode(rounds, forKey: .rounds)
                try c.encode(failures, forKey: .failures)
                try c.encode(failureRate, forKey: .failureRate)
                try c.encode(medianMs, forKey: .medianMs)
                try c.encode(lastMs, forKey: .lastMs)
                try c.encode(lastGoodBps, forKey: .lastGoodBps)
                try c.encode(firstAt, forKey: .firstAt)
                try c.encode(lastAt, forKey: .lastAt)
                try c.encode(downloads, forKey: .downloads)
                try c.encode(trend, forKey: .trend)
            }
        }
        struct Document: Encodable {
            var file: String
            var mirrors: [Entry]
        }
        func ms(_ v: Double?) -> Double? { v.map { ($0 * 10).rounded() / 10 } }
        let entries = mirrors.map { m in
            Entry(source: m.source, mirrorUrl: m.mirrorURL, rounds: m.rounds, failures: m.failures,
                  failureRate: (m.failureRate * 1000).rounded() / 1000, medianMs: ms(m.medianMs), lastMs: ms(m.lastMs),
                  lastGoodBps: m.trend.lastGoodBps.map { $0.rounded() }, firstAt: iso(m.firstAt), lastAt: iso(m.lastAt),
                  downloads: m.downloads, trend: m.trend.points.map { Point(at: $0.at.map(iso) ?? "", ms: ms($0.ms)) })
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(Document(file: path, mirrors: entries))) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// ISO 8601 in UTC, to the second.
    private func iso(_ seconds: Double) -> String {
        Timestamps.iso8601(seconds: Int64(seconds.rounded(.down)))
    }
}
