import Foundation
import MirrorscopeCore

/// Resolving and normalising the URLs found in pages.
enum MirrorURLs {
    /// Resolves `reference` against `base` (an absolute URL or nil) and returns an absolute URL
    /// string, or nil when it is not a usable absolute URL.
    static func resolve(_ reference: String, against base: String?) -> String? {
        let trimmed = trim(reference)
        // Foundation would percent-encode junk ("not a url") into a valid relative reference:
        // refuse what cannot appear in a URL as written.
        guard !trimmed.isEmpty, trimmed.utf8.count <= ManifestLimits.maxURLLength,
              !trimmed.utf8.contains(where: isForbidden) else { return nil }
        // Lists hold thousands of plainly written absolute URLs: those need no Foundation parse.
        if isPlainAbsolute(trimmed) { return trimmed }
        if let absolute = URL(string: trimmed), absolute.scheme != nil, absolute.host != nil || absolute.scheme == "file" {
            return absolute.absoluteString
        }
        guard let base, let baseURL = URL(string: base), let url = URL(string: trimmed, relativeTo: baseURL) else { return nil }
        let absolute = url.absoluteURL
        guard absolute.scheme != nil else { return nil }
        return absolute.absoluteString
    }

    /// Bytes that never appear in a URL as written: controls, space, and `<>"{}|\^``.
    static func isForbidden(_ byte: UInt8) -> Bool {
        switch byte {
        case 0...0x20, 0x7F, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "{"), UInt8(ascii: "}"),
             UInt8(ascii: "|"), UInt8(ascii: "\\"), UInt8(ascii: "^"), UInt8(ascii: "`"): return true
        default: return false
        }
    }

    /// `http(s)://`, `ftp://` or `rsync://` and a host, in printable ASCII only: such a URL is
    /// already what Foundation would make of it.
    static func isPlainAbsolute(_ url: String) -> Bool {
        let bytes = url.utf8
        guard bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }), let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return false }
        let scheme = url[..<colon].lowercased()
        guard scheme == "http" || scheme == "https" || scheme == "ftp" || scheme == "rsync" else { return false }
        let rest = url.utf8[colon...].dropFirst()
        return rest.starts(with: "//".utf8) && rest.dropFirst(2).first.map { $0 != UInt8(ascii: "/") } == true
    }

    /// `trimmed()` without walking Characters when there is nothing to trim (the usual case).
    static func trim(_ text: String) -> String {
        guard let first = text.utf8.first, let last = text.utf8.last else { return text }
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        return isSpace(first) || isSpace(last) ? text.trimmed() : text
    }

    /// A mirror's base URL: absolute, with a host, ending in "/" so that paths join under it.
    static func normaliseBase(_ url: String) -> String? {
        normaliseBaseParts(url)?.url
    }

    /// `normaliseBase` with the URL's parts, so that callers need not split it again.
    static func normaliseBaseParts(_ url: String) -> (url: String, parts: URLParts)? {
        guard let parts = URLParts(url), !parts.host.isEmpty else { return nil }
        var s = url
        if let hash = s.utf8.firstIndex(of: UInt8(ascii: "#")) { s = String(s[..<hash]) }
        if parts.query == nil, !s.hasSuffix("/") { s += "/" }
        return (s, parts)
    }

    /// A file-scheme URL as a base (`file:/srv/mirror/`): apt lists local mirrors this way.
    static func normaliseFileBase(_ url: String) -> String? {
        guard url.lowercased().hasPrefix("file:"), url.count > 5 else { return nil }
        return url.hasSuffix("/") ? url : url + "/"
    }

    /// A mirror's base URL from what a list wrote: resolved, normalised, the folder of a file URL
    /// when `fileURL`, and with `templates`, a URL holding `$name` variables kept as a template
    /// whose base is cut before its first variable. Nil when it is not a usable URL.
    static func mirrorBase(_ raw: String, relativeTo base: String?, fileURL: Bool, templates: Bool)
        -> (url: String, template: String?, variables: [String], parts: URLParts?)? {
        if templates {
            let variables = TemplateVariables.names(in: raw)
            if !variables.isEmpty {
                // The template is kept as written and shown: controls (C1, bidi) that Foundation
                // would percent-encode in a URL must not be in it (found by fuzz/run.sh page).
                let written = trim(raw)
                guard TerminalText.sanitize(written, maxCharacters: ManifestLimits.maxURLLength + 1) == written else { return nil }
                // The whole template must be a URL once filled, and its root must be one now.
                let sample = TemplateVariables.fill(raw, with: Dictionary(uniqueKeysWithValues: variables.map { ($0, "x") }))
                guard resolve(sample, against: base) != nil,
                      let root = resolve(TemplateVariables.root(of: raw), against: base),
                      let (url, parts) = normaliseBaseParts(root) else { return nil }
                return (url, raw, variables, parts)
            }
        }
        guard let resolved = resolve(raw, against: base) else { return nil }
        let target = fileURL ? directory(of: resolved) : resolved
        if let (url, parts) = normaliseBaseParts(target) { return (url, nil, [], parts) }
        guard let url = normaliseFileBase(target) else { return nil }
        return (url, nil, [], nil)
    }

    /// Two entries name the same mirror when these agree: scheme and host in lower case, the
    /// default port left out, repeated slashes in the path collapsed, a final "/".
    static func duplicateKey(_ url: String) -> String {
        guard let p = URLParts(url) else { return url }
        return duplicateKey(p)
    }

    static func duplicateKey(_ p: URLParts) -> String {
        var key = p.scheme + "://" + p.host
        if p.hasNonDefaultPort, let port = p.port { key += ":\(port)" }
        var path = ""
        var lastWasSlash = false
        for c in p.path.unicodeScalars {
            if c == "/" { if lastWasSlash { continue }; lastWasSlash = true } else { lastWasSlash = false }
            path.unicodeScalars.append(c)
        }
        if !path.hasSuffix("/") { path += "/" }
        key += path
        if let q = p.query { key += "?" + q }
        return key
    }

    /// A short identifier for a mirror from its URL: host plus port ("de.example.org", "127.0.0.1:8080").
    static func derivedID(_ url: String) -> String {
        guard let p = URLParts(url) else { return url }
        return derivedID(p)
    }

    static func derivedID(_ p: URLParts) -> String {
        var id = p.host
        if let port = p.port { id += ":\(port)" }
        // The path without its leading, trailing and repeated slashes.
        var path = ""
        for segment in p.path.utf8.split(separator: UInt8(ascii: "/")) {
            path += "/" + String(decoding: segment, as: UTF8.self)
        }
        return id + path
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

extension Mirror {
    /// The URL's scheme in lower case, also for URLs without "//" (apt's `file:/srv/mirror/`).
    public var protocolName: String {
        guard let colon = url.utf8.firstIndex(of: UInt8(ascii: ":")) else { return "" }
        return url[..<colon].lowercased()
    }
}

/// Gives every mirror a unique id, however the page named them.
struct MirrorIDs {
    private var used: Set<String> = []

    mutating func claim(_ wanted: String?, url: String) -> String {
        claim(wanted, derived: MirrorURLs.derivedID(url))
    }

    /// `derived` is the id made from the URL, used when the page wanted none.
    mutating func claim(_ wanted: String?, derived: @autoclosure () -> String) -> String {
        let base = wanted.map(Self.clean).flatMap { $0.isEmpty ? nil : $0 } ?? derived()
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
