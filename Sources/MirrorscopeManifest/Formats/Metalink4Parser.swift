import MirrorscopeCore

/// Metalink 4 (RFC 5854): `<file name>` elements with `<url priority location>`, `<size>`,
/// `<hash type>` and `<pieces>`. Priority runs 1...999999, lower preferred; a value outside
/// that range is ignored with a warning. `<metaurl>` (a torrent) names no mirror.
enum Metalink4Parser {
    static func read(_ root: XMLNode) -> ParsedMirrors {
        var builder = MirrorListBuilder(format: .metalink4)
        var files: [FileFacts] = []
        var urls: [String] = []
        for (index, file) in root.children("file").enumerated() {
            guard let name = MetalinkParser.fileName(file, index: index + 1, builder: &builder) else { continue }
            var facts = FileFacts(name: name)
            facts.size = MetalinkParser.size(file.child("size"), file: name, builder: &builder)
            facts.hashes = MetalinkParser.hashes(file.children("hash"), file: name, builder: &builder)
            facts.pieces = pieces(file.children("pieces"), file: name, builder: &builder)
            files.append(facts)
            for (n, url) in file.children("url").enumerated() {
                builder.countEntry()
                let entry = "file \"\(TerminalText.sanitize(name, maxCharacters: 40))\", url \(n + 1) (line \(url.line))"
                var mirror = Mirror(id: "", url: url.text)
                MetalinkParser.setLocation(url.attributes["location"], on: &mirror)
                if let raw = url.attributes["priority"] {
                    if let p = Int(raw.trimmed()), (1...999_999).contains(p) {
                        mirror.priority = p
                    } else {
                        builder.warn("\(entry): priority \"\(TerminalText.sanitize(raw, maxCharacters: 12))\" is outside 1...999999; ignored")
                    }
                }
                if builder.add(mirror, entry: entry, fileURL: true, sameMirrorExpected: files.count > 1) { urls.append(url.text.trimmed()) }
            }
        }
        return builder.finish(files: files, probePath: MetalinkParser.commonFileSegment(urls))
    }

    static func pieces(_ elements: [XMLNode], file: String, builder: inout MirrorListBuilder) -> [FileFacts.Pieces] {
        elements.compactMap { element in
            guard let type = HashValues.typeName(element.attributes["type"] ?? ""),
                  let length = Int64(element.attributes["length"] ?? ""), length > 0 else {
                builder.warn("file \"\(TerminalText.sanitize(file, maxCharacters: 40))\", pieces (line \(element.line)): no usable type and length; ignored")
                return nil
            }
            var hashes: [String] = []
            for hash in element.children("hash") {
                guard case .success(let hex) = HashValues.hex(hash.text, type: type) else {
                    builder.warn("file \"\(TerminalText.sanitize(file, maxCharacters: 40))\", piece hash (line \(hash.line)): not a \(type) digest; the pieces are ignored")
                    return nil
                }
                hashes.append(hex)
            }
            return FileFacts.Pieces(type: type, length: length, hashes: hashes)
        }
    }
}

extension Metalink4Parser: MirrorListFormat {
    static let format = PageFormat.metalink4
    static let mediaTypes = [MetalinkParser.mediaType4]

    static func claims(fileName: String) -> Bool { fileName.hasSuffix(".meta4") }

    /// Both versions: `MetalinkParser` tells them apart by the root element's namespace.
    static func read(_ doc: PageDocument) throws(ManifestError) -> ParsedMirrors { try MetalinkParser.parse(doc.body) }

    static func sniff(_ head: DocumentHead) -> Sniff? { head.isXMLMirrorList ? .certain : nil }
}

extension PageFormat {
    public static let metalink4 = PageFormat("metalink4", title: "Metalink 4", aliases: ["meta4", "metalink", "metalink-4"])
}
