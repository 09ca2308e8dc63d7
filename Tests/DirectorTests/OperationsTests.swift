import Foundation
import MirrorscopeDirector
import MirrorscopeFarm
import TestSupport
import Testing

/// `/-/health`, `/-/metrics`, the mirror page, the access log and shutdown, over HTTP.
@Suite struct OperationsTests {
    @Test func healthFollowsTheRealServers() async throws {
        try await Harness.run(["m0", "m1"], config: { Harness.config(Harness.reals($0), health: true) }) { farm, director in
            let ok = try await TestHTTPClient.get(director.url + "/-/health")
            #expect(ok.status == 200)
            #expect(ok.text == "ok: 2 of 2 real servers available\n")
            try await farm.stopMirror("m0")
            try await farm.stopMirror("m1")
            try await Harness.waitForState(director, "m0", .down)
            try await Harness.waitForState(director, "m1", .down)
            #expect(try await TestHTTPClient.get(director.url + "/-/health").status == 503)
        }
    }

    @Test func metricsCountRedirectsSessionsAndStates() async throws {
        let named = { (farm: Farm) -> DirectorConfig in
            var config = Harness.config(Harness.reals(farm), health: true)
            config.instance = "ops-1"
            return config
        }
        try await Harness.run(["m0", "m1"], config: named) { farm, director in
            let cookie = try #require(try await TestHTTPClient.get(director.url + "/~m0/a").sessionCookie)
            for _ in 0..<4 { _ = try await TestHTTPClient.get(director.url + "/b", cookie: cookie) }
            try await farm.stopMirror("m1")
            try await Harness.waitForState(director, "m1", .down)
            let metrics = try await TestHTTPClient.get(director.url + "/-/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.headers.first(name: "content-type")?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = metrics.text
            #expect(text.contains("mirrorscope_director_redirects_total{instance=\"ops-1\",real=\"m0\"} 5"), "\(text)")
            #expect(text.contains("mirrorscope_director_redirects_total{instance=\"ops-1\",real=\"m1\"} 0"))
            #expect(text.contains("mirrorscope_director_sessions_started_total{instance=\"ops-1\",real=\"m0\"} 1"))
            #expect(text.contains("mirrorscope_director_sessions{instance=\"ops-1\",real=\"m0\"} 1"))
            #expect(text.contains("mirrorscope_director_real_up{instance=\"ops-1\",real=\"m0\"} 1"))
            #expect(text.contains("mirrorscope_director_real_up{instance=\"ops-1\",real=\"m1\"} 0"))
            #expect(text.contains("mirrorscope_director_responses_total{instance=\"ops-1\",code=\"302\"} 5"))
            #expect(text.contains("mirrorscope_director_request_duration_seconds_bucket{instance=\"ops-1\",loop=\""))
            // Counters carry on from scrape to scrape.
            _ = try await TestHTTPClient.get(director.url + "/c", cookie: cookie)
            let again = try await TestHTTPClient.get(director.url + "/-/metrics").text
            #expect(again.contains("mirrorscope_director_redirects_total{instance=\"ops-1\",real=\"m0\"} 6"))
        }
    }

    @Test func metricsNameTheInstanceByHostAndBoundPortByDefault() async throws {
        try await Harness.run(["m0"], config: { Harness.config(Harness.reals($0)) }) { _, director in
            let text = try await TestHTTPClient.get(director.url + "/-/metrics").text
            let label = try #require(text.split(separator: "\n").first { $0.hasPrefix("mirrorscope_director_real_up{") })
            #expect(label.contains(":\(director.port)\",real=\"m0\"} 1"), "\(label)")
            #expect(!label.contains("instance=\":"), "\(label)")
        }
    }

    @Test func theMirrorPageListsTheHealthyServersInThreeForms() async throws {
        try await Harness.run(["m0", "m1", "m2"], config: { Harness.config(Harness.reals($0, weights: ["m0": 2]), health: true) }) { farm, director in
            let page = try await TestHTTPClient.get(director.mirrorPageURL)
            #expect(page.status == 200)
            #expect(page.text.contains("<script type=\"application/mirror-probe+json\">"))
            #expect(page.headers["link"] == farm.mirrors.enumerated().map { i, mirror in
                "<\(mirror.url)>; rel=duplicate; pri=\(i == 0 ? 1 : 2); geo=\(mirror.spec.location)"
            })
            try await farm.stopMirror("m1")
            try await Harness.waitForState(director, "m1", .down)
            let json = try await TestHTTPClient.get(director.url + "/-/mirrors.json")
            #expect(json.headers.first(name: "content-type") == "application/mirror-probe+json")
            let script = try #require(try JSONSerialization.jsonObject(with: Data(json.body)) as? [String: Any])
            let mirrors = try #require(script["mirrors"] as? [[String: Any]])
            #expect(mirrors.map { $0["id"] as? String } == ["m0", "m2"])
            #expect(mirrors.map { $0["url"] as? String } == [farm.url(ofMirror: "m0"), farm.url(ofMirror: "m2")])
            let meta4 = try await TestHTTPClient.get(director.url + "/-/mirrors.meta4")
            #expect(meta4.headers.first(name: "content-type") == "application/metalink4+xml")
            #expect(meta4.text.contains("xmlns=\"urn:ietf:params:xml:ns:metalink\""))
            #expect(meta4.text.contains(farm.url(ofMirror: "m2")!) && !meta4.text.contains(farm.url(ofMirror: "m1")!))
            #expect(try await TestHTTPClient.get(director.url + "/-/nothing").status == 404)
            #expect(try await TestHTTPClient.request(.POST, director.url + "/-/mirrors", body: "x").status == 405)
        }
    }

    @Test func theAccessLogGoesToItsFile() async throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("access.log").path
        try await Harness.withFarm(["m0"]) { farm in
            var config = Harness.config(Harness.reals(farm))
            config.accessLog = .file(path)
            try await Harness.withDirector(config) { director in
                _ = try await TestHTTPClient.get(director.url + "/files/README.txt?x=\"quoted\"", headers: [("User-Agent", "tester/1")])
                try await waitUntil("the access log line") {
                    ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").contains("real=m0")
                }
                let line = try String(contentsOfFile: path, encoding: .utf8)
                #expect(line.hasPrefix("127.0.0.1 - - ["))
                #expect(line.contains("] \"GET /files/README.txt?x=%22quoted%22 HTTP/1.1\" 302 0 \"tester/1\" real=m0\n"))
            }
        }
    }

    @Test func shutdownStopsListeningAndLetsTheRequestInProgressFinish() async throws {
        let backend = try await StreamingBackend.start(size: 8 << 20)
        var config = Harness.config([RealServerConfig(id: "big", url: backend.url)], mode: .proxy)
        config.health.enabled = false
        let director = try await Harness.start(config)
        let port = director.port
        let client = try await PausedClient.get(port: port, path: "/big.bin")
        client.readOnce()
        try await client.firstBody.get()
        async let stopped: Void = director.shutdown(gracePeriod: .seconds(10))
        try await waitUntil("the listener to close") {
            (try? await TestHTTPClient.get(director.url + "/-/health")) == nil
        }
        #expect(try await client.resume() == 8 << 20)
        await stopped
        await backend.shutdown()
    }
}

extension OperationsTests {
    @Test func shutdownClosesABusyConnectionWhenTheGracePeriodEnds() async throws {
        let backend = try await StreamingBackend.start(size: 64 << 20)
        var config = Harness.config([RealServerConfig(id: "big", url: backend.url)], mode: .proxy)
        config.health.enabled = false
        let director = try await Harness.start(config)
        let port = director.port
        let client = try await PausedClient.get(port: port, path: "/big.bin")
        client.readOnce()
        try await client.firstBody.get()
        // The client never reads on: shutdown must not wait for it past the grace period.
        let clock = ContinuousClock()
        let started = clock.now
        await director.shutdown(gracePeriod: .milliseconds(300))
        #expect(clock.now - started < .seconds(5))
        await #expect(throws: (any Error).self) { try await client.resume() }
        await backend.shutdown()
    }
}
