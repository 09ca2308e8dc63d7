import NIOCore
import NIOHTTP1

/// File checks before a content request is served (`check_files`): the request is served at once
/// when every serving mirror's answer for its path is known, else it waits, reads paused, for
/// the checks under way (its own or another request's: one check per mirror and path).
extension ConnectionHandler {
    func checkThenServe(context: ChannelHandlerContext, head: HTTPRequestHead, directed: Substring?, rest: Substring,
                        attempt: Int = 0) {
        let snapshot = loop.snapshot
        // A second wait (the table changed during the first) is the last: then no checks.
        guard attempt < 2, let cache = snapshot.holdings[virtual] else {
            return serve(context: context, head: head, directed: directed, rest: rest)
        }
        let path = String(FileChecker.path(of: rest))
        switch services.control.files.holdings(path: path, virtual: virtual, table: snapshot.table, cache: cache,
                                               on: context.eventLoop) {
        case .ready(let holdings):
            serve(context: context, head: head, directed: directed, rest: rest, holdings: holdings)
        case .waiting(let future):
            state = .checking
            let generation = snapshot.generation
            let directedID = directed.map(String.init), restText = String(rest)
            future.assumeIsolated().whenComplete { [self] result in
                guard case .checking = state, context.channel.isActive else { return }
                state = .idle
                let directed = directedID.map { Substring($0) }, rest = Substring(restText)
                guard case .success(let holdings) = result, loop.snapshot.generation == generation else {
                    // The real servers changed meanwhile: the answers' positions may not match.
                    return checkThenServe(context: context, head: head, directed: directed, rest: rest, attempt: attempt + 1)
                }
                serve(context: context, head: head, directed: directed, rest: rest, holdings: holdings)
            }
        }
    }
}
