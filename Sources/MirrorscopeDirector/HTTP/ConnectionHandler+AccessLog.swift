import Logging
import NIOCore
import NIOHTTP1

/// The access log's line for each answered request (see `AccessLog`).
extension ConnectionHandler {
    /// One line for the response just completed, when the access log is on.
    func logAccess(context: ChannelHandlerContext, status: Int, real: RealEntry?, bytes: Int) {
        if let logger = loop.snapshot.accessLogger, let head = requestHead {
            logger.info("\(accessLine(context: context, head: head, status: status, real: real, bytes: bytes))")
        }
    }

    /// Common Log Format plus the user agent and the real server:
    /// `ADDR - - [DATE] "METHOD TARGET VERSION" STATUS BYTES "UA" real=ID`.
    func accessLine(context: ChannelHandlerContext, head: HTTPRequestHead, status: Int, real: RealEntry?, bytes: Int) -> String {
        let agent = head.headers.first(name: "user-agent").map { AccessLog.quoted($0) } ?? "-"
        return "\(clientAddress(context)) - - [\(loop.clock.logDate)] \"\(head.method.rawValue) \(AccessLog.quoted(head.uri)) \(head.version)\" "
            + "\(status) \(bytes) \"\(agent)\" real=\(real?.config.id ?? "-")"
    }
}
