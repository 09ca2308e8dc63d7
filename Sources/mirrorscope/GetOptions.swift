import ArgumentParser
import MirrorscopeDownload

/// How `get` downloads: where to, from which mirrors, how many connections, what to check.
struct DownloadOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp("Save the (single) file under this name.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Save into this folder (default: the current one), under the file's own name.", valueName: "dir"))
    var dir: String?

    @Option(help: ArgumentHelp("Download from this mirror instead of probing (repeatable: the next ones are for failover and segments, in order). The path is relative to it.", valueName: "url"))
    var mirror: [String] = []

    @Option(help: ArgumentHelp("Connections at once, each to one of the best mirrors, 1-16; a slow mirror's remaining range is taken over by faster ones (default 1).", valueName: "N"))
    var segments: Int = 1

    @Option(help: ArgumentHelp("The file's expected SHA-256 (64 hex digits); a mismatch keeps NAME.part and exits 1.", valueName: "hex"))
    var sha256: String?

    @Flag(name: .customLong("no-verify"), help: "Look for no hash and check none (SHA256SUMS, Digest, a Metalink's): the file is saved unverified, without the hashing's CPU time.")
    var noVerify = false

    @Option(name: .customLong("lowest-speed"), help: ArgumentHelp("A connection slower than RATE bytes per second (K, M suffixes: KiB, MiB) for SECONDS is given up and the download moves to the next mirror (default 10K/20).", valueName: "rate[/seconds]"))
    var lowestSpeed: String = "10K/20"

    @Flag(help: "No progress line on stderr.")
    var quiet = false

    func validate() throws {
        if output != nil, dir != nil { throw ValidationError("-o and --dir exclude each other") }
        if !(1...16).contains(segments) { throw ValidationError("--segments must be between 1 and 16") }
        if let sha256, !ExpectedHash.isHex(sha256, algorithm: .sha256) {
            throw ValidationError("--sha256 \(sha256): give the 64 hex digits of a SHA-256")
        }
        if noVerify, sha256 != nil { throw ValidationError("--no-verify and --sha256 exclude each other") }
        if Self.speed(lowestSpeed) == nil {
            throw ValidationError("--lowest-speed \(lowestSpeed): give a rate and a time, such as 10K/20 (10 KiB/s for 20 s) or 1M")
        }
        for url in mirror where !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw ValidationError("--mirror \(url): give an http:// or https:// URL")
        }
    }

    /// "10K/20" -> (10240 bytes per second, 20 s); the window defaults to 20 s and may be a
    /// fraction (tests use short ones).
    static func speed(_ text: String) -> (bytesPerSecond: Double, window: Duration)? {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        var rate = String(parts[0]).uppercased()
        var unit = 1.0
        if let last = rate.last, let scale = ["K": 1024.0, "M": 1024.0 * 1024, "G": 1024.0 * 1024 * 1024][String(last)] {
            unit = scale
            rate.removeLast()
        }
        guard let value = Double(rate), value.isFinite, value >= 0 else { return nil }
        var window = 20.0
        if parts.count == 2 {
            guard let seconds = Double(parts[1]), seconds.isFinite, seconds >= 0.05, seconds <= 3600 else { return nil }
            window = seconds
        }
        return (value * unit, .milliseconds(Int64(window * 1000)))
    }
}
