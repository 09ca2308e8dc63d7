/// A real server as the admin API lists it.
public struct RealServerStatus: Sendable, Hashable, Codable {
    public var id: String
    public var url: String
    public var httpsURL: String?
    public var weight: Int
    public var backup: String
    public var location: String?
    /// The display name the mirror page gives clients.
    public var name: String?
    public var state: RealState
    /// Sessions started on it within the session lifetime (see `SessionWindow`).
    public var sessions: Int

    enum CodingKeys: String, CodingKey {
        case id, url, httpsURL = "https_url", weight, backup, location, name, state, sessions
    }
}
