import Foundation
import MirrorscopeFarm
@testable import MirrorscopeNetwork
import NIOCore
import NIOPosix
import MirrorscopeCore
import TestSupport
import Testing

/// Tunnels through real proxies from Debian's packages, started by the tests on free ports.
@Suite("proxy tunnels through tinyproxy and microsocks", .serialized)
struct ProxyTunnelTests {
    static let farm = FarmConfig(mirrors: [FarmMirrorSpec(id: "m", name: "M", location: "de", delayMs: 1)])

    /// Connects to the proxy, opens the tunnel to the farm mirror, sends one GET through it and
    /// returns what came back (or throws the tunnel's failure).
    static func getThrough(_ proxy: ProxyURL, to mirrorURL: String, deadline: Duration = .seconds(5)) async throws -> String {
        let parts = try #require(URLParts(mirrorURL))
        let group = MultiThreadedEventLoopGroup.singleton
        let collected = group.next().makePromise(of: String.self)
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { $0.pipeline.addHandler(Collector(done: collected)) }
            .connect(host: proxy.host, port: proxy.port).get()
        let target = ProxyTunnel.Target(host: parts.host, port: parts.effectivePort!,
                                        address: try SocketAddress(ipAddress: parts.host, port: parts.effectivePort!))
        let opened = try await channel.eventLoop.flatSubmit {
            ProxyTunnel.open(channel, through: proxy, to: target, deadline: .now() + TimeAmount.seconds(5), proxyTLS: nil)
        }.get()
        #expect(opened.tunnelReady >= opened.proxyReady)
        let request = "GET \(parts.path)files/README.txt HTTP/1.1\r\nHost: \(parts.hostHeader)\r\nConnection: close\r\n\r\n"
        try await channel.writeAndFlush(channel.allocator.buffer(string: request)).get()
        return try await collected.futureResult.get()
    }

    @Test(.enabled(if: Peer.missing("tinyproxy") == nil, Comment(rawValue: Peer.missing("tinyproxy") ?? "")))
    func anHTTPConnectTunnelReachesTheMirrorAndTheProxyLogsIt() async throws {
        try await Farm.with(Self.farm) { farm in
            let proxy = try await Peer.tinyproxy()
            defer { proxy.stop() }
            let mirror = farm.mirrors[0]
            let answer = try await Self.getThrough(try ProxyURL("http://127.0.0.1:\(proxy.port)"), to: mirror.url)
            #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer.prefix(200))")
            #expect(answer.contains("Served by the simulated mirror \"M\""))
            try await waitUntil("tinyproxy to log the CONNECT", observed: { proxy.log }) {
                proxy.log.contains("CONNECT") && proxy.log.contains(":\(mirror.port)")
            }
        }
    }

    @Test(.enabled(if: Peer.missing("tinyproxy") == nil, Comment(rawValue: Peer.missing("tinyproxy") ?? "")))
    func aProxyThatWantsCredentialsSays407AndTakesThemFromTheURL() async throws {
        try await Farm.with(Self.farm) { farm in
            let proxy = try await Peer.tinyproxy(basicAuth: ("alice", "s3cret"))
            defer { proxy.stop() }
            await #expect(throws: ProxyFailure(.tunnel, "proxy: authentication required (407)")) {
                try await Self.getThrough(try ProxyURL("http://127.0.0.1:\(proxy.port)"), to: farm.mirrors[0].url)
            }
            let answer = try await Self.getThrough(try ProxyURL("http://alice:s3cret@127.0.0.1:\(proxy.port)"), to: farm.mirrors[0].url)
            #expect(answer.hasPrefix("HTTP/1.1 200"))
        }
    }

    @Test(.enabled(if: Peer.missing("tinyproxy") == nil, Comment(rawValue: Peer.missing("tinyproxy") ?? "")))
    func aRefusedTunnelAndAMirrorTheProxyCannotReachAreNamed() async throws {
        try await Farm.with(Self.farm) { farm in
            // Tunnels to port 443 only, as many corporate proxies: the farm's port is refused.
            let strict = try await Peer.tinyproxy(connectPorts: [443])
            defer { strict.stop() }
            await #expect(throws: ProxyFailure(.tunnel, "proxy: tunnel refused (403)")) {
                try await Self.getThrough(try ProxyURL("http://127.0.0.1:\(strict.port)"), to: farm.mirrors[0].url)
            }
            let open = try await Peer.tinyproxy()
            defer { open.stop() }
            let closed = try Peer.freePortForTests()
            await #expect(throws: ProxyFailure(.tunnel, "proxy: could not reach the mirror (500)")) {
                try await Self.getThrough(try ProxyURL("http://127.0.0.1:\(open.port)"), to: "http://127.0.0.1:\(closed)/")
            }
        }
    }

    @Test(.enabled(if: Peer.missing("microsocks") == nil, Comment(rawValue: Peer.missing("microsocks") ?? "")),
          arguments: [ProxyURL.Kind.socks5, .socks5h])
    func aSOCKS5TunnelReachesTheMirror(kind: ProxyURL.Kind) async throws {
        try await Farm.with(Self.farm) { farm in
            let proxy = try await Peer.microsocks()
            defer { proxy.stop() }
            let answer = try await Self.getThrough(try ProxyURL("\(kind.rawValue)://127.0.0.1:\(proxy.port)"), to: farm.mirrors[0].url)
            #expect(answer.hasPrefix("HTTP/1.1 200"))
        }
    }

    @Test(.enabled(if: Peer.missing("microsocks") == nil, Comment(rawValue: Peer.missing("microsocks") ?? "")))
    func socksCredentialsAreSentAndAWrongPasswordIsNamed() async throws {
        try await Farm.with(Self.farm) { farm in
            let proxy = try await Peer.microsocks(user: "bob", password: "pa55")
            defer { proxy.stop() }
            let url = farm.mirrors[0].url
            let good = try await Self.getThrough(try ProxyURL("socks5h://bob:pa55@127.0.0.1:\(proxy.port)"), to: url)
            #expect(good.hasPrefix("HTTP/1.1 200"))
            await #expect(throws: ProxyFailure(.tunnel, "SOCKS5: the proxy refused the user name or password")) {
                try await Self.getThrough(try ProxyURL("socks5h://bob:wrong@127.0.0.1:\(proxy.port)"), to: url)
            }
            await #expect(throws: ProxyFailure(.tunnel, "SOCKS5: the proxy asks for a user and password (give them in the proxy URL)")) {
                try await Self.getThrough(try ProxyURL("socks5h://127.0.0.1:\(proxy.port)"), to: url)
            }
        }
    }

    @Test(.enabled(if: Peer.missing("microsocks") == nil, Comment(rawValue: Peer.missing("microsocks") ?? "")))
    func aSOCKSProxyThatCannotReachTheMirrorSaysWhy() async throws {
        let proxy = try await Peer.microsocks()
        defer { proxy.stop() }
        // A port nothing listens on: the proxy's own connect is refused.
        let closed = try Peer.freePortForTests()
        await #expect(throws: ProxyFailure.self) {
            try await Self.getThrough(try ProxyURL("socks5://127.0.0.1:\(proxy.port)"), to: "http://127.0.0.1:\(closed)/")
        }
        do {
            _ = try await Self.getThrough(try ProxyURL("socks5://127.0.0.1:\(proxy.port)"), to: "http://127.0.0.1:\(closed)/")
        } catch let failure as ProxyFailure {
            #expect(failure.stage == .tunnel && failure.description.hasPrefix("SOCKS5: "), "\(failure)")
        }
    }
}

/// Collects every byte the channel receives until it closes.
private final class Collector: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    let done: EventLoopPromise<String>
    var text = ""
    init(done: EventLoopPromise<String>) { self.done = done }
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        text += String(buffer: unwrapInboundIn(data))
    }
    func channelInactive(context: ChannelHandlerContext) { done.succeed(text) }
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        done.fail(error)
        context.close(promise: nil)
    }
}
