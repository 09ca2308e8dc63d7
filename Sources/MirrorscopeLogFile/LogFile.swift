#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A file opened for appending lines (`O_APPEND`). Each line is one `write(2)` under a short
/// lock: lines from several threads never interleave, another process appending to the same file
/// never overwrites them, and nothing waits in a buffer when the process dies.
public final class LogFile: Sendable {
    public let path: String
    private let descriptor: Mutex<Int32>

    /// Opens `path`, creating it with `mode` (less the umask) when it does not exist.
    public init(path: String, mode: mode_t = 0o640) throws(LogFileError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, mode)
        guard fd >= 0 else { throw LogFileError(path: path, reason: String(cString: strerror(errno))) }
        self.path = path
        descriptor = Mutex(fd)
    }

    /// Appends `line` and a newline.
    public func append(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        descriptor.withLock { fd in
            _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        }
    }

    deinit {
        descriptor.withLock { _ = close($0) }
    }
}

/// A log file that cannot be opened; `reason` is the system's (`strerror`).
public struct LogFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "cannot open \(path): \(reason)" }
}
