import NIOCore
import NIOHTTP1

/// A file's Metalink (`FileMetalinkRequest`): every mirror that holds the file (after the file
/// checks, when `check_files` is on), in this client's order (`MirrorRanking`), with the size and
/// hashes its sources agree on (`FileFactsReader`, remembered in `FileFactsCache`). Answered off
/// the redirect path: it waits for the checks and the facts, reads paused meanwhile.
extension ConnectionHandler {
    func serveMetalink(context: ChannelHandlerContext, head: HTTPRequestHead, request: FileMetalinkRequest, rest: Substring) {
        let snapshot = loop.snapshot
        let path = String(request.path)
        state = .controlPending
        let checked: EventLoopFuture<PathHoldings?>
        if let cache = snapshot.holdings[virtual] {
            switch services.control.files.holdings(path: path, virtual: virtual, table: snapshot.table, cache: cache,
                                                   on: context.eventLoop) {
            case .ready(let holdings): checked = context.eventLoop.makeSucceededFuture(holdings)
            case .waiting(let future): checked = future.map { $0 }
            }
        } else {
            checked = context.eventLoop.makeSucceededFuture(nil)
        }
        let generation = snapshot.generation, restText = String(rest)
        checked.assumeIsolated().whenComplete { [self] result in
            guard case .controlPending = state, context.channel.isActive else { return }
            let snapshot = loop.snapshot
            // The real servers changed meanwhile: the answers' positions may not match; without
            // them every candidate is listed (as with `check_files` off).
            let holdings = snapshot.generation == generation ? ((try? result.get()) ?? nil) : nil
            let view = snapshot.table.virtuals[virtual]
            if let holdings, holdings.noneHolds(view) {
                if request.bySuffix {  // perhaps a real .meta4 file on the mirrors
                    state = .idle
                    return checkThenServe(context: context, head: head, directed: nil, rest: Substring(restText))
                }
                state = .answered
                return respond(context: context, .text(.notFound, "no mirror holds /\(path)"))
            }
            let ranked = MirrorRanking.rank(table: snapshot.table, virtual: virtual, geo: snapshot.geo, client: clientPlace(context),
                                            usable: { holdings?.usable($0) ?? true })
            guard !ranked.isEmpty else {
                state = .answered
                return respond(context: context, .text(.serviceUnavailable, "no real server is available"))
            }
            let localPort = context.channel.localAddress?.port
            let document = FileMetalinkDocument(snapshot: snapshot, virtual: virtual, request: request, ranked: ranked,
                                                urlBase: { [self] real in metalinkBase(real, head: head, localPort: localPort) })
            let cache = snapshot.facts[virtual]
            guard let reader = services.facts else {
                state = .answered
                return respond(context: context, document.response(facts: .none))
            }
            let bases = cache.origin.map { [$0] }
                ?? ranked.prefix(FileFactsReader.mostMirrorsAsked).map { snapshot.table.reals[$0.real].config.url }
            let trustOne = cache.origin != nil
            context.eventLoop.makeFutureWithTask {
                await cache.facts(path: path) { await reader.read(path: path, bases: bases, trustOne: trustOne) }
            }.assumeIsolated().whenSuccess { [self] facts in
                guard case .controlPending = state, context.channel.isActive else { return }
                state = .answered
                respond(context: context, document.response(facts: facts))
            }
        }
    }

    /// Where a Metalink sends a client for `real`: the mirror itself in redirect mode; in proxy
    /// mode, `/~ID/` on the director as this client reached it (as the mirror page does).
    private func metalinkBase(_ real: RealEntry, head: HTTPRequestHead, localPort: Int?) -> String {
        guard loop.snapshot.config.virtualServers[virtual].mode == .proxy else { return real.config.baseURL(tls: isTLS) }
        let director = ControlRequest.ownBaseURL(headers: head.headers, isTLS: isTLS, localPort: localPort)
        return "\(director)/~\(real.config.id)/"
    }
}
