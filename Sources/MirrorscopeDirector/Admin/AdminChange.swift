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
            config.reals[index] = patch.applied(to: config.reals[index])
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
