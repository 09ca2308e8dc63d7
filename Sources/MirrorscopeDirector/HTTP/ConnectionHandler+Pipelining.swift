import NIOCore
import NIOHTTP1

/// Pipelining and read control: parts of the next request that arrive while a response is being
/// made wait in `queued` and are replayed in order once it is done, and reads pause meanwhile (as
/// they do while a proxied upload waits for the real server).
extension ConnectionHandler {
    /// Once the request and its response have both ended: ready for the next request (replaying
    /// any that came early), or closed.
    func finishIfDone(context: ChannelHandlerContext) {
        guard requestEnded && responseEnded else { return }
        if case .proxying(let exchange) = state {
            exchange.finish()
            exchangeHoldsReads = false
        }
        state = .idle
        requestHead = nil
        awaitingHeadSince = .now()
        lineGuard?.expectRequestLine()
        guard keepAlive else {
            queued.removeAll()
            return
        }
        replayQueued(context: context)
        readIfAllowed(context: context)
    }

    /// Handles the queued parts until one of them starts a response that is not finished at once.
    func replayQueued(context: ChannelHandlerContext) {
        guard !replaying else { return }
        replaying = true
        defer { replaying = false }
        while !queued.isEmpty && !awaitingResponse && context.channel.isActive {
            handle(context: context, queued.removeFirst())
        }
    }

    // MARK: reads

    /// A proxied exchange whose real server cannot take more of the upload stops client reads.
    func holdReads() { exchangeHoldsReads = true }

    func releaseReads(context: ChannelHandlerContext) {
        exchangeHoldsReads = false
        readIfAllowed(context: context)
    }

    var readsHeld: Bool { exchangeHoldsReads || awaitingResponse || !queued.isEmpty }

    func readIfAllowed(context: ChannelHandlerContext) {
        if readPending && !readsHeld {
            readPending = false
            context.read()
        }
    }

    func read(context: ChannelHandlerContext) {
        if readsHeld {
            readPending = true
        } else {
            context.read()
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if case .proxying(let exchange) = state, context.channel.isWritable { exchange.downstreamWritable() }
        context.fireChannelWritabilityChanged()
    }
}
