import Foundation
import MirrorscopeCore

/// Resolving and normalising the URLs found in pages.
enum MirrorURLs {
    /// Resolves `reference` against `base` (an absolute URL or nil) and returns an absolute URL
    /// string, or nil when it is not a usable absolute URL.
    static func resolve(_ reference: String, against base: String?) -> String? {
        let trimmed = reference.trimmed()
        // Foundation would percent-encode junk ("not a url") into a valid relative reference:
        // refuse what cannot appear in a URL as written.
        guard !trimmed.isEmpty, trimmed.count <= ManifestLimits.maxURLLength,
              !trimmed.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || "<>\"{}|\\^`".unicodeScalars.contains($0) })
        else { return nil }
        if let absolute = URL(string: trimmed), absolute.scheme != nil, absolute.host != nil || absolute.scheme == "file" {
            return absolute.absoluteString
        }
        guard let base, let baseURL = URL(string: base), let url = URL(string: trimmed, relativeTo: baseURL) else { return nil }
        let absolute = url.absoluteURL
        guard absolute.scheme != nil else { return nil }
        return absolute.absoluteString
    }

    /// A mirror's base URL: absolute, with a host, ending in "/" so that paths join under it.
    static func normaliseBase(_ url: String) -> String? {
        guard let parts = URLParts(url), !parts.host.isEmpty else { return nil }
        var s = url
        if let hash = s.firstIndex(of: "#") { s = String(s[..<hash]) }
        if parts.query == nil, !s.hasSuffix("/") { s += "/" }
        return s
    }

    /// A short identifier for a mirror from its URL: host plus port ("de.example.org", "127.0.0.1:8080").
    static func derivedID(_ url: String) -> String {
        guard let p = URLParts(url) else { return url }
        var id = p.host
        if let port = p.port { id += ":\(port)" }
        let path = p.path.split(separator: "/").joined(separator: "/")
        if !path.isEmpty { id += "/" + path }
        return id
    }

    /// The folder a page lives in: links under it are content the mirrors also hold.
    static func directory(of url: String) -> String {
        var s = url
        if let q = s.firstIndex(where: { $0 == "?" || $0 == "#" }) { s = String(s[..<q]) }
        if let parts = URLParts(s), parts.path.isEmpty { return s + "/" }
        if let slash = s.lastIndex(of: "/") { return String(s[...slash]) }
        return s
    }
}

/// Gives every mirror a unique id, however the page named them.
struct MirrorIDs {
    private var used: Set<String> = []

    mutating func claim(_ wanted: String?, url: String) -> String {
        let base = wanted.map(Self.clean).flatMap { $0.isEmpty ? nil : $0 } ?? MirrorURLs.derivedID(url)
        var id = base
        var n = 2
        while used.contains(id) { id = "\(base)-\(n)"; n += 1 }
        used.insert(id)
        return id
    }

    /// Ids appear in URLs and on screen: keep letters, digits and a few safe marks.
    static func clean(_ id: String) -> String {
        String(id.unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.:/".unicodeScalars.contains($0) }.prefix(64).map(Character.init))
    }
}
