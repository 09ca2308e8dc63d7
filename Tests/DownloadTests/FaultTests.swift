import Foundation
import MirrorscopeCore
import MirrorscopeDownload
import MirrorscopeFarm
import MirrorscopeNetwork
import Testing

/// Each download fault of the farm: the download completes from the other mirrors with the right
/// hash, and the state names what happened.
@Suite("downloads: farm faults", .serialized)
struct FaultTests {
    func expectVerified(_ outcome: DownloadOutcome, _ farm: Farm, folder: String) throws {
        #expect(outcome.state == .verified(algorithm: "sha256"), "\(outcome.state) \(outcome.notes)")
        #expect(outcome.path == folder + "/" + FarmLargeFile.name)
        #expect(try DownloadFarm.sha256(ofFile: outcome.path) == farm.largeFile!.sha256)
        #expect(!FileManager.default.fileExists(atPath: outcome.path + ".part"))
        #expect(!FileManager.default.fileExists(atPath: outcome.path + ".part.json"))
    }

    @Test func aHealthyMirrorSavesAndVerifiesFromSHA256SUMS() async throws {
        try await DownloadFarm.with([DownloadFarm.mirror("warsaw")]) { farm in
            let folder = try DownloadFarm.folder()
            let (outcome, progress) = await DownloadFarm.run(DownloadFarm.request(farm, ["warsaw"], folder: folder))
            try expectVerified(outcome, farm, folder: folder)
            #expect(outcome.bytes == Int64(DownloadFarm.fileBytes))
            #expect(progress.last?.stateText == "verified sha256")
            #expect(progress.contains { $0.state == .verifying })
        }
    }

    @Test func aMirrorThatResetsIsLeftForTheNext() async throws {
        try await DownloadFarm.with([DownloadFarm.mirror("warsaw", fault: .resetAfter(1 << 20)), DownloadFarm.mirror("madrid")]) { farm in
            let folder = try DownloadFarm.folder()
            let (outcome, progress) = await DownloadFarm.run(DownloadFarm.request(farm, ["warsaw", "madrid"], folder: folder))
            try expectVerified(outcome, farm, folder: folder)
            #expect(outcome.notes.contains("moved to Madrid (Warsaw reset)"), "\(outcome.notes)")
            #expect(progress.contains { $0.note == "moved to Madrid (Warsaw reset)" })
            // Madrid continued where Warsaw stopped: it was asked for a range, not the whole file.
            let range = farm.lastRequestHeaders(mirror: "madrid").first { $0.name == "Range" }?.value
            #expect(range?.hasPrefix("bytes=") == true && range != "bytes=0-", "\(String(describing: range))")
            // Each mirror's share is counted: Warsaw's first bytes, Madrid's rest; Madrid did the most.
            #expect(outcome.bytesByMirror.count == 2 && outcome.bytesByMirror.reduce(0, +) == outcome.bytes, "\(outcome.bytesByMirror)")
            #expect(outcome.bytesByMirror[0] > 0 && outcome.bytesByMirror[0] <= 1 << 20, "\(outcome.bytesByMirror)")
            #expect(outcome.mainMirror == 1)
        }
    }

    @Test func aMirrorThatStallsIsLeftAfterTheWindow() async throws {
        try await DownloadFarm.with([DownloadFarm.mirror("warsaw", fault: .stallAfter(1 << 20)), DownloadFarm.mirror("madrid")]) { farm in
            let folder = try DownloadFarm.folder()
            var request = DownloadFarm.request(farm, ["warsaw", "madrid"], folder: folder)
            request.stallWindow = .seconds(1)  // also bounds the wait for the head (see ResumeTests)
            let (outcome, _) = await DownloadFarm.run(request)
            try expectVerified(outcome, farm, folder: folder)
            #expect(outcome.notes.contains { $0.hasPrefix("moved to Madrid (Warsaw stalled") }, "\(outcome.notes)")
        }
    }

    @Test func aMirrorSlowerThanTheLowestSpeedIsLeft() async throws {
        // 8 KiB/s, under the default lowest speed of 10 KiB/s.
        try await DownloadFarm.with([DownloadFarm.mirror("warsaw", rate: 8 * 1024), DownloadFarm.mirror("madrid")]) { farm in
            let folder = try DownloadFarm.folder()
            var request = DownloadFarm.request(farm, ["warsaw", "madrid"], folder: folder)
            request.stallWindow = .seconds(1)
            let (outcome, _) = await DownloadFarm.run(request)
            try expectVerified(outcome, farm, folder: folder)
            #expect(outcome.notes.contains { $0.hasPrefix("moved to Madrid (Warsaw stalled: below 10 KiB/s") }, "\(outcome.notes)")
        }
    }

    @Test func wrongBytesFailTheirPieceAndTheMirrorIsNotUsedAgain() async throws {
        let bad = (2 << 20) + 1000..<(2 << 20) + 1100  // in the third piece
        try await DownloadFarm.with([DownloadFarm.mirror("warsaw", fault: .wrongBytes(bad)), DownloadFarm.mirror("madrid")]) { farm in
            let folder = try DownloadFarm.folder()
            var request = DownloadFarm.request(farm, ["warsaw", "madrid"], folder: folder)
            request.pieces = DownloadFarm.pieces(farm)
            let (outcome, _) = await DownloadFarm.run(request)
            try expectVerified(outcome, farm, folder: folder)
            #expect(outcome.notes.contains("piece 3: hash mismatch from Warsaw; fetched again"), "\(outcome.notes)")
            #expect(outcome.notes.contains("moved to Madrid (Warsaw served wrong bytes)"), "\(outcome.notes)")
        }
    }

    @Test func wrongBytesWithoutPieceHashesAreAHashMismatchAndThePartFileStays() async throws {
        try await DownloadFarm.with([DownloadFarm.mirror("warsaw", fault: .wrongBytes(100..<200))]) { farm in
            let folder = try DownloadFarm.folder()
            let (outcome, progress) = await DownloadFarm.run(DownloadFarm.request(farm, ["warsaw"], folder: folder))
            #expect(outcome.state == .hashMismatch(algorithm: "sha256"))
            #expect(progress.last?.state.text == "hash mismatch")
            #expect(outcome.path == folder + "/" + FarmLargeFile.name + ".part")
            #expect(FileManager.default.fileExists(atPath: outcome.path))
            #expect(!FileManager.default.fileExists(atPath: folder + "/" + FarmLargeFile.name))
        }
    }

    @Test func aGivenSHA256ThatDoesNotMatchKeepsThePartFile() async throws {
        try await DownloadFarm.with([DownloadFarm.mirror("warsaw")]) { farm in
            let folder = try DownloadFarm.folder()
            var request = DownloadFarm.request(farm, ["warsaw"], folder: folder)
            request.expected = [ExpectedHash(algorithm: .sha256, hex: String(repeating: "ab", count: 32), source: "--sha256")]
            let (outcome, _) = await DownloadFarm.run(request)
            #expect(outcome.state == .hashMismatch(algorithm: "sha256"))
            #expect(FileManager.default.fileExists(atPath: folder + "/" + FarmLargeFile.name + ".part"))
            #expect(!FileManager.default.fileExists(atPath: folder + "/" + FarmLargeFile.name))
        }
    }

    @Test func aMirrorThatIgnoresRangeIsLeftWhenARangeIsNeeded() async throws {
        // Two segments: the second connection asks the second mirror for a range, and gets 200.
        try await DownloadFarm.with([DownloadFarm.mirror("warsaw", rate: 2 << 20), DownloadFarm.mirror("madrid", fault: .ignoreRange)]) { farm in
            let folder = try DownloadFarm.folder()
            var request = DownloadFarm.request(farm, ["warsaw", "madrid"], folder: folder)
            request.segments = 2
            let (outcome, _) = await DownloadFarm.run(request)
            try expectVerified(outcome, farm, folder: folder)
            #expect(outcome.notes.contains("moved to Warsaw (Madrid ignores Range (answered 200))"), "\(outcome.notes)")
        }
    }

    @Test func aMirrorKilledMidDownloadIsLeftForTheNext() async throws {
        // What the demo's "kill a mirror" does: the farm closes the mirror's listener and connections.
        try await DownloadFarm.with([DownloadFarm.mirror("warsaw", rate: 2 << 20), DownloadFarm.mirror("madrid")]) { farm in
            let folder = try DownloadFarm.folder()
            let job = DownloadJob(DownloadFarm.request(farm, ["warsaw", "madrid"], folder: folder), connector: Connector(configuration: .init()))
            let running = Task { await job.run() }
            for await progress in job.progress where progress.bytes >= 1 << 20 {
                try await farm.stopMirror("warsaw")
                break
            }
            let outcome = await running.value
            try expectVerified(outcome, farm, folder: folder)
            #expect(outcome.notes.contains("moved to Madrid (Warsaw reset)"), "\(outcome.notes)")
        }
    }

    @Test func everyMirrorFailingKeepsThePartFileAndNamesEachFailure() async throws {
        try await DownloadFarm.with([DownloadFarm.mirror("warsaw", fault: .resetAfter(1 << 20)),
                                     DownloadFarm.mirror("madrid", fault: .resetAfter(1 << 20))]) { farm in
            let folder = try DownloadFarm.folder()
            let (outcome, _) = await DownloadFarm.run(DownloadFarm.request(farm, ["warsaw", "madrid"], folder: folder))
            #expect(outcome.state == .failed("Warsaw: reset; Madrid: reset"))
            let part = folder + "/" + FarmLargeFile.name + ".part"
            #expect(outcome.path == part)
            let sidecar = try #require(PartFile.loadSidecar(partPath: part))
            #expect(sidecar.done.count >= 2 << 20)
            #expect(sidecar.size == Int64(DownloadFarm.fileBytes))
        }
    }
}
