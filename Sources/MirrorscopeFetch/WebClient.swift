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
            redirectConfiguration: .follow(max: 10, allowCycles: false),
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

    /// A GET with our User-Agent; returns the response with its body still to be read.
    func get(_ url: String, accept: String, deadline: Duration) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "User-Agent", value: configuration.userAgent)
        request.headers.add(name: "Accept", value: accept)
        return try await client.execute(request, timeout: TimeAmount(deadline), logger: configuration.logger)
    }
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
