import ArgumentParser
import Foundation
import MirrorscopeCore
import MirrorscopeFetch
import MirrorscopeManifest

struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Read a page's mirrors and print them, without probing.",
        discussion: """
            Every mirror URL found is listed, whatever its protocol, with what the list says of it: \
            country, priority (lower is preferred), and freshness where the format has it. Warnings \
            (skipped entries, merged duplicates) go to stderr, and into the JSON. Exit code 0, or 2 \
            for a bad or unreachable page, or when no mirror is left.
            """)

    @Argument(help: ArgumentHelp("The page: an http(s) URL, a file path, or - for stdin.", valueName: "source"))
    var source: String

    @Option(help: "Output: table, json (an object with `mirrors` and `warnings` arrays) or csv.")
    var format: OutputFormat = .table

    @OptionGroup(title: "Mirror selection") var selection: PageOptions

    @OptionGroup var trust: TrustOptions

    @OptionGroup(title: "Connections") var connection: ConnectionOptions

    @Flag(help: .hidden) // For bench/parse.sh: how long reading and parsing took, on stderr.
    var timing = false

    func run() async throws {
        // A file or stdin needs no HTTP client: it is made only for a page on the network.
        var web: WebClient?
        let loaded: LoadedPage
        let trustRoots = try trust.trustRoots()
        let proxies = try connection.proxyRules()
        do {
            loaded = try await WebClient.loadPageTimed(source, format: selection.format) { () throws(PageLoadError) -> WebClient in
                if let web { return web }
                do {
                    let client = try WebClient(configuration: .init(userAgent: Platform.clientInfo(policy: .basic).userAgent,
                                                                        additionalTrustRootsPEM: trustRoots,
                                                                        proxies: proxies, family: connection.family))
                    web = client
                    return client
                } catch {
                    throw PageLoadError("cannot start the HTTP client: \(error)")
                }
            }
        } catch {
            await web?.shutdown()
            throw CLIFailure(message: error.message)
        }
        await web?.shutdown()
        var page = loaded.page
        try selection.prepare(&page, forProbing: false)
        for warning in page.warnings { Stderr.print("mirrorscope: warning: \(warning)") }
        let output = ListOutput(page: page)
        let clock = ContinuousClock()
        let start = clock.now
        switch format {
        case .table: FileHandle.standardOutput.write(Data(output.table().utf8))
        case .json: FileHandle.standardOutput.write(Data((output.json() + "\n").utf8))
        case .csv: FileHandle.standardOutput.write(Data(output.csv().utf8))
        }
        if timing {
            func ms(_ d: Duration) -> String { Format.fixed(d.milliseconds, decimals: 2) }
            Stderr.print("mirrorscope: timing: read \(ms(loaded.readDuration)) ms, parse \(ms(loaded.parseDuration)) ms, output \(ms(clock.now - start)) ms; \(page.mirrors.count) mirrors (\(page.format ?? "?"))")
        }
    }
}
