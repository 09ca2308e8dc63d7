@testable import MirrorscopeDirector
import MirrorscopeGeo
import NIOHTTP1
import Testing

/// Who the client is behind trusted proxies (pure: no sockets).
@Suite struct ClientAddressTests {
    let trusted = ["127.0.0.1", "10.0.0.0/8", "2001:db8:ffff::/48"].map { IPNetwork($0)! }

    func resolve(peer: String, _ headers: [(String, String)]) -> String {
        ClientAddress.resolve(peer: IPAddress(peer)!, headers: HTTPHeaders(headers), trusted: trusted).description
    }

    @Test func aPeerThatIsNoTrustedProxyIsTheClientWhateverItSays() {
        #expect(resolve(peer: "192.0.2.7", [("X-Forwarded-For", "81.2.69.160")]) == "192.0.2.7")
        #expect(resolve(peer: "192.0.2.7", [("Forwarded", "for=81.2.69.160")]) == "192.0.2.7")
    }

    @Test func behindATrustedProxyTheRightmostUntrustedEntryIsTheClient() {
        // The client made up the first entry; the proxy appended what it saw.
        #expect(resolve(peer: "127.0.0.1", [("X-Forwarded-For", "6.6.6.6, 81.2.69.160")]) == "81.2.69.160")
        // Two trusted proxies in a row: both are skipped.
        #expect(resolve(peer: "127.0.0.1", [("X-Forwarded-For", "6.6.6.6, 81.2.69.160, 10.1.2.3")]) == "81.2.69.160")
        // Several header lines are one list, in order.
        #expect(resolve(peer: "127.0.0.1", [("X-Forwarded-For", "6.6.6.6"), ("X-Forwarded-For", "194.254.3.1")]) == "194.254.3.1")
        #expect(resolve(peer: "::ffff:127.0.0.1", [("X-Forwarded-For", " 133.11.0.1 ")]) == "133.11.0.1")
    }

    @Test func entriesThatAreNoAddressEndTheWalkAtTheLastTrustedHop() {
        #expect(resolve(peer: "127.0.0.1", [("X-Forwarded-For", "81.2.69.160, unknown, 10.0.0.9")]) == "10.0.0.9")
        #expect(resolve(peer: "127.0.0.1", [("X-Forwarded-For", "example.org")]) == "127.0.0.1")
        // Only trusted hops: the furthest of them.
        #expect(resolve(peer: "127.0.0.1", [("X-Forwarded-For", "10.0.0.1, 10.0.0.2")]) == "10.0.0.1")
        #expect(resolve(peer: "127.0.0.1", []) == "127.0.0.1")
    }

    @Test func forwardedAsRFC7239WritesIt() {
        #expect(resolve(peer: "127.0.0.1", [("Forwarded", "for=192.0.2.60;proto=http;by=203.0.113.43")]) == "192.0.2.60")
        #expect(resolve(peer: "127.0.0.1", [("Forwarded", "for=6.6.6.6, for=\"[2001:4860:4860::8888]:4711\"")]) == "2001:4860:4860::8888")
        #expect(resolve(peer: "127.0.0.1", [("Forwarded", "proto=https;For=\"81.2.69.160:8080\"")]) == "81.2.69.160")
        #expect(resolve(peer: "127.0.0.1", [("Forwarded", "for=81.2.69.160, for=\"[2001:db8:ffff::1]\"")]) == "81.2.69.160")
        #expect(resolve(peer: "127.0.0.1", [("Forwarded", "for=81.2.69.160, for=unknown")]) == "127.0.0.1")
        #expect(resolve(peer: "127.0.0.1", [("Forwarded", "for=\"_hidden\"")]) == "127.0.0.1")
        #expect(resolve(peer: "127.0.0.1", [("Forwarded", "for=\"[2001:db8::1\"")]) == "127.0.0.1")
    }

    @Test func xForwardedForIsPreferredToForwarded() {
        #expect(resolve(peer: "127.0.0.1", [("Forwarded", "for=6.6.6.6"), ("X-Forwarded-For", "81.2.69.160")]) == "81.2.69.160")
    }
}
