#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import MirrorscopeCore
import MirrorscopeFetch
import MirrorscopeProber
import MirrorscopeRuntime

/// One probe round without a screen (`mirrorscope probe`): the terminal UI's own state machine
/// (`update`), its effects carried out by the same effect runtime, so the decision, its timing
/// and the ranking (and the phases after the latency round) are the UI's. It ends with the
/// round and its phases, at the decision (`untilDecided`: the round is cancelled there), or at
/// SIGINT/SIGTERM.
enum HeadlessRound {
    struct Outcome {
        var state: AppState
        /// The round was stopped at the decision; unfinished mirrors are left as they were.
        var stoppedAtDecision: Bool
        /// A signal ended it.
        var interrupted: Bool
    }

    static func run(page: Page, policy: RankPolicy, prober: Prober, web: WebClient, logger: Logger, untilDecided: Bool,
                    progress: ProgressDisplay?, history: HistorySession? = nil) async -> Outcome {
        let (messages, inbox) = AsyncStream<Msg>.makeStream()
        let runner = EffectRunner(prober: prober, web: web, logger: logger, recordRound: history?.recordRound, post: { inbox.yield($0) })
        let interface = HeadlessInterface()
        // No screen: a height of 0 leaves the list nothing to keep in view (keepCursorVisible).
        var state = AppState(page: page, width: 80, height: 0)
        state.ranking = policy
        state.tieBreakSeed = UInt64.random(in: .min ... .max)
        let signals = SignalWatch([SIGINT, SIGTERM]) { _ in inbox.yield(.quitRequested) }
        func apply(_ msg: Msg) {
            for effect in update(&state, msg) { runner.perform(effect, interface: interface) }
        }
        // The page's past first: the first round probes the historically best first.
        if let history { apply(.historyLoaded(history.trends(for: page))) }
        apply(.start)
        var stopped = false
        for await msg in messages {
            apply(msg)
            progress?.show(state)
            if interface.ended || (!state.roundActive && state.phase == nil) { break }
            if untilDecided, state.decision != nil {
                runner.perform(.cancelRound(round: state.round), interface: interface)
                stopped = true
                break
            }
        }
        _ = signals
        await runner.shutdown()
        history?.writer.flush()
        inbox.finish()
        progress?.clear()
        return Outcome(state: state, stoppedAtDecision: stopped, interrupted: interface.ended)
    }
}

/// Without a screen there is no bell to ring; the end of the session (a signal) ends the loop.
final class HeadlessInterface: InterfaceActions {
    private(set) var ended = false
    func ringBell() {}
    func endSession(chosenURL: String?) { ended = true }
}

/// The progress line on stderr while a round runs (`ProgressLine`): only when stderr is a
/// terminal, redrawn in place at most every 100 ms (at once when the decision comes), cut to the
/// terminal's width so it never wraps, and cleared at the end.
final class ProgressDisplay {
    private var lastDraw: ContinuousClock.Instant?
    private var lastText = ""
    private var decisionShown = false

    /// nil when stderr is not a terminal, or with `--quiet`.
    static func make(quiet: Bool) -> ProgressDisplay? {
        quiet || isatty(STDERR_FILENO) == 0 ? nil : ProgressDisplay()
    }

    func show(_ state: AppState) {
        let text = ProgressLine.text(state)
        guard text != lastText else { return }
        let now = ContinuousClock.now
        let decisionNew = state.decision != nil && !decisionShown
        if !decisionNew, let last = lastDraw, now - last < .milliseconds(100) { return }
        decisionShown = state.decision != nil
        lastDraw = now
        lastText = text
        draw("\r" + DisplayWidth.truncate(text, to: max(10, Self.columns() - 1)) + "\u{1B}[K")
    }

    func clear() {
        if lastDraw != nil { draw("\r\u{1B}[K") }
    }

    private func draw(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    private static func columns() -> Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }
}
