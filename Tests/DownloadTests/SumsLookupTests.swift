import Foundation
import MirrorscopeCore
import MirrorscopeDownload
import MirrorscopeFarm
import Testing

/// Where the hash comes from, and when: SHA256SUMS is looked for beside the download (not before
/// it), a file without sums is saved unverified, and `verify = false` (`--no-verify`) asks for
/// no sums at all.
@Suite("downloads: looking for the sums", .serialized)
struct SumsLookupTests {
    @Test func theSumsAreFetchedWhileTheDownloadRuns() async throws {
        // Each answer waits 300 ms: looked for first, the sums' connection would be closed before
        // the download's opened; beside it, both are open at once.
        try await DownloadFarm.with([DownloadFarm.mirror("warsaw", delayMs: 300)]) { farm in
            let folder = try DownloadFarm.folder()
            let (outcome, _) = await DownloadFarm.run(DownloadFarm.request(farm, ["warsaw"], folder: folder))
            #expect(outcome.state == .verified(algorithm: "sha256"), "\(outcome.state) \(outcome.notes)")
            #expect(try DownloadFarm.sha256(ofFile: outcome.path) == farm.largeFile!.sha256)
            #expect(farm.requestCount(mirror: "warsaw") == 2)
            #expect(farm.maxConcurrentConnections() >= 2)
        }
    }

    @Test func aFileWithoutSumsIsSavedUnverified() async throws {
        // big.bin sits at the mirror's root, where there is no SHA256SUMS or SHA512SUMS.
        try await DownloadFarm.with([DownloadFarm.mirror("warsaw")]) { farm in
            let folder = try DownloadFarm.folder()
            let mirror = DownloadMirror(name: "Warsaw", url: farm.url(ofMirror: "warsaw")!)
            let request = DownloadRequest(path: "big.bin", mirrors: [mirror], destination: folder + "/big.bin")
            let (outcome, progress) = await DownloadFarm.run(request)
            #expect(outcome.state == .unverified, "\(outcome.state) \(outcome.notes)")
            #expect(FileManager.default.fileExists(atPath: folder + "/big.bin"))
            #expect(progress.last?.state == .unverified)
        }
    }

    @Test func withoutVerificationNoSumsAreAskedForAndNothingIsChecked() async throws {
        try await DownloadFarm.with([DownloadFarm.mirror("warsaw")]) { farm in
            let folder = try DownloadFarm.folder()
            var request = DownloadFarm.request(farm, ["warsaw"], folder: folder)
            request.verify = false
            // Even a wrong expected hash is not checked: nothing is.
            request.expected = [ExpectedHash(algorithm: .sha256, hex: String(repeating: "0", count: 64), source: "test")]
            let (outcome, _) = await DownloadFarm.run(request)
            #expect(outcome.state == .unverified, "\(outcome.state) \(outcome.notes)")
            #expect(try DownloadFarm.sha256(ofFile: outcome.path) == farm.largeFile!.sha256)
            #expect(farm.requestCount(mirror: "warsaw") == 1)
        }
    }
}
