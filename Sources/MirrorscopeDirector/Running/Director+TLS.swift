import NIOSSL

extension Director {
    /// The server side of the TLS listeners, from `tls_cert` and `tls_key`.
    static func makeServerTLSContext(_ files: TLSFiles) throws -> NIOSSLContext {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMFile(files.certificatePath)
        } catch {
            throw ConfigError(key: "tls_cert", "cannot read a PEM certificate from \(files.certificatePath): \(error)")
        }
        do {
            key = try NIOSSLPrivateKey(file: files.keyPath, format: .pem)
        } catch {
            throw ConfigError(key: "tls_key", "cannot read a PEM private key from \(files.keyPath): \(error)")
        }
        do {
            return try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: chain.map { .certificate($0) },
                                                                             privateKey: .privateKey(key)))
        } catch {
            throw ConfigError(key: "tls_cert", "the certificate and key do not make a TLS configuration: \(error)")
        }
    }

    /// The client side of health checks and proxying to https real servers: the system's trust
    /// roots plus `upstream_ca` and any given PEM.
    static func makeUpstreamTLSContext(caFile: String?, extraPEM: [String]) throws -> NIOSSLContext {
        var roots: [NIOSSLCertificate] = []
        if let caFile {
            do {
                roots += try NIOSSLCertificate.fromPEMFile(caFile)
            } catch {
                throw ConfigError(key: "upstream_ca", "cannot read PEM certificates from \(caFile): \(error)")
            }
        }
        do {
            roots += try extraPEM.flatMap { try NIOSSLCertificate.fromPEMBytes(Array($0.utf8)) }
        } catch {
            throw ConfigError(key: "upstream_ca", "a trust root given in-process is not a PEM certificate: \(error)")
        }
        var configuration = TLSConfiguration.makeClientConfiguration()
        if !roots.isEmpty { configuration.additionalTrustRoots = [.certificates(roots)] }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw ConfigError(key: "upstream_ca", "cannot set up TLS to real servers: \(error)")
        }
    }
}
