import MirrorscopeCore
import MirrorscopeFarm
import MirrorscopeProber
import Testing

extension ProberAndFarmTests {
    /// What a mirror learns about the client, as the mirror itself received it.
    @Suite struct ClientInfoTests {
        private func received(policy: ClientInfo.Policy, asked: Set<ClientInfoField>) async throws
            -> (headers: [String: String], report: MirrorReport) {
            try await Farm.with(FarmConfig(mirrors: [spec("spy")])) { farm in
                let report = await makeProber(policy: policy).probeMirror(farm.pageMirror("spy"),
                                                                          settings: settings(timeoutMs: 15_000, clientInfo: asked),
                                                                          onEvent: { _ in })
                #expect(report.ok)
                let pairs = farm.lastRequestHeaders(mirror: "spy")
                #expect(pairs.map(\.name) == report.sentHeaders.map(\.name), "the report records exactly what was sent")
                #expect(pairs.map(\.value) == report.sentHeaders.map(\.value))
                return (Dictionary(pairs.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a }), report)
            }
        }

        @Test func basicInformationByDefault() async throws {
            let (headers, _) = try await received(policy: .full, asked: ClientInfoField.basic)
            #expect(headers["user-agent"] == "mirrorscope/1.2.3 (Linux 6.1.0-test; x86_64)")
            #expect(headers["sec-ch-ua-platform"] == "\"Linux\"")
            #expect(headers["sec-ch-ua-platform-version"] == "\"6.1.0-test\"")
            #expect(headers["x-client-hostname"] == nil)
            #expect(headers["accept"] == "*/*")
            #expect(headers["connection"] == "close")
            #expect(headers["host"]?.hasPrefix("127.0.0.1:") == true, "Host carries the non-default port")
        }

        @Test func hostNameAndAddressOnlyWhenAskedAndAllowed() async throws {
            let asked: Set<ClientInfoField> = [.userAgent, .platform, .platformVersion, .hostname, .localAddress]
            let full = try await received(policy: .full, asked: asked).headers
            #expect(full["x-client-hostname"] == "probe-host")
            #expect(full["x-client-address"] == "127.0.0.1")

            let basic = try await received(policy: .basic, asked: asked).headers
            #expect(basic["x-client-hostname"] == nil)
            #expect(basic["x-client-address"] == nil)
            #expect(basic["user-agent"] == "mirrorscope/1.2.3 (Linux 6.1.0-test; x86_64)")

            let none = try await received(policy: .none, asked: asked).headers
            #expect(none["user-agent"] == "mirrorscope")
            #expect(none["sec-ch-ua-platform"] == nil)
            #expect(none["x-client-hostname"] == nil)
            #expect(none["x-client-address"] == nil)
        }
    }
}
