import MirrorscopeCore
import MirrorscopeFarm
import MirrorscopeProber
import NIOCore
import NIOPosix
import Testing

extension ProberAndFarmTests {
    /// Every failure kind, as a user reads it in the mirror's row.
    @Suite struct ProbeFailureTests {
        private func probe(_ farm: Farm, _ id: String, prober: Prober? = nil, samples: Int = 3,
                           timeoutMs: Int = 2000) async -> MirrorReport {
            await (prober ?? makeProber()).probeMirror(farm.pageMirror(id), settings: settings(samples: samples, timeoutMs: timeoutMs),
                                                       onEvent: { _ in })
        }

        @Test func refusedConnection() async throws {
            try await Farm.with(FarmConfig(mirrors: [spec("closed", fault: .refuse)])) { farm in
                let report = await probe(farm, "closed")
                #expect(report.failure == ProbeFailure(.refused, "connection refused"))
                #expect(report.samples.isEmpty)
                #expect(report.sentHeaders.isEmpty, "nothing was sent")
            }
        }

        @Test func hangingMirrorTimesOutOnceAndTheRoundStillReturnsQuickly() async throws {
            let config = FarmConfig(mirrors: [spec("stuck", fault: .hang), spec("fine", delay: 10)])
            try await Farm.with(config) { farm in
                let clock = ContinuousClock()
                let started = clock.now
                let reports = await makeProber().probeRound(mirrors: farm.pageMirrors, settings: settings(samples: 3, timeoutMs: 300),
                                                            onEvent: { _ in })
                let elapsed = clock.now - started
                let stuck = try #require(reports.first { $0.mirrorID == "stuck" })
                #expect(stuck.failure == ProbeFailure(.timeout, "timeout after 300 ms (first byte)"))
                #expect(farm.requestCount(mirror: "stuck") == 1, "a dead mirror costs one timeout, not one per sample")
                #expect(reports.first { $0.mirrorID == "fine" }?.ok == true)
                #expect(elapsed < .milliseconds(1500), "round took \(elapsed)")
                #expect(elapsed >= .milliseconds(299))
            }
        }

        @Test func httpErrorStatus() async throws {
            try await Farm.with(FarmConfig(mirrors: [spec("broken", delay: 5, fault: .status(503))])) { farm in
                let report = await probe(farm, "broken")
                #expect(report.failure == ProbeFailure(.http, "HTTP 503"))
                #expect(report.samples.isEmpty)
                #expect(farm.requestCount(mirror: "broken") == 1)
                #expect(report.sentHeaders.contains(HeaderField("User-Agent", testClient.userAgent)), "the request did go out")
            }
        }

        @Test func missingProbeObjectIsAnHTTPError() async throws {
            try await Farm.with(FarmConfig(mirrors: [spec("plain")])) { farm in
                var probe = settings()
                probe.path = "no-such-file"
                let report = await makeProber().probeMirror(farm.pageMirror("plain"), settings: probe, onEvent: { _ in })
                #expect(report.failure == ProbeFailure(.http, "HTTP 404"))
            }
        }

        @Test func connectionClosedBeforeAnAnswer() async throws {
            try await Farm.with(FarmConfig(mirrors: [spec("slam", fault: .reset)])) { farm in
                let report = await probe(farm, "slam")
                #expect(report.failure == ProbeFailure(.reset, "connection closed before an answer"))
                #expect(farm.requestCount(mirror: "slam") == 1)
            }
        }

        @Test func untrustedCertificate() async throws {
            try await Farm.with(FarmConfig(mirrors: [spec("secure", delay: 5, tls: true)])) { farm in
                let report = await probe(farm, "secure", prober: makeProber())
                #expect(report.failure == ProbeFailure(.tls, "TLS: certificate not trusted"))
                #expect(farm.requestCount(mirror: "secure") == 0, "no request goes to an untrusted server")
            }
        }

        @Test func trustedCertificateIsTimed() async throws {
            try await Farm.with(FarmConfig(mirrors: [spec("secure", delay: 30, tls: true)])) { farm in
                #expect(farm.url(ofMirror: "secure")?.hasPrefix("https://127.0.0.1:") == true)
                let report = await probe(farm, "secure", prober: makeProber(trusting: farm))
                #expect(report.failure == nil)
                #expect(report.samples.count == 3)
                for sample in report.samples {
                    let tls = try #require(sample.tlsMs)
                    #expect(tls > 0 && tls < 500, "TLS handshake \(tls) ms")
                    #expect(sample.ttfbMs >= 29 && sample.ttfbMs <= 60, "ttfb \(sample.ttfbMs) ms")
                    #expect(sample.responseMs == sample.connectMs + tls + sample.ttfbMs)
                }
            }
        }

        @Test func hostNameIsLookedUpAndCheckedAgainstTheCertificate() async throws {
            try await Farm.with(FarmConfig(mirrors: [spec("named", delay: 5, tls: true)])) { farm in
                let port = farm.mirrors[0].port
                let mirror = Mirror(id: "named", url: "https://localhost:\(port)/pub/")
                let report = await makeProber(trusting: farm).probeMirror(mirror, settings: settings(samples: 1),
                                                                          onEvent: { _ in })
                #expect(report.ok, "\(String(describing: report.failure))")
                #expect(report.sentHeaders.first == HeaderField("Host", "localhost:\(port)"))
                #expect(farm.requestCount(mirror: "named") == 1)
            }
        }

        @Test func unknownHost() async throws {
            let clock = ContinuousClock()
            let started = clock.now
            let report = await makeProber().probeMirror(Mirror(id: "ghost", url: "http://nonexistent.invalid/pub/"),
                                                        settings: settings(timeoutMs: 3000), onEvent: { _ in })
            #expect(report.failure == ProbeFailure(.dns, "no such host"))
            #expect(clock.now - started < .seconds(2))
        }

        @Test func unsupportedScheme() async throws {
            let log = EventLog()
            let report = await makeProber().probeMirror(Mirror(id: "old", url: "ftp://ftp.example.org/pub/"),
                                                        settings: settings(), onEvent: log.record)
            #expect(report.failure == ProbeFailure(.unsupported, "cannot probe ftp"))
            #expect(log.events.last == .finished(report))
        }

        @Test func answerThatIsNotHTTP() async throws {
            let server = try await NotHTTPServer.start()
            defer { server.close() }
            let report = await makeProber().probeMirror(Mirror(id: "ssh", url: "http://127.0.0.1:\(server.port)/"),
                                                        settings: settings(), onEvent: { _ in })
            #expect(report.failure == ProbeFailure(.protocolError, "not an HTTP answer"))
        }
    }
}

/// A server that greets every connection like an SSH daemon: not HTTP.
private struct NotHTTPServer {
    let channel: any Channel
    var port: Int { channel.localAddress?.port ?? 0 }

    static func start() async throws -> NotHTTPServer {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Greeter()) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return NotHTTPServer(channel: channel)
    }

    func close() {
        channel.close(promise: nil)
    }

    private final class Greeter: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            context.writeAndFlush(NIOAny(ByteBuffer(string: "SSH-2.0-OpenSSH_9.2\r\n")), promise: nil)
        }
    }
}
