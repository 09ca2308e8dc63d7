import Foundation
import Logging

/// A swift-log handler that appends each message to a `LogFile`, one line per message: the
/// director's access log (`access_log = "PATH"`) and the client's `--log-file` (the screen belongs
/// to curses, so nothing is ever logged onto it).
public struct LogFileHandler: LogHandler {
    public enum Format: Sendable {
        /// The message alone, for lines that are formatted already (the access log).
        case message
        /// `TIME LEVEL LABEL: MESSAGE key=value ...`: an ISO 8601 time, the metadata sorted by key.
        case detailed
    }

    public let label: String
    public let file: LogFile
    public let format: Format
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    public init(label: String, file: LogFile, format: Format = .detailed) {
        self.label = label
        self.file = file
        self.format = format
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        switch format {
        case .message:
            file.append(event.message.description)
        case .detailed:
            var all = metadata
            if let extra = event.metadata { all.merge(extra) { $1 } }
            let fields = all.isEmpty ? "" : " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            file.append("\(Date().formatted(.iso8601)) \(event.level) \(label): \(event.message)\(fields)")
        }
    }
}
