import Foundation
import Logging
import MirrorscopeConfig
import MirrorscopeCore
import MirrorscopeFetch
import MirrorscopeProber
import MirrorscopeRuntime
import MirrorscopeTerminal

/// The terminal session: load the page (before the screen opens, so a bad page leaves no
/// half-drawn screen), open the UI, probe, let the user choose, print the choice.
enum InteractiveSession {
    static func run(source: String, selection: PageOptions, probe: ProbeOptions, ui: InterfaceOptions, save: SaveOptions,
                    extraTrustRoots: [String] = [], proxiesFromEnvironment: Bool = true, historyNames: HistoryNames? = nil,
                    stopMirror: (@Sendable (String) async throws -> Void)? = nil) async throws {
        try save.checkTarget()
        try LogBootstrap.bootstrap(path: ui.logFile)
        let logger = Logger(label: "mirrorscope")
        let environment = ProcessInfo.processInfo.environment
        let theme: Theme
        do {
            let loaded = try ThemeLoader.load(ui.theme, environment: environment, executablePath: Bundle.main.executablePath ?? CommandLine.arguments[0])
            theme = loaded.theme
            for warning in loaded.warnings { logger.warning("\(warning)") }
        } catch {
            throw CLIFailure(message: error.description)
        }
        let unicode = TerminalUI.localeIsUTF8() && !ui.ascii
        let prepared = try await PreparedPage.load(source, selection: selection, probe: probe, extraTrustRoots: extraTrustRoots,
                                                   proxiesFromEnvironment: proxiesFromEnvironment, logger: logger)
        let (page, clientInfo, web) = (prepared.page, prepared.clientInfo, prepared.web)
        logger.info("page \(source): \(page.mirrors.count) mirrors, \(page.links.count) links, \(page.warnings.count) warnings")
        for warning in page.warnings { logger.warning("\(warning)") }

        let prober = Prober(configuration: prepared.proberConfiguration)
        let mailbox = Mailbox()
        var historyWarning: String?
        let history = probe.history.open(names: historyNames) { warning in
            logger.warning("\(warning)")
            historyWarning = warning
        }
        let runner = EffectRunner(prober: prober, web: web, logger: logger, recordRound: history?.recordRound, stopMirror: stopMirror,
                                  recordDownload: history?.recordDownload, post: mailbox.post)
        var state = AppState(page: page, options: UIOptions(
            bell: ui.bell, unicode: unicode,
            clientSummary: clientInfo.summary(requested: page.probe.clientInfo),
            downloadFolder: ui.downloadFolder, via: prepared.proxies.shownVia,
            save: save.settings(for: page, variables: selection.values), canStopMirrors: stopMirror != nil))
        state.ranking = probe.rankPolicy
        state.tieBreakSeed = UInt64.random(in: .min ... .max)
        if let historyWarning { state.notice = Notice(TerminalText.sanitize(historyWarning, maxCharacters: 200), .warning) }
        if !page.warnings.isEmpty {
            let first = page.warnings[0]
            state.notice = Notice("\(page.warnings.count) warning\(page.warnings.count == 1 ? "" : "s") reading the page: \(first)", .warning)
        }
        // Read here, before the screen opens (never on the terminal thread); the first round then
        // probes the historically best first.
        if let history { mailbox.post(.historyLoaded(history.trends(for: page))) }
        mailbox.post(.start)
        let signals = SignalWatch([SIGTERM, SIGHUP, SIGINT]) { _ in mailbox.post(.quitRequested) }
        let outcome: TerminalUI.Outcome
        do {
            outcome = try await TerminalUI.run(
                state: state,
                options: .init(theme: theme, useColor: ui.useColor(environment: environment)),
                mailbox: mailbox, perform: { effect, interface in runner.perform(effect, interface: interface) })
        } catch {
            await runner.shutdown()
            await web.shutdown()
            throw CLIFailure(message: "\(error)")
        }
        _ = signals
        await runner.shutdown()
        history?.writer.flush()
        await web.shutdown()
        if let url = outcome.chosenURL {
            logger.info("chosen: \(url)")
            print(url)
            return
        }
        throw ExitCodeValue.quitWithoutChoice
    }
}

/// Exit codes other than 0 and 2 (see CommandLineRunner).
enum ExitCodeValue {
    static let quitWithoutChoice = CLIFailureSilent(code: 130)
    static let noMirrorAnswered = CLIFailureSilent(code: 1)
}

/// An exit code without a message (the screen or the output already said it).
struct CLIFailureSilent: Error {
    var code: Int32
}
