import Foundation
import MirrorscopeCore
import MirrorscopeFarm
import TestSupport
import Testing

extension ProberAndFarmTests {
    /// What the farm serves for the throughput and freshness phases, as a client sees it, and the
    /// truth it reports to compare measurements with.
    @Suite struct FarmMeasuresTests {
        static let reference: Int64 = 1_731_146_713  // Sat, 09 Nov 2024 10:05:13 UTC
        static let config = FarmConfig(mirrors: [
            FarmMirrorSpec(id: "paced", name: "Paced", location: "de", delayMs: 5, bytesPerSecond: 2e6, behindSeconds: 3600),
            FarmMirrorSpec(id: "free", name: "Free", location: "fr", delayMs: 5),
        ], probeThroughput: .init(path: "big.bin", top: 3), probeFreshness: .init(path: "lastsync", format: "unix-time"),
           syncReference: reference)

        @Test func syncTimesAreServedInEveryFormat() async throws {
            try await Farm.with(Self.config) { farm in
                let base = farm.url(ofMirror: "paced")!
                #expect(try await TestHTTPClient.get(base + "lastsync").text == "1731143113\n")
                let release = try await TestHTTPClient.get(base + "dists/stable/Release")
                #expect(release.text.contains("\nDate: Sat, 09 Nov 2024 09:05:13 UTC\n"))
                #expect(release.header("Last-Modified") == "Sat, 09 Nov 2024 09:05:13 GMT")
                #expect(try await TestHTTPClient.get(base + "repodata/repomd.xml").header("Last-Modified") == "Sat, 09 Nov 2024 09:05:13 GMT")
                #expect(try await TestHTTPClient.get(base + "core/os/x86_64/core.db").body.count == 512 * 1024)
                #expect(try await TestHTTPClient.get(farm.originURL + "lastsync").text == "1731146713\n", "the origin is the master")
                #expect(try await TestHTTPClient.get(base + "no-such").header("Last-Modified") == nil)
            }
        }

        @Test func bodiesArePacedAndRangesServed() async throws {
            try await Farm.with(Self.config) { farm in
                let start = ContinuousClock.now
                let part = try await TestHTTPClient.request(.GET, farm.url(ofMirror: "paced")! + "big.bin", headers: [("Range", "bytes=0-399999")])
                let elapsed = ContinuousClock.now - start
                #expect(part.status == 206)
                #expect(part.body.count == 400_000)
                #expect(part.header("Content-Range") == "bytes 0-399999/\(8 << 20)")
                // 400 kB at 2 MB/s after the bucket's initial 16 KiB window: 192 ms, never faster
                // (1 ms of slack for ticks).
                #expect(elapsed >= .milliseconds(191), "\(elapsed)")
                let whole = try await TestHTTPClient.get(farm.url(ofMirror: "free")! + "big.bin")
                #expect(whole.status == 200 && whole.body.count == 8 << 20)
            }
        }

        @Test func theScriptNamesTheObjectsAndFarmJSONTellsTheTruth() async throws {
            try await Farm.with(Self.config) { farm in
                let script = try await TestHTTPClient.get(farm.originURL + "probe.json").text
                #expect(script.contains(#""throughput" : {"#) && script.contains(#""path" : "big.bin""#), "\(script)")
                #expect(script.contains(#""format" : "unix-time""#))
                let truth = try #require(try JSONSerialization.jsonObject(with: Data(try await TestHTTPClient.get(farm.originURL + "farm.json").body)) as? [String: Any])
                #expect((truth["sync_reference"] as? NSNumber)?.int64Value == Self.reference)
                let mirrors = try #require(truth["mirrors"] as? [[String: Any]])
                #expect((mirrors[0]["bytes_per_second"] as? NSNumber)?.doubleValue == 2e6)
                #expect((mirrors[0]["synced_at"] as? NSNumber)?.int64Value == Self.reference - 3600)
                #expect((mirrors[0]["behind_s"] as? NSNumber)?.int64Value == 3600)
                #expect(mirrors[1]["bytes_per_second"] is NSNull)
                #expect((mirrors[1]["behind_s"] as? NSNumber)?.int64Value == 0)
            }
        }

        @Test func theDemoHasTheMirrorsThatMakeTheMeasurementsMatter() {
            let demo = FarmConfig.demo()
            let healthy = demo.mirrors.filter { $0.fault == nil }.sorted { $0.delayMs < $1.delayMs }
            #expect(healthy.allSatisfy { ($0.bytesPerSecond ?? 0) >= 1e6 && ($0.bytesPerSecond ?? 0) <= 50e6 })
            #expect(healthy.first?.bytesPerSecond == 2e6, "the fastest to answer delivers slowly")
            #expect(healthy[4].bytesPerSecond == 50e6, "the slowest to answer of the leading five delivers fastest")
            #expect(healthy.compactMap(\.bytesPerSecond).max() == 50e6)
            #expect(healthy[1].behindSeconds == Int64(2 * 86_400), "one is days behind")
            #expect(demo.mirrors.map(\.delayMs) == FarmConfig.demo().mirrors.map(\.delayMs), "the same seed gives the same farm")
            #expect(demo.probeThroughput?.path == "big.bin")
            #expect(demo.probeFreshness?.path == "lastsync")
        }
    }
}
