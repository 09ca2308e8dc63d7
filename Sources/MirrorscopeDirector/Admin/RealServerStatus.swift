import MirrorscopeCore

/// A real server as the admin API lists it: the schema's fields under its keys, with `backup`
/// spelt out even when it is "primary" and `drain` told by `state` instead; then its state and sessions.
public struct RealServerStatus: Sendable, Hashable {
    /// The server as it is configured now.
    public var server: RealServerConfig
    public var state: RealState
    /// Sessions started on it within the session lifetime (see `SessionWindow`).
    public var sessions: Int
    /// How far behind it is, when a virtual server holding it watches freshness (`.unknown`
    /// until its object has been read); nil when none does.
    public var freshness: FreshnessVerdict?

    public init(server: RealServerConfig, state: RealState, sessions: Int, freshness: FreshnessVerdict? = nil) {
        self.server = server
        self.state = state
        self.sessions = sessions
        self.freshness = freshness
    }

    public var id: String { server.id }
}

extension RealServerStatus: Encodable {
    private enum StatusKeys: String, CodingKey {
        case state, sessions
        case behindSeconds = "behind_seconds", stale, syncedAt = "synced_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var fields = encoder.container(keyedBy: RealServerConfig.CodingKeys.self)
        try fields.encode(server.id, forKey: .id)
        try fields.encode(server.url, forKey: .url)
        try fields.encodeIfPresent(server.httpsURL, forKey: .httpsURL)
        try fields.encode(server.weight, forKey: .weight)
        try fields.encode(server.backup.description, forKey: .backup)
        try fields.encodeIfPresent(server.location, forKey: .location)
        try fields.encodeIfPresent(server.name, forKey: .name)
        try server.encodeGeo(to: &fields)
        var status = encoder.container(keyedBy: StatusKeys.self)
        try status.encode(state, forKey: .state)
        try status.encode(sessions, forKey: .sessions)
        if let freshness {  // every key, null when unknown
            try status.encode(freshness.behindSeconds, forKey: .behindSeconds)
            try status.encode(freshness.stale, forKey: .stale)
            try status.encode(freshness.syncedAt, forKey: .syncedAt)
        }
    }
}
