import MirrorscopeCore

/// Metalink/HTTP (RFC 6249): one mirror per `Link: <URI>; rel=duplicate; pri=N; geo=cc; pref`
/// header of the response. Each duplicate is a copy of the requested file, so its folder is the
/// mirror's base and the file is what gets probed. `pri` runs 1...999999 (lower preferred);
/// `Digest: SHA-256=<base64>` headers (RFC 3230) give the file's hashes.
enum DuplicateLinksParser {
    static func read(_ links: [LinkValue], digests: [String], pageURL: String?, fileName: String?) -> ParsedMirrors {
        var builder = MirrorListBuilder(format: .rfc6249, baseURL: pageURL)
        for link in links {
            builder.countEntry()
            let entry = "Link: <\(TerminalText.sanitize(link.target, maxCharacters: 60))>"
            // A duplicate naming the page itself is no other mirror (and would loop).
            if let pageURL, MirrorURLs.resolve(link.target, against: pageURL) == pageURL { continue }
            var mirror = Mirror(id: "", url: link.target)
            if let pri = link.parameters["pri"] {
                if let n = Int(pri), (1...999_999).contains(n) { mirror.priority = n } else {
                    builder.warn("\(entry): pri=\(TerminalText.sanitize(pri, maxCharacters: 12)) is outside 1...999999, ignored")
                }
            }
            MetalinkParser.setLocation(link.parameters["geo"], on: &mirror)
            mirror.preferred = link.parameters["pref"] != nil
            builder.add(mirror, entry: entry, fileURL: true)
        }
        var files: [FileFacts] = []
        let hashes = digestHashes(digests, builder: &builder)
        if let fileName, FileNames.problem(fileName) == nil, !hashes.isEmpty {
            files.append(FileFacts(name: fileName, hashes: hashes))
        }
        return builder.finish(files: files, probePath: fileName.flatMap(FileNames.mirrorRelativePath))
    }

    /// `Digest: SHA-256=<base64>, MD5=<base64>` values as hex digests by type.
    static func digestHashes(_ values: [String], builder: inout MirrorListBuilder) -> [String: String] {
        var out: [String: String] = [:]
        for item in values.flatMap({ $0.split(separator: ",") }) {
            guard let eq = item.firstIndex(of: "=") else { continue }
            let raw = item[..<eq].trimmed()
            guard let type = HashValues.typeName(raw) else { continue } // other digests (UNIXsum, ...) say nothing we check
            let value = String(item[item.index(after: eq)...]).trimmed()
            guard let hex = HashValues.hex(base64: value), case .success(let checked) = HashValues.hex(hex, type: type) else {
                builder.warn("Digest: \(TerminalText.sanitize(raw, maxCharacters: 20)) is not a base64 \(type) digest; ignored")
                continue
            }
            out[type] = checked
        }
        return out
    }
}
