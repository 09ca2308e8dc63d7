import MirrorscopeCore

public struct ProberConfiguration: Sendable {
    /// Decides the client-information headers sent with each probe.
    public var clientInfo: ClientInfo
    /// PEM certificates trusted in addition to the system's roots (for example a farm's CA).
    public var additionalTrustRootsPEM: [String]

    public init(clientInfo: ClientInfo, additionalTrustRootsPEM: [String] = []) {
        self.clientInfo = clientInfo
        self.additionalTrustRootsPEM = additionalTrustRootsPEM
    }
}
