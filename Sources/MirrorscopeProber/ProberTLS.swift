import MirrorscopeCore
import NIOConcurrencyHelpers
import NIOSSL

/// The client TLS context, built on first use (loading the system's trust roots costs time and
/// memory that a round of plain-http mirrors need not pay) and shared by every connection.
final class ProberTLS: Sendable {
    private let additionalRootsPEM: [String]
    private let context = NIOLockedValueBox<Result<NIOSSLContext, ProbeFailure>?>(nil)

    init(additionalRootsPEM: [String]) {
        self.additionalRootsPEM = additionalRootsPEM
    }

    func clientContext() -> Result<NIOSSLContext, ProbeFailure> {
        context.withLockedValue { cached in
            if let cached { return cached }
            let made = Result { () throws(ProbeFailure) -> NIOSSLContext in
                var configuration = TLSConfiguration.makeClientConfiguration()
                configuration.applicationProtocols = ["http/1.1"]
                do {
                    let extra = try additionalRootsPEM.flatMap { try NIOSSLCertificate.fromPEMBytes(Array($0.utf8)) }
                    if !extra.isEmpty { configuration.additionalTrustRoots = [.certificates(extra)] }
                } catch {
                    throw ProbeFailure(.tls, "TLS: an additional trust root is not a PEM certificate")
                }
                do {
                    return try NIOSSLContext(configuration: configuration)
                } catch {
                    throw ProbeFailure(.tls, "TLS: cannot set up (\(error))")
                }
            }
            cached = made
            return made
        }
    }
}
