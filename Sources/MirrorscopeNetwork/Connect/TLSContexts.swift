import NIOConcurrencyHelpers
import NIOSSL

/// The client TLS contexts, built on first use (loading the system's trust roots costs time and
/// memory that plain-http connections need not pay) and shared by every connection: one for
/// mirrors (HTTP/1.1 by ALPN, the extra roots of `--cacert`), one for https proxies.
final class TLSContexts: Sendable {
    private let additionalRootsPEM: [String]
    private let cache = NIOLockedValueBox<[Bool: Result<NIOSSLContext, ConnectionFailure>]>([:])

    init(additionalRootsPEM: [String]) {
        self.additionalRootsPEM = additionalRootsPEM
    }

    func mirror() throws(ConnectionFailure) -> NIOSSLContext { try context(forMirrors: true).get() }
    func proxy() throws(ConnectionFailure) -> NIOSSLContext { try context(forMirrors: false).get() }

    private func context(forMirrors: Bool) -> Result<NIOSSLContext, ConnectionFailure> {
        cache.withLockedValue { cache in
            if let made = cache[forMirrors] { return made }
            let made = Result { () throws(ConnectionFailure) -> NIOSSLContext in
                var configuration = TLSConfiguration.makeClientConfiguration()
                if forMirrors { configuration.applicationProtocols = ["http/1.1"] }
                do {
                    let extra = try additionalRootsPEM.flatMap { try NIOSSLCertificate.fromPEMBytes(Array($0.utf8)) }
                    if !extra.isEmpty { configuration.additionalTrustRoots = [.certificates(extra)] }
                } catch {
                    throw ConnectionFailure(.tls, .other, "TLS: an additional trust root is not a PEM certificate")
                }
                do {
                    return try NIOSSLContext(configuration: configuration)
                } catch {
                    throw ConnectionFailure(.tls, .other, "TLS: cannot set up (\(error))")
                }
            }
            cache[forMirrors] = made
            return made
        }
    }
}

/// TLS failures in a user's words (the prober's short reasons and the fetcher's messages agree).
public enum TLSReasons {
    public static func describe(_ error: any Error) -> String {
        switch error {
        case NIOSSLError.handshakeFailed(let reason):
            return "\(reason)".contains("CERTIFICATE_VERIFY_FAILED") ? "TLS: certificate not trusted" : "TLS: handshake failed"
        case let extra as NIOSSLExtraError where extra == .failedToValidateHostname:
            return "TLS: certificate is for another host"
        default:
            return "TLS: handshake failed"
        }
    }
}
