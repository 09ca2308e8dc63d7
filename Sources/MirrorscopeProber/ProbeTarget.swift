import MirrorscopeCore
import NIOCore

/// What to connect to and what to ask for, worked out once per mirror from its URL.
struct ProbeTarget: Sendable {
    /// As in the URL, without brackets.
    var host: String
    var port: Int
    var tls: Bool
    /// The request target: the mirror's base path joined with the probe path.
    var requestURI: String
    /// The `Host` header: the port only when it is not the scheme's default.
    var hostHeader: String

    init(mirror: Mirror, path: String) throws(ProbeFailure) {
        try self.init(base: mirror.url, path: path)
    }

    /// An object's absolute URL (a throughput sample, a timestamp object, an origin's copy).
    init(url: String) throws(ProbeFailure) {
        try self.init(base: url, path: "")
        if let query = URLParts(url)?.query { requestURI += "?" + query }
    }

    private init(base: String, path: String) throws(ProbeFailure) {
        guard let url = URLParts(base) else { throw ProbeFailure(.unsupported, "not a URL") }
        guard url.scheme == "http" || url.scheme == "https" else {
            throw ProbeFailure(.unsupported, "cannot probe \(url.scheme)")
        }
        guard !url.host.isEmpty, let port = url.effectivePort, (1...65535).contains(port) else {
            throw ProbeFailure(.unsupported, "not a usable URL")
        }
        host = url.host
        self.port = port
        tls = url.scheme == "https"
        let base = url.path.isEmpty ? "/" : url.path
        // The probe path is relative to the mirror's base (the parsers made it so).
        requestURI = path.isEmpty ? base : URLParts.join(base, path)
        hostHeader = url.hostHeader
    }
}
