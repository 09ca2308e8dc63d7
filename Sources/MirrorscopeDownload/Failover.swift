/// One mirror a download may use: its name for the user, its base URL (the file's path is relative
/// to it).
public struct DownloadMirror: Sendable, Hashable {
    public var name: String
    public var url: String

    public init(name: String, url: String) {
        self.name = name
        self.url = url
    }

    /// The file's URL on this mirror.
    public func url(of path: String) -> String {
        (url.hasSuffix("/") ? url : url + "/") + (path.hasPrefix("/") ? String(path.dropFirst()) : path)
    }
}

/// The mirrors of one download, in ranking order, and what happened to each: which connections
/// use which mirror, and which mirrors are given up for this file (a reset, an error, a stall, a
/// Range ignored) or must not be used again (wrong bytes).
public struct Failover: Sendable {
    public let mirrors: [DownloadMirror]
    public private(set) var users: [Int]
    /// Why each given-up mirror was given up ("stalled", "reset", "served wrong bytes").
    public private(set) var reasons: [String?]

    public init(mirrors: [DownloadMirror]) {
        self.mirrors = mirrors
        users = Array(repeating: 0, count: mirrors.count)
        reasons = Array(repeating: nil, count: mirrors.count)
    }

    /// The best mirror still usable with the fewest connections on it (ties to the ranking), or nil
    /// when every mirror is given up.
    public mutating func acquire() -> Int? {
        let usable = mirrors.indices.filter { reasons[$0] == nil }
        guard let best = usable.min(by: { users[$0] < users[$1] || (users[$0] == users[$1] && $0 < $1) }) else { return nil }
        users[best] += 1
        return best
    }

    public mutating func release(_ index: Int) { users[index] = max(0, users[index] - 1) }

    /// Gives the mirror up for this file.
    public mutating func giveUp(_ index: Int, reason: String) {
        if reasons[index] == nil { reasons[index] = reason }
    }

    public func isUsable(_ index: Int) -> Bool { reasons[index] == nil }

    /// Names of the mirrors connections use now, best first.
    public var serving: [String] { mirrors.indices.filter { users[$0] > 0 }.map { mirrors[$0].name } }

    /// What failed, for a final message: "Warsaw: stalled; Madrid: reset".
    public var failures: String {
        mirrors.indices.compactMap { i in reasons[i].map { "\(mirrors[i].name): \($0)" } }.joined(separator: "; ")
    }
}
