import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import MirrorscopeNetwork
import NIOCore
import NIOPosix
import TestSupport
import Testing

/// RFC 8305 through NIO's connector with our resolver: a name with a black-holed IPv6 address and a
/// working IPv4 one on the same port (`BlackHole`: a listening socket whose accept queue is full
/// drops SYNs).
@Suite("Happy Eyeballs", .serialized)
struct HappyEyeballsTests {
    /// One port with a listener that accepts (the kernel completes handshakes into its queue)
    /// in one family and a black hole in the other.
    final class DualStackPort {
        let port: Int
        private let open: Int32
        private let hole: BlackHole

        init(blackHoleIPv6: Bool) throws {
            // The black hole's free port may be taken in the other family: a few tries.
            for attempt in 1... {
                let hole = try BlackHole(blackHoleIPv6 ? .ipv6 : .ipv4)
                do {
                    open = try BlackHole.listener(blackHoleIPv6 ? .ipv4 : .ipv6, port: hole.port, backlog: 64)
                    self.hole = hole
                    port = hole.port
                    return
                } catch where attempt < 5 {
                    continue
                }
            }
            fatalError("unreachable")
        }

        deinit { close(open) }
    }

    static func connectTo(_ host: String, port: Int, family: IPFamily = .any, hosts: [String: [String]]) async throws -> (SocketAddress?, Duration) {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let started = ContinuousClock.now
        let channel = try await ClientBootstrap(group: loop)
            .resolver(MirrorResolver(on: loop, family: family, hosts: hosts))
            .connectTimeout(.seconds(30))
            .connect(host: host, port: port).get()
        let took = ContinuousClock.now - started
        let remote = channel.remoteAddress
        try await channel.close()
        return (remote, took)
    }

    @Test func aBlackHoledIPv6AddressCostsTheAttemptDelayNotTheTimeout() async throws {
        let port = try DualStackPort(blackHoleIPv6: true)
        let (remote, took) = try await Self.connectTo("dual.test", port: port.port, hosts: ["dual.test": ["::1", "127.0.0.1"]])
        #expect(remote?.ipAddress == "127.0.0.1")
        // At least the 250 ms of RFC 8305's Connection Attempt Delay, and well under the 30 s connect
        // timeout that trying the addresses one after another would cost: a sequential connector
        // fails at the timeout, so reaching 127.0.0.1 at all is the proof. The upper bound is loose
        // because a CI machine starting 400 tests at once has delayed this by 6 s.
        #expect(took >= .milliseconds(240) && took < .seconds(20), "\(took)")
    }

    @Test func aBlackHoledIPv4AddressIsNeverWaitedFor() async throws {
        let port = try DualStackPort(blackHoleIPv6: false)
        let (remote, took) = try await Self.connectTo("dual.test", port: port.port, hosts: ["dual.test": ["127.0.0.1", "::1"]])
        #expect(remote?.ipAddress == "::1", "IPv6 goes first")
        #expect(took < .seconds(20), "\(took)")
    }

    @Test func oneFamilyOnlyWhenAsked() async throws {
        let port = try DualStackPort(blackHoleIPv6: false)  // IPv6 answers, IPv4 is black-holed
        let (remote, _) = try await Self.connectTo("dual.test", port: port.port, family: .ipv6, hosts: ["dual.test": ["127.0.0.1", "::1"]])
        #expect(remote?.ipAddress == "::1")
        await #expect(throws: (any Error).self) {
            _ = try await Self.connectTo("v6only.test", port: port.port, family: .ipv4, hosts: ["v6only.test": ["::1"]])
        }
    }

    @Test func theSystemResolverIsUsedForOtherNamesAndTimed() async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let resolver = MirrorResolver(on: loop)
        let v4 = try await resolver.initiateAQuery(host: "localhost", port: 80).get()
        #expect(v4.contains { $0.ipAddress == "127.0.0.1" })
        #expect(resolver.milliseconds != nil)
        await #expect(throws: LookupFailure("no such host")) {
            _ = try await MirrorResolver(on: loop).initiateAQuery(host: "no-such-host.invalid", port: 80).get()
        }
    }
}
