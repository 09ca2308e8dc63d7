import Logging
import NIOSSL

/// What the connection handlers share.
final class DirectorServices: Sendable {
    let controller: DirectorController
    let control: ControlEndpoints
    let logger: Logger
    /// For proxying to and checking `https://` real servers (system trust roots).
    let upstreamTLS: NIOSSLContext?
    /// Names of real servers answered without the system resolver (tests).
    let upstreamHosts: [String: [String]]
    /// Reads files' sizes and hashes for their Metalinks (nil: none are read, as in unit tests).
    let facts: FileFactsReader?

    init(controller: DirectorController, control: ControlEndpoints, logger: Logger, upstreamTLS: NIOSSLContext?,
         upstreamHosts: [String: [String]] = [:], facts: FileFactsReader? = nil) {
        self.facts = facts
        self.controller = controller
        self.control = control
        self.logger = logger
        self.upstreamTLS = upstreamTLS
        self.upstreamHosts = upstreamHosts
    }
}
