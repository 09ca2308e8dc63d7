import NIOCore

/// The file-facts caches, one per virtual server. A cache lives as long as its virtual server's
/// settings for it do (`check_ttl`, `check_cache_entries`, `file_origin`): a reload that changes
/// them starts afresh, any other change keeps what was learnt.
extension DirectorController {
    func factsCaches(for config: DirectorConfig) -> [FileFactsCache] {
        var kept: [String: FileFactsCache] = [:]
        let caches = config.virtualServers.map { virtual -> FileFactsCache in
            let wanted = FileFactsCache(for: virtual)
            if let existing = factsByVirtual[virtual.name], existing.matches(wanted) {
                kept[virtual.name] = existing
                return existing
            }
            kept[virtual.name] = wanted
            return wanted
        }
        factsByVirtual = kept
        return caches
    }
}

extension FileFactsCache {
    /// A virtual server's cache: facts are believed as long as a file check's "present" is.
    convenience init(for virtual: VirtualServerConfig) {
        self.init(ttl: TimeAmount(virtual.fileChecks.ttl), capacity: virtual.fileChecks.cacheEntries, origin: virtual.fileLinks.origin)
    }

    func matches(_ other: FileFactsCache) -> Bool {
        ttl == other.ttl && capacity == other.capacity && origin == other.origin
    }
}
