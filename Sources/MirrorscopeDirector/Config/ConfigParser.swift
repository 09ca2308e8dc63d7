import Foundation
import TOMLKit
import MirrorscopeCore
import MirrorscopeGeo

/// Reads the director's TOML configuration. Every mistake becomes a `ConfigError` naming the key
/// and its line: syntax errors carry TOMLKit's position, everything else is located in the text by
/// `ConfigKeyLocator`. Unknown keys are mistakes too (a misspelt `wieght` must not pass silently).
public enum ConfigParser {
    public static func load(path: String) throws -> DirectorConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(key: nil, "cannot read the file: \((error as NSError).localizedDescription)", file: path)
        }
        return try parse(text, file: path)
    }

    /// `file` names the file the text came from: it appears in errors, and relative paths in the
    /// text (`tls_cert`, `tls_key`, `upstream_ca`, `access_log`, `geoip_db`, `asn_db`) are taken relative to its directory, as a user
    /// who writes `tls_cert = "cert.pem"` next to the config file means.
    public static func parse(_ text: String, file: String? = nil) throws -> DirectorConfig {
        let locator = ConfigKeyLocator(text: text)
        do {
            let table: TOMLTable
            if let line = TOMLHeaderCheck.badHeaderLine(in: text) {
                throw ConfigError(key: nil, "TOML syntax: a table header must start with a key", line: line)
            }
            if let line = TOMLValueCheck.badValueLine(in: text) {  // toml++ would abort on it
                throw ConfigError(key: nil, "TOML syntax: an array value missing, or a character outside a string that TOML does not allow", line: line)
            }
            do {
                table = try TOMLTable(string: text)
            } catch let error as TOMLParseError {
                throw ConfigError(key: nil, "TOML syntax: \(error.description)", line: error.source.begin.line)
            }
            var config = try read(ConfigReader(table: table, section: ""))
            if let file { config.resolvePaths(relativeTo: (file as NSString).deletingLastPathComponent) }
            try config.validate()
            return config
        } catch var error as ConfigError {
            if error.line == nil, let key = error.key { error.line = locator.line(of: key) }
            error.file = file
            throw error
        }
    }

    /// Adds the file and line to an error found after parsing (a listen address in use, say).
    public static func locating(_ error: ConfigError, inFile path: String) -> ConfigError {
        var error = error
        error.file = error.file ?? path
        if error.line == nil, let key = error.key, let text = try? String(contentsOfFile: path, encoding: .utf8) {
            error.line = ConfigKeyLocator(text: text).line(of: key)
        }
        return error
    }

    private static let topKeys: Set<String> = [
        "listen", "tls_listen", "tls_cert", "tls_key", "upstream_ca", "secret", "admin_token", "policy", "session_ttl", "redirect_status",
        "mode", "threads", "access_log", "idle_timeout", "header_timeout", "health", "page", "real", "virtual",
        "geoip_db", "asn_db", "trusted_proxies",
        "store", "store_poll", "instance",
    ]

    private static func read(_ top: ConfigReader) throws -> DirectorConfig {
        try top.rejectUnknownKeys(allowed: topKeys.union(holdingsKeys))
        let mode = try top.enumeration("mode", DirectorMode.self) ?? .redirect
        let policy = try top.enumeration("policy", SelectionPolicyKind.self) ?? .weightedRoundRobin
        let status = try top.redirectStatus("redirect_status") ?? .found
        var virtuals = [VirtualServerConfig(name: VirtualServerConfig.primaryName,
                                            listen: try top.addresses("listen"), tlsListen: try top.addresses("tls_listen"),
                                            mode: mode, policy: policy, redirectStatus: status)]
        virtuals[0].fileChecks = try fileChecks(top, inheriting: FileCheckSettings())
        virtuals[0].freshness = try freshness(top, inheriting: nil)
        virtuals[0].fileLinks = try fileLinks(top, inheriting: FileLinkSettings())
        for entry in try top.tables("virtual") {
            try entry.rejectUnknownKeys(allowed: Set(["name", "listen", "tls_listen", "mode", "policy", "redirect_status", "real"])
                .union(holdingsKeys))
            var virtual = VirtualServerConfig(
                name: try entry.required("name"), listen: try entry.addresses("listen"),
                tlsListen: try entry.addresses("tls_listen"), mode: try entry.enumeration("mode", DirectorMode.self) ?? mode,
                policy: try entry.enumeration("policy", SelectionPolicyKind.self) ?? policy,
                redirectStatus: try entry.redirectStatus("redirect_status") ?? status, reals: try entry.strings("real"))
            virtual.fileChecks = try fileChecks(entry, inheriting: virtuals[0].fileChecks)
            virtual.freshness = try freshness(entry, inheriting: virtuals[0].freshness)
            virtual.fileLinks = try fileLinks(entry, inheriting: virtuals[0].fileLinks)
            virtuals.append(virtual)
        }

        var tls: TLSFiles?
        switch (try top.string("tls_cert"), try top.string("tls_key")) {
        case (nil, nil): tls = nil
        case (let cert?, let key?): tls = TLSFiles(certificatePath: cert, keyPath: key)
        case (nil, _): throw top.error("tls_cert", "required with tls_key")
        case (_, nil): throw top.error("tls_key", "required with tls_cert")
        }

        var health = HealthSettings()
        if let section = try top.table("health") {
            try section.rejectUnknownKeys(allowed: ["enabled", "path", "interval", "timeout", "rise", "fall"])
            health.enabled = try section.bool("enabled") ?? health.enabled
            health.path = try section.string("path") ?? health.path
            health.interval = try section.duration("interval") ?? health.interval
            health.timeout = try section.duration("timeout") ?? health.timeout
            health.rise = try section.int("rise") ?? health.rise
            health.fall = try section.int("fall") ?? health.fall
        }

        var page = PageSettings()
        if let section = try top.table("page") {
            try section.rejectUnknownKeys(allowed: ["title", "probe_path", "links", "throughput_path", "freshness_path", "freshness_format"])
            page.title = try section.string("title") ?? page.title
            page.probePath = try section.string("probe_path") ?? page.probePath
            page.links = try section.strings("links") ?? page.links
            page.throughputPath = try section.string("throughput_path")
            page.freshnessPath = try section.string("freshness_path")
            page.freshnessFormat = try section.string("freshness_format")
        }

        // Each [[real]] table is the real-server schema, as the admin API's bodies are.
        let reals = try top.tables("real").map { try $0.decode(RealServerConfig.self) }

        let accessLog: AccessLogSetting
        switch try top.string("access_log") {
        case nil: accessLog = .logger
        case "off": accessLog = .off
        case let path?: accessLog = .file(path)
        }

        var config = DirectorConfig(
            virtualServers: virtuals, secret: try top.required("secret"), adminToken: try top.string("admin_token"),
            sessionTTL: try top.duration("session_ttl") ?? DirectorConfig.defaultSessionTTL, tls: tls, health: health,
            reals: reals, page: page, threads: try top.int("threads"), accessLog: accessLog,
            idleTimeout: try top.duration("idle_timeout") ?? DirectorConfig.defaultIdleTimeout,
            headerTimeout: try top.duration("header_timeout") ?? DirectorConfig.defaultHeaderTimeout)
        config.upstreamCA = try top.string("upstream_ca")
        config.geo = GeoSettings(geoipDB: try top.string("geoip_db"), asnDB: try top.string("asn_db"),
                                 trustedProxies: try top.networks("trusted_proxies"))
        config.store = try store(top)
        config.instance = try top.string("instance")
        return config
    }

    /// `store` and `store_poll`: a bad URL is a mistake of the file (exit 2), not a store that is down.
    private static func store(_ top: ConfigReader) throws -> StoreSettings? {
        let poll = try top.duration("store_poll")
        guard let text = try top.string("store") else {
            if poll != nil { throw top.error("store_poll", "needs store") }
            return nil
        }
        return StoreSettings(url: try StoreURL(parsing: text, key: "store"), poll: poll ?? StoreSettings.defaultPoll)
    }

    /// `"30m"`, `"1h30m"`, `"500ms"`, `"2s"`, `"1d"`, or a bare number of seconds.
    static func duration(_ text: String) -> Duration? {
        var total = Duration.zero
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 9, let value = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let unit = rest.prefix { $0.isLetter }
            rest = rest.dropFirst(unit.count)
            switch unit {
            case "ms": total += .milliseconds(value)
            case "s": total += .seconds(value)
            case "m": total += .seconds(value * 60)
            case "h": total += .seconds(value * 3600)
            case "d": total += .seconds(value * 86400)
            default: return nil
            }
        }
        return total
    }
}
