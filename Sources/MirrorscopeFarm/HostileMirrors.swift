import Crypto
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import SwiftASN1
import X509

/// What a hostile mirror does wrong at the protocol level, below the scripted faults of
/// `FarmFault` (which answer well-formed HTTP): the cases a client must survive with a named
/// failure, within its timeout and in bounded memory.
public enum HostileBehavior: String, CaseIterable, Sendable {
    /// A status line, then one byte of a header a second, never ending the head.
    case slowHeaders = "slow-headers"
    /// Header lines as fast as the client reads them, never a blank line.
    case endlessHeaders = "endless-headers"
    /// `200 OK` without a length, then body bytes for ever.
    case endlessBody = "endless-body"
    /// A good head announcing 100 000 bytes of text, then one body byte a second.
    case slowBody = "slow-body"
    /// Bytes that are not HTTP.
    case garbage
    /// An HTTP/0.9 answer: the body alone, no status line, then the connection closes.
    case http09
    /// Accepts the connection and reads the TLS ClientHello, but never answers it.
    case stalledTLS = "stalled-tls"
    /// TLS with a certificate from the trusted CA, for another host name.
    case certificateForAnotherName = "wrong-name-certificate"
    /// TLS with a certificate from the trusted CA for 127.0.0.1 that expired yesterday.
    case expiredCertificate = "expired-certificate"
    /// TLS with a self-signed certificate for 127.0.0.1.
    case selfSignedCertificate = "self-signed-certificate"

    var isTLS: Bool {
        switch self {
        case .stalledTLS, .certificateForAnotherName, .expiredCertificate, .selfSignedCertificate: true
        default: false
        }
    }
}

/// Hostile mirrors on 127.0.0.1, one listener per behaviour, for the client's abuse tests. Kept
/// apart from `Farm` (its scripted mirrors speak proper HTTP) so that each can change alone.
public final class HostileMirrors: Sendable {
    /// The CA that signed the wrong-name and expired certificates: a client trusting it gets as
    /// far as the name or date check.
    public let caPEM: String
    private let channels: [HostileBehavior: any Channel]

    private init(caPEM: String, channels: [HostileBehavior: any Channel]) {
        self.caPEM = caPEM
        self.channels = channels
    }

    /// The mirror's base URL (https for the TLS behaviours).
    public func url(of behavior: HostileBehavior) -> String? {
        channels[behavior]?.localAddress?.port.map { "\(behavior.isTLS ? "https" : "http")://127.0.0.1:\($0)/pub/" }
    }

    public static func start(_ behaviors: [HostileBehavior] = HostileBehavior.allCases,
                             group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> HostileMirrors {
        let certificates = try HostileCertificates()
        var channels: [HostileBehavior: any Channel] = [:]
        for behavior in behaviors {
            let tls = try certificates.context(for: behavior)
            channels[behavior] = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                        try channel.pipeline.syncOperations.addHandler(HostileHandler(behavior: behavior))
                    }
                }
                .bind(host: "127.0.0.1", port: 0).get()
        }
        return HostileMirrors(caPEM: certificates.caPEM, channels: channels)
    }

    public func stop() async {
        for channel in channels.values { try? await channel.close() }
    }
}

/// Plays one behaviour on a connection once the client has sent something.
final class HostileHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let behavior: HostileBehavior
    private var started = false
    private var counter = 0

    init(behavior: HostileBehavior) { self.behavior = behavior }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !started else { return }
        started = true
        switch behavior {
        case .slowHeaders:
            write(context, "HTTP/1.1 200 OK\r\n")
            trickle(context, Array("X-Slow: ".utf8) + Array(repeating: UInt8(ascii: "z"), count: 10_000))
        case .endlessHeaders:
            write(context, "HTTP/1.1 200 OK\r\n")
            stream(context) { n in "X-Header-\(n): \(String(repeating: "h", count: 100))\r\n" }
        case .endlessBody:
            write(context, "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n\r\n")
            stream(context) { _ in String(repeating: "b", count: 16_384) }
        case .slowBody:
            write(context, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n")
            trickle(context, Array(repeating: UInt8(ascii: "x"), count: 100_000))
        case .garbage:
            var random = SystemRandomNumberGenerator()
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: (0..<4096).map { _ in UInt8.random(in: 0...255, using: &random) })),
                                  promise: nil)
        case .http09:
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "<html><body>mirror</body></html>\n"))).whenComplete { _ in
                context.close(promise: nil)
            }
        case .stalledTLS:
            break // the ClientHello is read and never answered
        case .certificateForAnotherName, .expiredCertificate, .selfSignedCertificate:
            // Only a client that ignored the certificate gets this far.
            write(context, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        }
    }

    private func write(_ context: ChannelHandlerContext, _ text: String) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
    }

    /// One byte a second until the connection closes.
    private func trickle(_ context: ChannelHandlerContext, _ bytes: [UInt8]) {
        let loop = context.eventLoop.assumeIsolated()
        func next(_ index: Int) {
            guard context.channel.isActive, index < bytes.count else { return }
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: [bytes[index]])), promise: nil)
            loop.scheduleTask(in: .seconds(1)) { next(index + 1) }
        }
        next(0)
    }

    /// Writes chunk after chunk, each once the last has gone to the socket: as fast as the client
    /// reads, and never more than one chunk held here.
    private func stream(_ context: ChannelHandlerContext, _ chunk: @escaping (Int) -> String) {
        func next() {
            guard context.channel.isActive else { return }
            counter += 1
            // The next chunk from the event loop, not from inside this write's completion: a write
            // that completes at once would otherwise recurse until the stack ran out.
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: chunk(counter)))).assumeIsolated().whenSuccess {
                context.eventLoop.assumeIsolated().execute { next() }
            }
        }
        next()
    }
}

/// The certificates of the TLS behaviours, made fresh at every start.
struct HostileCertificates {
    let caPEM: String
    private let caKey: P256.Signing.PrivateKey
    private let caName: DistinguishedName

    init() throws {
        caKey = P256.Signing.PrivateKey()
        caName = try DistinguishedName { CommonName("Mirrorscope hostile CA") }
        let now = Date()
        let caPublicKey = Certificate.PublicKey(caKey.publicKey)
        let ca = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: caPublicKey,
            notValidBefore: now.addingTimeInterval(-7 * 86400), notValidAfter: now.addingTimeInterval(30 * 86400),
            issuer: caName, subject: caName, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: caPublicKey)
            },
            issuerPrivateKey: .init(caKey))
        caPEM = try ca.serializeAsPEM().pemString
    }

    func context(for behavior: HostileBehavior) throws -> NIOSSLContext? {
        let now = Date()
        switch behavior {
        case .certificateForAnotherName:
            return try leaf(names: [.dnsName("mirror.other.example")], from: now.addingTimeInterval(-3600), until: now.addingTimeInterval(86400), selfSigned: false)
        case .expiredCertificate:
            return try leaf(names: Self.loopback, from: now.addingTimeInterval(-3 * 86400), until: now.addingTimeInterval(-86400), selfSigned: false)
        case .selfSignedCertificate:
            return try leaf(names: Self.loopback, from: now.addingTimeInterval(-3600), until: now.addingTimeInterval(86400), selfSigned: true)
        default:
            return nil
        }
    }

    static let loopback: [GeneralName] = [.dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))]

    private func leaf(names: [GeneralName], from: Date, until: Date, selfSigned: Bool) throws -> NIOSSLContext {
        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        let subject = try DistinguishedName { CommonName("hostile mirror") }
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: publicKey, notValidBefore: from, notValidAfter: until,
            issuer: selfSigned ? subject : caName, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(names)
            },
            issuerPrivateKey: selfSigned ? .init(key) : .init(caKey))
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(try certificate.serializeAsPEM().pemString.utf8), format: .pem))],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(key.pemRepresentation.utf8), format: .pem)))
        tls.minimumTLSVersion = .tlsv12
        return try NIOSSLContext(configuration: tls)
    }
}
