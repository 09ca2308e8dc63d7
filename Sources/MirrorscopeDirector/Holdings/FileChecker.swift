import NIOCore
import NIOHTTP1
import NIOSSL

/// Finds out which mirrors of a virtual server hold a path: from the virtual server's
/// `HoldingsCache`, or with a `HEAD` to each mirror that has no fresh answer (through the health
/// checks' connection code, `HealthProbe.status`). Every serving member is asked (up and not
/// draining, whatever its weight: a session or a backup may lead there).
struct FileChecker: Sendable {
    let tlsContext: NIOSSLContext?
    let hosts: [String: [String]]

    enum Outcome {
        case ready(PathHoldings)
        /// Some answers are still coming (checks this request started, or another's).
        case waiting(EventLoopFuture<PathHoldings>)
    }

    /// `rest` is the request's rest (`RequestTarget`), whose query is not part of the path.
    static func path(of rest: Substring) -> Substring {
        rest.firstIndex(of: "?").map { rest[..<$0] } ?? rest
    }

    func holdings(path: String, virtual: Int, table: ServerTable, cache: HoldingsCache,
                  on eventLoop: any EventLoop) -> Outcome {
        let serving = table.virtuals[virtual].serving
        let timeout = TimeAmount(cache.settings.timeout)
        let lookups = cache.lookup(path: path, bases: serving.map { table.reals[$0].config.url }, on: eventLoop) { position in
            guard let target = table.reals[serving[position]].upstream else { return eventLoop.makeSucceededFuture(.unknown) }
            return HealthProbe.status(target: target, method: .HEAD, path: path, on: eventLoop, tlsContext: tlsContext,
                                      timeout: timeout, hosts: hosts).map(Holding.init(status:))
        }
        var states = [Holding?](repeating: nil, count: table.reals.count)
        var waits: [(index: Int, future: EventLoopFuture<Holding>)] = []
        for (position, lookup) in lookups.enumerated() {
            switch lookup {
            case .known(let holding): states[serving[position]] = holding
            case .pending(let future): waits.append((serving[position], future))
            }
        }
        guard !waits.isEmpty else { return .ready(PathHoldings(states: states)) }
        let known = states, awaited = waits
        return .waiting(EventLoopFuture.whenAllComplete(awaited.map(\.future), on: eventLoop).map { results in
            var states = known
            for (wait, result) in zip(awaited, results) { states[wait.index] = (try? result.get()) ?? .unknown }
            return PathHoldings(states: states)
        })
    }
}

extension PathHoldings {
    /// Every member that can serve was asked and none has the path: the answer is 404.
    func noneHolds(_ view: VirtualTable) -> Bool {
        !view.serving.isEmpty && view.serving.allSatisfy { states[$0] == .absent }
    }
}
