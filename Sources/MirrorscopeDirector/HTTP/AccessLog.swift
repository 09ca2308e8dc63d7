#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import NIOConcurrencyHelpers

/// The access log: one Common-Log-Format line per answered request, through a swift-log `Logger`
/// (`mirrorscope.access`). With `access_log = "PATH"` that logger writes the lines to the file.
enum AccessLog {
    static let label = "mirrorscope.access"

    /// The logger for a setting: nil when off; the director's own handler for `.logger`; a file
    /// handler (reusing `previous` when it writes to the same path, so a reload keeps the file).
    static func logger(for setting: AccessLogSetting, base: Logger, previous: AccessLogFile?) throws -> (Logger?, AccessLogFile?) {
        switch setting {
        case .off:
            return (nil, nil)
        case .logger:
            var logger = base
            logger[metadataKey: "log"] = "access"
            return (logger, nil)
        case .file(let path):
            let file = try previous?.path == path ? previous! : AccessLogFile(path: path)
            return (Logger(label: label) { _ in AccessLogFileHandler(file: file) }, file)
        }
    }

    private static let hexDigits = Array("0123456789abcdef")

    /// Quotes a client-supplied string for a log line: `"` and `\` escaped, control and non-ASCII
    /// bytes as `\xHH`, so a request cannot forge log lines.
    static func quoted(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                result.append("\\")
                result.append(Character(Unicode.Scalar(byte)))
            case 0x20..<0x7F:
                result.append(Character(Unicode.Scalar(byte)))
            default:
                result += "\\x\(hexDigits[Int(byte >> 4)])\(hexDigits[Int(byte & 0xF)])"
            }
        }
        return result
    }
}

/// An append-only file; each line is one `write(2)` under a short lock, so lines from several
/// event loops never interleave and nothing is lost in a buffer when the process dies.
final class AccessLogFile: Sendable {
    let path: String
    private let descriptor: NIOLockedValueBox<Int32>

    init(path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw ConfigError(key: "access_log", "cannot open \(path): \(String(cString: strerror(errno)))") }
        self.path = path
        descriptor = NIOLockedValueBox(fd)
    }

    func append(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        descriptor.withLockedValue { fd in
            _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        }
    }

    deinit {
        descriptor.withLockedValue { _ = close($0) }
    }
}

struct AccessLogFileHandler: LogHandler {
    let file: AccessLogFile
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        file.append(event.message.description)
    }
}
