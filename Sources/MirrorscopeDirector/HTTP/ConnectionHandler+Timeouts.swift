import NIOCore
import NIOHTTP1

/// The connection's one timer, for `header_timeout` and `idle_timeout` both.
extension ConnectionHandler {
    /// One timer per connection, re-armed lazily (never per request): it closes the connection
    /// once it has waited `header_timeout` for a request head, or once the request in progress has
    /// not moved for `idle_timeout`. Since the connection may go from one case to the other
    /// between two firings, it fires at least every min(header_timeout, idle_timeout).
    func armTimer(context: ChannelHandlerContext, at deadline: NIODeadline) {
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            let config = loop.snapshot.config
            let header = TimeAmount(config.headerTimeout)
            let idle = TimeAmount(config.idleTimeout)
            let due = awaitingHeadSince.map { $0 + header } ?? lastProgress + idle
            let now = NIODeadline.now()
            if due <= now {
                context.close(promise: nil)
            } else {
                armTimer(context: context, at: min(due, now + min(header, idle)))
            }
        }
    }
}
