import Foundation

/// The hosts that bypass the proxy, as curl reads `no_proxy`: a comma-separated list where `*`
/// means every host; a name matches itself and its subdomains on label boundaries (`example.org`
/// matches `a.example.org`, not `badexample.org`), a leading dot is ignored; an IP literal or a
/// CIDR range (`10.0.0.0/8`, `fd00::/8`) matches addresses; an entry may name a port
/// (`host:8080`, `[::1]:8080`), and then only that port bypasses.
public struct NoProxyList: Sendable, Hashable {
    enum Entry: Sendable, Hashable {
        case everything
        case name(String, port: Int?)
        case address(IPAddress, prefix: Int, port: Int?)
    }

    var entries: [Entry]

    public init(_ list: String) {
        entries = list.split(separator: ",").compactMap { Self.entry(String($0)) }
    }

    init(entries: [Entry]) { self.entries = entries }

    public var isEmpty: Bool { entries.isEmpty }

    /// This list and `other`'s entries together (`--no-proxy` adds to the environment's).
    public func adding(_ other: NoProxyList) -> NoProxyList { NoProxyList(entries: entries + other.entries) }

    /// Whether a connection to `host` (a name or an address literal, without brackets) on `port`
    /// goes direct.
    public func bypasses(host rawHost: String, port: Int) -> Bool {
        var host = rawHost.lowercased()
        if host.hasSuffix(".") { host.removeLast() }
        let address = IPAddress(host)
        for entry in entries {
            switch entry {
            case .everything:
                return true
            case .name(let name, let wanted):
                guard wanted == nil || wanted == port, address == nil else { continue }
                if host == name || host.hasSuffix("." + name) { return true }
            case .address(let network, let prefix, let wanted):
                guard wanted == nil || wanted == port, let address else { continue }
                if address.matches(network, prefix: prefix) { return true }
            }
        }
        return false
    }

    static func entry(_ raw: String) -> Entry? {
        var text = raw.trimmingCharacters(in: .whitespaces).lowercased()
        guard !text.isEmpty else { return nil }
        if text == "*" { return .everything }
        var prefix: Int?
        if let slash = text.lastIndex(of: "/") {
            guard let bits = Int(text[text.index(after: slash)...]) else { return nil }
            prefix = bits
            text = String(text[..<slash])
        }
        var port: Int?
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            if text[text.index(after: close)...].hasPrefix(":") { port = Int(text[text.index(text.index(after: close), offsetBy: 1)...]) }
            text = String(text[text.index(after: text.startIndex)..<close])
        } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            // One colon: host:port. More: a bare IPv6 literal.
            port = Int(text[text.index(after: colon)...])
            text = String(text[..<colon])
        }
        if let address = IPAddress(text) {
            return .address(address, prefix: prefix ?? address.bytes.count * 8, port: port)
        }
        guard prefix == nil else { return nil }  // a range needs an address
        while text.hasPrefix(".") { text.removeFirst() }
        if text.hasSuffix(".") { text.removeLast() }
        return text.isEmpty ? nil : .name(text, port: port)
    }
}
