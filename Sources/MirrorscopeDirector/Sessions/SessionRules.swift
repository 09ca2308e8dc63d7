/// Where one request goes, given its session and the table.
enum RouteDecision: Equatable, Sendable {
    /// Serve from this real index; `startsSession` when the client had no session on it (a new
    /// session, a directed identifier that moved it, or a move to a backup).
    case serve(Int, startsSession: Bool)
    /// `/~ID/` names no real server of this virtual server.
    case unknownIdentifier
    /// No real server can take the request.
    case unavailable
}

/// The persistence rules:
/// 1. a directed identifier `/~ID/` starts or moves the session to ID (or to where ID's sessions go);
/// 2. a valid session token keeps its real server, or follows its backup when that one cannot serve;
/// 3. anything else (no token, a token for an unknown server or another virtual server's) is a new
///    session, picked by the policy.
/// With file checks on, a server known to lack the requested path (`lacks`) cannot serve it: the
/// request goes to a new pick among those that hold it, and the session moves there.
/// `pick` runs the policy; it is called only when a new choice is needed.
enum SessionRules {
    static func decide(table: ServerTable, virtual: Int, sessionServer: String?, directed: Substring?,
                       lacks: (Int) -> Bool = { _ in false }, pick: () -> Int?) -> RouteDecision {
        let view = table.virtuals[virtual]
        func follow(_ index: Int) -> Int? {
            if let target = view.resolution[index], !lacks(target) { return target }
            return pick()
        }

        if let directed {
            guard let index = table.index(of: directed), view.isMember[index] else { return .unknownIdentifier }
            guard let target = follow(index) else { return .unavailable }
            return .serve(target, startsSession: table.reals[target].config.id != sessionServer)
        }
        if let sessionServer, let index = table.index(of: sessionServer), view.isMember[index] {
            guard let target = follow(index) else { return .unavailable }
            return .serve(target, startsSession: target != index)
        }
        guard let target = pick() else { return .unavailable }
        return .serve(target, startsSession: true)
    }
}
