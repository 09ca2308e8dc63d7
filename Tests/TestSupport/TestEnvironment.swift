import Foundation

/// The environment every child a test starts gets: the test's own, with the history across runs
/// (`$XDG_STATE_HOME/mirrorscope/history.sqlite`) moved into a folder of this test process, so
/// that no test ever writes into the real home. A caller that sets XDG_STATE_HOME keeps its own.
public enum TestEnvironment {
    /// One folder per test process, under the temporary folder.
    public static let stateFolder: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mirrorscope-test-state-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    public static func isolated(_ environment: [String: String]? = nil) -> [String: String] {
        var env = environment ?? ProcessInfo.processInfo.environment
        if env["XDG_STATE_HOME"] == nil { env["XDG_STATE_HOME"] = stateFolder }
        return env
    }
}
