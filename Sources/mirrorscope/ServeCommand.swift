import ArgumentParser
import Foundation
import Logging
import MirrorscopeDirector

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the director: send clients to mirrors (redirect or proxy) and keep each session on one mirror.",
        discussion: """
            The configuration is a TOML file (see docs/director.md); a minimal one has `listen`, `secret` \
            and two [[real]] tables. The bound URLs are printed on stdout. SIGHUP reloads the file without \
            dropping connections; SIGINT and SIGTERM stop after the requests in progress (10 s at most).
            A bad configuration is reported with its file, line and key, and exits with status 2.
            """)

    @Option(name: .shortAndLong, help: ArgumentHelp("The director's configuration file.", valueName: "file"))
    var config: String

    @Option(help: ArgumentHelp("Log level: trace, debug, info, notice, warning, error or critical.", valueName: "level"))
    var logLevel = "info"

    @Flag(help: "Check the configuration and exit (0 when it is valid).")
    var check = false

    func validate() throws {
        if Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level must be one of: \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        let directorConfig: DirectorConfig
        do {
            directorConfig = try ConfigParser.load(path: config)
        } catch {
            Stderr.print("mirrorscope serve: \(error)")
            throw ExitCode(2)
        }
        if check {
            do {
                try Director.checkFiles(directorConfig)
            } catch let error as ConfigError {
                Stderr.print("mirrorscope serve: \(ConfigParser.locating(error, inFile: config))")
                throw ExitCode(2)
            }
            print("\(config): ok (\(directorConfig.reals.count) real servers, \(directorConfig.virtualServers.count) virtual)")
            return
        }
        var logger = Logger(label: "mirrorscope.director") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info

        let director: RunningDirector
        do {
            director = try await Director.start(config: directorConfig, configPath: config, logger: logger)
        } catch let error as ConfigError {
            Stderr.print("mirrorscope serve: \(ConfigParser.locating(error, inFile: config))")
            throw ExitCode(2)
        } catch {
            Stderr.print("mirrorscope serve: cannot start: \(error)")
            throw ExitCode(2)
        }
        for listener in director.listeners {
            print("\(listener.url) (\(listener.virtualServer))")
        }
        fflush(nil) // a script waiting for the URLs must see them now

        let signals = AsyncStream<Int32> { continuation in
            let watch = SignalWatch([SIGINT, SIGTERM, SIGHUP]) { continuation.yield($0) }
            continuation.onTermination = { _ in _ = watch }
        }
        for await number in signals {
            guard number == SIGHUP else { break }
            do {
                try await director.reload()
            } catch {
                logger.error("reload failed; the running configuration stays", metadata: ["error": "\(error)"])
            }
        }
        logger.notice("stopping")
        await director.shutdown()
    }
}
