import MirrorscopeCore

/// MirrorBrain's mirror list page (`FILE.mirrorlist`): inside `<div id="mirrorbrain-mirrors">`,
/// one `<li><a href="URL">URL</a> (de, prio 100)</li>` per mirror, best first (same network, then
/// country, continent, world). The position is the priority; `prio` (MirrorBrain's weight) is
/// kept as a tag.
enum MirrorBrainPage {
    static let listID = "mirrorbrain-mirrors"

    static func read(_ html: HTMLDocument, baseURL: String?) -> ParsedMirrors? {
        let anchors = html.anchors.filter { $0.enclosingIDs.contains(listID) }
        guard !anchors.isEmpty else { return nil }
        var builder = MirrorListBuilder(format: .mirrorBrain, baseURL: baseURL)
        var urls: [String] = []
        for (n, anchor) in anchors.enumerated() {
            builder.countEntry()
            var mirror = Mirror(id: "", url: anchor.href)
            mirror.priority = n + 1
            let (country, prio) = details(anchor.trailingText)
            if let country {
                mirror.country = country
                mirror.location = country
            }
            if let prio { mirror.tags = ["prio": [prio]] }
            if builder.add(mirror, entry: "mirror \(n + 1)", fileURL: true) { urls.append(mirror.url) }
        }
        return builder.finish(probePath: MetalinkParser.commonFileSegment(urls))
    }

    /// "(de, prio 100)" -> ("de", "100").
    static func details(_ text: String) -> (country: String?, prio: String?) {
        guard let open = text.firstIndex(of: "("), let close = text[open...].firstIndex(of: ")") else { return (nil, nil) }
        var country: String?, prio: String?
        for part in text[text.index(after: open)..<close].split(separator: ",") {
            let word = part.trimmed()
            if CountryNames.isCode(word) {
                country = CountryNames.normalised(word)
            } else if word.lowercased().hasPrefix("prio "), let n = Int(word.dropFirst(5).trimmed()) {
                prio = String(n)
            }
        }
        return (country, prio)
    }
}

/// Every absolute http(s) link of a page as a mirror (its folder): only when the user asks with
/// `--input-format links`, since a download page links to many things that are not mirrors.
enum LinksPage {
    static func read(_ html: HTMLDocument, baseURL: String?) -> ParsedMirrors {
        var builder = MirrorListBuilder(format: .links, baseURL: baseURL)
        for (n, anchor) in html.anchors.enumerated() {
            let href = anchor.href.trimmed()
            let lower = href.lowercased()
            guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else { continue }
            builder.countEntry()
            var mirror = Mirror(id: "", url: href)
            let text = TerminalText.sanitize(anchor.text, maxCharacters: 80)
            if !text.isEmpty, !text.contains("://") { mirror.name = text }
            builder.add(mirror, entry: "link \(n + 1)", fileURL: true, sameMirrorExpected: true)
        }
        return builder.finish()
    }
}
