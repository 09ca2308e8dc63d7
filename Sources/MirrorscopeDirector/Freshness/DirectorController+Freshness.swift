import MirrorscopeCore

/// Freshness verdicts: what `FreshnessLoop` found, kept per virtual server and published in the
/// table (a stale mirror is no candidate for new sessions).
extension DirectorController {
    func freshnessTargets() -> [(virtual: String, settings: FreshnessWatchSettings, reals: [(id: String, url: String)])] {
        config.virtualServers.compactMap { virtual in
            virtual.freshness.map { settings in
                (virtual.name, settings, config.reals.filter { virtual.includes($0.id) }.map { ($0.id, $0.url) })
            }
        }
    }

    /// Publishes only when something a client or an operator sees changed (a verdict); a round
    /// read for settings that a reload has changed since is dropped.
    func recordFreshness(virtual: String, settings: FreshnessWatchSettings, verdicts: [String: FreshnessVerdict]) async {
        guard config.virtualServers.first(where: { $0.name == virtual })?.freshness == settings else { return }
        guard freshness[virtual] != verdicts else { return }
        for (id, verdict) in verdicts where verdict.stale != (freshness[virtual]?[id]?.stale ?? false) {
            logger.warning(verdict.stale ? "real server stale: no new sessions" : "real server fresh again",
                           metadata: ["real": "\(id)", "virtual": "\(virtual)", "behind_seconds": "\(verdict.behindSeconds ?? -1)"])
        }
        freshness[virtual] = verdicts
        await publish()
    }
}
