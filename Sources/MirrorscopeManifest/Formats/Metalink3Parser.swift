import MirrorscopeCore

/// Metalink 3 as Fedora's MirrorManager serves it: `<files><file name>` with `<size>`,
/// `<verification><hash type>`, `<mm0:timestamp>`, and `<resources><url preference location>`.
/// Preference runs 0...100 with higher preferred; it becomes priority `101 - preference` (as aria2
/// maps it), so that lower is preferred as everywhere else. `<url>` outside `<resources>` and
/// `type="bittorrent"` URLs name no mirror.
enum Metalink3Parser {
    static let mirrorManagerNamespace = "http://fedorahosted.org/mirrormanager"

    static func read(_ root: XMLNode) -> ParsedMirrors {
        var builder = MirrorListBuilder(format: .metalink3)
        var files: [FileFacts] = []
        var urls: [String] = []
        let fileElements = root.child("files")?.children("file") ?? []
        for (index, file) in fileElements.enumerated() {
            guard let name = MetalinkParser.fileName(file, index: index + 1, builder: &builder) else { continue }
            var facts = FileFacts(name: name)
            facts.size = MetalinkParser.size(file.child("size"), file: name, builder: &builder)
            facts.hashes = MetalinkParser.hashes(file.child("verification")?.children("hash") ?? [], file: name, builder: &builder)
            if let stamp = file.children.first(where: { $0.name == "timestamp" && $0.namespace == mirrorManagerNamespace }) {
                if let seconds = Int64(stamp.text) {
                    facts.timestamp = seconds
                } else {
                    builder.warn("file \"\(TerminalText.sanitize(name, maxCharacters: 40))\", timestamp \"\(TerminalText.sanitize(stamp.text, maxCharacters: 20))\" (line \(stamp.line)): not a Unix time; ignored")
                }
            }
            files.append(facts)
            for (n, url) in (file.child("resources")?.children("url") ?? []).enumerated() {
                builder.countEntry()
                if (url.attributes["type"] ?? "").lowercased() == "bittorrent" { continue }
                let entry = "file \"\(TerminalText.sanitize(name, maxCharacters: 40))\", url \(n + 1) (line \(url.line))"
                var mirror = Mirror(id: "", url: url.text)
                MetalinkParser.setLocation(url.attributes["location"], on: &mirror)
                if let raw = url.attributes["preference"] {
                    if let preference = Int(raw.trimmed()), (0...100).contains(preference) {
                        mirror.priority = 101 - preference
                    } else {
                        builder.warn("\(entry): preference \"\(TerminalText.sanitize(raw, maxCharacters: 12))\" is not a number in 0...100; ignored")
                    }
                }
                if builder.add(mirror, entry: entry, fileURL: true, sameMirrorExpected: files.count > 1) { urls.append(url.text.trimmed()) }
            }
        }
        return builder.finish(files: files, probePath: MetalinkParser.commonFileSegment(urls))
    }
}

extension Metalink3Parser: MirrorListFormat {
    static let format = PageFormat.metalink3
    static let mediaTypes = [MetalinkParser.mediaType3]

    static func claims(fileName: String) -> Bool { fileName.hasSuffix(".metalink") }

    /// Both versions: `MetalinkParser` tells them apart by the root element's namespace.
    static func read(_ doc: PageDocument) throws(ManifestError) -> ParsedMirrors { try MetalinkParser.parse(doc.body) }

    /// Metalink 4's sniff claims every XML mirror list (whichever version it is).
    static func sniff(_ head: DocumentHead) -> Sniff? { nil }
}

extension PageFormat {
    public static let metalink3 = PageFormat("metalink3", title: "Metalink 3", aliases: ["metalink-3", "mirrormanager"])
}
