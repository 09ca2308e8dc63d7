import NIOCore
import NIOHTTP1

/// The real server's side of an exchange: hands response parts over and asks before each read.
final class UpstreamHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    private let exchange: ProxyExchange

    init(exchange: ProxyExchange) { self.exchange = exchange }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        exchange.upstreamResponse(unwrapInboundIn(data), from: context.channel)
    }

    func read(context: ChannelHandlerContext) {
        if exchange.upstreamMayRead() { context.read() }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        exchange.upstreamWritabilityChanged()
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        exchange.upstreamClosed(context.channel)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        exchange.upstreamFailed(context.channel)
        context.close(promise: nil)
    }
}
