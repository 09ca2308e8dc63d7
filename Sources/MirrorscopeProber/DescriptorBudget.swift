#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// How many probes may be in flight with the file descriptors this process may still open.
/// Without it, `--concurrency 1024` under `ulimit -n 512` would fail hundreds of mirrors with
/// EMFILE, each looking like a broken mirror; with it, the round runs at the concurrency the
/// descriptors allow and says so once.
public enum DescriptorBudget {
    /// Descriptors one probe may hold at once: its connection, and a second one while Happy
    /// Eyeballs races another address of the host.
    static let perProbe = 2
    /// Kept back for everything else: the terminal, the log file, the page's client, the event
    /// loops' own descriptors, a download.
    static let reserve = 64

    /// The concurrency to use for `requested`, and a warning when it had to be lowered.
    public static func concurrency(for requested: Int) -> (allowed: Int, warning: String?) {
        guard let limit = softLimit() else { return (requested, nil) }
        let free = limit - openDescriptors() - reserve
        let allowed = max(1, min(requested, free / perProbe))
        guard allowed < requested else { return (requested, nil) }
        return (allowed, "concurrency lowered from \(requested) to \(allowed): this process may open only \(limit) files "
                    + "(ulimit -n), and each probe needs up to \(perProbe); raise the limit to probe more mirrors at once")
    }

    /// RLIMIT_NOFILE's soft limit; nil when unlimited or unknown.
    static func softLimit() -> Int? {
        var limit = rlimit()
        #if canImport(Glibc)
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        #else
        guard getrlimit(RLIMIT_NOFILE, &limit) == 0 else { return nil }
        #endif
        return limit.rlim_cur > UInt64(Int32.max) ? nil : Int(limit.rlim_cur) // RLIM_INFINITY is all ones
    }

    /// Descriptors open now (Linux lists them in /proc/self/fd; elsewhere a guess).
    static func openDescriptors() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 16
    }
}
