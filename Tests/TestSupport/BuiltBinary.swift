import Foundation

/// The `mirrorscope` executable that `swift test` built beside the test bundle.
public enum BuiltBinary {
    public struct Missing: Error, CustomStringConvertible {
        public var description: String
    }

    public static func path() throws -> String {
        // The test runner lives in the build folder (.build/<triple>/debug); so does the executable.
        let runner = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var folder = runner.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("mirrorscope").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        throw Missing(description: "the mirrorscope executable was not found near \(runner.path); run `swift build` first")
    }
}

/// A finished child process.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

public enum ProcessRunner {
    /// Runs a program to its end with a deadline (it is killed when the deadline passes).
    /// The blocking work happens on a thread of its own: on the cooperative pool it would starve
    /// every other test of the process (2 cores give the pool 2 threads).
    public static func run(_ executable: String, _ arguments: [String], stdin: String? = nil,
                           environment: [String: String]? = nil, timeout: Duration = .seconds(60)) async throws -> ProcessResult {
        let (status, out, err, timedOut) = try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result {
                    try Spawn.run(executable, arguments, stdin: stdin, environment: environment, deadline: timeout)
                })
            }.start()
        }
        if timedOut {
            throw DeadlineExceeded(description: "\(executable) \(arguments.joined(separator: " ")) did not finish within \(timeout)")
        }
        return ProcessResult(status: status, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }
}
