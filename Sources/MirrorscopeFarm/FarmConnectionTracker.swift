import NIOCore

/// First in every farm connection's pipeline: tells the ledger when the connection opens and closes.
final class FarmConnectionTracker: ChannelInboundHandler {
    typealias InboundIn = NIOAny

    private let site: Int
    private let ledger: FarmLedger

    init(site: Int, ledger: FarmLedger) {
        self.site = site
        self.ledger = ledger
    }

    func channelActive(context: ChannelHandlerContext) {
        ledger.opened(context.channel, site: site)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        ledger.closed(context.channel, site: site)
        context.fireChannelInactive()
    }
}
