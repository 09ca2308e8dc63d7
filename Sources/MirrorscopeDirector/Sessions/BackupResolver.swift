/// Where the sessions and the identifier of a real server go.
public enum BackupResolution: Sendable, Hashable {
    /// This real server takes them (the server itself when it can, else a backup down the chain).
    case serve(String)
    /// The policy picks among the healthy real servers (`backup = "primary"`, no usable backup, a
    /// chain that ends in a down server, or a cycle).
    case rebalance
}

public enum BackupResolver {
    public struct Node: Sendable, Hashable {
        public var backup: BackupTarget
        /// Up and not draining.
        public var available: Bool

        public init(backup: BackupTarget, available: Bool) {
            self.backup = backup
            self.available = available
        }
    }

    /// Follows the backup chain from `id` to the first available server. A chain never ends on a
    /// down server: when it runs out (a `primary` backup, an unknown id, or back to a server already
    /// visited) the answer is to re-balance among the healthy ones.
    public static func resolve(_ id: String, nodes: [String: Node]) -> BackupResolution {
        var current = id
        var visited: Set<String> = []
        while let node = nodes[current] {
            if node.available { return .serve(current) }
            guard visited.insert(current).inserted, case .server(let next) = node.backup else { break }
            current = next
        }
        return .rebalance
    }
}
