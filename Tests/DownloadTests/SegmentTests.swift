import Foundation
import MirrorscopeCore
import MirrorscopeDownload
import MirrorscopeFarm
import Testing

/// Several connections at once: a slow mirror's remaining range is taken over by a faster one.
@Suite("downloads: segments", .serialized)
struct SegmentTests {
    @Test func aSlowMirrorsRangeIsTakenOver() async throws {
        // 6 MiB over two connections: the slow mirror (64 KiB/s) alone would need 96 s, its half
        // 48 s; the fast one (4 MiB/s) needs 1.5 s for the whole file. The bound of 20 s leaves a
        // loaded machine room and still fails if the slow mirror kept its half.
        try await DownloadFarm.with([DownloadFarm.mirror("slow", rate: 64 * 1024), DownloadFarm.mirror("fast", rate: 4 << 20)]) { farm in
            let folder = try DownloadFarm.folder()
            var request = DownloadFarm.request(farm, ["slow", "fast"], folder: folder)
            request.segments = 2
            let clock = ContinuousClock()
            let start = clock.now
            let (outcome, progress) = await DownloadFarm.run(request)
            let elapsed = clock.now - start
            #expect(outcome.state == .verified(algorithm: "sha256"), "\(outcome.notes)")
            #expect(try DownloadFarm.sha256(ofFile: outcome.path) == farm.largeFile!.sha256)
            #expect(elapsed < .seconds(20), "\(elapsed)")
            #expect(progress.contains { $0.mirrors == ["Slow", "Fast"] }, "both served at once")
            // The slow mirror was asked for the whole file first, then the fast one for ranges.
            #expect(farm.requestCount(mirror: "fast") >= 2)
        }
    }
}
