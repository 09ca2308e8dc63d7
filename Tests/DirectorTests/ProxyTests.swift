import MirrorscopeDirector
import MirrorscopeFarm
import NIOCore
import TestSupport
import Testing

/// Proxy mode: the director forwards to the session's real server and streams the answer back.
@Suite struct ProxyTests {
    @Test func aLargeBodyStreamsThroughOnOneServerPerSession() async throws {
        try await Harness.run(["m0", "m1", "m2"], config: { Harness.config(Harness.reals($0), mode: .proxy) }) { farm, director in
            let path = "/files/mirrorscope-demo-1.0.tar.gz"
            let first = try await TestHTTPClient.get(director.url + path)
            #expect(first.status == 200)
            let real = try #require(first.headers.first(name: "x-farm-mirror"))
            let direct = try await TestHTTPClient.get(farm.url(ofMirror: real)! + "files/mirrorscope-demo-1.0.tar.gz")
            #expect(first.body.count == 2 << 20)
            #expect(first.body == direct.body)
            #expect(first.headers.first(name: "content-length") == String(2 << 20))
            let cookie = try #require(first.sessionCookie)
            for _ in 0..<5 {
                let next = try await TestHTTPClient.get(director.url + "/files/README.txt", cookie: cookie)
                #expect(next.status == 200)
                #expect(next.headers.first(name: "x-farm-mirror") == real)
                #expect(next.text.contains("(id \(real),"))
            }
        }
    }

    @Test func forwardedHeadersReachTheRealServer() async throws {
        try await Harness.run(["m0"], config: { farm in
            var config = Harness.config(Harness.reals(farm), mode: .proxy)
            config.health.enabled = false // so that the last request the mirror sees is ours
            return config
        }) { farm, director in
            let response = try await TestHTTPClient.get(director.url + "/files/README.txt",
                                                        headers: [("X-Forwarded-For", "10.1.2.3"), ("Connection", "close, X-Secret"),
                                                                  ("X-Secret", "hop")])
            #expect(response.status == 200)
            let headers = Dictionary(farm.lastRequestHeaders(mirror: "m0").map { ($0.name.lowercased(), $0.value) },
                                     uniquingKeysWith: { $1 })
            #expect(headers["x-forwarded-for"] == "10.1.2.3, 127.0.0.1")
            let port = director.port
            #expect(headers["forwarded"] == "for=\"127.0.0.1\";host=\"127.0.0.1:\(port)\";proto=http")
            #expect(headers["host"] == "127.0.0.1:\(farm.mirrors[0].port)")
            #expect(headers["x-secret"] == nil)
        }
    }

    @Test func aSlowClientHoldsBackTheRealServerInsteadOfFillingMemory() async throws {
        let backend = try await StreamingBackend.start(size: 100 << 20)
        var config = Harness.config([RealServerConfig(id: "big", url: backend.url)], mode: .proxy)
        config.health.enabled = false
        try await Harness.withDirector(config) { director in
            let port = director.port
            let client = try await PausedClient.get(port: port, path: "/big.bin")
            client.readOnce()
            try await client.firstBody.get()
            // The client reads no more: the backend must stall far short of the 100 MiB (what
            // remains in flight is socket buffers and the channels' write buffers).
            try await waitUntil("the backend to stall", timeout: .seconds(10)) {
                let before = backend.sentBytes
                try await Task.sleep(for: .milliseconds(100))
                return backend.sentBytes == before && before > 0
            }
            #expect(backend.sentBytes < 40 << 20, "backend wrote \(backend.sentBytes) bytes to a client that read none")
            #expect(try await client.resume() == 100 << 20)
        }
        await backend.shutdown()
    }

    @Test func headAndGetPipelinedThroughTheProxyStayFramed() async throws {
        try await Harness.run(["m0"], config: { Harness.config(Harness.reals($0), mode: .proxy) }) { farm, director in
            let port = director.port
            let answer = try await TestHTTPClient.raw(
                "HEAD /files/README.txt HTTP/1.1\r\nHost: h\r\n\r\nGET /files/README.txt HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
                port: port)
            let responses = answer.components(separatedBy: "HTTP/1.1 200 OK\r\n")
            #expect(responses.count == 3, "\(answer)")
            #expect(responses[1].contains("\r\n\r\n") && responses[1].hasSuffix("\r\n\r\n"), "the HEAD answer has no body")
            #expect(responses[2].contains("Served by the simulated mirror"))
        }
    }

    @Test func aClientThatStopsReadingIsCutOffAfterTheIdleTimeout() async throws {
        let backend = try await StreamingBackend.start(size: 100 << 20)
        var config = Harness.config([RealServerConfig(id: "big", url: backend.url)], mode: .proxy)
        config.health.enabled = false
        config.idleTimeout = .milliseconds(300)
        try await Harness.withDirector(config) { director in
            let port = director.port
            let client = try await PausedClient.get(port: port, path: "/big.bin")
            client.readOnce()
            try await client.firstBody.get()
            // The exchange is torn down (its upstream connection closes) ...
            try await waitUntil("the director to give up on the stalled client") { backend.openConnections == 0 }
            // ... and the client, reading at last, finds its response cut short.
            await #expect(throws: (any Error).self) { try await client.resume() }
        }
        await backend.shutdown()
    }

    @Test func aRealServerThatFailsMovesTheSessionToItsBackup() async throws {
        try await Harness.run(["m0", "m1"], config: {
            Harness.config(Harness.reals($0, backups: ["m0": .server("m1")]), mode: .proxy, health: true)
        }) { farm, director in
            let start = try await TestHTTPClient.get(director.url + "/~m0/files/README.txt")
            #expect(start.headers.first(name: "x-farm-mirror") == "m0")
            let cookie = try #require(start.sessionCookie)
            try await farm.stopMirror("m0")
            // No waiting for health checks: the failed connection moves the session at once.
            let next = try await TestHTTPClient.get(director.url + "/files/README.txt", cookie: cookie)
            #expect(next.status == 200, "\(next.text)")
            #expect(next.headers.first(name: "x-farm-mirror") == "m1")
            let movedCookie = try #require(next.sessionCookie)
            #expect(movedCookie.contains(".m1."))
            try await Harness.waitForState(director, "m0", .down)
        }
    }

    /// A real server that answers with something that is not HTTP fails before answering: the
    /// request is retried once on its backup (the failed connection's own close must not count as
    /// a second failure and use the retry up).
    @Test func aRealServerThatAnswersGarbageHasTheRequestRetriedOnItsBackup() async throws {
        let broken = try await NotHTTPServer.start()
        try await Harness.withFarm(["m1"]) { farm in
            let reals = [RealServerConfig(id: "bad", url: broken.url, backup: .server("m1"))] + Harness.reals(farm)
            try await Harness.withDirector(Harness.config(reals, mode: .proxy)) { director in
                let answer = try await TestHTTPClient.get(director.url + "/~bad/files/README.txt")
                #expect(answer.status == 200, "\(answer.text)")
                #expect(answer.headers.first(name: "x-farm-mirror") == "m1")
                #expect(answer.sessionCookie?.contains(".m1.") == true, "\(answer.sessionCookie ?? "no cookie")")
            }
        }
        await broken.stop()
    }

    @Test func aVirtualServerCanProxyWhileThePrimaryRedirects() async throws {
        try await Harness.run(["m0", "m1"], config: { farm in
            var config = Harness.config(Harness.reals(farm))
            config.virtualServers.append(VirtualServerConfig(name: "px", listen: ["127.0.0.1:0"], mode: .proxy, reals: ["m1"]))
            return config
        }) { farm, director in
            #expect(try await TestHTTPClient.get(director.url + "/files/README.txt").status == 302)
            let proxied = try await TestHTTPClient.get(director.urls(of: "px")[0] + "/files/README.txt")
            #expect(proxied.status == 200)
            #expect(proxied.headers.first(name: "x-farm-mirror") == "m1")
            let page = try await TestHTTPClient.get(director.urls(of: "px")[0] + "/-/mirrors.json")
            #expect(page.text.contains("\(director.urls(of: "px")[0])/~m1/"))
            #expect(!page.text.contains("m0"))
        }
    }
}
