/// The file-check caches, one per virtual server with `check_files` on. A cache lives as long as
/// its virtual server's check settings do: a reload that changes them (a TTL, the bound) starts
/// afresh, any other change keeps what was learnt.
extension DirectorController {
    func holdingsCaches(for config: DirectorConfig) -> [HoldingsCache?] {
        var kept: [String: HoldingsCache] = [:]
        let caches = config.virtualServers.map { virtual -> HoldingsCache? in
            guard virtual.fileChecks.enabled else { return nil }
            if let existing = holdingsByVirtual[virtual.name], existing.settings == virtual.fileChecks {
                kept[virtual.name] = existing
                return existing
            }
            let cache = HoldingsCache(settings: virtual.fileChecks)
            kept[virtual.name] = cache
            return cache
        }
        holdingsByVirtual = kept
        return caches
    }
}
