/// The `tls_cert` and `tls_key` keys: the TLS listeners' certificate and key.
public struct TLSFiles: Sendable, Hashable {
    /// PEM certificate chain.
    public var certificatePath: String
    /// PEM private key.
    public var keyPath: String

    public init(certificatePath: String, keyPath: String) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
    }
}
