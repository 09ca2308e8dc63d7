import MirrorscopeCore

/// What the analyser needs from an HTML page. No HTML parser package is available here, and the
/// page only has to yield a few elements, so this is a tolerant tag scanner, not a DOM: it reads
/// start tags and their attributes, skips comments, takes `<script>`/`<style>` content as raw text,
/// and collects anchor text. Counts are bounded (`ManifestLimits`).
public struct HTMLDocument: Sendable, Hashable {
    public struct Script: Sendable, Hashable { public var type: String; public var content: String }
    public struct LinkElement: Sendable, Hashable { public var rel: [String]; public var href: String; public var type: String? }
    public struct Anchor: Sendable, Hashable {
        public var href: String
        public var text: String
        /// The `id`s of the elements enclosing the anchor (MirrorBrain puts its list in a `div#mirrorbrain-mirrors`).
        public var enclosingIDs: [String]
        /// The text after the anchor up to the end of its list item or line (MirrorBrain writes
        /// `(de, prio 100)` there), at most `trailingLimit` bytes.
        public var trailingText: String = ""
    }

    public var title: String?
    public var baseHref: String?
    public var scripts: [Script] = []
    public var links: [LinkElement] = []
    public var anchors: [Anchor] = []
}

public enum HTMLScanner {
    public static func scan(_ html: String) -> HTMLDocument {
        var doc = HTMLDocument()
        let s = Array(html.utf8)
        var i = 0
        var openIDs: [(tag: String, id: String)] = []
        var anchor: (href: String, text: [UInt8], ids: [String])?
        var titleText: [UInt8]?
        var trailing: (index: Int, text: [UInt8])?
        func endTrailing() {
            if let t = trailing { doc.anchors[t.index].trailingText = collapse(decodeEntities(String(decoding: t.text, as: UTF8.self))) }
            trailing = nil
        }

        while i < s.count {
            guard s[i] == UInt8(ascii: "<") else {
                if anchor != nil { anchor!.text.append(s[i]) }
                if titleText != nil { titleText!.append(s[i]) }
                if trailing != nil, trailing!.text.count < trailingLimit { trailing!.text.append(s[i]) }
                i += 1
                continue
            }
            // Comments and declarations.
            if hasPrefix(s, i, "<!--") {
                i = find(s, from: i + 4, "-->").map { $0 + 3 } ?? s.count
                continue
            }
            if hasPrefix(s, i, "<!") || hasPrefix(s, i, "<?") {
                i = find(s, from: i + 2, ">").map { $0 + 1 } ?? s.count
                continue
            }
            let closing = i + 1 < s.count && s[i + 1] == UInt8(ascii: "/")
            var j = i + (closing ? 2 : 1)
            let nameStart = j
            while j < s.count, isNameByte(s[j]) { j += 1 }
            if j == nameStart {
                // A lone "<" in text.
                if anchor != nil { anchor!.text.append(s[i]) }
                i += 1
                continue
            }
            let name = String(decoding: s[nameStart..<j], as: UTF8.self).lowercased()
            let (attributes, end) = readAttributes(s, from: j)
            i = end
            if trailingStops.contains(name) { endTrailing() }
            if closing {
                switch name {
                case "a":
                    if let a = anchor, doc.anchors.count < ManifestLimits.maxLinks {
                        doc.anchors.append(HTMLDocument.Anchor(href: a.href, text: collapse(decodeEntities(String(decoding: a.text, as: UTF8.self))), enclosingIDs: a.ids))
                        trailing = (doc.anchors.count - 1, [])
                    }
                    anchor = nil
                case "title":
                    if let t = titleText, doc.title == nil { doc.title = collapse(decodeEntities(String(decoding: t, as: UTF8.self))) }
                    titleText = nil
                default:
                    if let k = openIDs.lastIndex(where: { $0.tag == name }) { openIDs.removeSubrange(k...) }
                }
                continue
            }
            switch name {
            case "script", "style":
                let closeTag = "</" + name
                let contentEnd = findCaseInsensitive(s, from: i, closeTag) ?? s.count
                if name == "script" {
                    let type = (attributes["type"] ?? "").lowercased().trimmed()
                    doc.scripts.append(HTMLDocument.Script(type: type, content: String(decoding: s[i..<contentEnd], as: UTF8.self)))
                }
                i = find(s, from: contentEnd, ">").map { $0 + 1 } ?? s.count
            case "title":
                titleText = []
            case "base":
                if doc.baseHref == nil, let href = attributes["href"] { doc.baseHref = href }
            case "link":
                if let href = attributes["href"], doc.links.count < ManifestLimits.maxLinks {
                    let rel = (attributes["rel"] ?? "").lowercased().split(separator: " ").map(String.init)
                    doc.links.append(HTMLDocument.LinkElement(rel: rel, href: href, type: attributes["type"]))
                }
            case "a":
                if let a = anchor, doc.anchors.count < ManifestLimits.maxLinks {
                    // An unclosed anchor ends where the next begins.
                    doc.anchors.append(HTMLDocument.Anchor(href: a.href, text: collapse(decodeEntities(String(decoding: a.text, as: UTF8.self))), enclosingIDs: a.ids))
                }
                anchor = attributes["href"].map { ($0, [], openIDs.map(\.id)) }
            default:
                if let id = attributes["id"], !voidElements.contains(name) { openIDs.append((name, id)) }
            }
        }
        endTrailing()
        return doc
    }

    static let trailingLimit = 200
    /// Tags that end the text trailing an anchor: the next anchor, list item, line or block.
    static let trailingStops: Set<String> = ["a", "li", "br", "p", "div", "tr", "td", "ul", "ol", "dd", "dt", "h1", "h2", "h3", "h4", "table"]

    static let voidElements: Set<String> = ["br", "img", "hr", "meta", "input", "link", "base", "wbr", "source", "col", "area", "embed"]

    /// Reads `name=value` pairs up to the tag's ">" and returns them with the index after it.
    /// Values are entity-decoded; names lower-cased; the first occurrence wins.
    static func readAttributes(_ s: [UInt8], from start: Int) -> ([String: String], Int) {
        var attrs: [String: String] = [:]
        var i = start
        while i < s.count {
            while i < s.count, isSpace(s[i]) || s[i] == UInt8(ascii: "/") { i += 1 }
            guard i < s.count else { break }
            if s[i] == UInt8(ascii: ">") { return (attrs, i + 1) }
            let nameStart = i
            while i < s.count, !isSpace(s[i]), s[i] != UInt8(ascii: "="), s[i] != UInt8(ascii: ">"), s[i] != UInt8(ascii: "/") { i += 1 }
            let name = String(decoding: s[nameStart..<i], as: UTF8.self).lowercased()
            while i < s.count, isSpace(s[i]) { i += 1 }
            var value = ""
            if i < s.count, s[i] == UInt8(ascii: "=") {
                i += 1
                while i < s.count, isSpace(s[i]) { i += 1 }
                if i < s.count, s[i] == UInt8(ascii: "\"") || s[i] == UInt8(ascii: "'") {
                    let quote = s[i]
                    let valueStart = i + 1
                    i = valueStart
                    while i < s.count, s[i] != quote { i += 1 }
                    value = String(decoding: s[valueStart..<min(i, s.count)], as: UTF8.self)
                    i += 1
                } else {
                    let valueStart = i
                    while i < s.count, !isSpace(s[i]), s[i] != UInt8(ascii: ">") { i += 1 }
                    value = String(decoding: s[valueStart..<i], as: UTF8.self)
                }
            }
            if !name.isEmpty, attrs[name] == nil { attrs[name] = decodeEntities(value) }
        }
        return (attrs, s.count)
    }

    static let namedEntities: [String: String] = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " "]

    /// Decodes the character references that appear in attribute values and link text.
    public static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            if let semi = after.prefix(12).firstIndex(of: ";") {
                let name = after[..<semi]
                var replacement: String?
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    replacement = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String($0) }
                } else if name.hasPrefix("#") {
                    replacement = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map { String($0) }
                } else {
                    replacement = namedEntities[name.lowercased()]
                }
                if let replacement {
                    out += replacement
                    rest = after[after.index(after: semi)...]
                    continue
                }
            }
            out += "&"
            rest = after
        }
        return out + rest
    }

    static func collapse(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C }
    static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "-")
    }

    static func hasPrefix(_ s: [UInt8], _ i: Int, _ prefix: String) -> Bool {
        let p = Array(prefix.utf8)
        guard i + p.count <= s.count else { return false }
        for k in 0..<p.count where s[i + k] != p[k] { return false }
        return true
    }

    static func find(_ s: [UInt8], from start: Int, _ needle: String) -> Int? {
        let n = Array(needle.utf8)
        guard !n.isEmpty, start <= s.count - n.count else { return nil }
        var i = start
        while i <= s.count - n.count {
            if s[i] == n[0] {
                var k = 1
                while k < n.count, s[i + k] == n[k] { k += 1 }
                if k == n.count { return i }
            }
            i += 1
        }
        return nil
    }

    static func findCaseInsensitive(_ s: [UInt8], from start: Int, _ needle: String) -> Int? {
        let n = Array(needle.lowercased().utf8)
        guard !n.isEmpty, start <= s.count - n.count else { return nil }
        var i = start
        while i <= s.count - n.count {
            var k = 0
            while k < n.count, lower(s[i + k]) == n[k] { k += 1 }
            if k == n.count { return i }
            i += 1
        }
        return nil
    }

    static func lower(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5A) ? b + 32 : b }
}
