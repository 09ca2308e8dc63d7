/// An admin request that cannot be honoured: an HTTP status and a reason for the operator.
public struct AdminError: Error, Sendable, Hashable, CustomStringConvertible {
    public var status: Int
    public var message: String

    public init(status: Int, _ message: String) {
        self.status = status
        self.message = message
    }

    static func unknown(_ id: String) -> AdminError { AdminError(status: 404, "no real server has id \"\(id)\"") }

    public var description: String { message }
}
