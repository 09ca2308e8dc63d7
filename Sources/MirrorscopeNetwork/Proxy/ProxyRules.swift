import Foundation

/// Which proxy, if any, each connection uses: the environment read as curl reads it, and the
/// user's flags over it.
///
/// - `http_proxy` (lower case only, as curl: a CGI program's `HTTP_PROXY` can be set by a client's
///   `Proxy:` header) for `http` URLs; `https_proxy`, then `HTTPS_PROXY`, for `https` URLs;
///   `all_proxy`, then `ALL_PROXY`, for either when its own is unset. An empty value is unset.
/// - `no_proxy`, then `NO_PROXY`: the hosts that go direct (`NoProxyList`).
/// - `--proxy URL` is used for every URL instead; `--proxy ''` turns proxies off whatever the
///   environment says; `--no-proxy LIST` adds to the bypass list.
public struct ProxyRules: Sendable, Hashable {
    public var http: ProxyURL?
    public var https: ProxyURL?
    public var noProxy: NoProxyList

    public init(http: ProxyURL? = nil, https: ProxyURL? = nil, noProxy: NoProxyList = NoProxyList("")) {
        self.http = http
        self.https = https
        self.noProxy = noProxy
    }

    /// No proxy for anything.
    public static let direct = ProxyRules()

    public var isDirect: Bool { http == nil && https == nil }

    /// A bad value names the variable or flag it came from (never the password).
    public struct Invalid: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    public static func resolve(environment: [String: String], proxyFlag: String?, noProxyFlag: String?) throws(Invalid) -> ProxyRules {
        func value(_ names: String...) -> (name: String, value: String)? {
            for name in names {
                if let v = environment[name], !v.trimmingCharacters(in: .whitespaces).isEmpty { return (name, v) }
            }
            return nil
        }
        func parse(_ source: (name: String, value: String)?) throws(Invalid) -> ProxyURL? {
            guard let source else { return nil }
            do { return try ProxyURL(source.value) } catch { throw Invalid(description: "\(source.name): \(error.description)") }
        }
        var noProxy = NoProxyList(value("no_proxy", "NO_PROXY")?.value ?? "")
        if let extra = noProxyFlag { noProxy = noProxy.adding(NoProxyList(extra)) }
        if let flag = proxyFlag {
            if flag.trimmingCharacters(in: .whitespaces).isEmpty { return .direct }
            let proxy = try parse(("--proxy", flag))
            return ProxyRules(http: proxy, https: proxy, noProxy: noProxy)
        }
        let all = try parse(value("all_proxy", "ALL_PROXY"))
        return ProxyRules(http: try parse(value("http_proxy")) ?? all,
                          https: try parse(value("https_proxy", "HTTPS_PROXY")) ?? all,
                          noProxy: noProxy)
    }

    /// The proxy a connection to `scheme://host:port` goes through, or nil to go direct.
    public func proxy(scheme: String, host: String, port: Int) -> ProxyURL? {
        let proxy: ProxyURL?
        switch scheme.lowercased() {
        case "http": proxy = http
        case "https": proxy = https
        default: proxy = nil
        }
        guard let proxy, !noProxy.bypasses(host: host, port: port) else { return nil }
        return proxy
    }

    /// What the header shows while a proxy is in use ("proxy.corp:3128"), nil when none is.
    public var shownVia: String? {
        let used = [https, http].compactMap { $0 }
        guard let first = used.first else { return nil }
        return Set(used.map(\.address)).count == 1 ? first.address : used.map(\.address).joined(separator: ", ")
    }
}
