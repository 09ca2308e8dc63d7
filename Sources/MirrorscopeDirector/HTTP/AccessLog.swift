import Logging
import MirrorscopeLogFile

/// The access log: one Common-Log-Format line per answered request, through a swift-log `Logger`
/// (`mirrorscope.access`). With `access_log = "PATH"` that logger writes the lines to the file.
enum AccessLog {
    static let label = "mirrorscope.access"

    /// The logger for a setting: nil when off; the director's own handler for `.logger`; a file
    /// handler (reusing `previous` when it writes to the same path, so a reload keeps the file).
    static func logger(for setting: AccessLogSetting, base: Logger, previous: LogFile?) throws -> (Logger?, LogFile?) {
        switch setting {
        case .off:
            return (nil, nil)
        case .logger:
            var logger = base
            logger[metadataKey: "log"] = "access"
            return (logger, nil)
        case .file(let path):
            let file: LogFile
            do {
                file = try previous?.path == path ? previous! : LogFile(path: path)
            } catch {
                throw ConfigError(key: "access_log", "\(error)")
            }
            // The lines are formatted already (Common Log Format, see ConnectionHandler+AccessLog).
            return (Logger(label: label) { label in LogFileHandler(label: label, file: file, format: .message) }, file)
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
