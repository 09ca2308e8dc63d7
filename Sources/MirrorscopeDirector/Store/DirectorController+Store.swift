import Logging

/// The controller's side of the shared store: admin changes written there, and the states read
/// from it (after this director's own writes, other directors' notifications and polls) run here.
extension DirectorController {
    /// Makes an admin change in the store: validated against the table as it is inside the
    /// writing transaction (with this director's configuration around it), stored, announced to
    /// every director, then run here at once, without waiting for the notification to come back.
    func performInStore(_ change: AdminChange, store: StoreLink) async throws(AdminError) -> DirectorConfig {
        let base = config
        let state = try await store.write(change) { (reals: [RealServerConfig]) throws(AdminError) -> [RealServerConfig] in
            var current = base
            current.reals = reals
            let updated = try change.applied(to: current)
            do {
                try updated.validate()
            } catch {
                throw AdminError(status: 400, "\(error)")
            }
            return updated.reals
        }
        await storeChanged(state)
        logger.notice("real servers changed in the store", metadata: ["change": "\(change.summary)", "store_version": "\(state.version)"])
        return config
    }

    /// For `/-/metrics`: whether the store is reachable, and the version this director runs.
    func storeStatus() -> (up: Bool, version: Int64)? {
        guard let store else { return nil }
        return (store.state == .up, storeVersion)
    }

    /// Runs the real servers of `state` unless this director already runs a newer state, or the
    /// same one. A state that does not fit this director's configuration (a virtual server lists
    /// an id the store no longer has, say) is told once and not run: the director keeps what it has.
    func storeChanged(_ state: StoreState) async {
        if state.version < storeVersion { return }
        if state.version == storeVersion && state.reals == config.reals { return }
        var new = config
        new.reals = state.reals
        do {
            try await apply(new)
        } catch {
            if refusedStoreVersion != state.version {
                refusedStoreVersion = state.version
                logger.error("the store's real servers do not fit this configuration; keeping the running ones",
                             metadata: ["store_version": "\(state.version)", "error": "\(error)"])
            }
            return
        }
        let changed = storeVersion != 0
        storeVersion = state.version
        refusedStoreVersion = nil
        if changed {
            logger.info("real servers taken from the store", metadata: ["store_version": "\(state.version)", "reals": "\(state.reals.count)"])
        } else {
            logger.info("real servers read from the store", metadata: ["store_version": "\(state.version)", "reals": "\(state.reals.count)"])
        }
    }
}
