import MirrorscopeCore
import MirrorscopeNetwork

public struct ProberConfiguration: Sendable {
    /// Decides the client-information headers sent with each probe.
    public var clientInfo: ClientInfo
    /// PEM certificates trusted in addition to the system's roots (for example a farm's CA).
    public var additionalTrustRootsPEM: [String]
    /// The proxies the user's environment and flags choose (every probe goes through a tunnel
    /// when one applies, also for http mirrors).
    public var proxies: ProxyRules
    /// The address families allowed (`-4`, `-6`); both, raced by Happy Eyeballs, by default.
    public var family: IPFamily
    /// Names answered without the system resolver (a test seam for dual-stack names on loopback).
    public var hosts: [String: [String]]

    public init(clientInfo: ClientInfo, additionalTrustRootsPEM: [String] = [], proxies: ProxyRules = .direct,
                family: IPFamily = .any, hosts: [String: [String]] = [:]) {
        self.clientInfo = clientInfo
        self.additionalTrustRootsPEM = additionalTrustRootsPEM
        self.proxies = proxies
        self.family = family
        self.hosts = hosts
    }

    var connection: Connector.Configuration {
        Connector.Configuration(proxies: proxies, family: family, hosts: hosts, additionalTrustRootsPEM: additionalTrustRootsPEM)
    }
}
