import Foundation
import MirrorscopeCore
import MirrorscopeFarm
import MirrorscopeProber
import TestSupport
import Testing

extension ProberAndFarmTests {
    /// Mirrors that break HTTP or TLS (MirrorscopeFarm's `HostileMirrors`): each ends as a named
    /// failure within the timeout, never a hang, and the endless ones do not fill memory.
    @Suite struct HostileMirrorTests {
        static let expected: [HostileBehavior: String] = [
            .slowHeaders: "timeout after 5000 ms (first byte)",
            .endlessHeaders: "answer headers too large",
            .garbage: "not an HTTP answer",
            .http09: "not an HTTP answer",
            .stalledTLS: "timeout after 5000 ms (TLS)",
            .certificateForAnotherName: "TLS: certificate is for another host",
            .expiredCertificate: "TLS: certificate not trusted",
            .selfSignedCertificate: "TLS: certificate not trusted",
        ]

        @Test func everyHostileMirrorIsANamedFailureWithinTheTimeout() async throws {
            let hostile = try await HostileMirrors.start()
            defer { Task { await hostile.stop() } }
            // With a 5 s timeout: the fast failures (garbage, a bad certificate) must come from the
            // mirror's answer, not from a timeout on a loaded machine.
            let mirrors = HostileBehavior.allCases.enumerated().map { n, behavior in
                Mirror(id: behavior.rawValue, url: hostile.url(of: behavior)!, pageOrder: n)
            }
            let prober = Prober(configuration: ProberConfiguration(clientInfo: testClient, additionalTrustRootsPEM: [hostile.caPEM]))
            let clock = ContinuousClock()
            let start = clock.now
            let reports = await prober.probeRound(mirrors: mirrors, settings: settings(samples: 1, timeoutMs: 5000, concurrency: 16)) { _ in }
            let took = clock.now - start
            #expect(reports.count == mirrors.count)
            for report in reports {
                let behavior = HostileBehavior(rawValue: report.mirrorID)!
                if behavior == .endlessBody || behavior == .slowBody {
                    // A body after a good head is an answer: the probe reads up to 64 KiB of it and
                    // stops there or at the timeout.
                    #expect(report.ok, "\(behavior): \(report.failure?.reason ?? "")")
                } else {
                    #expect(report.failure?.reason == Self.expected[behavior], "\(behavior): \(report.failure?.reason ?? "no failure")")
                }
            }
            // Everything ends at the 5 s timeout at the latest; the rest is slack for 2 busy cores.
            #expect(took < .seconds(12), "the round took \(took) with a 5 s timeout")
        }

        /// A handshake that never ends is reported as a connect that began (the decision rule
        /// counts its wait from there) and never as a connection that is up.
        @Test func aStalledHandshakeBeginsItsConnectAndNeverConnects() async throws {
            let hostile = try await HostileMirrors.start()
            defer { Task { await hostile.stop() } }
            let prober = Prober(configuration: ProberConfiguration(clientInfo: testClient, additionalTrustRootsPEM: [hostile.caPEM]))
            let log = EventLog()
            let mirror = Mirror(id: "stalled", url: hostile.url(of: .stalledTLS)!, pageOrder: 0)
            let report = await prober.probeMirror(mirror, settings: settings(samples: 1, timeoutMs: 1000), onEvent: log.record)
            #expect(report.failure?.reason == "timeout after 1000 ms (TLS)")
            #expect(log.events.first == .started(mirrorID: "stalled"))
            #expect(log.events.contains(.connecting(mirrorID: "stalled")))
            #expect(!log.events.contains { if case .connected = $0 { true } else { false } })
        }

        /// The real binary against all of them at once, as a user would run it: the reasons are in
        /// its output, and its peak memory (GNU time's maximum resident set) stays small.
        @Test func theBinaryProbesThemAllInLittleMemory() async throws {
            let hostile = try await HostileMirrors.start()
            defer { Task { await hostile.stop() } }
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let entries = HostileBehavior.allCases.map { #"{"url": "\#(hostile.url(of: $0)!)", "id": "\#($0.rawValue)"}"# }
            let script = #"{"version": 1, "mirrors": [\#(entries.joined(separator: ", "))], "probe": {"path": "probe.bin", "samples": 1, "timeout_ms": 5000}}"#
            try script.write(to: folder.appendingPathComponent("mirrors.json"), atomically: true, encoding: .utf8)
            try hostile.caPEM.write(to: folder.appendingPathComponent("ca.pem"), atomically: true, encoding: .utf8)
            let result = try await ProcessRunner.run("/usr/bin/time", [
                "-f", "maxrss=%M", try BuiltBinary.path(), "probe", folder.appendingPathComponent("mirrors.json").path,
                "--format", "json", "--cacert", folder.appendingPathComponent("ca.pem").path,
            ], timeout: .seconds(30))
            #expect(result.status == 0, "\(result.stderr)")
            for (behavior, reason) in Self.expected {
                #expect(result.stdout.contains(reason), "\(behavior): \(reason) missing from \(result.stdout.prefix(2000))")
            }
            let peakKiB = result.stderr.split(separator: "\n").last { $0.hasPrefix("maxrss=") }.flatMap { Int($0.dropFirst(7)) }
            let peak = try #require(peakKiB, "no maxrss in \(result.stderr)")
            print("hostile mirrors: mirrorscope probe peak RSS \(peak) KiB")
            #expect(peak < 60 * 1024)
        }
    }
}
