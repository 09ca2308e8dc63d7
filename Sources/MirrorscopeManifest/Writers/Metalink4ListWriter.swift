import MirrorscopeCore

/// RFC 5854 Metalink 4: each file the page describes (its size and hashes kept), on every
/// mirror, with `priority` in rank order (1 = fastest; lower is preferred) and the mirror's
/// country as `location`. A Metalink names files, not folders: the mirror's URL is its base
/// plus the file's name (the reader takes the file's folder as the mirror again). A page that
/// names no file gives its probe object; one without either cannot be written as a Metalink.
enum Metalink4ListWriter {
    static func text(_ list: SavedList, header: ListFileHeader) throws(ListFileError) -> String {
        var files: [(name: String, path: String, facts: FileFacts?)] = list.files.compactMap { facts in
            guard let last = facts.name.split(separator: "/").last else { return nil }
            return (facts.name, String(last), facts)
        }
        if files.isEmpty {
            let path = list.probePath.trimmed()
            guard !path.isEmpty, !path.hasSuffix("/"), let last = path.split(separator: "/").last else {
                throw ListFileError("a Metalink names a file on each mirror, and this page names none (no file, no probe object); choose another --save-format")
            }
            files = [(String(last), path, nil)]
        }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        // "--" may not appear inside an XML comment.
        for line in header.lines { out += "<!-- \(line.replacingAll("--", with: "- -")) -->\n" }
        out += "<metalink xmlns=\"urn:ietf:params:xml:ns:metalink\">\n"
        out += "  <generator>mirrorscope</generator>\n"
        for file in files {
            out += "  <file name=\"\(file.name.htmlEscaped)\">\n"
            if let size = file.facts?.size { out += "    <size>\(size)</size>\n" }
            for (type, hex) in (file.facts?.hashes ?? [:]).sorted(by: { $0.key < $1.key }) {
                out += "    <hash type=\"\(type.htmlEscaped)\">\(hex.htmlEscaped)</hash>\n"
            }
            for (rank, entry) in list.entries.prefix(999_999).enumerated() {
                var attributes = " priority=\"\(rank + 1)\""
                if let code = countryCode(entry.mirror) { attributes += " location=\"\(code)\"" }
                out += "    <url\(attributes)>\(URLParts.join(entry.mirror.url, file.path).htmlEscaped)</url>\n"
            }
            out += "  </file>\n"
        }
        out += "</metalink>\n"
        return out
    }

    /// A two-letter country code, as RFC 5854's `location` takes.
    static func countryCode(_ mirror: Mirror) -> String? {
        let code = mirror.country ?? mirror.location
        guard let code, code.count == 2, code.allSatisfy({ $0.isASCII && $0.isLetter }) else { return nil }
        return code.lowercased()
    }
}

extension String {
    /// Every occurrence of `target` replaced (the writers' own, without Foundation).
    func replacingAll(_ target: String, with replacement: String) -> String {
        var out = self
        while out.contains(target) { out = out.replacingFirst(target, with: replacement) }
        return out
    }
}
