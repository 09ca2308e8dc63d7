import AsyncHTTPClient
import Foundation
import Logging
import MirrorscopeCore
import NIOCore
import NIOSSL

/// Everything the client fetches over HTTP(S) goes through here: the page, a linked probe script,
/// and later the chosen mirror's files. One AsyncHTTPClient, shut down once at the end.
public final class WebClient: Sendable {
    public struct Configuration: Sendable {
        public var userAgent: String
        /// Extra trust roots (PEM), e.g. a private mirror's CA given with `--cacert`.
        public var additionalTrustRootsPEM: [String]
        /// Bound on fetching the page and on opening a link.
        public var timeout: Duration
        public var logger: Logger

        public init(userAgent: String, additionalTrustRootsPEM: [String] = [], timeout: Duration = .seconds(20),
                    logger: Logger = Logger(label: "mirrorscope.fetch", factory: { _ in SwiftLogNoOpLogHandler() })) {
            self.userAgent = userAgent
            self.additionalTrustRootsPEM = additionalTrustRootsPEM
            self.timeout = timeout
            self.logger = logger
        }
    }

    let client: HTTPClient
    let configuration: Configuration

    public init(configuration: Configuration) throws {
        var tls = TLSConfiguration.makeClientConfiguration()
        if !configuration.additionalTrustRootsPEM.isEmpty {
            let certificates = try configuration.additionalTrustRootsPEM.flatMap { try NIOSSLCertificate.fromPEMBytes(Array($0.utf8)) }
            tls.additionalTrustRoots = [.certificates(certificates)]
        }
        var clientConfiguration = HTTPClient.Configuration(
            tlsConfiguration: tls,
            // Redirects are followed by `get`, which can stop at one that is itself the answer.
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(10), read: .seconds(30)),
            decompression: .enabled(limit: .ratio(25)))
        // A user who typed a wrong URL must hear "connection refused" at once, not after the
        // connect timeout's worth of silent retries.
        clientConfiguration.connectionPool.retryConnectionEstablishment = false
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        self.configuration = configuration
    }

    public func shutdown() async {
        try? await client.shutdown()
    }

    /// How many redirects `get` follows before giving up, as browsers and curl's `--max-redirs` do.
    static let maxRedirects = 10

    /// A GET with our User-Agent; returns the response with its body still to be read, and the URL
    /// that gave it. Redirects are followed here rather than by the HTTP client so that a caller can
    /// keep one that is itself the answer (`keepRedirect`): an RFC 6249 server such as MirrorBrain
    /// or mirrorbits lists a file's mirrors in the `Link` headers of its redirect to one of them.
    func get(_ url: String, accept: String, deadline: Duration,
             keepRedirect: (HTTPClientResponse) -> Bool = { _ in false }) async throws -> (response: HTTPClientResponse, url: String) {
        let until = NIODeadline.now() + TimeAmount(deadline)
        var current = url
        var visited: Set<String> = [url]
        while true {
            var request = HTTPClientRequest(url: current)
            request.headers.add(name: "User-Agent", value: configuration.userAgent)
            request.headers.add(name: "Accept", value: accept)
            let response = try await client.execute(request, deadline: until, logger: configuration.logger)
            guard [301, 302, 303, 307, 308].contains(response.status.code),
                  let location = response.headers.first(name: "Location"), !keepRedirect(response) else {
                return (response, current)
            }
            try await Self.discard(response.body)
            guard let next = URL(string: location, relativeTo: URL(string: current))?.absoluteURL,
                  let scheme = next.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
                throw RedirectError("\(current) redirects to \(TerminalText.sanitize(location, maxCharacters: 100)), not an http(s) URL")
            }
            current = next.absoluteString
            guard visited.insert(current).inserted else { throw RedirectError("the redirects from \(url) go round in a circle") }
            guard visited.count <= Self.maxRedirects + 1 else { throw RedirectError("more than \(Self.maxRedirects) redirects from \(url)") }
        }
    }

    /// Reads a redirect's short body away (so its connection can serve the next request); a long
    /// one is abandoned, which closes that connection instead.
    private static func discard(_ body: HTTPClientResponse.Body) async throws {
        var seen = 0
        for try await chunk in body {
            seen += chunk.readableBytes
            if seen > 64 * 1024 { return }
        }
    }
}

/// A redirect that cannot be followed: to another scheme, in a circle, or too many.
struct RedirectError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

/// Turns the errors of a failed HTTP exchange into words a user understands.
enum NetworkErrorText {
    static func describe(_ error: any Error) -> String {
        if let redirect = error as? RedirectError { return redirect.description }
        if case NIOSSLError.handshakeFailed(let reason) = error, "\(reason)".contains("CERTIFICATE_VERIFY_FAILED") {
            return "TLS: certificate not trusted (a private CA is given with --cacert FILE)"
        }
        if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname { return "TLS: certificate is for another host" }
        let text = String(describing: error)
        let lower = text.lowercased()
        if lower.contains("connection refused") || lower.contains("econnrefused") { return "connection refused" }
        if lower.contains("connecttimeout") || lower.contains("connect timeout") { return "connection timed out" }
        if lower.contains("deadlineexceeded") || lower.contains("readtimeout") || lower.contains("timeout") { return "timed out" }
        if lower.contains("nodename nor servname") || lower.contains("name or service not known") ||
            lower.contains("unknownhost") || lower.contains("no address") || lower.contains("getaddrinfo") { return "host name does not resolve" }
        if lower.contains("ssl") || lower.contains("tls") || lower.contains("certificate") { return "TLS failure (\(TerminalText.sanitize(text, maxCharacters: 100)))" }
        if lower.contains("remoteconnectionclosed") || lower.contains("connection reset") { return "the server closed the connection" }
        if lower.contains("toomanyredirects") || lower.contains("redirectcycle") { return "too many redirects" }
        if lower.contains("unsupportedscheme") || lower.contains("badurl") || lower.contains("invalidurl") { return "not a URL this program can fetch" }
        return TerminalText.sanitize(text, maxCharacters: 120)
    }
}
