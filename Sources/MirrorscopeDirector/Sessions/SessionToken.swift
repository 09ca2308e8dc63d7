/// What a session token says: which real server holds the session, and until when.
public struct SessionToken: Sendable, Hashable {
    public var serverID: String
    /// Unix time in seconds after which the token is no longer honoured.
    public var expiry: Int64

    public init(serverID: String, expiry: Int64) {
        self.serverID = serverID
        self.expiry = expiry
    }
}
