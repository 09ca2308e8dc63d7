import Logging
import NIOCore
import NIOHTTP1

/// Requests for the director's own pages (`/-/`): answered by `ControlEndpoints`, off the request
/// path's fast lane, once their body has been collected.
extension ConnectionHandler {
    func dispatchControl(context: ChannelHandlerContext, _ request: ControlRequest) {
        var request = request
        if let local = context.channel.localAddress { request.localPort = local.port }
        services.control.respond(to: request, loop: loop).assumeIsolated().whenComplete { [self] result in
            guard case .controlPending = state else { return }
            state = .answered
            switch result {
            case .success(let response): respond(context: context, response)
            case .failure(let error):
                services.logger.error("control request failed", metadata: ["path": "\(request.path)", "error": "\(error)"])
                respond(context: context, .text(.internalServerError, "internal error"))
            }
        }
    }
}
