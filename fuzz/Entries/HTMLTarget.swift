import MirrorscopeCore
import MirrorscopeManifest

extension FuzzTarget {
    /// The HTML scanner on its own (a page, a folder listing): no crash, no hang, bounded counts,
    /// and the links a folder listing yields have clean text and stay under the folder.
    public static let html = FuzzTarget(name: "html") { bytes in
        let text = String(decoding: bytes, as: UTF8.self)
        let doc = HTMLScanner.scan(text)
        var problems: [String?] = []
        if doc.anchors.count > ManifestLimits.maxLinks || doc.links.count > ManifestLimits.maxLinks {
            problems.append("\(doc.anchors.count) anchors, \(doc.links.count) links kept, over the limit")
        }
        let folder = "https://fuzz.example/pub/"
        for link in PageAnalyzer.links(inHTML: text, folderURL: folder) {
            problems.append(ScreenText.problem(link.text, "a listing link's text"))
            if link.path.split(separator: "/").contains("..") { problems.append("a listing link leaves the folder: \(link.path)") }
        }
        return problems.compactMap { $0 }
    }
}
