import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509

/// The farm's own certificate authority and one server certificate for loopback, made fresh at
/// every start: clients that trust `caPEM` can verify the farm's https mirrors, others cannot.
struct FarmCertificates: Sendable {
    let caPEM: String
    let serverContext: NIOSSLContext
    /// The loopback server certificate and its key, for a real TLS server a test starts beside
    /// the farm (stunnel in front of a proxy) that clients trusting `caPEM` accept.
    let serverCertificatePEM: String
    let serverKeyPEM: String

    init() throws {
        let now = Date()
        let validity = (now.addingTimeInterval(-3600), now.addingTimeInterval(30 * 24 * 3600))

        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName {
            OrganizationName("Mirrorscope farm")
            CommonName("Mirrorscope farm CA")
        }
        let caPublicKey = Certificate.PublicKey(caKey.publicKey)
        let ca = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: caPublicKey,
            notValidBefore: validity.0, notValidAfter: validity.1, issuer: caName, subject: caName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: caPublicKey)
            },
            issuerPrivateKey: .init(caKey))

        let serverKey = P256.Signing.PrivateKey()
        let serverPublicKey = Certificate.PublicKey(serverKey.publicKey)
        let server = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: serverPublicKey,
            notValidBefore: validity.0, notValidAfter: validity.1, issuer: caName,
            subject: try DistinguishedName { CommonName("localhost") },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames([
                    .dnsName("localhost"),
                    .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
                    .ipAddress(ASN1OctetString(contentBytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])),
                ])
                AuthorityKeyIdentifier(keyIdentifier: SubjectKeyIdentifier(hash: caPublicKey).keyIdentifier)
            },
            issuerPrivateKey: .init(caKey))

        caPEM = try ca.serializeAsPEM().pemString
        serverCertificatePEM = try server.serializeAsPEM().pemString
        serverKeyPEM = serverKey.pemRepresentation
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(serverCertificatePEM.utf8), format: .pem))],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(serverKeyPEM.utf8), format: .pem)))
        tls.minimumTLSVersion = .tlsv12
        serverContext = try NIOSSLContext(configuration: tls)
    }
}
