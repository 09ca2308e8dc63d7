import ArgumentParser
import Foundation
import MirrorscopeCore
import MirrorscopeManifest

/// How to probe; each flag overrides what the page's probe script says.
struct ProbeOptions: ParsableArguments {
    @Option(help: "Fresh-connection samples per mirror, 1-20 (default: the script's, else 3).")
    var samples: Int?

    @Option(name: .customLong("timeout"), help: ArgumentHelp("Bound on one sample in milliseconds, 100-60000 (default: the script's, else 3000).", valueName: "ms"))
    var timeoutMs: Int?

    @Option(help: "Mirrors probed at once, 1-1024 (default: the script's, else 64).")
    var concurrency: Int?

    @Option(name: .customLong("client-info"), help: ArgumentHelp("""
        What mirrors are told: full (what the script asks, up to host name and local address), \
        basic (User-Agent and platform only), none (a bare User-Agent).
        """, valueName: "full|basic|none"))
    var clientInfo: ClientInfo.Policy = .full

    @OptionGroup var trust: TrustOptions

    @OptionGroup(title: "Connections") var connection: ConnectionOptions

    @OptionGroup(title: "History") var history: HistoryOptions

    @Option(help: ArgumentHelp("After the latency round, the N leading mirrors download a sample object to measure their throughput, 0-50; 0 turns it off (default: the script's, else 5).", valueName: "N"))
    var top: Int?

    @Option(name: .customLong("throughput-path"), help: ArgumentHelp("The sample object, relative to each mirror's URL (default: the script's, else the format's preset).", valueName: "path"))
    var throughputPath: String?

    @Option(name: .customLong("throughput-concurrency"), help: ArgumentHelp("Sample downloads at once, 1-16 (default 2: more would share your link and distort each other).", valueName: "N"))
    var throughputConcurrency: Int?

    @Option(help: ArgumentHelp("Rank by response time, by throughput (the measured ones by rate, the rest by response time after them), or by history (this round weighed with the last rounds: docs/history.md).", valueName: "response|throughput|history"))
    var rank: RankBy = .response

    @Option(name: .customLong("max-behind"), help: ArgumentHelp("Keep mirrors more than this far behind out of the ranking (still listed, marked stale): 90m, 6h, 2d (a bare number is hours).", valueName: "age"))
    var maxBehind: String?

    @Option(name: .customLong("freshness-path"), help: ArgumentHelp("The timestamp object that tells when each mirror synced, relative to its URL (default: the script's, else the format's preset).", valueName: "path"))
    var freshnessPath: String?

    @Option(name: .customLong("freshness-format"), help: ArgumentHelp("How the timestamp object tells the time: unix-time (the body, as Arch's lastsync), last-modified (the header), release-date (a Debian Release file's Date:); default: from the path's name.", valueName: "format"))
    var freshnessFormat: FreshnessFormat?

    func validate() throws {
        if let s = samples, !(1...20).contains(s) { throw ValidationError("--samples must be between 1 and 20") }
        if let t = timeoutMs, !(100...60_000).contains(t) { throw ValidationError("--timeout must be between 100 and 60000 ms") }
        if let c = concurrency, !(1...1024).contains(c) { throw ValidationError("--concurrency must be between 1 and 1024") }
        if let top, !(0...50).contains(top) { throw ValidationError("--top must be between 0 and 50") }
        if let c = throughputConcurrency, !(1...16).contains(c) { throw ValidationError("--throughput-concurrency must be between 1 and 16") }
        for (flag, path) in [("--throughput-path", throughputPath), ("--freshness-path", freshnessPath)] {
            if let path, FileNames.mirrorRelativePath(path).map({ $0.isEmpty }) ?? true {
                throw ValidationError("\(flag) \(path): give a path relative to each mirror's URL, without .. or a scheme")
            }
        }
        if let maxBehind, PageOptions.seconds(maxBehind) == nil {
            throw ValidationError("--max-behind \(maxBehind): give a time such as 90m, 6h or 2d")
        }
    }

    /// How the ranking is decided.
    var rankPolicy: RankPolicy {
        RankPolicy(by: rank, maxBehindSeconds: maxBehind.flatMap(PageOptions.seconds))
    }

    /// The flags over what the page (its script, or its format's preset) says.
    func apply(to page: inout Page) throws {
        var settings = page.probe
        if let samples { settings.samples = samples }
        if let timeoutMs { settings.timeoutMs = timeoutMs }
        if let concurrency { settings.concurrency = concurrency }

        // The user asked for throughput: if it cannot run, the notice says why.
        if top != nil || throughputPath != nil || throughputConcurrency != nil || rank == .throughput {
            settings.throughput.requested = true
        }
        if let top { settings.throughput.top = top }
        if let throughputConcurrency { settings.throughput.concurrency = throughputConcurrency }
        if let throughputPath, let path = FileNames.mirrorRelativePath(throughputPath) {
            settings.throughput.path = path
            settings.throughput.origin = "--throughput-path"
            for i in page.mirrors.indices { page.mirrors[i].throughputURL = nil }
        }
        if let freshnessPath, let path = FileNames.mirrorRelativePath(freshnessPath) {
            settings.freshness = FreshnessSettings(path: path, format: freshnessFormat ?? FreshnessFormat.guess(forPath: path),
                                                   reference: settings.freshness?.reference ?? .newest, origin: "--freshness-path")
            for i in page.mirrors.indices { page.mirrors[i].freshnessURL = nil }
        } else if let freshnessFormat {
            guard settings.freshness != nil else {
                throw CLIFailure(message: "--freshness-format: this page names no timestamp object; give one with --freshness-path")
            }
            settings.freshness?.format = freshnessFormat
        }
        if maxBehind != nil, settings.freshness == nil, !page.mirrors.contains(where: { $0.freshness?.lastSync != nil }) {
            page.warnings.append("--max-behind: nothing tells when these mirrors synced (no timestamp object; --freshness-path names one); no mirror is marked stale")
        }
        page.probe = settings
    }
}

extension RankBy: ExpressibleByArgument {}
extension FreshnessFormat: ExpressibleByArgument {}

/// Extra trust for https pages and mirrors with a private CA (the demo farm's, a company's).
struct TrustOptions: ParsableArguments {
    @Option(name: .customLong("cacert"), help: ArgumentHelp("Also trust the CA certificates in this PEM file (repeatable).", valueName: "file"))
    var caFiles: [String] = []

    func validate() throws {
        for file in caFiles where !FileManager.default.isReadableFile(atPath: file) {
            throw ValidationError("--cacert \(file): no such readable file")
        }
    }

    func trustRoots() throws -> [String] {
        try caFiles.map { file in
            // Read through a handle, not String(contentsOfFile:), so that `--cacert <(curl …)` (a pipe) works.
            let data = FileHandle(forReadingAtPath: file).flatMap { handle in
                defer { try? handle.close() }
                return try? handle.read(upToCount: 1 << 20)
            }
            guard let data, let text = String(data: data, encoding: .utf8), text.contains("-----BEGIN CERTIFICATE-----") else {
                throw CLIFailure(message: "--cacert \(file): not a PEM certificate file")
            }
            return text
        }
    }
}

extension ClientInfo.Policy: ExpressibleByArgument {}

enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}

/// How the terminal UI looks and behaves.
struct InterfaceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Theme name (default, light, monochrome, high-contrast, or a file in $XDG_CONFIG_HOME/mirrorscope/themes) or a path to a theme file.", valueName: "name|path"))
    var theme: String?

    @Option(help: ArgumentHelp("Colours: auto (off when NO_COLOR is set), always, never.", valueName: "auto|always|never"))
    var color: ColorChoice = .auto

    @Flag(help: "Ring the terminal bell when the fastest mirror is named (or a round ends without one).")
    var bell = false

    @Flag(help: "Draw with ASCII only (automatic when the locale is not UTF-8).")
    var ascii = false

    @Option(name: .customLong("log-file"), help: ArgumentHelp("Write a log to this file (nothing is ever logged onto the screen).", valueName: "file"))
    var logFile: String?

    @Option(name: .customLong("download-dir"), help: ArgumentHelp("Where `w` saves files (default: the current folder).", valueName: "folder"))
    var downloadFolder: String = "."

    func validate() throws {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: downloadFolder, isDirectory: &isDirectory) || !isDirectory.boolValue {
            throw ValidationError("--download-dir \(downloadFolder): no such folder")
        }
    }

    /// Colour unless turned off: an explicit --color wins over NO_COLOR (https://no-color.org).
    func useColor(environment: [String: String]) -> Bool {
        switch color {
        case .always: return true
        case .never: return false
        case .auto: return (environment["NO_COLOR"] ?? "").isEmpty
        }
    }
}
