import Foundation
import MirrorscopeCore
import MirrorscopeDownload
import MirrorscopeFarm
import Testing

/// A download stopped half way continues with Range/If-Range; a file changed on the server in
/// between (a 200 with a new validator) starts over.
@Suite("downloads: resume", .serialized)
struct ResumeTests {
    /// Leaves a part file of about 2 MiB: the only mirror stalls there.
    func leavePart(_ farm: Farm, folder: String) async throws -> PartSidecar {
        var request = DownloadFarm.request(farm, ["stalls"], folder: folder)
        // The window also bounds the wait for the answer's head: 300 ms was too short beside other
        // suites on two loaded cores (the mirror was judged stalled before its first byte).
        request.stallWindow = .seconds(1)
        let (outcome, _) = await DownloadFarm.run(request)
        #expect(outcome.state == .failed("Stalls: stalled"), "\(outcome.notes)")
        return try #require(PartFile.loadSidecar(partPath: folder + "/" + FarmLargeFile.name + ".part"))
    }

    @Test func aSecondRunContinuesWithRangeAndIfRange() async throws {
        try await DownloadFarm.with([DownloadFarm.mirror("stalls", fault: .stallAfter(2 << 20)), DownloadFarm.mirror("madrid")]) { farm in
            let folder = try DownloadFarm.folder()
            let sidecar = try await leavePart(farm, folder: folder)
            #expect(sidecar.done.ranges == [0..<Int64(2 << 20)])
            #expect(sidecar.lastModified != nil && sidecar.etag != nil)

            // Given the hash, the run looks for no SHA256SUMS, whose request (made beside the
            // download's) would otherwise be the mirror's last.
            var again = DownloadFarm.request(farm, ["madrid"], folder: folder)
            again.expected = [ExpectedHash(algorithm: .sha256, hex: farm.largeFile!.sha256, source: "test")]
            let (outcome, _) = await DownloadFarm.run(again)
            #expect(outcome.state == .verified(algorithm: "sha256"), "\(outcome.notes)")
            #expect(try DownloadFarm.sha256(ofFile: outcome.path) == farm.largeFile!.sha256)
            #expect(outcome.notes.first == "resuming at \(2 << 20) of \(DownloadFarm.fileBytes) bytes")
            let headers = farm.lastRequestHeaders(mirror: "madrid")
            #expect(headers.first { $0.name == "Range" }?.value == "bytes=\(2 << 20)-\(DownloadFarm.fileBytes - 1)")
            #expect(headers.first { $0.name == "If-Range" }?.value == sidecar.lastModified)
        }
    }

    @Test func aFileChangedOnTheServerStartsOver() async throws {
        try await DownloadFarm.with([DownloadFarm.mirror("stalls", fault: .stallAfter(2 << 20)), DownloadFarm.mirror("madrid")]) { farm in
            let folder = try DownloadFarm.folder()
            _ = try await leavePart(farm, folder: folder)
            let before = farm.largeFile!.sha256
            farm.largeFile!.change()
            #expect(farm.largeFile!.sha256 != before)

            let before2 = (try? String(contentsOfFile: folder + "/" + FarmLargeFile.name + ".part.json", encoding: .utf8)) ?? "none"
            let (outcome, _) = await DownloadFarm.run(DownloadFarm.request(farm, ["madrid"], folder: folder))
            #expect(outcome.state == .verified(algorithm: "sha256"), "\(outcome.notes)")
            #expect(outcome.notes.contains("the file changed on the server: starting over"), "\(outcome.notes) sidecar before: \(before2)")
            #expect(try DownloadFarm.sha256(ofFile: outcome.path) == farm.largeFile!.sha256)
        }
    }
}
