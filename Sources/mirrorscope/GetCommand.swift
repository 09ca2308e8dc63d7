import ArgumentParser
import Foundation
import Logging
import MirrorscopeCore
import MirrorscopeDownload
import MirrorscopeFetch
import MirrorscopeManifest
import MirrorscopeNetwork
import MirrorscopeProber

struct Get: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Download files through the fastest mirror, headless: resumable, verified, with failover.",
        discussion: """
            Probes the page's mirrors (or takes --mirror), then downloads each PATH (relative to a mirror's URL) \
            through the fastest, moving to the next mirror of the ranking when one fails or stalls. A partial \
            download is kept as NAME.part (with NAME.part.json) and continued by the next run; the file gets its \
            name only once complete and verified (a Metalink's hashes, a Digest header, SHA256SUMS/SHA512SUMS \
            beside the file, or --sha256; --no-verify checks none). Prints the saved paths on stdout, one progress line on stderr when it \
            is a terminal.

            Exit codes: 0 every file saved (and verified when a hash was found), 1 a download failed or \
            failed verification (NAME.part kept), 2 bad input or an unreachable page.
            """)

    @Argument(help: ArgumentHelp("The page: an http(s) URL, a file path, or - for stdin.", valueName: "source"))
    var source: String

    @Argument(help: ArgumentHelp("Files to download, relative to each mirror's URL (files/NAME).", valueName: "path"))
    var paths: [String]

    @OptionGroup(title: "Downloading") var download: DownloadOptions
    @OptionGroup(title: "Mirror selection") var selection: PageOptions
    @OptionGroup(title: "Probing") var probe: ProbeOptions

    @Option(name: .customLong("log-file"), help: ArgumentHelp("Write a log to this file.", valueName: "file"))
    var logFile: String?

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one PATH to download") }
        if download.output != nil, paths.count > 1 { throw ValidationError("-o names one file; give one PATH, or --dir") }
        for path in paths where FileNames.mirrorRelativePath(path).map({ $0.isEmpty }) ?? true {
            throw ValidationError("\(path): give a path relative to each mirror's URL, without .. or a scheme")
        }
    }

    func run() async throws {
        try LogBootstrap.bootstrap(path: logFile)
        let destinations = try paths.map(destination)
        // The history is opened (SQLite's open and the schema check: file I/O) while the page loads.
        let historyOptions = probe.history
        async let openedHistory = historyOptions.open { Stderr.print("mirrorscope: warning: \($0)") }
        let prepared = try await PreparedPage.load(source, selection: selection, probe: probe,
                                                   logger: Logger(label: "mirrorscope.get"))
        await prepared.web.shutdown()
        let page = prepared.page
        for warning in page.warnings where !download.quiet { Stderr.print("mirrorscope: warning: \(warning)") }
        let history = await openedHistory
        defer { history?.writer.flush() }
        let mirrors = try await ranking(prepared, history: history)
        let connector = Connector(configuration: .init(proxies: prepared.proxies, family: prepared.family,
                                                       additionalTrustRootsPEM: prepared.trustRoots))
        let speed = DownloadOptions.speed(download.lowestSpeed)!
        let showProgress = !download.quiet && GetProgressLine.stderrIsTerminal

        var failed = false
        for (path, destination) in zip(paths, destinations) {
            var request = DownloadRequest(path: path, mirrors: mirrors, destination: destination)
            request.segments = download.segments
            request.lowestBytesPerSecond = speed.bytesPerSecond
            request.stallWindow = speed.window
            request.userAgent = prepared.clientInfo.userAgentHeader
            request.verify = !download.noVerify
            let facts = page.files.first { $0.name == path || $0.name == (path as NSString).lastPathComponent }
            if let sha256 = download.sha256 { request.expected.append(ExpectedHash(algorithm: .sha256, hex: sha256, source: "--sha256")) }
            if let facts {
                request.expected += Verification.hashes(in: facts)
                request.pieces = facts.pieces.lazy.compactMap(PieceHashes.init).first
            }
            let job = DownloadJob(request, connector: connector)
            let started = ContinuousClock.now
            let drawing = Task {
                for await progress in job.progress {
                    if showProgress && !progress.state.isFinal { GetProgressLine.draw(progress, final: false) }
                }
            }
            let outcome = await job.run()
            await drawing.value
            history?.writer.record(DownloadRecord(
                mirrorURL: outcome.mainMirror.map { mirrors[$0].url } ?? mirrors.first?.url ?? "",
                path: path, bytes: outcome.bytes, seconds: (ContinuousClock.now - started).milliseconds / 1000, outcome: outcome.state.text))
            var last = DownloadProgress(fileName: request.fileName, bytes: outcome.bytes, state: outcome.state, note: outcome.notes.last)
            last.total = outcome.succeeded ? outcome.bytes : nil
            if showProgress { GetProgressLine.draw(last, final: true) }
            if outcome.succeeded {
                print(outcome.path)
            } else {
                failed = true
                let notes = outcome.notes.map { TerminalText.sanitize($0, maxCharacters: 200) }.joined(separator: "; ")
                Stderr.print("mirrorscope: \(TerminalText.sanitize(path, maxCharacters: 100)): \(outcome.state.text), kept as \(outcome.path)"
                             + (notes.isEmpty ? "" : " (\(notes))"))
            }
        }
        if failed { throw CLIFailureSilent(code: 1) }
    }

    /// Where PATH goes: -o as given, else its own name in --dir (refused when it is not a plain
    /// name; an existing file is never overwritten: NAME.1, NAME.2...).
    func destination(_ path: String) throws -> String {
        if let output = download.output {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory), isDirectory.boolValue {
                throw CLIFailure(message: "-o \(output) is a folder; use --dir")
            }
            return output
        }
        do {
            return try DownloadTarget.choose(path: path, folder: download.dir ?? FileManager.default.currentDirectoryPath).path
        } catch {
            throw CLIFailure(message: error.message)
        }
    }

    /// --mirror as given, else the probe round's ranking (the mirrors that answered, best first).
    func ranking(_ prepared: PreparedPage, history: HistorySession?) async throws -> [DownloadMirror] {
        if !download.mirror.isEmpty {
            return download.mirror.map { url in
                let known = prepared.page.mirrors.first { $0.url == url }
                return DownloadMirror(name: known.flatMap(\.name) ?? URLParts(url)?.host ?? url, url: url)
            }
        }
        // The probe command's own round (the UI's state machine, its phases), then the list
        // `--save` would write: answered, not stale, best first by the active ranking.
        let outcome = await HeadlessRound.run(page: prepared.page, policy: probe.rankPolicy,
                                              prober: Prober(configuration: prepared.proberConfiguration), web: prepared.web,
                                              logger: Logger(label: "mirrorscope.get"), untilDecided: false,
                                              progress: ProgressDisplay.make(quiet: download.quiet), history: history)
        if outcome.interrupted { throw ExitCodeValue.quitWithoutChoice }
        let mirrors = SavedList.from(outcome.state).entries.map { entry in
            DownloadMirror(name: entry.mirror.name ?? URLParts(entry.mirror.url)?.host ?? entry.mirror.url, url: entry.mirror.url)
        }
        guard !mirrors.isEmpty else { throw CLIFailure(message: "no mirror answered the probes", code: 1) }
        return mirrors
    }
}
