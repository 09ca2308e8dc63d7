import Foundation
import MirrorscopeCore
@testable import MirrorscopeFetch
import TestSupport
import Testing

/// Opening and saving through a real HTTP server that labels every file `text/plain`, as nginx
/// without a `types` block does.
@Suite("opening and saving through a mirror")
struct OpenThroughMirrorTests {
    static let blob = TextSniffingTests.binary(count: 100_000)
    static let readme = TextSniffingTests.readme

    /// Runs `body` with a started server and a web client, and always shuts both down.
    static func withServer(_ body: (StaticServer, WebClient) async throws -> Void) async throws {
        let server = try await StaticServer.start([
            "/pub/blob.bin": .init(contentType: "text/plain", body: blob),
            "/pub/README.txt": .init(contentType: "text/plain", body: readme),
        ])
        let web = try WebClient(configuration: .init(userAgent: "mirrorscope-test", timeout: .seconds(10)))
        do {
            try await body(server, web)
        } catch {
            await web.shutdown()
            try await server.shutdown()
            throw error
        }
        await web.shutdown()
        try await server.shutdown()
    }

    @Test func aBinaryFileServedAsTextPlainIsNotShownAsText() async throws {
        try await Self.withServer { server, web in
            let result = await web.fetch(FetchRequest(id: 1, url: server.baseURL + "pub/blob.bin", path: "blob.bin", kind: .open))
            #expect(result.error == nil)
            #expect(result.status == 200)
            #expect(result.contentType == "text/plain")
            #expect(result.bytes == Self.blob.count)
            #expect(result.preview.isEmpty, "binary bytes shown as text: \(result.preview.prefix(3))")
        }
    }

    @Test func aTextFileServedAsTextPlainIsShown() async throws {
        try await Self.withServer { server, web in
            let result = await web.fetch(FetchRequest(id: 2, url: server.baseURL + "pub/README.txt", path: "README.txt", kind: .open))
            #expect(result.preview.first == "Example 1.0")
            #expect(result.preview.contains("and ünïcödé — fine."))
        }
    }

    @Test func savingWritesTheExactBytesInTheFolder() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ms-save-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await Self.withServer { server, web in
            let result = await web.fetch(FetchRequest(id: 3, url: server.baseURL + "pub/blob.bin", path: "pub/blob.bin",
                                                      kind: .save(folder: folder)))
            #expect(result.error == nil)
            #expect(result.savedTo == folder + "/blob.bin")
            #expect(result.bytes == Self.blob.count)
            #expect(FileManager.default.contents(atPath: folder + "/blob.bin") == Data(Self.blob))
            #expect(!FileManager.default.fileExists(atPath: folder + "/blob.bin.part"), "no partial file is left")
        }
    }
}
