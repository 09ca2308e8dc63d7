import Foundation
import Logging
import MirrorscopeLogFile
import Synchronization

/// Where the process logs: `--log-file PATH`, or nowhere.
enum LogBootstrap {
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
        let existed = FileManager.default.fileExists(atPath: path)
        let file: LogFile
        do {
            // 0o666 less the umask: the mode a file created by FileManager gets.
            file = try LogFile(path: path, mode: 0o666)
        } catch {
            throw CLIFailure(message: "--log-file \(path): " + (existed ? "cannot write to the file" : "cannot create the file"))
        }
        LoggingSystem.bootstrap { label in LogFileHandler(label: label, file: file) }
    }
}
