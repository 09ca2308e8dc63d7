import MirrorscopeCore

extension DirectorConfig {
    /// Every rule a configuration must satisfy, whether it came from a file, the admin API or code.
    /// Throws a `ConfigError` naming the key (the parser adds the line).
    public func validate() throws {
        if secret.count < Self.minimumSecretLength {
            throw ConfigError(key: "secret", "must be at least \(Self.minimumSecretLength) characters (it signs session tokens)")
        }
        if let adminToken, adminToken.count < Self.minimumSecretLength {
            throw ConfigError(key: "admin_token", "must be at least \(Self.minimumSecretLength) characters")
        }
        if sessionTTL < .seconds(1) { throw ConfigError(key: "session_ttl", "must be at least 1s") }
        if idleTimeout <= .zero { throw ConfigError(key: "idle_timeout", "must be positive") }
        if headerTimeout <= .zero { throw ConfigError(key: "header_timeout", "must be positive") }
        if let threads, !(1...256).contains(threads) { throw ConfigError(key: "threads", "must be between 1 and 256") }
        if case .file(let path) = accessLog, path.isEmpty { throw ConfigError(key: "access_log", "must be a path, or \"off\"") }
        for (key, path) in [("geoip_db", geo.geoipDB), ("asn_db", geo.asnDB)] where path?.isEmpty == true {
            throw ConfigError(key: key, "must be the path of a MaxMind DB file (.mmdb)")
        }
        if geo.trustedProxies.count > 1000 { throw ConfigError(key: "trusted_proxies", "at most 1000 networks") }
        if let store, !StoreSettings.pollRange.contains(store.poll) { throw ConfigError(key: "store_poll", "must be between 100ms and 1h") }
        if let instance, let problem = Self.instanceProblem(instance) { throw ConfigError(key: "instance", problem) }
        try validateHealth()
        try validatePage()
        try validateReals()
        try validateVirtualServers()
    }

    private func validateHealth() throws {
        if let problem = RequestTarget.relativePathProblem(health.path) { throw ConfigError(key: "health.path", problem) }
        if health.interval <= .zero { throw ConfigError(key: "health.interval", "must be positive") }
        if health.timeout <= .zero { throw ConfigError(key: "health.timeout", "must be positive") }
        if !(1...100).contains(health.rise) { throw ConfigError(key: "health.rise", "must be between 1 and 100") }
        if !(1...100).contains(health.fall) { throw ConfigError(key: "health.fall", "must be between 1 and 100") }
    }

    private func validatePage() throws {
        if let problem = RequestTarget.relativePathProblem(page.probePath) { throw ConfigError(key: "page.probe_path", problem) }
        if page.title.count > 200 || page.title.unicodeScalars.contains(where: isControl) {
            throw ConfigError(key: "page.title", "must be at most 200 characters, without control characters")
        }
        for (key, path) in [("page.throughput_path", page.throughputPath), ("page.freshness_path", page.freshnessPath)] {
            guard let path else { continue }
            if path.isEmpty || path.contains("://") { throw ConfigError(key: key, "must be a path relative to each server's URL") }
            if let problem = RequestTarget.relativePathProblem(path) { throw ConfigError(key: key, problem) }
        }
        if let format = page.freshnessFormat {
            guard page.freshnessPath != nil else { throw ConfigError(key: "page.freshness_format", "needs page.freshness_path") }
            guard FreshnessFormat(rawValue: format) != nil else {
                throw ConfigError(key: "page.freshness_format", "must be one of \(FreshnessFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        if page.links.count > 1000 { throw ConfigError(key: "page.links", "at most 1000 links") }
        for (index, link) in page.links.enumerated() {
            if link.isEmpty { throw ConfigError(key: "page.links[\(index)]", "must not be empty") }
            if link.contains("://") { throw ConfigError(key: "page.links[\(index)]", "must be a path relative to each server's URL, not a URL") }
            if let problem = RequestTarget.relativePathProblem(link) { throw ConfigError(key: "page.links[\(index)]", problem) }
        }
    }

    private func validateReals() throws {
        var seen: Set<String> = []
        for (index, real) in reals.enumerated() {
            let key = "real[\(index)]"
            // The id's own rules come before the duplicate check, the other fields' after it.
            let problem = real.problem()
            if let problem, problem.key == .id { throw ConfigError(key: "\(key).id", problem.message) }
            if !seen.insert(real.id).inserted { throw ConfigError(key: "\(key).id", "\"\(real.id)\" is declared twice") }
            if let problem { throw ConfigError(key: "\(key).\(problem.key.stringValue)", problem.message) }
        }
        for (index, real) in reals.enumerated() {
            guard case .server(let backup) = real.backup else { continue }
            if backup == real.id { throw ConfigError(key: "real[\(index)].backup", "a server cannot be its own backup") }
            if !seen.contains(backup) {
                throw ConfigError(key: "real[\(index)].backup", "no real server has id \"\(backup)\" (or use \"primary\")")
            }
        }
    }

    private func validateVirtualServers() throws {
        guard let first = virtualServers.first, first.name == VirtualServerConfig.primaryName, first.reals == nil else {
            throw ConfigError(key: nil, "the first virtual server must be the primary one, with all real servers")
        }
        var names: Set<String> = []
        var addresses: Set<ListenAddress> = []
        for (index, virtual) in virtualServers.enumerated() {
            let prefix = index == 0 ? "" : "virtual[\(index - 1)]."
            if index > 0 {
                if let problem = Self.identifierProblem(virtual.name) { throw ConfigError(key: prefix + "name", problem) }
                if virtual.name == VirtualServerConfig.primaryName {
                    throw ConfigError(key: prefix + "name", "\"primary\" is the top-level virtual server")
                }
            }
            if !names.insert(virtual.name).inserted { throw ConfigError(key: prefix + "name", "\"\(virtual.name)\" is declared twice") }
            if virtual.listen.isEmpty && virtual.tlsListen.isEmpty {
                throw ConfigError(key: prefix + "listen", "required (\"HOST:PORT\", or a list of them)")
            }
            for address in virtual.listen where address.port != 0 && !addresses.insert(address).inserted {
                throw ConfigError(key: prefix + "listen", "\(address) is used twice")
            }
            for address in virtual.tlsListen where address.port != 0 && !addresses.insert(address).inserted {
                throw ConfigError(key: prefix + "tls_listen", "\(address) is used twice")
            }
            if !virtual.tlsListen.isEmpty && tls == nil {
                throw ConfigError(key: "tls_cert", "required with tls_listen (and tls_key)")
            }
            for id in virtual.reals ?? [] where real(id) == nil {
                throw ConfigError(key: prefix + "real", "no real server has id \"\(id)\"")
            }
            try Self.validateFileChecks(virtual.fileChecks, prefix: prefix)
            if let freshness = virtual.freshness { try Self.validateFreshness(freshness, prefix: prefix) }
            try Self.validateFileLinks(virtual.fileLinks, prefix: prefix)
        }
    }

    /// Ids and names travel in tokens, `/~ID/` paths and metric labels, so they stay plain.
    static func identifierProblem(_ id: String) -> String? {
        if id.isEmpty || id.utf8.count > 64 { return "must be 1 to 64 characters" }
        let allowed = id.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
        return allowed ? nil : "\"\(id)\" may hold only letters, digits, '-' and '_'"
    }

    /// An instance name is a metric label value and a column of the store: plain, and short.
    static func instanceProblem(_ name: String) -> String? {
        if name.isEmpty || name.utf8.count > 128 { return "must be 1 to 128 characters" }
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (Character(scalar).isLetter || Character(scalar).isNumber || "-_.:".unicodeScalars.contains(scalar))
        }
        return allowed ? nil : "\"\(name)\" may hold only letters, digits, '-', '_', '.' and ':'"
    }

    /// A real server's URL goes verbatim into `Location` headers and the mirror page, so it must be
    /// an absolute http(s) base URL made of plain URI characters.
    static func baseURLProblem(_ url: String, httpsOnly: Bool, base: Bool = true) -> String? {
        guard let parts = URLParts(url), parts.scheme == "http" || parts.scheme == "https" else {
            return "\"\(url)\" is not an absolute http:// or https:// URL"
        }
        if httpsOnly && parts.scheme != "https" { return "\"\(url)\" must be an https:// URL" }
        if parts.host.isEmpty { return "\"\(url)\" has no host" }
        if url.utf8.count > 2048 { return "is longer than 2048 characters" }
        if !url.utf8.allSatisfy(RequestTarget.isURIByte) { return "\"\(url)\" holds characters that are not allowed in a URL" }
        if url.contains("@") { return "\"\(url)\" must not carry user information" }
        if parts.query != nil || url.contains("#") { return "\"\(url)\" must not have a query or fragment" }
        if base && !parts.path.hasSuffix("/") { return "\"\(url)\" must end with \"/\" (it is a base URL)" }
        return nil
    }
}

/// Control characters, refused in names and titles shown to clients.
func isControl(_ scalar: Unicode.Scalar) -> Bool { scalar.value < 0x20 || scalar.value == 0x7F }
