import MirrorscopeDirector
import MirrorscopeFarm
import TestSupport
import Testing

/// Requests crafted to steer a redirect or inject headers, sent as raw bytes.
@Suite struct HostileRequestTests {
    @Test(arguments: [
        "//evil.example/x",
        "/\\evil.example/x",
        "http://evil.example/x",
        "https://evil.example:443/x",
        "/a%0d%0aSet-Cookie:%20evil=1",
        "/a%0D%0ALocation:%20http://evil.example/",
        "/a%00b",
        "/../../etc/passwd",
        "/files/%2e%2e/%2e%2e/secret",
        "/~m0//evil.example/x",
        "/" + String(repeating: "a", count: 5000),
    ])
    func steeringTargetsAreRefused(target: String) async throws {
        try await Harness.run(["m0"], config: { Harness.config(Harness.reals($0)) }) { farm, director in
            let answer = try await TestHTTPClient.raw("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", port: director.port)
            let statusLine = answer.split(separator: "\r\n").first ?? ""
            #expect(statusLine == "HTTP/1.1 400 Bad Request" || statusLine == "HTTP/1.1 414 URI Too Long", "\(answer)")
            #expect(!answer.lowercased().contains("location:"))
            #expect(!answer.contains("evil=1") && !answer.lowercased().contains("set-cookie"))
        }
    }

    @Test func aHostHeaderCannotSteerTheRedirect() async throws {
        try await Harness.run(["m0"], config: { Harness.config(Harness.reals($0)) }) { farm, director in
            let answer = try await TestHTTPClient.raw(
                "GET /files/README.txt HTTP/1.1\r\nHost: evil.example\r\nX-Forwarded-Host: evil.example\r\nConnection: close\r\n\r\n",
                port: director.port)
            #expect(answer.hasPrefix("HTTP/1.1 302"))
            #expect(answer.contains("Location: \(farm.url(ofMirror: "m0")!)files/README.txt\r\n"))
        }
    }

    @Test func rawControlCharactersAndOversizedHeadsAreRefused() async throws {
        try await Harness.run(["m0"], config: { Harness.config(Harness.reals($0)) }) { _, director in
            let port = director.port
            let split = try await TestHTTPClient.raw("GET /a\rSet-Cookie: x=1 HTTP/1.1\r\nHost: h\r\n\r\n", port: port)
            #expect(split.hasPrefix("HTTP/1.1 400"))
            let huge = try await TestHTTPClient.raw("GET /a HTTP/1.1\r\nHost: h\r\nX-Big: \(String(repeating: "b", count: 40_000))\r\n\r\n", port: port)
            #expect(huge.hasPrefix("HTTP/1.1 431"), "\(huge.prefix(80))")
            let many = (0..<200).map { "X-H\($0): v\r\n" }.joined()
            let tooMany = try await TestHTTPClient.raw("GET /a HTTP/1.1\r\nHost: h\r\n\(many)\r\n", port: port)
            #expect(tooMany.hasPrefix("HTTP/1.1 431"), "\(tooMany.prefix(80))")
        }
    }

    @Test func slowAndIdleClientsAreClosed() async throws {
        try await Harness.withFarm(["m0"]) { farm in
            var config = Harness.config(Harness.reals(farm))
            // 3 s, not 1: on 2 busy cores the test's own write can come a second after its
            // connect, and a 1 s timeout then closes the connection before the request is sent.
            config.headerTimeout = .seconds(3)
            try await Harness.withDirector(config) { director in
                let clock = ContinuousClock()
                let started = clock.now
                // A head that never ends: closed after header_timeout, not held forever.
                let slow = try await TestHTTPClient.raw("GET /files/README.txt HTTP/1.1\r\nHost: h\r\n", port: director.port)
                #expect(slow.isEmpty)
                // A keep-alive connection that sends one request and then nothing is closed too.
                let idle = try await TestHTTPClient.raw("GET /x HTTP/1.1\r\nHost: h\r\n\r\n", port: director.port)
                #expect(idle.hasPrefix("HTTP/1.1 302"))
                #expect(clock.now - started < .seconds(15))
            }
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await Harness.run(["m0"], config: { Harness.config(Harness.reals($0)) }) { farm, director in
            let requests = "GET /one HTTP/1.1\r\nHost: h\r\n\r\nGET /-/health HTTP/1.1\r\nHost: h\r\n\r\n"
                + "GET /two HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
            let answer = try await TestHTTPClient.raw(requests, port: director.port)
            let one = try #require(answer.range(of: "pub/one")?.lowerBound)
            let health = try #require(answer.range(of: "ok: 1 of 1")?.lowerBound)
            let two = try #require(answer.range(of: "pub/two")?.lowerBound)
            #expect(one < health && health < two)
        }
    }
}
