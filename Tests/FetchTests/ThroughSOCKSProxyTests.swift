import Foundation
import MirrorscopeCore
@testable import MirrorscopeFetch
import MirrorscopeNetwork
import TestSupport
import Testing

/// The page and a saved file through a SOCKS5 proxy (microsocks, started here): both arrive, and
/// with the proxy gone both fail naming it, never going direct.
@Suite("fetching through a SOCKS5 proxy")
struct ThroughSOCKSProxyTests {
    @Test(.enabled(if: Peer.missing("microsocks") == nil, Comment(rawValue: Peer.missing("microsocks") ?? "")))
    func thePageAndASavedFileComeThroughTheProxyAndNothingWithoutIt() async throws {
        let blob = TextSniffingTests.binary(count: 50_000)
        let server = try await StaticServer.start([
            "/list.txt": .init(contentType: "text/plain", body: Array("http://a.example/pub/\nhttp://b.example/pub/\n".utf8)),
            "/pub/blob.bin": .init(contentType: "application/octet-stream", body: blob),
        ])
        let proxy = try await Peer.microsocks(user: "erin", password: "sock-pw-9")
        let rules = try ProxyRules.resolve(environment: [:], proxyFlag: "socks5h://erin:sock-pw-9@127.0.0.1:\(proxy.port)", noProxyFlag: nil)
        let web = try WebClient(configuration: .init(userAgent: "mirrorscope-test", timeout: .seconds(10), proxies: rules))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ms-socks-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            let page = try await web.loadPage(server.baseURL + "list.txt")
            #expect(page.mirrors.map(\.url) == ["http://a.example/pub/", "http://b.example/pub/"])
            let saved = await web.fetch(FetchRequest(id: 1, url: server.baseURL + "pub/blob.bin", path: "pub/blob.bin", kind: .save(folder: folder)))
            #expect(saved.error == nil)
            #expect(FileManager.default.contents(atPath: folder + "/blob.bin") == Data(blob))

            proxy.stop()
            do {
                _ = try await web.loadPage(server.baseURL + "list.txt")
                Issue.record("the page loaded with the proxy stopped")
            } catch {
                #expect(error.message.contains("proxy 127.0.0.1:\(proxy.port): refused"), "\(error.message)")
                #expect(!error.message.contains("sock-pw-9"))
            }
            let failed = await web.fetch(FetchRequest(id: 2, url: server.baseURL + "pub/blob.bin", path: "pub/again.bin", kind: .save(folder: folder)))
            #expect(failed.error?.contains("proxy 127.0.0.1:\(proxy.port): refused") == true, "\(failed.error ?? "no error")")
            #expect(!FileManager.default.fileExists(atPath: folder + "/again.bin"))
        } catch {
            await web.shutdown()
            try await server.shutdown()
            throw error
        }
        await web.shutdown()
        try await server.shutdown()
    }
}
