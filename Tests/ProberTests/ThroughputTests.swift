import MirrorscopeCore
import MirrorscopeFarm
import MirrorscopeProber
import TestSupport
import Testing

extension ProberAndFarmTests {
    /// The throughput phase against the farm's paced mirrors (a token bucket on every body).
    /// Tolerance: a measured rate is at most 10 % above the scripted one (the bucket starts with a
    /// 16 KiB window, which the uncounted first read mostly takes, and bursts at most 50 ms of the
    /// rate after a stall) and at
    /// least 75 % of it (the farm and the prober share two busy cores: a tick later than the 50 ms
    /// the bucket makes up loses bytes for good).
    /// Serialized, as the CLI's throughput tests: megabytes at once starve the timing tests.
    @Suite(.serialized) struct ThroughputTests {
        static func throughput(path: String = "big.bin", maxBytes: Int = 4 << 20, maxMs: Int = 3000, concurrency: Int = 2) -> ProbeSettings {
            var s = settings()
            s.throughput = ThroughputSettings(path: path, top: 5, maxBytes: maxBytes, maxMs: maxMs, concurrency: concurrency)
            return s
        }

        static func paced(_ id: String, delay: Double = 5, rate: Double, tls: Bool = false) -> FarmMirrorSpec {
            FarmMirrorSpec(id: id, name: id, location: "de", delayMs: delay, tls: tls, bytesPerSecond: rate)
        }

        @Test func ratesFollowTheScriptedBandwidth() async throws {
            let rates: [String: Double] = ["two": 2e6, "ten": 10e6, "forty": 40e6]
            // "ten" serves https: the download goes through the same TLS path as the latency probe.
            try await Farm.with(FarmConfig(mirrors: rates.map { Self.paced($0.key, rate: $0.value, tls: $0.key == "ten") })) { farm in
                let results = await makeProber(trusting: farm).throughputRound(mirrors: farm.pageMirrors, settings: Self.throughput(), onEvent: { _ in })
                for (id, scripted) in rates {
                    let result = try #require(results[id])
                    #expect(result.failure == nil, "\(id): \(result.failure?.reason ?? "")")
                    let measured = try #require(result.bytesPerSecond, "\(id) has a rate")
                    #expect(measured <= scripted * 1.10, "\(id): \(measured) B/s for a scripted \(scripted)")
                    #expect(measured >= scripted * 0.75, "\(id): \(measured) B/s for a scripted \(scripted)")
                    #expect(result.url == farm.url(ofMirror: id)! + "big.bin")
                    #expect(result.points.count >= 1 || result.stop == .maxBytes)
                }
            }
        }

        @Test func aDownloadStopsAtMaxBytesMaxTimeOrWhenSteady() async throws {
            let config = FarmConfig(mirrors: [Self.paced("fast", rate: 40e6), Self.paced("slow", rate: 1e6)])
            try await Farm.with(config) { farm in
                let prober = makeProber()
                let bytes = await prober.throughputRound(mirrors: [farm.pageMirror("fast")],
                                                         settings: Self.throughput(maxBytes: 1 << 20), onEvent: { _ in })
                let fast = try #require(bytes["fast"])
                #expect(fast.stop == .maxBytes || fast.stop == .steady, "\(String(describing: fast.stop))")
                #expect(fast.bytes >= (fast.stop == .maxBytes ? 1 << 20 : 1) && fast.bytes < (1 << 20) + 64 * 1024)

                let timed = await prober.throughputRound(mirrors: [farm.pageMirror("slow")],
                                                         settings: Self.throughput(maxMs: 400), onEvent: { _ in })
                let slow = try #require(timed["slow"])
                #expect(slow.stop == .maxTime, "1 MB/s for 400 ms stops at the time limit: \(String(describing: slow.stop))")
                #expect(slow.ms >= 380 && slow.ms <= 500, "\(slow.ms) ms")

                let steady = await prober.throughputRound(mirrors: [farm.pageMirror("slow")],
                                                          settings: Self.throughput(maxMs: 5000), onEvent: { _ in })
                let settled = try #require(steady["slow"])
                // An even 1 MB/s settles within a second or two; on a loaded machine it may not.
                #expect(settled.stop == .steady || settled.stop == .maxTime)
                if settled.stop == .steady { #expect(settled.ms < 4000) }
            }
        }

        @Test func atMostTheConcurrencyDownloadAtOnceAndProgressIsReported() async throws {
            let config = FarmConfig(mirrors: (1...4).map { Self.paced("m\($0)", rate: 2e6) })
            try await Farm.with(config) { farm in
                let log = EventLog()
                let results = await makeProber().throughputRound(mirrors: farm.pageMirrors, settings: Self.throughput(maxMs: 500),
                                                                 onEvent: log.record)
                #expect(results.count == 4)
                // Downloads in flight, from the prober's own reports: each starts after another finished.
                var inFlight = 0, most = 0
                for event in log.events {
                    if case .throughputStarted = event { inFlight += 1; most = max(most, inFlight) }
                    if case .throughputFinished = event { inFlight -= 1 }
                }
                #expect(most == 2, "two downloads at once, as the default says")
                // The farm sees a closed connection go a moment after the prober has moved on.
                #expect(farm.maxConcurrentConnections() <= 3)
                for id in ["m1", "m2", "m3", "m4"] {
                    let mine = log.events.filter { event in
                        switch event {
                        case .throughputStarted(let m), .throughputProgress(let m, _), .throughputFinished(let m, _): m == id
                        default: false
                        }
                    }
                    #expect(mine.first == .throughputStarted(mirrorID: id))
                    #expect(mine.last == .throughputFinished(mirrorID: id, results[id]!))
                    let progress = mine.compactMap { if case .throughputProgress(_, let p) = $0 { p } else { nil } }
                    #expect(progress.count >= 3, "about every 100 ms over 500 ms: \(progress.count)")
                    #expect(progress.map(\.bytes) == progress.map(\.bytes).sorted())
                    #expect(progress.allSatisfy { (0...1).contains($0.fraction) })
                }
            }
        }

        @Test func failuresAreReportedWithTheirReason() async throws {
            let config = FarmConfig(mirrors: [Self.paced("ok", rate: 5e6), spec("busy", delay: 5, fault: .status(503)),
                                              spec("dead", fault: .refuse)])
            try await Farm.with(config) { farm in
                let results = await makeProber().throughputRound(mirrors: farm.pageMirrors, settings: Self.throughput(path: "no/such.bin"),
                                                                 onEvent: { _ in })
                #expect(results["ok"]?.failure?.reason == "HTTP 404")
                #expect(results["busy"]?.failure?.reason == "HTTP 503")
                #expect(results["dead"]?.failure?.kind == .refused)
                #expect(results.values.allSatisfy { $0.bytesPerSecond == nil })
            }
        }

        @Test func cancellingStopsTheDownloadsPromptly() async throws {
            try await Farm.with(FarmConfig(mirrors: [Self.paced("slow", rate: 100_000)])) { farm in
                let prober = makeProber()
                let log = EventLog()
                let task = Task { await prober.throughputRound(mirrors: farm.pageMirrors, settings: Self.throughput(maxMs: 20_000), onEvent: log.record) }
                try await waitUntil("the download to start", timeout: .seconds(5)) {
                    log.events.contains { if case .throughputProgress = $0 { true } else { false } }
                }
                let start = ContinuousClock.now
                task.cancel()
                let results = await task.value
                #expect(ContinuousClock.now - start < .seconds(1))
                #expect(results.isEmpty, "a cancelled download is not reported")
                try await waitUntil("the connection to close", timeout: .seconds(5)) { farm.openConnections() == 0 }
            }
        }
    }
}
