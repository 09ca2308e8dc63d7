#if canImport(Glibc)
import Glibc
#endif
import CNcursesw
import Foundation
import MirrorscopeCore

/// The terminal thread's state. Not Sendable on purpose: it never leaves its thread.
struct TerminalLoop {
    var state: AppState
    let options: TerminalUI.Options
    let mailbox: Mailbox
    let perform: @Sendable (Effect, any InterfaceActions) -> Void
    /// What the effect runtime may ask of this loop; lives on this thread like the loop.
    let actions = TerminalActions()
    let tty: UnsafeMutablePointer<FILE>
    let ttyFD: Int32
    let screen: OpaquePointer
    var palette: ColorPalette
    var painted: Grid?
    var dirty = true
    let clock = ContinuousClock()
    var lastFrame: ContinuousClock.Instant
    var nextTick: ContinuousClock.Instant
    var chosenURL: String?
    var done = false

    init(state: AppState, options: TerminalUI.Options, mailbox: Mailbox,
         perform: @escaping @Sendable (Effect, any InterfaceActions) -> Void) throws {
        // The screen goes to the terminal itself, not stdout: stdout carries the chosen URL,
        // so `m=$(mirrorscope URL)` works (as fzf does).
        guard let tty = fopen("/dev/tty", "r+") else {
            throw TerminalUI.NoTerminal(description: "no terminal to draw on (/dev/tty cannot be opened); for scripts use `mirrorscope probe`")
        }
        guard let screen = newterm(nil, tty, tty) else {
            fclose(tty)
            throw TerminalUI.NoTerminal(description: "the terminal type \(ProcessInfo.processInfo.environment["TERM"] ?? "(unset)") is unknown to ncurses")
        }
        set_term(screen)
        self.tty = tty
        self.ttyFD = fileno(tty)
        self.screen = screen
        self.state = state
        self.options = options
        self.mailbox = mailbox
        self.perform = perform
        // The terminal thread is the one that must hear about window size changes (see main.swift).
        SignalMask.unblockWindowChange()
        raw()
        noecho()
        nonl()
        keypad(ms_stdscr(), true)
        nodelay(ms_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        palette = ColorPalette(theme: options.theme, useColor: options.useColor)
        lastFrame = clock.now.advanced(by: .seconds(-1))
        nextTick = clock.now
        self.state.width = Int(getmaxx(ms_stdscr()))
        self.state.height = Int(getmaxy(ms_stdscr()))
    }

    mutating func run() -> TerminalUI.Outcome {
        var local: [Msg] = []
        while !done {
            local += mailbox.drain()
            for msg in local {
                apply(msg)
                if done { break }
            }
            local.removeAll(keepingCapacity: true)
            if done { break }

            let now = clock.now
            if dirty, now - lastFrame >= options.frameInterval { paint(); lastFrame = now }
            if state.wantsTicks, now >= nextTick {
                local.append(.tick)
                nextTick = now.advanced(by: options.tickInterval)
                continue
            }
            let timeout = pollTimeout(now: now)
            local += waitForInput(timeoutMs: timeout)
        }
        return TerminalUI.Outcome(state: state, chosenURL: chosenURL)
    }

    mutating func apply(_ msg: Msg) {
        let effects = update(&state, msg)
        dirty = true
        // Every effect goes to the runtime; it calls back into `actions` for the bell and the end.
        for effect in effects { perform(effect, actions) }
        if let ending = actions.ending {
            chosenURL = ending.chosenURL
            done = true
        }
    }

    /// -1 (sleep until something happens) when idle; else until the next frame or tick is due.
    func pollTimeout(now: ContinuousClock.Instant) -> Int32 {
        var wait: Duration?
        if dirty { wait = options.frameInterval - (now - lastFrame) }
        if state.wantsTicks {
            let untilTick = nextTick - now
            wait = wait.map { min($0, untilTick) } ?? untilTick
        }
        guard let wait else { return -1 }
        let ms = wait.components.seconds * 1000 + wait.components.attoseconds / 1_000_000_000_000_000
        return Int32(max(0, min(ms + 1, 60_000)))
    }

    /// Sleeps until the terminal has input, a message was posted, or the timeout passes; then reads
    /// every pending key.
    mutating func waitForInput(timeoutMs: Int32) -> [Msg] {
        var fds = [pollfd(fd: ttyFD, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: mailbox.wakeReadFD, events: Int16(POLLIN), revents: 0)]
        _ = poll(&fds, 2, timeoutMs)
        // Read keys even after EINTR: a SIGWINCH makes get_wch report KEY_RESIZE.
        var inputs: [KeyDecoder.Input] = []
        while true {
            var code: wint_t = 0
            let status = get_wch(&code)
            if status == ERR { break }
            if let input = KeyDecoder.decode(status: status, code: UInt32(code)) { inputs.append(input) }
        }
        return KeyDecoder.droppingUnknownSequences(inputs).map { input in
            switch input {
            case .key(let key): return .key(key)
            case .resize: return .resize(width: Int(getmaxx(ms_stdscr())), height: Int(getmaxy(ms_stdscr())))
            }
        }
    }

    /// Renders the state and paints only the cells that changed since the last frame.
    mutating func paint() {
        let grid = render(state)
        if painted == nil || painted?.width != grid.width || painted?.height != grid.height {
            erase()
            painted = nil
        }
        var wide = [wchar_t](repeating: 0, count: 8)
        for change in GridDiff.changes(from: painted, to: grid) {
            if change.cell.text.isEmpty { continue } // the right half of a wide character
            let (attrs, pair) = palette.attributes(for: change.cell.style)
            var n = 0
            for scalar in change.cell.text.unicodeScalars where n < 7 {
                wide[n] = wchar_t(bitPattern: scalar.value)
                n += 1
            }
            wide[n] = 0
            _ = ms_put_cell(Int32(change.y), Int32(change.x), wide, attrs, pair)
        }
        refresh()
        painted = grid
        dirty = false
    }

    func close() {
        endwin()
        delscreen(screen)
        fclose(tty)
    }
}

/// The terminal's side of the effects: what the runtime calls for `.bell` and `.quit`. Called on
/// the terminal thread (from within `perform`), so it may call ncurses. Not Sendable on purpose.
final class TerminalActions: InterfaceActions {
    struct Ending { var chosenURL: String? }
    /// Set once an effect has ended the session; the loop stops after the current message.
    private(set) var ending: Ending?

    func ringBell() { beep() }

    func endSession(chosenURL: String?) { ending = Ending(chosenURL: chosenURL) }
}
