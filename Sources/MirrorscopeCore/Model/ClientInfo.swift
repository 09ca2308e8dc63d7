/// Who we are, as told to mirrors. The CLI reads the platform once; the core decides what is sent.
public struct ClientInfo: Sendable, Hashable {
    public enum Policy: String, Sendable, CaseIterable {
        /// Everything the probe script asks for (host name and local address included).
        case full
        /// User-Agent and the platform client hints only, whatever the script asks.
        case basic
        /// A bare `User-Agent: mirrorscope` and nothing else.
        case none
    }

    public var version: String
    public var platform: String          // "Linux"
    public var platformVersion: String   // kernel release, "6.1.0-18-amd64"
    public var architecture: String      // "x86_64"
    public var hostname: String
    public var policy: Policy

    public init(version: String, platform: String, platformVersion: String, architecture: String,
                hostname: String, policy: Policy = .full) {
        self.version = version
        self.platform = platform
        self.platformVersion = platformVersion
        self.architecture = architecture
        self.hostname = hostname
        self.policy = policy
    }

    public var userAgent: String {
        "mirrorscope/\(version) (\(platform) \(platformVersion); \(architecture))"
    }

    /// The `User-Agent` this policy sends with every request (probes, pages, files).
    public var userAgentHeader: String { policy == .none ? "mirrorscope" : userAgent }

    /// The headers for one probe request. `localAddress` is the connection's own address, known
    /// only once connected; it is sent only when the script asks and the policy allows.
    public func headers(requested: Set<ClientInfoField>, localAddress: String?) -> [HeaderField] {
        if policy == .none { return [HeaderField("User-Agent", userAgentHeader)] }
        var fields = [HeaderField("User-Agent", userAgentHeader),
                      HeaderField("Sec-CH-UA-Platform", "\"\(platform)\""),
                      HeaderField("Sec-CH-UA-Platform-Version", "\"\(platformVersion)\"")]
        guard policy == .full else { return fields }
        if requested.contains(.hostname) { fields.append(HeaderField("X-Client-Hostname", hostname)) }
        if requested.contains(.localAddress), let localAddress {
            fields.append(HeaderField("X-Client-Address", localAddress))
        }
        return fields
    }

    /// One line for help and the detail pane: what mirrors are told.
    public func summary(requested: Set<ClientInfoField>) -> String {
        switch policy {
        case .none: return "User-Agent: mirrorscope (--client-info none)"
        case .basic: return "User-Agent \(userAgent), platform \(platform) \(platformVersion) (--client-info basic)"
        case .full:
            var extra: [String] = []
            if requested.contains(.hostname) { extra.append("host name \(hostname)") }
            if requested.contains(.localAddress) { extra.append("local address") }
            let tail = extra.isEmpty ? "" : "; the page asked for " + extra.joined(separator: " and ")
            return "User-Agent \(userAgent), platform \(platform) \(platformVersion)\(tail)"
        }
    }
}
