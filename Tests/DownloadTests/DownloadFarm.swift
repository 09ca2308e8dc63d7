import Crypto
import Foundation
import MirrorscopeCore
import MirrorscopeDownload
import MirrorscopeFarm
import MirrorscopeNetwork
import Testing

/// What the download tests share: a farm with the large file, a fresh folder, and a job run to
/// its end with every progress value it published.
enum DownloadFarm {
    /// Small enough for a debug build, large enough for several 1 MiB pieces and segments.
    static let fileBytes = 6 << 20
    static var path: String { "files/" + FarmLargeFile.name }

    static func mirror(_ id: String, delayMs: Double = 5, rate: Int? = nil, fault: FarmDownloadFault? = nil) -> FarmMirrorSpec {
        FarmMirrorSpec(id: id, name: id.capitalized, location: "pl", delayMs: delayMs, bytesPerSecond: rate.map(Double.init),
                       downloadFault: fault)
    }

    static func with<T>(_ mirrors: [FarmMirrorSpec], bytes: Int = fileBytes, _ body: (Farm) async throws -> T) async throws -> T {
        try await Farm.with(FarmConfig(mirrors: mirrors, largeFileBytes: bytes), body)
    }

    static func folder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ms-get-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    /// The request for the large file from `ids` in that order (the ranking), into a fresh folder.
    static func request(_ farm: Farm, _ ids: [String], folder: String) -> DownloadRequest {
        let mirrors = ids.map { DownloadMirror(name: $0.capitalized, url: farm.url(ofMirror: $0)!) }
        var request = DownloadRequest(path: path, mirrors: mirrors, destination: folder + "/" + FarmLargeFile.name)
        request.minimumSplit = 256 << 10
        return request
    }

    static func run(_ request: DownloadRequest) async -> (DownloadOutcome, [DownloadProgress]) {
        let job = DownloadJob(request, connector: Connector(configuration: .init()))
        let seen = Task { await job.progress.reduce(into: [DownloadProgress]()) { $0.append($1) } }
        let outcome = await job.run()
        return (outcome, await seen.value)
    }

    static func sha256(ofFile path: String) throws -> String {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var hash = SHA256Streaming()
        while let data = try handle.read(upToCount: 1 << 20), !data.isEmpty { hash.update(data) }
        return hash.hex()
    }

    /// The Metalink's pieces for the farm's current version.
    static func pieces(_ farm: Farm) -> PieceHashes {
        PieceHashes(FileFacts.Pieces(type: "sha-256", length: Int64(FarmLargeFile.pieceLength), hashes: farm.largeFile!.pieceSHA256))!
    }
}

struct SHA256Streaming {
    var hasher = SHA256()
    mutating func update(_ data: Data) { hasher.update(data: data) }
    func hex() -> String { hasher.finalize().map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() }
}
