import Foundation
import MirrorscopeCore

/// Reads a Metalink, version 4 (RFC 5854) or 3 (as MirrorManager serves it): its root element's
/// namespace says which. Every `<url>` of a file is a copy of it on one mirror; the mirror's base
/// is the URL's folder, and the file's last path segment is what gets probed on each.
public enum MetalinkParser {
    public static let namespace4 = "urn:ietf:params:xml:ns:metalink"
    public static let namespace3 = "http://www.metalinker.org/"
    public static let mediaType4 = "application/metalink4+xml"
    public static let mediaType3 = "application/metalink+xml"

    public static func parse(_ data: Data) throws(ManifestError) -> ParsedMirrors {
        let root: XMLNode
        do {
            root = try XMLTree.parse(data)
        } catch {
            if let comment = onlyComment(data) {
                throw ManifestError("Metalink: the document holds only a comment, no mirrors (MirrorManager answers so when it has none): \"\(comment)\"")
            }
            throw ManifestError("Metalink: \(error.description)")
        }
        guard root.name == "metalink" else {
            throw ManifestError("Metalink: line \(root.line): the root element is <\(TerminalText.sanitize(root.name, maxCharacters: 40))>, not <metalink>")
        }
        if root.namespace == namespace4 { return Metalink4Parser.read(root) }
        if root.namespace == namespace3 || (root.namespace.isEmpty && (root.attributes["version"] ?? "").hasPrefix("3")) {
            return Metalink3Parser.read(root)
        }
        let ns = root.namespace.isEmpty ? "no namespace" : "namespace \(TerminalText.sanitize(root.namespace, maxCharacters: 60))"
        throw ManifestError("Metalink: line \(root.line): <metalink> with \(ns) is neither Metalink 4 (\(namespace4)) nor Metalink 3 (\(namespace3))")
    }

    /// The comment text when the document is nothing but an XML declaration and comments.
    static func onlyComment(_ data: Data) -> String? {
        var text = String(decoding: data, as: UTF8.self).trimmed()
        if text.hasPrefix("<?xml"), let end = text.range(of: "?>") { text = String(text[end.upperBound...]).trimmed() }
        guard text.hasPrefix("<!--"), text.hasSuffix("-->") else { return nil }
        let inner = text.dropFirst(4).dropLast(3)
        guard !inner.contains("-->") else { return nil }
        return TerminalText.sanitize(String(inner).trimmed(), maxCharacters: 160)
    }

    /// What to probe on each mirror: the last path segment its URLs share, or nothing (the
    /// mirror's folder) when they differ.
    static func commonFileSegment(_ urls: [String]) -> String? {
        var segment: String?
        for url in urls {
            guard let parts = URLParts(url), let last = parts.path.split(separator: "/").last else { return nil }
            if segment == nil { segment = String(last) } else if segment != String(last) { return nil }
        }
        guard let segment, segment != "..", segment != "." else { return nil }
        return segment
    }

    /// A file's name, checked so that a download cannot leave its folder.
    static func fileName(_ file: XMLNode, index: Int, builder: inout MirrorListBuilder) -> String? {
        let name = file.attributes["name"] ?? ""
        if let problem = FileNames.problem(name) {
            builder.warn("file \(index) (line \(file.line)) \"\(TerminalText.sanitize(name, maxCharacters: 60))\": \(problem); the file and its URLs are refused")
            return nil
        }
        return name
    }

    /// `<hash type="...">` elements as the model keeps them; bad ones are named in a warning.
    static func hashes(_ elements: [XMLNode], file: String, builder: inout MirrorListBuilder) -> [String: String] {
        var out: [String: String] = [:]
        for hash in elements {
            let raw = hash.attributes["type"] ?? ""
            let label = "file \"\(TerminalText.sanitize(file, maxCharacters: 40))\", hash \(TerminalText.sanitize(raw, maxCharacters: 20)) (line \(hash.line))"
            guard let type = HashValues.typeName(raw) else {
                builder.warn("\(label): " + (hash.text.isEmpty ? "empty, and an unknown type" : "an unknown type") + "; ignored")
                continue
            }
            switch HashValues.hex(hash.text, type: type) {
            case .success(let hex): out[type] = hex
            case .failure(let problem): builder.warn("\(label): \(problem); ignored")
            }
        }
        return out
    }

    /// `<size>`: a whole number of bytes; anything else is named in a warning and left out.
    static func size(_ element: XMLNode?, file: String, builder: inout MirrorListBuilder) -> Int64? {
        guard let element else { return nil }
        if let n = Int64(element.text), n >= 0 { return n }
        builder.warn("file \"\(TerminalText.sanitize(file, maxCharacters: 40))\", size \"\(TerminalText.sanitize(element.text, maxCharacters: 20))\" (line \(element.line)): not a number of bytes; ignored")
        return nil
    }

    /// A `location` attribute: a two-letter code becomes the mirror's country; other text is kept
    /// as its location.
    static func setLocation(_ raw: String?, on mirror: inout Mirror) {
        guard let raw = raw?.trimmed(), !raw.isEmpty else { return }
        let text = TerminalText.sanitize(raw, maxCharacters: 40)
        if CountryNames.isCode(text) {
            mirror.country = CountryNames.normalised(text)
            mirror.location = mirror.country
        } else {
            mirror.location = text.lowercased()
        }
    }
}
