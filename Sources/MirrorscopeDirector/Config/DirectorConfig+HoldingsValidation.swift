import MirrorscopeCore

/// The rules of the per-virtual-server file-check and freshness keys.
extension DirectorConfig {
    static func validateFileChecks(_ checks: FileCheckSettings, prefix: String) throws {
        for (key, value) in [("check_timeout", checks.timeout), ("check_ttl", checks.ttl), ("check_ttl_absent", checks.ttlAbsent)]
        where value <= .zero {
            throw ConfigError(key: prefix + key, "must be positive")
        }
        if checks.timeout > .seconds(60) { throw ConfigError(key: prefix + "check_timeout", "must be at most 60s (clients wait for it)") }
        if !(1...FileCheckSettings.maxCacheEntries).contains(checks.cacheEntries) {
            throw ConfigError(key: prefix + "check_cache_entries", "must be between 1 and \(FileCheckSettings.maxCacheEntries)")
        }
    }

    static func validateFreshness(_ freshness: FreshnessWatchSettings, prefix: String) throws {
        let path = freshness.path
        if path.isEmpty || path.contains("://") {
            throw ConfigError(key: prefix + "freshness_path", "must be a path relative to each server's URL (\"lastsync\", \"project/trace\")")
        }
        if let problem = RequestTarget.relativePathProblem(path) { throw ConfigError(key: prefix + "freshness_path", problem) }
        if let format = freshness.format, FreshnessFormat(rawValue: format) == nil {
            throw ConfigError(key: prefix + "freshness_format",
                              "must be one of \(FreshnessFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let reference = freshness.reference, let problem = baseURLProblem(reference, httpsOnly: false, base: false) {
            throw ConfigError(key: prefix + "freshness_reference", problem)
        }
        if let maxBehind = freshness.maxBehind, maxBehind <= .zero {
            throw ConfigError(key: prefix + "max_behind", "must be positive (a duration such as \"6h\")")
        }
        if freshness.interval < .seconds(1) { throw ConfigError(key: prefix + "freshness_interval", "must be at least 1s") }
    }

    static func validateFileLinks(_ links: FileLinkSettings, prefix: String) throws {
        if !(0...FileLinkSettings.maxDuplicates).contains(links.duplicates) {
            throw ConfigError(key: prefix + "link_duplicates", "must be between 0 and \(FileLinkSettings.maxDuplicates)")
        }
        if let origin = links.origin, let problem = baseURLProblem(origin, httpsOnly: false, base: true) {
            throw ConfigError(key: prefix + "file_origin", problem)
        }
    }
}
