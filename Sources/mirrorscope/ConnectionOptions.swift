import ArgumentParser
import Foundation
import MirrorscopeNetwork

/// How connections are made: proxies (as curl reads its environment, `--proxy` over it) and the
/// address families allowed. Every connection honours them: the page, the probes, opened and
/// saved files.
struct ConnectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("""
        Connect through this proxy: http://, https://, socks5:// (names resolved here) or socks5h:// \
        (by the proxy), with user:password@ if it needs them. Wins over http_proxy/https_proxy/all_proxy; \
        an empty value turns proxies off.
        """, valueName: "url"))
    var proxy: String?

    @Option(name: .customLong("no-proxy"), help: ArgumentHelp("""
        Hosts that go direct, added to no_proxy: names (and their subdomains), addresses, CIDR ranges, \
        host:port, or * for all.
        """, valueName: "list"))
    var noProxy: String?

    @Flag(name: .customShort("4"), help: "Connect over IPv4 only.")
    var ipv4Only = false

    @Flag(name: .customShort("6"), help: "Connect over IPv6 only.")
    var ipv6Only = false

    @Option(name: .customLong("ip-family"), help: ArgumentHelp("Address families to connect over.", valueName: "any|ipv4|ipv6"))
    var ipFamily: IPFamily?

    func validate() throws {
        if ipv4Only && ipv6Only { throw ValidationError("-4 and -6 exclude each other") }
        if let ipFamily, (ipv4Only && ipFamily != .ipv4) || (ipv6Only && ipFamily != .ipv6) {
            throw ValidationError("--ip-family \(ipFamily.rawValue) contradicts \(ipv4Only ? "-4" : "-6")")
        }
    }

    var family: IPFamily {
        if ipv4Only { return .ipv4 }
        if ipv6Only { return .ipv6 }
        return ipFamily ?? .any
    }

    /// The rules for this run. `useEnvironment: false` (the demo, all on loopback) honours only
    /// `--proxy`.
    func proxyRules(useEnvironment: Bool = true) throws -> ProxyRules {
        do {
            return try ProxyRules.resolve(environment: useEnvironment ? ProcessInfo.processInfo.environment : [:],
                                          proxyFlag: proxy, noProxyFlag: noProxy)
        } catch {
            throw CLIFailure(message: error.description)
        }
    }
}

extension IPFamily: ExpressibleByArgument {}
