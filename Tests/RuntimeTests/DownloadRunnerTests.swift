import Foundation
import Logging
import MirrorscopeCore
import MirrorscopeDownload
import MirrorscopeFarm
import MirrorscopeFetch
import MirrorscopeProber
import MirrorscopeRuntime
import TestSupport
import Synchronization
import Testing

/// The terminal's downloads through the runtime, against a real farm: progress is posted and the
/// end is verified against the farm's SHA256SUMS; a cancel keeps NAME.part and its sidecar, and
/// the next `w` resumes them; the demo's stop moves a download to the next mirror.
@Suite("effect runtime: downloads", .serialized)
struct DownloadRunnerTests {
    static let size = 4 << 20
    /// "slow" is paced (the download takes seconds there, time to cancel or stop it); "fast" not.
    static let farmConfig = FarmConfig(mirrors: [
        FarmMirrorSpec(id: "slow", name: "Slow", location: "de", delayMs: 1, bytesPerSecond: 600_000),
        FarmMirrorSpec(id: "fast", name: "Fast", location: "fr", delayMs: 1),
    ], largeFileBytes: size)

    static let path = "files/" + FarmLargeFile.name

    struct Setup {
        let farm: Farm
        let runner: EffectRunner
        let messages: MessageLog
        let folder: String
        let recorded: RecordedDownloads
        let interface = RecordingInterface()

        func order(_ id: Int, from ids: [String]) -> DownloadOrder {
            DownloadOrder(id: id, path: DownloadRunnerTests.path,
                          mirrors: ids.map { id in DownloadOrder.Source(name: farm.mirrors.first { $0.spec.id == id }!.spec.name,
                                                                        url: farm.url(ofMirror: id)!) },
                          folder: folder, fileName: FarmLargeFile.name)
        }

        func progress(_ id: Int) -> [DownloadProgress] {
            messages.all.compactMap { if case .downloadProgress(id, let p) = $0 { p } else { nil } }
        }

        func end(_ id: Int) -> DownloadEnd? {
            messages.all.lazy.compactMap { if case .downloadEnded(let end) = $0, end.id == id { end } else { nil } }.first
        }

        func waitForEnd(_ id: Int, timeout: Duration = .seconds(30)) async throws -> DownloadEnd {
            try await waitFor("download \(id) to end", timeout: timeout) { end(id) }
        }
    }

    static func with(_ body: (Setup) async throws -> Void) async throws {
        let farm = try await Farm.start(farmConfig)
        let web = try WebClient(configuration: .init(userAgent: "mirrorscope-test"))
        let client = ClientInfo(version: "0.0.0", platform: "Linux", platformVersion: "test", architecture: "x86_64", hostname: "test")
        let messages = MessageLog()
        let recorded = RecordedDownloads()
        let runner = EffectRunner(prober: Prober(configuration: ProberConfiguration(clientInfo: client)), web: web,
                                  logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
                                  stopMirror: { url in
                                      guard let mirror = farm.mirrors.first(where: { $0.url == url }) else { return }
                                      try await farm.stopMirror(mirror.spec.id)
                                  },
                                  recordDownload: recorded.append,
                                  post: messages.record)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ms-dl-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var failure: (any Error)?
        do { try await body(Setup(farm: farm, runner: runner, messages: messages, folder: folder, recorded: recorded)) } catch { failure = error }
        await runner.shutdown()
        try await farm.shutdown()
        try? FileManager.default.removeItem(atPath: folder)
        if let failure { throw failure }
    }

    @Test func aStartedDownloadPostsProgressAndEndsVerified() async throws {
        try await Self.with { s in
            s.runner.perform(.startDownload(s.order(1, from: ["slow", "fast"])), interface: s.interface)
            let end = try await s.waitForEnd(1)
            #expect(end.progress.state == .verified(algorithm: "sha256"), "\(end)")
            #expect(!end.cancelled)
            #expect(end.path == s.folder + "/" + FarmLargeFile.name)
            #expect(end.progress.bytes == Int64(Self.size))
            // Progress came while it ran (a tick at least every 200 ms over seconds), growing.
            let ticks = s.progress(1)
            #expect(ticks.count >= 3, "\(ticks.count) progress messages")
            #expect(ticks.contains { $0.bytes > 0 && $0.bytes < Int64(Self.size) && $0.total == Int64(Self.size) && $0.mirrors == ["Slow"] })
            #expect(zip(ticks, ticks.dropFirst()).allSatisfy { $0.bytes <= $1.bytes })
            // The file on disk is the farm's, whole; no part file is left.
            let data = try Data(contentsOf: URL(fileURLWithPath: end.path))
            #expect(data.count == Self.size)
            #expect(!FileManager.default.fileExists(atPath: end.path + ".part"))
            #expect(!FileManager.default.fileExists(atPath: end.path + ".part.json"))
            // Its result goes to the history, from the mirror that served it.
            let record = try #require(s.recorded.all.first)
            #expect(s.recorded.all.count == 1)
            #expect(record.outcome == "verified sha256" && record.bytes == Int64(Self.size) && record.path == Self.path)
            #expect(record.mirrorURL == s.farm.url(ofMirror: "slow"))
        }
    }

    @Test func cancelKeepsThePartFileAndItsSidecarAndTheNextStartResumes() async throws {
        try await Self.with { s in
            s.runner.perform(.startDownload(s.order(1, from: ["slow"])), interface: s.interface)
            try await waitUntil("some bytes to arrive", timeout: .seconds(15), observed: { "\(s.progress(1).last.map { "\($0)" } ?? "none")" }) {
                (s.progress(1).last?.bytes ?? 0) > 300_000
            }
            s.runner.perform(.cancelDownload(id: 1), interface: s.interface)
            let end = try await s.waitForEnd(1, timeout: .seconds(5))
            #expect(end.cancelled)
            #expect(s.recorded.all.isEmpty, "a cancelled download is no result for the history")
            let final = s.folder + "/" + FarmLargeFile.name
            #expect(end.path == final + ".part")
            #expect(FileManager.default.fileExists(atPath: final + ".part"), "the part file is kept")
            #expect(FileManager.default.fileExists(atPath: final + ".part.json"), "its sidecar is kept")
            #expect(!FileManager.default.fileExists(atPath: final), "no file under the final name")
            let sidecar = try #require(PartFile.loadSidecar(partPath: final + ".part"))
            #expect(sidecar.done.count > 300_000 && sidecar.done.count < Int64(Self.size))
            #expect(sidecar.size == Int64(Self.size))

            // w again: the same name, the part file continued with Range from where it stopped.
            // Given the hash (as a Metalink page gives it), the run looks for no SHA256SUMS, whose
            // request, made beside the download's, could otherwise be the mirror's last.
            var again = s.order(2, from: ["fast"])
            again.facts = FileFacts(name: FarmLargeFile.name, hashes: ["sha-256": s.farm.largeFile!.sha256])
            s.runner.perform(.startDownload(again), interface: s.interface)
            let resumed = try await s.waitForEnd(2)
            #expect(resumed.progress.state == .verified(algorithm: "sha256"), "\(resumed)")
            #expect(resumed.path == final)
            let range = s.farm.lastRequestHeaders(mirror: "fast").first { $0.name.lowercased() == "range" }?.value
            #expect(range?.hasPrefix("bytes=\(sidecar.done.count)-") == true, "Range: \(range ?? "none")")
            #expect(s.farm.lastRequestHeaders(mirror: "fast").contains { $0.name.lowercased() == "if-range" })
            #expect(s.progress(2).contains { $0.note?.hasPrefix("resuming at \(sidecar.done.count) of") == true })
        }
    }

    @Test func stoppingTheServingMirrorMovesTheDownloadToTheNext() async throws {
        try await Self.with { s in
            s.runner.perform(.startDownload(s.order(1, from: ["slow", "fast"])), interface: s.interface)
            try await waitUntil("some bytes from Slow", timeout: .seconds(15)) { (s.progress(1).last?.bytes ?? 0) > 100_000 }
            s.runner.perform(.stopMirror(url: s.farm.url(ofMirror: "slow")!, name: "Slow"), interface: s.interface)
            let end = try await s.waitForEnd(1)
            #expect(s.messages.all.contains(.mirrorStopped(name: "Slow", error: nil)))
            #expect(end.progress.state == .verified(algorithm: "sha256"), "\(end)")
            let notes = s.progress(1).compactMap(\.note) + [end.progress.note].compactMap { $0 }
            #expect(notes.contains { $0.hasPrefix("moved to Fast (Slow") }, "\(Set(notes))")
            // The history credits the mirror that finished it.
            #expect(s.recorded.all.map(\.mirrorURL) == [s.farm.url(ofMirror: "fast")])
        }
    }

    /// The chosen mirror already dead (stopped in the demo before `w`): the SHA256SUMS comes from
    /// the next mirror, so the file still ends verified.
    @Test func aDeadChosenMirrorStillEndsVerified() async throws {
        try await Self.with { s in
            s.runner.perform(.stopMirror(url: s.farm.url(ofMirror: "slow")!, name: "Slow"), interface: s.interface)
            try await waitUntil("Slow to stop") { s.messages.all.contains(.mirrorStopped(name: "Slow", error: nil)) }
            s.runner.perform(.startDownload(s.order(1, from: ["slow", "fast"])), interface: s.interface)
            let end = try await s.waitForEnd(1)
            #expect(end.progress.state == .verified(algorithm: "sha256"), "\(end)")
            #expect(end.progress.note?.hasPrefix("moved to Fast (Slow") == true, "\(end)")
        }
    }
}

/// The downloads the runtime handed to the history, from any thread.
final class RecordedDownloads: Sendable {
    private let box = Mutex<[DownloadRecord]>([])
    var all: [DownloadRecord] { box.withLock { $0 } }
    func append(_ record: DownloadRecord) { box.withLock { $0.append(record) } }
}
