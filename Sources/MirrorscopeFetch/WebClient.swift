import Foundation
import Logging
import MirrorscopeCore
import MirrorscopeNetwork
import NIOCore
import NIOSSL

/// Everything the client fetches over HTTP(S) goes through here: the page, a linked probe script,
/// and the chosen mirror's files. Each request is one fresh connection of the connector, so the
/// user's proxies (curl's environment, `--proxy`), Happy Eyeballs, `-4`/`-6` and `--cacert` hold
/// for fetches exactly as for probes.
public final class WebClient: Sendable {
    public struct Configuration: Sendable {
        public var userAgent: String
        /// Extra trust roots (PEM), e.g. a private mirror's CA given with `--cacert`.
        public var additionalTrustRootsPEM: [String]
        /// Bound on fetching the page and on opening a link.
        public var timeout: Duration
        public var logger: Logger
        /// Which proxy each connection goes through.
        public var proxies: ProxyRules
        /// The address families allowed.
        public var family: IPFamily

        public init(userAgent: String, additionalTrustRootsPEM: [String] = [], timeout: Duration = .seconds(20),
                    logger: Logger = Logger(label: "mirrorscope.fetch", factory: { _ in SwiftLogNoOpLogHandler() }),
                    proxies: ProxyRules = .direct, family: IPFamily = .any) {
            self.userAgent = userAgent
            self.additionalTrustRootsPEM = additionalTrustRootsPEM
            self.timeout = timeout
            self.logger = logger
            self.proxies = proxies
            self.family = family
        }
    }

    /// Public for the downloads (the runtime's), which must go the same way as every fetch.
    public let connector: Connector
    public let configuration: Configuration

    public init(configuration: Configuration) throws {
        // A bad --cacert is a clear message before anything is fetched.
        for pem in configuration.additionalTrustRootsPEM { _ = try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8)) }
        connector = Connector(configuration: .init(proxies: configuration.proxies, family: configuration.family,
                                                   additionalTrustRootsPEM: configuration.additionalTrustRootsPEM))
        self.configuration = configuration
    }

    /// Nothing stays open between requests; kept so that callers end a session the same way.
    public func shutdown() async {}

    /// How many redirects `get` follows before giving up, as browsers and curl's `--max-redirs` do.
    static let maxRedirects = 10

    /// A GET with our User-Agent; gives the answer (its body still to be read) and the URL that gave
    /// it to `use`. Redirects are followed here so that a caller can keep one that is itself the
    /// answer (`keepRedirect`): an RFC 6249 server such as MirrorBrain or mirrorbits lists a file's
    /// mirrors in the `Link` headers of its redirect to one of them.
    func get<T: Sendable>(_ url: String, accept: String, deadline: Duration,
                          keepRedirect: (HTTPAnswer) -> Bool = { _ in false },
                          _ use: (HTTPAnswer, String) async throws -> T) async throws -> T {
        let until = NIODeadline.now() + TimeAmount(deadline)
        var current = url
        var visited: Set<String> = [url]
        let headers = [("User-Agent", configuration.userAgent), ("Accept", accept)]
        while true {
            let step: RedirectStep<T> = try await connector.withAnswer(current, headers: headers, deadline: until) { answer in
                guard [301, 302, 303, 307, 308].contains(answer.status.code),
                      let location = answer.headers.first(name: "Location"), !keepRedirect(answer) else {
                    return .done(try await use(answer, current))
                }
                return .redirect(location)  // its body goes with the connection
            }
            guard case .redirect(let location) = step else {
                if case .done(let value) = step { return value }
                fatalError("unreachable")
            }
            guard let next = URL(string: location, relativeTo: URL(string: current))?.absoluteURL,
                  let scheme = next.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
                throw RedirectError("\(current) redirects to \(TerminalText.sanitize(location, maxCharacters: 100)), not an http(s) URL")
            }
            current = next.absoluteString
            guard visited.insert(current).inserted else { throw RedirectError("the redirects from \(url) go round in a circle") }
            guard visited.count <= Self.maxRedirects + 1 else { throw RedirectError("more than \(Self.maxRedirects) redirects from \(url)") }
        }
    }
}

/// One hop of `get`: the caller's result, or where the redirect goes.
enum RedirectStep<T: Sendable>: Sendable {
    case done(T)
    case redirect(String)
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
        if let failure = error as? ConnectionFailure {
            switch (failure.stage, failure.cause) {
            case (.proxy, _): return failure.description  // names the proxy
            case (.dns, _): return failure.description == "no such host" ? "host name does not resolve" : failure.description
            case (.tls, _):
                if failure.description == "TLS: certificate not trusted" {
                    return "TLS: certificate not trusted (a private CA is given with --cacert FILE)"
                }
                return failure.description
            case (_, .refused): return "connection refused"
            case (_, .timeout): return failure.description == "timeout" ? "connection timed out" : failure.description
            case (_, .reset): return failure.description == "connection reset" ? "the server closed the connection" : failure.description
            default: return TerminalText.sanitize(failure.description, maxCharacters: 120)
            }
        }
        if error is NIOTooManyBytesError { return "the answer is larger than this program reads" }
        return TerminalText.sanitize(String(describing: error), maxCharacters: 120)
    }
}
