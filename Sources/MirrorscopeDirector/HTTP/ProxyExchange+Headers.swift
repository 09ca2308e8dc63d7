import Foundation
import NIOHTTP1

/// The headers of a proxied exchange: what passes each way, and what the director adds.
extension ProxyExchange {
    /// Request and response headers that describe one connection, not the message (RFC 9110 7.6.1).
    static let hopByHop: Set<String> = ["connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade",
                                        "proxy-authenticate", "proxy-authorization"]

    /// The client's request headers as the real server gets them: hop-by-hop headers (and those
    /// `Connection` names) and `Host` dropped; `X-Forwarded-For`, `Forwarded` (RFC 7239) and
    /// `X-Forwarded-Proto` extended with this hop; `Host` the real server's own; one request per
    /// upstream connection (`Connection: close`).
    static func upstreamRequestHeaders(_ request: HTTPHeaders, client: String, isTLS: Bool, authority: String) -> HTTPHeaders {
        var headers = HTTPHeaders()
        let named = connectionNamedHeaders(request)
        for (name, value) in request {
            let lower = name.lowercased()
            if lower == "host" || hopByHop.contains(lower) || named.contains(lower) { continue }
            headers.add(name: name, value: value)
        }
        let originalHost = request.first(name: "host") ?? ""
        let proto = isTLS ? "https" : "http"
        headers.replaceOrAdd(name: "X-Forwarded-For", value: request["x-forwarded-for"].joined(separator: ", ")
            .appendingListItem(client))
        headers.replaceOrAdd(name: "Forwarded", value: request["forwarded"].joined(separator: ", ")
            .appendingListItem("for=\(quoted(client.contains(":") ? "[\(client)]" : client));host=\(quoted(originalHost));proto=\(proto)"))
        headers.replaceOrAdd(name: "X-Forwarded-Proto", value: proto)
        headers.add(name: "Host", value: authority)
        headers.add(name: "Connection", value: "close")
        return headers
    }

    /// The real server's response headers as the client gets them, before the director frames the
    /// body and adds its cookie: hop-by-hop headers (and those `Connection` names) and the real
    /// server's `Transfer-Encoding` dropped.
    static func downstreamResponseHeaders(_ response: HTTPHeaders) -> HTTPHeaders {
        var headers = HTTPHeaders()
        let named = connectionNamedHeaders(response)
        for (name, value) in response {
            let lower = name.lowercased()
            if hopByHop.contains(lower) || named.contains(lower) || lower == "transfer-encoding" { continue }
            headers.add(name: name, value: value)
        }
        return headers
    }

    /// Headers named by `Connection: a, b` are hop-by-hop too.
    static func connectionNamedHeaders(_ headers: HTTPHeaders) -> Set<String> {
        Set(headers[canonicalForm: "connection"].map { $0.lowercased() })
    }

    /// RFC 7239 quoted-string.
    static func quoted(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

private extension String {
    func appendingListItem(_ item: String) -> String { isEmpty ? item : self + ", " + item }
}
