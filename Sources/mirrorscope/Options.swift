import ArgumentParser
import Foundation
import MirrorscopeCore

/// How to probe; each flag overrides what the page's probe script says.
struct ProbeOptions: ParsableArguments {
    @Option(help: "Fresh-connection samples per mirror, 1-20 (default: the script's, else 3).")
    var samples: Int?

    @Option(name: .customLong("timeout"), help: ArgumentHelp("Bound on one sample in milliseconds, 100-60000 (default: the script's, else 3000).", valueName: "ms"))
    var timeoutMs: Int?

    @Option(help: "Mirrors probed at once, 1-1024 (default: the script's, else 64).")
    var concurrency: Int?

    @Option(name: .customLong("client-info"), help: ArgumentHelp("""
        What mirrors are told: full (what the script asks, up to host name and local address), \
        basic (User-Agent and platform only), none (a bare User-Agent).
        """, valueName: "full|basic|none"))
    var clientInfo: ClientInfo.Policy = .full

    @OptionGroup var trust: TrustOptions

    @OptionGroup(title: "Connections") var connection: ConnectionOptions

    func validate() throws {
        if let s = samples, !(1...20).contains(s) { throw ValidationError("--samples must be between 1 and 20") }
        if let t = timeoutMs, !(100...60_000).contains(t) { throw ValidationError("--timeout must be between 100 and 60000 ms") }
        if let c = concurrency, !(1...1024).contains(c) { throw ValidationError("--concurrency must be between 1 and 1024") }
    }

    func apply(to settings: inout ProbeSettings) {
        if let samples { settings.samples = samples }
        if let timeoutMs { settings.timeoutMs = timeoutMs }
        if let concurrency { settings.concurrency = concurrency }
    }
}

/// Extra trust for https pages and mirrors with a private CA (the demo farm's, a company's).
struct TrustOptions: ParsableArguments {
    @Option(name: .customLong("cacert"), help: ArgumentHelp("Also trust the CA certificates in this PEM file (repeatable).", valueName: "file"))
    var caFiles: [String] = []

    func validate() throws {
        for file in caFiles where !FileManager.default.isReadableFile(atPath: file) {
            throw ValidationError("--cacert \(file): no such readable file")
        }
    }

    func trustRoots() throws -> [String] {
        try caFiles.map { file in
            // Read through a handle, not String(contentsOfFile:), so that `--cacert <(curl …)` (a pipe) works.
            let data = FileHandle(forReadingAtPath: file).flatMap { handle in
                defer { try? handle.close() }
                return try? handle.read(upToCount: 1 << 20)
            }
            guard let data, let text = String(data: data, encoding: .utf8), text.contains("-----BEGIN CERTIFICATE-----") else {
                throw CLIFailure(message: "--cacert \(file): not a PEM certificate file")
            }
            return text
        }
    }
}

extension ClientInfo.Policy: ExpressibleByArgument {}

enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}

/// How the terminal UI looks and behaves.
struct InterfaceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Theme name (default, light, monochrome, high-contrast, or a file in $XDG_CONFIG_HOME/mirrorscope/themes) or a path to a theme file.", valueName: "name|path"))
    var theme: String?

    @Option(help: ArgumentHelp("Colours: auto (off when NO_COLOR is set), always, never.", valueName: "auto|always|never"))
    var color: ColorChoice = .auto

    @Flag(help: "Ring the terminal bell when a probe round completes.")
    var bell = false

    @Flag(help: "Draw with ASCII only (automatic when the locale is not UTF-8).")
    var ascii = false

    @Option(name: .customLong("log-file"), help: ArgumentHelp("Write a log to this file (nothing is ever logged onto the screen).", valueName: "file"))
    var logFile: String?

    @Option(name: .customLong("download-dir"), help: ArgumentHelp("Where `w` saves files (default: the current folder).", valueName: "folder"))
    var downloadFolder: String = "."

    func validate() throws {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: downloadFolder, isDirectory: &isDirectory) || !isDirectory.boolValue {
            throw ValidationError("--download-dir \(downloadFolder): no such folder")
        }
    }

    /// Colour unless turned off: an explicit --color wins over NO_COLOR (https://no-color.org).
    func useColor(environment: [String: String]) -> Bool {
        switch color {
        case .always: return true
        case .never: return false
        case .auto: return (environment["NO_COLOR"] ?? "").isEmpty
        }
    }
}
