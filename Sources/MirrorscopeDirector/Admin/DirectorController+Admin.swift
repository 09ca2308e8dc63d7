import Foundation
import Logging
import NIOCore

/// Admin changes and the admin API's list of real servers.
extension DirectorController {
    /// Makes an admin change: in the store when there is one (see DirectorController+Store.swift);
    /// else on the config file when there is one (the file is the source of truth, so the change
    /// is made to what it says now and the result is what runs), else on the running
    /// configuration. Nothing is written or applied unless the whole result is valid.
    func perform(_ change: AdminChange) async throws(AdminError) -> DirectorConfig {
        if let store { return try await performInStore(change, store: store) }
        var base = config
        var text: String?
        if let configPath {
            do {
                let current = try String(contentsOfFile: configPath, encoding: .utf8)
                base = try ConfigParser.parse(current, file: configPath)
                text = current
            } catch {
                throw AdminError(status: 409, "the config file cannot be used as it is; fix it first: \(error)")
            }
        }
        let updated = try change.applied(to: base)
        do {
            try updated.validate()
            try checkReloadable(updated)
        } catch {
            throw AdminError(status: 400, "\(error)")
        }
        if let configPath, let text {
            let edited: String
            do {
                edited = try ConfigFileEditor.edited(text, change: change, expected: updated, file: configPath)
                try ConfigFileEditor.writeAtomically(edited, to: configPath)
            } catch let error as AdminError {
                throw error
            } catch {
                throw AdminError(status: 500, "cannot write the config file: \(error)")
            }
        }
        do {
            try await apply(updated)
        } catch {
            throw AdminError(status: 500, "\(error)")
        }
        logger.notice("real servers changed", metadata: ["change": "\(change)"])
        return updated
    }

    func status() async -> [RealServerStatus] {
        let snapshot = self.snapshot
        var sessions: [Int: Int] = [:]
        for loop in loops {
            guard let counts = try? await loop.eventLoop.submit({ loop.value.liveSessions() }).get() else { continue }
            sessions.merge(counts, uniquingKeysWith: +)
        }
        let table = snapshot.table
        return table.reals.indices.map { index in
            let real = table.reals[index]
            return RealServerStatus(server: real.config, state: real.state, sessions: sessions[real.slot] ?? 0,
                                    freshness: table.freshness(of: index))
        }
    }
}
