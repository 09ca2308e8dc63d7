import Crypto
import Foundation
import MirrorscopeCore
import MirrorscopeFarm
import MirrorscopeProber
import TestSupport
import Testing

extension ProberAndFarmTests {
    /// What the farm serves, as a client sees it.
    @Suite struct FarmTests {
        static let config = FarmConfig(
            mirrors: [spec("alpha", delay: 5), spec("beta", delay: 10, fault: .status(503)), spec("gamma", fault: .refuse),
                      FarmMirrorSpec(id: "evil", name: #"<Evil & "Co">"#, location: "fr", delayMs: 1, jitterMs: 0.5)],
            probeSamples: 5, probeTimeoutMs: 1500)

        @Test func downloadPageEmbedsTheProbeScript() async throws {
            try await Farm.with(Self.config) { farm in
                #expect(farm.pageURL == farm.originURL)
                let page = try await TestHTTPClient.get(farm.pageURL)
                #expect(page.status == 200)
                #expect(page.header("Content-Type")?.hasPrefix("text/html") == true)
                #expect(page.header("X-Farm-Mirror") == nil, "the origin is not a mirror")
                let html = page.text
                #expect(html.contains("<title>Mirrorscope demo 1.0 downloads</title>"))
                for link in ["files/README.txt", "files/mirrorscope-demo-1.0.tar.gz", "files/SHA256SUMS", "files/"] {
                    #expect(html.contains("href=\"\(link)\""), "page links \(link)")
                }
                #expect(html.contains("&lt;Evil &amp; &quot;Co&quot;&gt;"), "names are escaped in HTML")
                #expect(!html.contains("<Evil"))

                let open = try #require(html.range(of: #"<script type="application/mirror-probe+json">"#))
                let close = try #require(html.range(of: "</script>", range: open.upperBound..<html.endIndex))
                let embedded = String(html[open.upperBound..<close.lowerBound])
                #expect(!embedded.contains("<"), "nothing in the script can end the element early")
                let script = try Self.json(embedded)
                try Self.checkScript(script, farm: farm)

                let standalone = try await TestHTTPClient.get(farm.originURL + "probe.json")
                #expect(standalone.header("Content-Type") == "application/mirror-probe+json")
                #expect(try Self.json(standalone.text) as NSDictionary == script as NSDictionary)
            }
        }

        private static func checkScript(_ script: [String: Any], farm: Farm) throws {
            #expect(script["version"] as? Int == 1)
            let mirrors = try #require(script["mirrors"] as? [[String: Any]])
            #expect(mirrors.compactMap { $0["url"] as? String } == farm.mirrors.map(\.url))
            #expect(mirrors.compactMap { $0["id"] as? String } == ["alpha", "beta", "gamma", "evil"])
            #expect(mirrors.last?["name"] as? String == #"<Evil & "Co">"#)
            #expect(mirrors.last?["location"] as? String == "fr")
            let probe = try #require(script["probe"] as? [String: Any])
            #expect(probe["path"] as? String == "probe.bin")
            #expect(probe["method"] as? String == "GET")
            #expect(probe["samples"] as? Int == 5)
            #expect(probe["timeout_ms"] as? Int == 1500)
            #expect(probe["concurrency"] == nil, "unset values keep the script's defaults")
            #expect(script["client_info"] as? [String] == ["user_agent", "platform", "platform_version"])
        }

        @Test func otherWaysToFindTheScript() async throws {
            try await Farm.with(Self.config) { farm in
                let linked = try await TestHTTPClient.get(farm.originURL + "linked.html")
                #expect(linked.text.contains(#"<link rel="mirror-probe" href="probe.json">"#))
                #expect(!linked.text.contains("application/mirror-probe+json"))

                let headerLinked = try await TestHTTPClient.get(farm.originURL + "header-linked.html")
                #expect(headerLinked.header("Link") == #"</probe.json>; rel="mirror-probe""#)

                let duplicates = try await TestHTTPClient.get(farm.originURL + "duplicates")
                #expect(duplicates.headers["Link"] == farm.mirrors.enumerated().map { n, mirror in
                    "<\(mirror.url)>; rel=duplicate; pri=\(n + 1); geo=\(mirror.spec.location)"
                })

                let list = try await TestHTTPClient.get(farm.originURL + "mirrors.txt")
                #expect(list.header("Content-Type")?.hasPrefix("text/plain") == true)
                #expect(list.text.split(separator: "\n").map(String.init) == farm.mirrors.map(\.url))
            }
        }

        @Test func farmJSONTellsTheScriptedTruth() async throws {
            try await Farm.with(Self.config) { farm in
                let answer = try await TestHTTPClient.get(farm.originURL + "farm.json")
                #expect(answer.header("Content-Type") == "application/json")
                let truth = try #require(try Self.json(answer.text)["mirrors"] as? [[String: Any]])
                #expect(truth.count == 4)
                #expect(truth[0]["id"] as? String == "alpha")
                #expect(truth[0]["url"] as? String == farm.mirrors[0].url)
                #expect(truth[0]["delay_ms"] as? Double == 5)
                #expect(truth[0]["fault"] is NSNull)
                #expect(truth[0]["tls"] as? Bool == false)
                #expect(truth[1]["fault"] as? String == "status 503")
                #expect(truth[2]["fault"] as? String == "refuse")
                #expect(truth[3]["jitter_ms"] as? Double == 0.5)
                #expect(truth[3]["location"] as? String == "fr")
            }
        }

        @Test func theCAIsServedForClientsInOtherProcesses() async throws {
            try await Farm.with(Self.config) { farm in
                let answer = try await TestHTTPClient.get(farm.originURL + "ca.pem")
                #expect(answer.text == farm.caCertificatePEM)
                #expect(answer.text.hasPrefix("-----BEGIN CERTIFICATE-----"))
            }
        }

        @Test func mirrorFilesMatchTheirChecksums() async throws {
            try await Farm.with(Self.config) { farm in
                let base = try #require(farm.url(ofMirror: "alpha"))
                #expect(base.hasPrefix("http://127.0.0.1:") && base.hasSuffix("/pub/"))
                let readme = try await TestHTTPClient.get(base + "files/README.txt")
                #expect(readme.header("X-Farm-Mirror") == "alpha")
                #expect(readme.text.contains("\"Alpha\""), "README names its mirror")
                let tarball = try await TestHTTPClient.get(base + "files/mirrorscope-demo-1.0.tar.gz")
                #expect(tarball.status == 200)
                #expect(tarball.body.count == 2 << 20)
                #expect(tarball.header("Content-Length") == String(2 << 20))
                let sums = try await TestHTTPClient.get(base + "files/SHA256SUMS")
                #expect(sums.text == "\(Self.sha256(readme))  README.txt\n\(Self.sha256(tarball))  mirrorscope-demo-1.0.tar.gz\n")

                // The same tarball everywhere, including the origin's own copy.
                let originTarball = try await TestHTTPClient.get(farm.originURL + "files/mirrorscope-demo-1.0.tar.gz")
                #expect(Self.sha256(originTarball) == Self.sha256(tarball))

                let probe = try await TestHTTPClient.get(base + "probe.bin")
                #expect(probe.status == 200 && probe.body.count > 0 && probe.body.count < 4096)
            }
        }

        @Test func listingsHeadAndNotFound() async throws {
            try await Farm.with(Self.config) { farm in
                let base = try #require(farm.url(ofMirror: "alpha"))
                let root = try await TestHTTPClient.get(base)
                #expect(root.text.contains(#"<a href="files/">files/</a>"#))
                #expect(root.text.contains(#"<a href="probe.bin">probe.bin</a>"#))
                let files = try await TestHTTPClient.get(base + "files/")
                for name in ["README.txt", "SHA256SUMS", "mirrorscope-demo-1.0.tar.gz"] {
                    #expect(files.text.contains("<a href=\"\(name)\">\(name)</a>"))
                }
                let redirect = try await TestHTTPClient.get(String(base.dropLast()) + "/files")
                #expect(redirect.status == 301)
                #expect(redirect.header("Location") == "/pub/files/")

                let head = try await TestHTTPClient.request(.HEAD, base + "files/mirrorscope-demo-1.0.tar.gz")
                #expect(head.status == 200)
                #expect(head.header("Content-Length") == String(2 << 20))
                #expect(head.body.count == 0)
                #expect(head.header("X-Farm-Mirror") == "alpha")

                let missing = try await TestHTTPClient.get(base + "nothing-here")
                #expect(missing.status == 404)
                #expect(missing.header("X-Farm-Mirror") == "alpha")
                #expect(missing.header("Content-Length") == String(missing.body.count))

                let failing = try await TestHTTPClient.get(try #require(farm.url(ofMirror: "beta")) + "probe.bin")
                #expect(failing.status == 503)
                #expect(failing.header("X-Farm-Mirror") == "beta")
            }
        }

        @Test func countsRequestsAndKeepsTheLastHeaders() async throws {
            try await Farm.with(Self.config) { farm in
                let base = try #require(farm.url(ofMirror: "alpha"))
                _ = try await TestHTTPClient.get(base + "probe.bin")
                _ = try await TestHTTPClient.get(base + "files/README.txt")
                #expect(farm.requestCount(mirror: "alpha") == 2)
                #expect(farm.requestCount(mirror: "beta") == 0)
                #expect(farm.lastRequestHeaders(mirror: "alpha").contains { $0.name == "Host" && $0.value.hasPrefix("127.0.0.1:") })
            }
        }

        @Test func stoppedMirrorRefusesAndComesBackOnItsPort() async throws {
            try await Farm.with(Self.config) { farm in
                let prober = makeProber()
                let mirror = farm.pageMirror("alpha")
                #expect(await prober.probeMirror(mirror, settings: settings(), onEvent: { _ in }).ok)
                try await farm.stopMirror("alpha")
                let stopped = await prober.probeMirror(mirror, settings: settings(), onEvent: { _ in })
                #expect(stopped.failure?.kind == .refused)
                try await farm.startMirror("alpha")
                #expect(farm.url(ofMirror: "alpha") == mirror.url)
                #expect(await prober.probeMirror(mirror, settings: settings(), onEvent: { _ in }).ok)
                await #expect(throws: FarmError.self) { try await farm.stopMirror("nobody") }
            }
        }

        @Test func stoppingAMirrorClosesItsOpenConnections() async throws {
            try await Farm.with(FarmConfig(mirrors: [spec("stuck", fault: .hang)])) { farm in
                let prober = makeProber()
                let probe = Task {
                    await prober.probeMirror(farm.pageMirror("stuck"), settings: settings(timeoutMs: 20_000), onEvent: { _ in })
                }
                try await waitUntil("a connection to the hanging mirror") { farm.openConnections() == 1 }
                try await farm.stopMirror("stuck")
                let report = await probe.value
                #expect(report.failure?.kind == .reset, "the client saw its connection closed: \(String(describing: report.failure))")
            }
        }

        /// `Farm.with` returns only once the farm is down, whether its body returned or threw, so a
        /// test that follows never meets its listeners.
        @Test func withShutsTheFarmDownBeforeItReturns() async throws {
            struct Planned: Error {}
            let url = try await Farm.with(Self.config) { farm in
                let url = try #require(farm.url(ofMirror: "alpha"))
                #expect(try await TestHTTPClient.get(url + "probe.bin").status == 200)
                return url
            }
            await #expect(throws: (any Error).self) { try await TestHTTPClient.get(url + "probe.bin") }
            var thrownFrom: String?
            await #expect(throws: Planned.self) {
                try await Farm.with(Self.config) { farm in
                    thrownFrom = farm.originURL
                    throw Planned()
                }
            }
            let origin = try #require(thrownFrom)
            await #expect(throws: (any Error).self) { try await TestHTTPClient.get(origin) }
        }

        @Test func rejectsDuplicateIDsAndHeaderBreakingText() async throws {
            await #expect(throws: FarmError.self) {
                try await Farm.start(FarmConfig(mirrors: [spec("same"), spec("same")]))
            }
            await #expect(throws: FarmError.self) {
                try await Farm.start(FarmConfig(mirrors: [spec("bad\r\nSet-Cookie: x=1")]))
            }
        }

        private static func json(_ text: String) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        }

        private static func sha256(_ answer: TestResponse) -> String {
            SHA256.hash(data: answer.body).map { String(format: "%02x", $0) }.joined()
        }
    }
}
