import NIOCore
import NIOHTTP1

/// The hot path: a redirect to the session's real server. `Location` is the real server's base URL
/// (its `https_url` on a TLS listener) followed by the request's rest, which `RequestTarget` has
/// already proven harmless. The response is assembled from cached bytes (the `Location` prefix per
/// server, the `Set-Cookie`/`Date` part per server and second) and written past the encoder.
/// Its `Link` and `Digest` headers (RFC 6249) come from `ConnectionHandler+Links`.
extension ConnectionHandler {
    func sendRedirect(context: ChannelHandlerContext, head: HTTPRequestHead, real: RealEntry, rest: Substring,
                      holdings: PathHoldings? = nil) {
        let status = loop.snapshot.config.virtualServers[virtual].redirectStatus
        let prefix = loop.locationPrefix(for: real, tls: isTLS)
        let tail = loop.redirectTail(for: real)
        let http10 = head.version == .http1_0
        let statusLine: StaticString
        switch (status, http10) {
        case (.found, false): statusLine = "HTTP/1.1 302 Found\r\n"
        case (.found, true): statusLine = "HTTP/1.0 302 Found\r\n"
        case (.temporaryRedirect, false): statusLine = "HTTP/1.1 307 Temporary Redirect\r\n"
        case (.temporaryRedirect, true): statusLine = "HTTP/1.0 307 Temporary Redirect\r\n"
        }
        let ending: StaticString = !keepAlive ? "Connection: close\r\n\r\n" : (http10 ? "Connection: keep-alive\r\n\r\n" : "\r\n")
        var response = context.channel.allocator.buffer(capacity: statusLine.utf8CodeUnitCount + prefix.readableBytes
            + rest.utf8.count + tail.readableBytes + ending.utf8CodeUnitCount)
        response.writeStaticString(statusLine)
        response.writeImmutableBuffer(prefix)
        response.writeSubstring(rest)
        response.writeImmutableBuffer(tail)
        writeFileLinks(context: context, into: &response, chosen: real, rest: rest, holdings: holdings)
        response.writeStaticString(ending)
        writeRaw(context: context, response, status: status.rawValue, real: real)
    }
}
