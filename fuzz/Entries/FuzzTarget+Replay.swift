import Foundation

extension FuzzTarget {
    /// One saved input replayed: its file, the promises broken, and how long it took.
    public struct Replay: Sendable {
        public var file: String
        public var problems: [String]
        public var took: Duration
    }

    /// `replay(folder:)` on a thread of its own: the replays are seconds of CPU in a debug build,
    /// which on the cooperative pool (2 threads on 2 cores) would starve every other test of the
    /// process.
    public func replayOnThread(folder: String) async -> [Replay]? {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: self.replay(folder: folder)) }.start()
        }
    }

    /// Runs every file in `folder` (a `FuzzRegressions/TARGET` folder of a test target) through
    /// `check`, in name order; nil when the folder is missing.
    public func replay(folder: String) -> [Replay]? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return nil }
        let clock = ContinuousClock()
        return names.filter { !$0.hasPrefix(".") && !$0.hasSuffix(".md") }.sorted().compactMap { name in
            guard let data = FileManager.default.contents(atPath: folder + "/" + name) else { return nil }
            let start = clock.now
            let problems = check(Array(data))
            return Replay(file: name, problems: problems, took: clock.now - start)
        }
    }
}
