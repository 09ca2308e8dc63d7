import Logging
import MirrorscopeCore
import MirrorscopeManifest
import MirrorscopeFetch
import MirrorscopeNetwork
import MirrorscopeProber

/// The page the user named, loaded and made ready to probe: filters and templates from the page
/// options, the user's probe flags over the script's. Shared by the terminal session and `probe`.
struct PreparedPage {
    var page: Page
    var clientInfo: ClientInfo
    var trustRoots: [String]
    /// The connections' rules, for the probes as for the fetches.
    var proxies: ProxyRules
    var family: IPFamily
    /// Still open: the session opens the page's links with it; `probe` shuts it down at once.
    var web: WebClient

    /// The probes connect as the fetches do: same proxies, families and trust roots.
    var proberConfiguration: ProberConfiguration {
        ProberConfiguration(clientInfo: clientInfo, additionalTrustRootsPEM: trustRoots, proxies: proxies, family: family)
    }

    static func load(_ source: String, selection: PageOptions, probe: ProbeOptions, extraTrustRoots: [String] = [],
                     proxiesFromEnvironment: Bool = true, logger: Logger) async throws -> PreparedPage {
        let clientInfo = Platform.clientInfo(policy: probe.clientInfo)
        let trustRoots = try probe.trust.trustRoots() + extraTrustRoots
        let proxies = try probe.connection.proxyRules(useEnvironment: proxiesFromEnvironment)
        let web = try WebClient(configuration: .init(userAgent: clientInfo.userAgentHeader, additionalTrustRootsPEM: trustRoots,
                                                     logger: logger, proxies: proxies, family: probe.connection.family))
        do {
            var page = try await web.loadPage(source, format: selection.format)
            try selection.prepare(&page, forProbing: true)
            // The format's well-known objects, then the user's flags over them.
            Presets.apply(to: &page, values: selection.values)
            try probe.apply(to: &page)
            // Said before the round, where the user sees it (stderr for `probe`, the notice line
            // for the terminal); the prober applies the same cap.
            if let warning = DescriptorBudget.concurrency(for: page.probe.concurrency).warning { page.warnings.append(warning) }
            return PreparedPage(page: page, clientInfo: clientInfo, trustRoots: trustRoots, proxies: proxies,
                                family: probe.connection.family, web: web)
        } catch let error as PageLoadError {
            await web.shutdown()
            throw CLIFailure(message: error.message)
        } catch {
            await web.shutdown()
            throw error
        }
    }
}
