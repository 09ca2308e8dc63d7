import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Binds one listener: a site's HTTP server (behind TLS when given a context) on `host:port`.
enum FarmListener {
    static func bind(site: FarmSite, host: String, port: Int, tls: NIOSSLContext?, ledger: FarmLedger,
                     group: any EventLoopGroup) -> EventLoopFuture<any Channel> {
        ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(FarmConnectionTracker(site: site.index, ledger: ledger))
                    if let tls { try pipeline.addHandler(NIOSSLServerHandler(context: tls)) }
                    try pipeline.configureHTTPServerPipeline()
                    try pipeline.addHandler(FarmHTTPHandler(site: site, ledger: ledger))
                }
            }
            .bind(host: host, port: port)
    }
}
