import Foundation
import MirrorscopeCore

/// A page as it was read: from HTTP (with its media type and Link headers), a file, or stdin.
public struct PageDocument: Sendable {
    /// What the user gave: URL, path or "-".
    public var source: String
    /// The absolute URL it was read from (http(s) after redirects, or file://); nil for stdin.
    public var url: String?
    /// The `Content-Type` from HTTP; nil for files and stdin (then the content is sniffed).
    public var contentType: String?
    /// Every `Link` header value of the response.
    public var linkHeaders: [String]
    public var body: Data

    public init(source: String, url: String?, contentType: String? = nil, linkHeaders: [String] = [], body: Data) {
        self.source = source
        self.url = url
        self.contentType = contentType
        self.linkHeaders = linkHeaders
        self.body = body
    }

    /// The media type without parameters, lower-cased ("text/html").
    public var mediaType: String? {
        contentType.map { String($0.split(separator: ";").first ?? "").trimmed().lowercased() }
    }
}

public enum PageAnalysis: Sendable {
    case page(Page)
    /// The page links its probe script: fetch `scriptURL`, then `PageAnalyzer.complete(partial, script:)`.
    case follow(scriptURL: String, partial: Page)
}

/// The "script analyzer": decides what a page is and turns it into mirrors, probe settings and links.
/// Detection order: a probe script by media type; an HTML page (embedded script, then a linked one,
/// then RFC 6249 duplicates); a `Link: rel="mirror-probe"` header; RFC 6249 `Link: rel=duplicate`
/// headers; JSON by content; finally a plain list of URLs.
public enum PageAnalyzer {
    public static func analyze(_ doc: PageDocument) throws(ManifestError) -> PageAnalysis {
        guard doc.body.count <= ManifestLimits.maxDocumentBytes else {
            throw ManifestError("\(doc.source): larger than \(ManifestLimits.maxDocumentBytes / 1024 / 1024) MiB; not a page this program reads")
        }
        let links = LinkHeader.parse(doc.linkHeaders)
        let probeLink = links.first { $0.relations.contains("mirror-probe") }
        let duplicates = links.filter { $0.relations.contains("duplicate") }
        let media = doc.mediaType
        let firstByte = doc.body.first(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF) })

        if media == ProbeScriptParser.mediaType {
            return .page(try scriptPage(doc, partial: basePage(doc)))
        }
        let isHTML = media == "text/html" || media == "application/xhtml+xml" ||
            ((media == nil || media == "text/plain" || media == "application/octet-stream") && firstByte == UInt8(ascii: "<"))
        if isHTML {
            let html = HTMLScanner.scan(String(decoding: doc.body, as: UTF8.self))
            var page = basePage(doc)
            page.title = html.title.map { TerminalText.sanitize($0, maxCharacters: 120) }
            page.links = pageLinks(html, pageURL: doc.url)
            if let script = html.scripts.first(where: { $0.type == ProbeScriptParser.mediaType }) {
                return .page(try scriptPage(PageDocument(source: doc.source, url: doc.url, body: Data(script.content.utf8)), partial: page))
            }
            if let link = html.links.first(where: { $0.rel.contains("mirror-probe") }) {
                return .follow(scriptURL: try followURL(link.href, doc), partial: page)
            }
            if let probeLink { return .follow(scriptURL: try followURL(probeLink.target, doc), partial: page) }
            if !duplicates.isEmpty { return .page(duplicatePage(duplicates, doc, partial: page)) }
            throw ManifestError("""
                no mirrors found on \(doc.source): the page has no embedded probe script \
                (<script type="\(ProbeScriptParser.mediaType)">), no <link rel="mirror-probe">, \
                and no Link: rel=duplicate headers
                """)
        }
        if let probeLink { return .follow(scriptURL: try followURL(probeLink.target, doc), partial: basePage(doc)) }
        if !duplicates.isEmpty { return .page(duplicatePage(duplicates, doc, partial: basePage(doc))) }
        if firstByte == UInt8(ascii: "{") || media == "application/json" {
            return .page(try scriptPage(doc, partial: basePage(doc)))
        }
        guard let text = String(data: doc.body, encoding: .utf8), !doc.body.contains(0) else {
            throw ManifestError("\(doc.source): not a page, a probe script or a list of mirror URLs (binary content)")
        }
        do {
            let (mirrors, warnings) = try PlainListParser.parse(text)
            var page = basePage(doc)
            page.mirrors = mirrors
            page.warnings = warnings
            return .page(page)
        } catch {
            throw ManifestError("\(doc.source): \(error.message)")
        }
    }

    /// Completes a page whose probe script was linked, once the script has been fetched.
    public static func complete(_ partial: Page, script: PageDocument) throws(ManifestError) -> Page {
        try scriptPage(script, partial: partial)
    }

    static func basePage(_ doc: PageDocument) -> Page {
        Page(source: doc.source, url: doc.url, mirrors: [])
    }

    static func scriptPage(_ doc: PageDocument, partial: Page) throws(ManifestError) -> Page {
        let result: ProbeScriptParser.Result
        do {
            result = try ProbeScriptParser.parse(doc.body, baseURL: doc.url)
        } catch {
            throw ManifestError("\(doc.source): \(error.message)")
        }
        var page = partial
        page.mirrors = result.mirrors
        page.probe = result.probe
        if page.title == nil { page.title = result.title }
        page.warnings += result.warnings
        return page
    }

    static func followURL(_ href: String, _ doc: PageDocument) throws(ManifestError) -> String {
        guard let url = MirrorURLs.resolve(HTMLScanner.decodeEntities(href), against: doc.url) else {
            throw ManifestError("\(doc.source): the linked probe script \"\(TerminalText.sanitize(href, maxCharacters: 80))\" is not a usable URL")
        }
        return url
    }

    /// RFC 6249: one mirror per `Link: <URI>; rel=duplicate; pri=N; geo=cc; pref` header.
    static func duplicatePage(_ links: [LinkValue], _ doc: PageDocument, partial: Page) -> Page {
        var page = partial
        var ids = MirrorIDs()
        var seen: Set<String> = []
        for link in links {
            guard page.mirrors.count < ManifestLimits.maxMirrors else { break }
            guard let resolved = MirrorURLs.resolve(link.target, against: doc.url) else {
                page.warnings.append("Link: <\(TerminalText.sanitize(link.target, maxCharacters: 60))> is not a URL, skipped")
                continue
            }
            // A duplicate names a copy of this resource; its folder is the mirror's base.
            let base = MirrorURLs.directory(of: resolved)
            guard let url = MirrorURLs.normaliseBase(base), seen.insert(url).inserted else { continue }
            var priority: Int?
            if let pri = link.parameters["pri"] {
                if let n = Int(pri), (1...999_999).contains(n) { priority = n } else {
                    page.warnings.append("Link: <\(TerminalText.sanitize(link.target, maxCharacters: 60))>: pri=\(TerminalText.sanitize(pri, maxCharacters: 12)) is outside 1...999999, ignored")
                }
            }
            let geo = link.parameters["geo"].map { TerminalText.sanitize($0, maxCharacters: 8).lowercased() }
            page.mirrors.append(Mirror(id: ids.claim(nil, url: url), url: url, location: geo, priority: priority,
                                       preferred: link.parameters["pref"] != nil, pageOrder: page.mirrors.count))
        }
        // The page itself is what the duplicates duplicate: probe that object on each mirror.
        if let pageURL = doc.url, let name = pageURL.split(separator: "/", omittingEmptySubsequences: false).last, !name.isEmpty,
           !name.contains("?") {
            page.probe.path = String(name)
        }
        return page
    }

    /// Links of the page that lie under the page's own folder: the content mirrors also hold,
    /// as paths relative to a mirror's base URL.
    static func pageLinks(_ html: HTMLDocument, pageURL: String?) -> [PageLink] {
        guard let pageURL else { return [] }
        let base = html.baseHref.flatMap { MirrorURLs.resolve($0, against: pageURL) } ?? pageURL
        let folder = MirrorURLs.directory(of: base)
        var seen: Set<String> = []
        var out: [PageLink] = []
        for anchor in html.anchors {
            guard var url = MirrorURLs.resolve(anchor.href, against: base) else { continue }
            if let cut = url.firstIndex(where: { $0 == "#" || $0 == "?" }) { url = String(url[..<cut]) }
            guard url.hasPrefix(folder), url.count > folder.count else { continue }
            let path = String(url.dropFirst(folder.count))
            guard !path.split(separator: "/").contains(".."), seen.insert(path).inserted else { continue }
            let text = TerminalText.sanitize(anchor.text, maxCharacters: 120)
            out.append(PageLink(text: text.isEmpty ? path : text, path: path))
        }
        return out
    }
}

extension PageAnalyzer {
    /// The links of an HTML folder listing (or any page) that lie under `folderURL`, as paths
    /// relative to it; parent and sort links are left out.
    public static func links(inHTML html: String, folderURL: String) -> [PageLink] {
        pageLinks(HTMLScanner.scan(html), pageURL: folderURL)
    }
}
