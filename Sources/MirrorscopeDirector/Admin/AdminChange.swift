/// A run-time change to the real servers, as the admin API asks for it.
public enum AdminChange: Sendable, Hashable {
    case add(RealServerConfig)
    case patch(id: String, RealPatch)
    case delete(id: String)

    /// The configuration with the change made, or the reason it cannot be made. The result still
    /// has to pass `DirectorConfig.validate()`.
    public func applied(to config: DirectorConfig) throws(AdminError) -> DirectorConfig {
        var config = config
        switch self {
        case .add(let real):
            if config.real(real.id) != nil { throw AdminError(status: 409, "real server \"\(real.id)\" exists already") }
            config.reals.append(real)
        case .patch(let id, let patch):
            guard let index = config.reals.firstIndex(where: { $0.id == id }) else { throw AdminError.unknown(id) }
            if let weight = patch.weight { config.reals[index].weight = weight }
            if let drain = patch.drain { config.reals[index].drain = drain }
            if let backup = patch.backup { config.reals[index].backup = backup }
            if let location = patch.location { config.reals[index].location = location.isEmpty ? nil : location }
            if let name = patch.name { config.reals[index].name = name.isEmpty ? nil : name }
        case .delete(let id):
            guard let index = config.reals.firstIndex(where: { $0.id == id }) else { throw AdminError.unknown(id) }
            if let dependent = config.reals.first(where: { $0.backup == .server(id) }) {
                throw AdminError(status: 409, "real server \"\(id)\" is the backup of \"\(dependent.id)\"; change that first")
            }
            if let virtual = config.virtualServers.first(where: { $0.reals?.contains(id) ?? false }) {
                throw AdminError(status: 409, "real server \"\(id)\" is listed by virtual server \"\(virtual.name)\"; change that first")
            }
            config.reals.remove(at: index)
        }
        return config
    }
}

/// The fields `PATCH /-/admin/real/ID` may change; nil leaves a field as it is.
public struct RealPatch: Sendable, Hashable {
    public var weight: Int?
    public var drain: Bool?
    public var backup: BackupTarget?
    /// "" removes the location.
    public var location: String?
    /// The display name on the mirror page; "" removes it.
    public var name: String?

    public init(weight: Int? = nil, drain: Bool? = nil, backup: BackupTarget? = nil, location: String? = nil, name: String? = nil) {
        self.weight = weight
        self.drain = drain
        self.backup = backup
        self.location = location
        self.name = name
    }
}

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
