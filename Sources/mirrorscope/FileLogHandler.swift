import Foundation
import Logging
import Synchronization

/// swift-log handler that appends lines to a file (`--log-file`): the screen belongs to curses,
/// so nothing is ever logged onto it.
struct FileLogHandler: LogHandler {
    final class Sink: Sendable {
        let handle: Mutex<FileHandle>
        init(handle: FileHandle) { self.handle = Mutex(handle) }
        func write(_ line: String) {
            handle.withLock { $0.write(Data(line.utf8)) }
        }
    }

    let label: String
    let sink: Sink
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { $1 } }
        let fields = all.isEmpty ? "" : " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        sink.write("\(Date().formatted(.iso8601)) \(event.level) \(label): \(event.message)\(fields)\n")
    }

    /// swift-log may be bootstrapped once per process; commands that start components which log
    /// (the demo's director) bootstrap first, and a later call keeps that choice.
    private static let bootstrapped = Mutex(false)

    /// Opens (appending) the log file and makes it the destination of every logger created after
    /// this (so call it before creating any). Nothing is logged anywhere without a path.
    static func bootstrap(path: String?) throws {
        let first = bootstrapped.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        guard let path else {
            LoggingSystem.bootstrap { _ in SwiftLogNoOpLogHandler() }
            return
        }
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CLIFailure(message: "--log-file \(path): cannot create the file")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw CLIFailure(message: "--log-file \(path): cannot write to the file")
        }
        handle.seekToEndOfFile()
        let sink = Sink(handle: handle)
        LoggingSystem.bootstrap { label in FileLogHandler(label: label, sink: sink) }
    }
}
