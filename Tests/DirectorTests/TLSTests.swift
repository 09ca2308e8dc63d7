import Crypto
import Foundation
import MirrorscopeDirector
import MirrorscopeFarm
import TestSupport
import Testing
import X509

/// A session begun over HTTP keeps its real server over HTTPS, sent to its `https_url`.
@Suite struct TLSTests {
    /// A self-signed certificate, written as PEM files (the test client does not verify it: what is
    /// tested is where the director sends a TLS client, not the certificate).
    static func writeCertificate(in directory: URL) throws -> TLSFiles {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName("127.0.0.1") }
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-60), notValidAfter: now.addingTimeInterval(3600),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: Certificate.Extensions(), issuerPrivateKey: .init(key))
        let files = TLSFiles(certificatePath: directory.appendingPathComponent("cert.pem").path,
                             keyPath: directory.appendingPathComponent("key.pem").path)
        try certificate.serializeAsPEM().pemString.write(toFile: files.certificatePath, atomically: true, encoding: .utf8)
        try key.pemRepresentation.write(toFile: files.keyPath, atomically: true, encoding: .utf8)
        return files
    }

    @Test func aSessionFollowsTheClientToTheTLSListener() async throws {
        let directory = try Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try Self.writeCertificate(in: directory)
        try await Harness.withFarm(["m0", "m1", "m2"]) { farm in
            var reals = Harness.reals(farm)
            for i in reals.indices { reals[i].httpsURL = "https://\(reals[i].id).mirrors.example/pub/" }
            var config = Harness.config(reals)
            config.tls = files
            config.virtualServers[0].tlsListen = ["127.0.0.1:0"]
            try await Harness.withDirector(config) { director in
                let tlsURL = try #require(director.tlsURL)
                #expect(tlsURL.hasPrefix("https://127.0.0.1:"))
                for _ in 0..<3 {
                    let plain = try await TestHTTPClient.get(director.url + "/files/README.txt")
                    let real = try #require(Harness.realID(of: plain.location, in: farm))
                    let secure = try await TestHTTPClient.get(tlsURL + "/files/README.txt", cookie: plain.sessionCookie)
                    #expect(secure.status == 302)
                    #expect(secure.location == "https://\(real).mirrors.example/pub/files/README.txt")
                    // And back: the token renewed over TLS works over plain HTTP.
                    let again = try await TestHTTPClient.get(director.url + "/x", cookie: secure.sessionCookie)
                    #expect(Harness.realID(of: again.location, in: farm) == real)
                }
                let page = try await TestHTTPClient.get(tlsURL + "/-/mirrors.json")
                #expect(page.text.contains("https://m0.mirrors.example/pub/"))
            }
        }
    }
}
