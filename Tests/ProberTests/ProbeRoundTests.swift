import MirrorscopeCore
import MirrorscopeFarm
import MirrorscopeProber
import TestSupport
import Testing

extension ProberAndFarmTests {
    /// How a round uses its connections: bounded, concurrent, and stopped promptly when cancelled.
    @Suite struct ProbeRoundTests {
        @Test func concurrencyBoundIsRespectedWhileEveryRunningMirrorCouldStillWin() async throws {
            // No mirror ever answers, so none is out against a leader: the bound holds throughout.
            let config = FarmConfig(mirrors: (0..<12).map { spec("h\($0)", fault: .hang) })
            try await Farm.with(config) { farm in
                let clock = ContinuousClock()
                let started = clock.now
                let reports = await makeProber().probeRound(mirrors: farm.pageMirrors,
                                                            settings: settings(samples: 1, timeoutMs: 400, concurrency: 4),
                                                            onEvent: { _ in })
                let elapsed = clock.now - started
                #expect(reports.count == 12)
                #expect(reports.allSatisfy { $0.failure?.kind == .timeout })
                let highWater = farm.maxConcurrentConnections()
                #expect(highWater <= 4, "at most 4 mirrors at once, saw \(highWater) connections")
                #expect(highWater >= 3, "the round does run mirrors side by side")
                // 12 mirrors of a 400 ms timeout, 4 at a time: three waves, each waiting its turn.
                #expect(elapsed >= .milliseconds(1200), "round took \(elapsed)")
            }
        }

        @Test func aMirrorThatCanNoLongerWinGivesUpItsSlot() async throws {
            // The fastest first, then six that hang until a 20 s timeout, then ten of 20 ms, four at a
            // time. Held slots would keep the ten waiting for 20 s; once the fastest has finished, a
            // hanging mirror that has waited longer than its figure cannot win and lets the next start.
            let mirrors = [spec("fast", delay: 5)] + (0..<6).map { spec("h\($0)", fault: .hang) } + (0..<10).map { spec("m\($0)", delay: 20) }
            try await Farm.with(FarmConfig(mirrors: mirrors)) { farm in
                let log = EventLog()
                let prober = makeProber()
                let round = Task {
                    await prober.probeRound(mirrors: farm.pageMirrors, settings: settings(samples: 1, timeoutMs: 20_000, concurrency: 4),
                                            onEvent: log.record)
                }
                func finished() -> [MirrorReport] { log.events.compactMap { if case .finished(let r) = $0 { r } else { nil } } }
                try await waitUntil("the ten to finish while the hanging mirrors hang", timeout: .seconds(10),
                                    observed: { "finished \(finished().map(\.mirrorID)), open \(farm.openConnections())" }) {
                    finished().filter { $0.mirrorID.hasPrefix("m") && $0.ok }.count == 10
                }
                #expect(!finished().contains { $0.mirrorID.hasPrefix("h") }, "the hanging mirrors are still waiting, not cut short")
                #expect(farm.openConnections() == 6, "each hanging mirror still holds its connection")
                round.cancel()
                _ = await round.value
            }
        }

        @Test func cancellingARoundClosesItsConnectionsAndReportsNothingMore() async throws {
            let config = FarmConfig(mirrors: (0..<6).map { spec("h\($0)", fault: .hang) } + [spec("ok", delay: 1)])
            try await Farm.with(config) { farm in
                let log = EventLog()
                let prober = makeProber()
                let round = Task {
                    await prober.probeRound(mirrors: farm.pageMirrors, settings: settings(samples: 3, timeoutMs: 20_000, concurrency: 7),
                                            onEvent: log.record)
                }
                // Every hanging mirror holds a connection, and the healthy one has finished.
                try await waitUntil("the hanging mirrors to hold their connections",
                                    observed: { "open \(farm.openConnections()), events \(log.events.count)" }) {
                    farm.openConnections() == 6 && log.events(of: "ok").count == 11  // started, 3 × (connecting, connected, sample), finished
                }
                let eventsBefore = log.events.count
                let clock = ContinuousClock()
                let cancelled = clock.now
                round.cancel()
                let reports = await round.value
                #expect(clock.now - cancelled < .milliseconds(500), "the round returned \(clock.now - cancelled) after cancel")
                #expect(reports.map(\.mirrorID) == ["ok"], "only the report finished before the cancel")
                #expect(log.events.count == eventsBefore, "nothing is reported after the cancel")
                try await waitUntil("the farm to see every connection closed", timeout: .seconds(5),
                                    observed: { "open \(farm.openConnections())" }) {
                    farm.openConnections() == 0
                }
            }
        }

        @Test func cancellingARoundInTheMiddleOfTLSHandshakesReturnsPromptly() async throws {
            // Cancelled while many connections are in their TLS handshakes: none waits out its
            // 20 s deadline. (A connection closed by the cancel just before its handshake's waiter
            // was added once did, and `probe --until-decided` on the 500-mirror farm took the whole
            // timeout to exit; that race is a matter of microseconds and this test does not
            // reliably hit it: the waiter's own check, `HandshakeWaiter.handlerAdded`, is the fix.)
            let config = FarmConfig(mirrors: (0..<120).map { spec("t\($0)", delay: 0, tls: true) })
            try await Farm.with(config) { farm in
                let log = EventLog()
                let prober = makeProber(trusting: farm)
                let round = Task {
                    await prober.probeRound(mirrors: farm.pageMirrors, settings: settings(samples: 3, timeoutMs: 20_000, concurrency: 120),
                                            onEvent: log.record)
                }
                try await waitUntil("connections to begin", timeout: .seconds(10), observed: { "events \(log.events.count)" }) {
                    log.events.filter { if case .connecting = $0 { true } else { false } }.count >= 40
                }
                let clock = ContinuousClock()
                let cancelled = clock.now
                round.cancel()
                _ = await round.value
                #expect(clock.now - cancelled < .seconds(2), "the round returned \(clock.now - cancelled) after cancel")
            }
        }

        @Test func cancellingBeforeTheStartProbesNothing() async throws {
            try await Farm.with(FarmConfig(mirrors: [spec("a", delay: 1)])) { farm in
                let log = EventLog()
                let prober = makeProber()
                let round = Task {
                    withUnsafeCurrentTask { $0?.cancel() }
                    return await prober.probeRound(mirrors: farm.pageMirrors, settings: settings(), onEvent: log.record)
                }
                #expect(await round.value.isEmpty)
                #expect(log.events.isEmpty)
                #expect(farm.requestCount(mirror: "a") == 0)
            }
        }
    }
}
