/// The per-virtual-server keys of file checks, freshness and the files' Metalink and Link headers. A `[[virtual]]` table that leaves a
/// key out takes the top level's value, as it does `mode` and `policy`.
extension ConfigParser {
    static let holdingsKeys: Set<String> = [
        "check_files", "check_timeout", "check_ttl", "check_ttl_absent", "check_cache_entries",
        "freshness_path", "freshness_format", "freshness_reference", "max_behind", "freshness_interval",
        "link_duplicates", "file_origin",
    ]

    static func fileChecks(_ reader: ConfigReader, inheriting base: FileCheckSettings) throws -> FileCheckSettings {
        var settings = base
        settings.enabled = try reader.bool("check_files") ?? base.enabled
        settings.timeout = try reader.duration("check_timeout") ?? base.timeout
        settings.ttl = try reader.duration("check_ttl") ?? base.ttl
        settings.ttlAbsent = try reader.duration("check_ttl_absent") ?? base.ttlAbsent
        settings.cacheEntries = try reader.int("check_cache_entries") ?? base.cacheEntries
        return settings
    }

    static func fileLinks(_ reader: ConfigReader, inheriting base: FileLinkSettings) throws -> FileLinkSettings {
        FileLinkSettings(duplicates: try reader.int("link_duplicates") ?? base.duplicates,
                         origin: try reader.string("file_origin") ?? base.origin)
    }

    static func freshness(_ reader: ConfigReader, inheriting base: FreshnessWatchSettings?) throws -> FreshnessWatchSettings? {
        let path = try reader.string("freshness_path")
        let format = try reader.string("freshness_format")
        let reference = try reader.string("freshness_reference")
        let maxBehind = try reader.duration("max_behind")
        let interval = try reader.duration("freshness_interval")
        guard let path = path ?? base?.path else {
            for key in ["freshness_format", "freshness_reference", "max_behind", "freshness_interval"] where reader.has(key) {
                throw reader.error(key, "needs freshness_path (the object to read on each mirror)")
            }
            return nil
        }
        return FreshnessWatchSettings(path: path, format: format ?? base?.format, reference: reference ?? base?.reference,
                                 maxBehind: maxBehind ?? base?.maxBehind,
                                 interval: interval ?? base?.interval ?? FreshnessWatchSettings.defaultInterval)
    }
}
