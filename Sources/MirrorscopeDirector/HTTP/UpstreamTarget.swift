import MirrorscopeCore
import MirrorscopeNetwork
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Where a real server is reached by proxy mode and health checks (always its `url`: the
/// director's own leg to the mirror does not depend on how the client reached the director).
struct UpstreamTarget: Sendable {
    let host: String
    let port: Int
    let useTLS: Bool
    /// `host[:port]` for the `Host` header (the port only when it is not the scheme's default).
    let authority: String
    /// The URL's path, ending in "/".
    let basePath: String
    /// The name TLS asks for (SNI) and checks: the host, unless it is an IP address.
    let serverName: String?

    init?(url: String) {
        guard let parts = URLParts(url), let port = parts.effectivePort else { return nil }
        host = parts.host
        self.port = port
        useTLS = parts.scheme == "https"
        authority = parts.hostHeader
        basePath = parts.path.isEmpty ? "/" : parts.path
        serverName = (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
    }
}

extension UpstreamTarget {
    /// A fresh HTTP/1.1 client connection: TLS first when the URL is https (`tlsContext` holds the
    /// trust roots), then the HTTP client handlers, then `more`. A name is connected as the
    /// client connects (RFC 8305 Happy Eyeballs through NIO's connector, with the client's
    /// resolver): a real server whose IPv6 path is black-holed costs 250 ms, not the timeout.
    /// `hosts` answers names without the system resolver (tests).
    func connect(on eventLoop: any EventLoop, tlsContext: NIOSSLContext?, timeout: TimeAmount, hosts: [String: [String]] = [:],
                 more: @escaping @Sendable (any Channel) throws -> Void = { _ in }) -> EventLoopFuture<any Channel> {
        let tlsContext = useTLS ? tlsContext : nil
        let serverName = serverName
        return ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .resolver(MirrorResolver(on: eventLoop, hosts: hosts))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tlsContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tlsContext, serverHostname: serverName))
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try more(channel)
                }
            }
            .connect(host: host, port: port)
    }
}
