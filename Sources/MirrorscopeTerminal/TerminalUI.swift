#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MirrorscopeCore

/// The ncurses backend. One dedicated thread owns every ncurses call (ncurses is not thread-safe,
/// and `get_wch` can itself refresh the screen): it drains the mailbox, runs `update`, renders at a
/// capped frame rate, paints the changed cells, and sleeps in `poll` until a key, a message or a
/// due tick arrives.
public enum TerminalUI {
    public struct Options: Sendable {
        public var theme: Theme
        public var useColor: Bool
        /// Longest time between two frames' worth of updates (frames are capped at this rate).
        public var frameInterval: Duration
        /// Animation ticks while something is in flight.
        public var tickInterval: Duration

        public init(theme: Theme, useColor: Bool, frameInterval: Duration = .milliseconds(33), tickInterval: Duration = .milliseconds(120)) {
            self.theme = theme
            self.useColor = useColor
            self.frameInterval = frameInterval
            self.tickInterval = tickInterval
        }
    }

    public struct Outcome: Sendable {
        public var state: AppState
        /// The URL to print (exit 0), or nil when the user quit without choosing (exit 130).
        public var chosenURL: String?
    }

    public struct NoTerminal: Error, CustomStringConvertible {
        public var description: String
    }

    /// Whether the locale is UTF-8 (else bars and boxes are drawn in ASCII). Sets the locale from
    /// the environment, as ncurses needs before it starts.
    public static func localeIsUTF8() -> Bool {
        setlocale(LC_ALL, "")
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }

    /// Runs the session until an effect ends it. `perform` receives every effect `update` returns
    /// (the effect runtime's `perform`); it is called on the terminal thread, must not block, and
    /// rings the bell or ends the session through the `InterfaceActions` it is given.
    public static func run(state: AppState, options: Options, mailbox: Mailbox,
                           perform: @escaping @Sendable (Effect, any InterfaceActions) -> Void) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                do {
                    var loop = try TerminalLoop(state: state, options: options, mailbox: mailbox, perform: perform)
                    let outcome = loop.run()
                    loop.close()
                    continuation.resume(returning: outcome)
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.name = "mirrorscope-terminal"
            thread.start()
        }
    }
}
