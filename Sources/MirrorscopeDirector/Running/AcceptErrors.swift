#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOCore
import NIOPosix

/// On a listening socket, after NIO's `AcceptBackoffHandler`: an accept that fails because the
/// process or the system is out of descriptors or memory is logged, at most once a second (a
/// flood would otherwise write a line per refused connection), with how many failed since the
/// last line. The director goes on: the backoff handler retries accepting after `backoff`, and
/// connections are taken again as soon as descriptors free up. Nothing here closes the listener.
final class AcceptErrors: ChannelInboundHandler {
    typealias InboundIn = Any

    /// How long accepting pauses after such a failure: short, so that freed descriptors are used
    /// soon, and long enough that a full process does not spin on accept.
    static let backoff = TimeAmount.milliseconds(100)
    static let logInterval = TimeAmount.seconds(1)

    private let logger: Logger
    private var lastLogged: NIODeadline?
    private var unlogged = 0

    init(logger: Logger) { self.logger = logger }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let ioError = error as? IOError else {
            context.fireErrorCaught(error)
            return
        }
        unlogged += 1
        let now = NIODeadline.now()
        if let last = lastLogged, now - last < Self.logInterval { return }
        lastLogged = now
        let reason: String
        switch ioError.errnoCode {
        case EMFILE: reason = "the process is out of file descriptors (EMFILE); raise `ulimit -n`"
        case ENFILE: reason = "the system is out of file descriptors (ENFILE)"
        case ENOBUFS, ENOMEM: reason = "the system is out of memory for sockets"
        default: reason = "\(ioError)"
        }
        logger.warning("cannot accept connections: \(reason); retrying as connections close",
                       metadata: ["failed_accepts": "\(unlogged)"])
        unlogged = 0
    }
}
