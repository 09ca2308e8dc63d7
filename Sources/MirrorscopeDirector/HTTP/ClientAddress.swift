import MirrorscopeGeo
import NIOHTTP1

/// Who the client is, as nginx's realip module decides it: the socket's peer, unless the peer is a
/// trusted proxy; then the right-most address of the forwarding header that is not itself a
/// trusted proxy (each proxy appends the address it saw, so anything left of the last trusted
/// hop may be the client's own invention). Never read from a peer that is not trusted.
///
/// The header is `X-Forwarded-For` (what nginx's `proxy_add_x_forwarded_for` and HAProxy's
/// `option forwardfor` append), or RFC 7239 `Forwarded: for=` when the request has no
/// `X-Forwarded-For`. A proxy that writes only `Forwarded` must drop a client's own
/// `X-Forwarded-For` (docs/director.md says so).
enum ClientAddress {
    /// Entries walked from the right at most: a chain of trusted proxies is short.
    static let maxHops = 32

    static func resolve(peer: IPAddress, headers: HTTPHeaders, trusted: [IPNetwork]) -> IPAddress {
        guard isTrusted(peer, trusted) else { return peer }
        let forwardedFor = headers[canonicalForm: "x-forwarded-for"]
        if !forwardedFor.isEmpty {
            return rightmostUntrusted(forwardedFor.reversed().lazy.map { IPAddress($0.trimmingSpaces) }, after: peer, trusted: trusted)
        }
        let forwarded = headers[canonicalForm: "forwarded"]
        if !forwarded.isEmpty {
            return rightmostUntrusted(forwarded.reversed().lazy.map { forAddress(in: $0) }, after: peer, trusted: trusted)
        }
        return peer
    }

    static func isTrusted(_ address: IPAddress, _ trusted: [IPNetwork]) -> Bool {
        trusted.contains { $0.contains(address) }
    }

    /// Walks hops from the right. An entry that is no address (`unknown`, an obfuscated node,
    /// garbage) ends the walk at the last trusted hop: nothing left of it can be believed.
    private static func rightmostUntrusted(_ hops: some Sequence<IPAddress?>, after peer: IPAddress,
                                           trusted: [IPNetwork]) -> IPAddress {
        var last = peer
        for hop in hops.prefix(maxHops) {
            guard let hop else { return last }
            if !isTrusted(hop, trusted) { return hop }
            last = hop
        }
        return last
    }

    /// The address of one `Forwarded` element's `for=` (RFC 7239 §4, §6): a token or a quoted
    /// string; IPv6 in brackets; an optional port after either.
    static func forAddress(in element: Substring) -> IPAddress? {
        for pair in element.split(separator: ";") {
            let pair = pair.trimmingSpaces
            guard let equals = pair.firstIndex(of: "="), pair[..<equals].trimmingSpaces.lowercased() == "for" else { continue }
            var value = pair[pair.index(after: equals)...].trimmingSpaces
            if value.hasPrefix("\"") {
                guard value.count >= 2, value.hasSuffix("\"") else { return nil }
                value = value.dropFirst().dropLast()
            }
            if value.hasPrefix("[") {
                guard let close = value.firstIndex(of: "]") else { return nil }
                let rest = value[value.index(after: close)...]
                guard rest.isEmpty || isPort(rest) else { return nil }
                return IPAddress(value[value.index(after: value.startIndex)..<close])
            }
            if let colon = value.firstIndex(of: ":") {  // IPv4 with a port (IPv6 must be bracketed)
                guard isPort(value[colon...]) else { return nil }
                return IPAddress(value[..<colon])
            }
            return IPAddress(value)
        }
        return nil
    }

    /// `:PORT` (digits, or an obfuscated `_name` as RFC 7239 §6.3 allows).
    private static func isPort(_ text: Substring) -> Bool {
        guard text.first == ":" else { return false }
        let port = text.dropFirst()
        return !port.isEmpty && port.count <= 32 && port.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-") }
    }
}

extension StringProtocol {
    /// Without the spaces and tabs HTTP allows around list elements.
    var trimmingSpaces: SubSequence {
        let start = firstIndex { $0 != " " && $0 != "\t" } ?? endIndex
        let end = lastIndex { $0 != " " && $0 != "\t" }.map { index(after: $0) } ?? start
        return self[start..<end]
    }
}
