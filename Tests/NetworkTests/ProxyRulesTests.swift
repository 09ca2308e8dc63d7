@testable import MirrorscopeNetwork
import Testing

@Suite("proxy URLs")
struct ProxyURLTests {
    @Test func readsWhatCurlReads() throws {
        let p = try ProxyURL("http://proxy.corp:3128")
        #expect(p.kind == .http && p.host == "proxy.corp" && p.port == 3128 && p.credentials == nil)
        #expect(try ProxyURL("proxy.corp").port == 1080, "no scheme is http, and curl's default port is 1080")
        #expect(try ProxyURL("https://p.example").port == 443)
        #expect(try ProxyURL("socks5h://127.0.0.1:9050/").kind == .socks5h)
        #expect(try ProxyURL("SOCKS5://[::1]:1080").host == "::1")
        #expect(try ProxyURL("socks5://[::1]:1080").address == "[::1]:1080")
    }

    @Test func credentialsArePercentDecodedAndNeverShown() throws {
        let p = try ProxyURL("http://al%40ice:s%3Acr%20et@proxy.corp:3128")
        #expect(p.credentials == .init(user: "al@ice", password: "s:cr et"))
        #expect(p.description == "http://al@ice:***@proxy.corp:3128")
        #expect(!p.description.contains("cr et") && !"\(p)".contains("s%3A"))
    }

    @Test(arguments: ["ftp://p:21", "http://:3128", "http://p:0", "http://p:70000", "http://p:port", "http://[::1"])
    func badProxiesAreRefusedWithAReason(text: String) {
        #expect(throws: ProxyURL.Invalid.self) { try ProxyURL(text) }
    }

    @Test func aRefusalNeverRepeatsThePassword() {
        do {
            _ = try ProxyURL("gopher://user:hunter2@p:1")
            Issue.record("accepted")
        } catch {
            #expect(!error.description.contains("hunter2"))
        }
    }
}

@Suite("no_proxy matching")
struct NoProxyTests {
    @Test(arguments: [
        // (list, host, port, bypasses)
        ("example.org", "example.org", 443, true),
        ("example.org", "a.b.example.org", 443, true),
        ("example.org", "badexample.org", 443, false),
        (".example.org", "example.org", 80, true),
        (".example.org", "www.example.org", 80, true),
        ("EXAMPLE.org", "www.Example.ORG", 80, true),
        ("example.org", "example.org.", 80, true),
        ("*", "anything.example", 1, true),
        (" a.example , b.example ", "b.example", 80, true),
        ("a.example", "b.example", 80, false),
        ("10.0.0.0/8", "10.20.30.40", 80, true),
        ("10.0.0.0/8", "11.0.0.1", 80, false),
        ("192.168.1.7", "192.168.1.7", 80, true),
        ("192.168.1.0/24", "192.168.2.1", 80, false),
        ("fd00::/8", "fd12:3456::1", 443, true),
        ("fd00::/8", "fe80::1", 443, false),
        ("::1", "::1", 8080, true),
        ("[::1]:8080", "::1", 8080, true),
        ("[::1]:8080", "::1", 8081, false),
        ("localhost:8080", "localhost", 8080, true),
        ("localhost:8080", "localhost", 80, false),
        ("10.0.0.0/8", "ten.example", 80, false),
        ("127.0.0.1", "localhost", 80, false),
        ("", "a.example", 80, false),
        ("example.org/8", "example.org", 80, false),
    ] as [(String, String, Int, Bool)])
    func matchesAsCurlDoes(list: String, host: String, port: Int, bypasses: Bool) {
        #expect(NoProxyList(list).bypasses(host: host, port: port) == bypasses, "\(list) vs \(host):\(port)")
    }
}

@Suite("proxy rules from the environment and flags")
struct ProxyRulesTests {
    @Test func theEnvironmentIsReadAsCurlReadsIt() throws {
        let rules = try ProxyRules.resolve(environment: [
            "http_proxy": "http://h.corp:3128", "HTTPS_PROXY": "http://s.corp:3128", "no_proxy": ".corp,10.0.0.0/8",
        ], proxyFlag: nil, noProxyFlag: nil)
        #expect(rules.proxy(scheme: "http", host: "mirror.example", port: 80)?.host == "h.corp")
        #expect(rules.proxy(scheme: "https", host: "mirror.example", port: 443)?.host == "s.corp")
        #expect(rules.proxy(scheme: "https", host: "mirror.corp", port: 443) == nil)
        #expect(rules.proxy(scheme: "http", host: "10.1.2.3", port: 80) == nil)
        #expect(rules.proxy(scheme: "ftp", host: "mirror.example", port: 21) == nil)
    }

    @Test func upperCaseHTTPProxyIsIgnoredAndAllProxyFillsIn() throws {
        let rules = try ProxyRules.resolve(environment: ["HTTP_PROXY": "http://evil:1", "ALL_PROXY": "socks5h://127.0.0.1:9050"],
                                           proxyFlag: nil, noProxyFlag: nil)
        #expect(rules.proxy(scheme: "http", host: "m.example", port: 80)?.kind == .socks5h)
        #expect(rules.proxy(scheme: "https", host: "m.example", port: 443)?.kind == .socks5h)
        let lower = try ProxyRules.resolve(environment: ["https_proxy": "http://lower:1", "HTTPS_PROXY": "http://upper:1"],
                                           proxyFlag: nil, noProxyFlag: nil)
        #expect(lower.https?.host == "lower")
    }

    @Test func theFlagWinsAndAnEmptyOneTurnsProxiesOff() throws {
        let env = ["https_proxy": "http://env:1", "http_proxy": "http://env:1", "no_proxy": "a.example"]
        let flagged = try ProxyRules.resolve(environment: env, proxyFlag: "socks5://127.0.0.1:1080", noProxyFlag: "b.example")
        #expect(flagged.proxy(scheme: "https", host: "m.example", port: 443)?.kind == .socks5)
        #expect(flagged.proxy(scheme: "https", host: "a.example", port: 443) == nil, "the environment's no_proxy still holds")
        #expect(flagged.proxy(scheme: "https", host: "b.example", port: 443) == nil, "--no-proxy adds to it")
        let off = try ProxyRules.resolve(environment: env, proxyFlag: "", noProxyFlag: nil)
        #expect(off.isDirect)
        #expect(try ProxyRules.resolve(environment: ["https_proxy": " "], proxyFlag: nil, noProxyFlag: nil).isDirect)
    }

    @Test func aBadValueNamesWhereItCameFrom() {
        do {
            _ = try ProxyRules.resolve(environment: ["https_proxy": "gopher://u:secret@p:1"], proxyFlag: nil, noProxyFlag: nil)
            Issue.record("accepted")
        } catch {
            #expect(error.description.hasPrefix("https_proxy: proxy scheme"))
            #expect(!error.description.contains("secret"))
        }
    }

    @Test func theHeaderNamesTheProxyInUse() throws {
        #expect(try ProxyRules.resolve(environment: ["https_proxy": "http://u:p@proxy.corp:3128", "http_proxy": "http://proxy.corp:3128"],
                                       proxyFlag: nil, noProxyFlag: nil).shownVia == "proxy.corp:3128")
        #expect(ProxyRules.direct.shownVia == nil)
    }
}
