import Foundation

/// A real terminal for end-to-end tests: a tmux server of its own (unique socket), a window of a
/// fixed size running one command. Tests send keys and poll the screen until what a user would
/// see is there, with a deadline; `stop()` always kills the server.
public final class TmuxSession: @unchecked Sendable {
    // @unchecked: the fields are immutable after init; tmux itself serialises the commands.
    public let socket: String
    let tmux: String

    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    public init(command: String, width: Int = 100, height: Int = 30, environment: [String: String] = [:]) throws {
        guard let tmux = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first(where: FileManager.default.isExecutableFile) else {
            throw Unavailable(description: "tmux is not installed (apt-get install -y tmux); the end-to-end tests need a real terminal")
        }
        self.tmux = tmux
        self.socket = "mirrorscope-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        // TERM is tmux's own (it must match the key sequences tmux sends); only the locale is set.
        var env = environment
        env["LANG"] = env["LANG"] ?? "C.UTF-8"
        env["XDG_STATE_HOME"] = env["XDG_STATE_HOME"] ?? TestEnvironment.stateFolder
        let exports = env.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.quote($0.value))" }.joined(separator: " ")
        try run(["-f", "/dev/null", "new-session", "-d", "-x", "\(width)", "-y", "\(height)", "env \(exports) \(command)"], capture: false)
        // Keep the window after the command ends, so its last screen can still be read.
        try? run(["set-option", "-g", "remain-on-exit", "on"])
    }

    /// The screen as plain text.
    public func screen() -> String {
        (try? run(["capture-pane", "-p", "-t", "0"], capture: true)) ?? ""
    }

    /// The screen with each cell's attributes written as the SGR sequences tmux would send
    /// (`capture-pane -e`): what the program's output did to the cells, not the bytes it wrote.
    public func screenWithAttributes() -> String {
        (try? run(["capture-pane", "-p", "-e", "-t", "0"], capture: true)) ?? ""
    }

    /// The pane's title, which an OSC 0/2 sequence in the program's output would set.
    public func paneTitle() -> String {
        (try? run(["display-message", "-p", "-t", "0", "#{pane_title}"], capture: true)) ?? ""
    }

    /// Sends keys as tmux names them ("Enter", "Down", "j", "C-c").
    public func send(_ keys: String...) throws {
        try run(["send-keys", "-t", "0"] + keys)
    }

    public func resize(width: Int, height: Int) throws {
        try run(["resize-window", "-t", "0", "-x", "\(width)", "-y", "\(height)"])
    }

    /// Waits until the screen shows `text`; returns the screen.
    @discardableResult
    public func waitFor(_ text: String, timeout: Duration = .seconds(20)) async throws -> String {
        try await waitFor(text, timeout: timeout) { $0.contains(text) }
    }

    @discardableResult
    public func waitFor(_ what: String, timeout: Duration = .seconds(20), _ condition: @escaping (String) -> Bool) async throws -> String {
        var last = ""
        try await waitUntil("the screen to show \(what)", timeout: timeout, observed: { last }) {
            last = self.screen()
            return condition(last)
        }
        return last
    }

    public func stop() {
        _ = try? run(["kill-server"])
    }

    /// Runs one tmux command. Only `capture` reads its output: a command that starts the tmux
    /// server hands the server its output, which then never reaches its end.
    @discardableResult
    func run(_ arguments: [String], capture: Bool = false) throws -> String {
        let result = try Spawn.run(tmux, ["-L", socket] + arguments, capture: capture, deadline: .seconds(10))
        guard result.status == 0, !result.timedOut else {
            throw Unavailable(description: "tmux \(arguments.first ?? "") failed with status \(result.status)")
        }
        return String(decoding: result.stdout, as: UTF8.self)
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
