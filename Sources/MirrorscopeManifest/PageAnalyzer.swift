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
    /// Every `Digest` header value of the response (RFC 3230).
    public var digestHeaders: [String]
    /// The document's file name (the last segment of its path or URL), a hint to its format.
    public var fileName: String?

    public init(source: String, url: String?, contentType: String? = nil, linkHeaders: [String] = [], body: Data,
                digestHeaders: [String] = [], fileName: String? = nil) {
        self.source = source
        self.url = url
        self.contentType = contentType
        self.linkHeaders = linkHeaders
        self.body = body
        self.digestHeaders = digestHeaders
        self.fileName = fileName ?? url.flatMap(Self.lastSegment)
    }

    /// The media type without parameters, lower-cased ("text/html").
    public var mediaType: String? {
        contentType.map { String($0.split(separator: ";").first ?? "").trimmed().lowercased() }
    }

    /// "https://host/a/list.txt?x" -> "list.txt"; nil for a folder.
    static func lastSegment(of url: String) -> String? {
        guard let path = URLParts(url)?.path ?? (url.hasPrefix("file:") ? String(url.dropFirst(5)) : nil),
              let last = path.split(separator: "/", omittingEmptySubsequences: false).last, !last.isEmpty else { return nil }
        return String(last)
    }
}

public enum PageAnalysis: Sendable {
    case page(Page)
    /// The page links its probe script or a Metalink: fetch `scriptURL`, then
    /// `PageAnalyzer.complete(partial, script:)`.
    case follow(scriptURL: String, partial: Page)
}

/// How the format of a document was told (the words finish "told by ...").
enum DetectedBy: String {
    case override = "--input-format"
    case mediaType = "its media type"
    case link = "its link"
    case fileName = "its file name"
    case content = "its content"
}

/// The "script analyzer": decides what a page is and turns it into mirrors, probe settings and links.
/// Detection order: `--input-format`; a media type that names one format; an HTML page (embedded
/// probe script, linked probe script, linked Metalink, MirrorBrain's list, RFC 6249 duplicates);
/// `Link` headers (probe script, Metalink, duplicates); a file name that only one format uses; the
/// content, as the formats of `FormatRegistry` sniff it. HTML pages and `Link` headers are read
/// here; every other document by its format's own type in `Formats/`.
public enum PageAnalyzer {
    /// The formats read here rather than by a `DocumentFormat` of the registry.
    static let ownFormats: [PageFormat] = [.html, .links, .mirrorBrain, .rfc6249]

    public static func analyze(_ doc: PageDocument, format override: PageFormat? = nil) throws(ManifestError) -> PageAnalysis {
        guard doc.body.count <= ManifestLimits.maxDocumentBytes else {
            throw ManifestError("\(doc.source): larger than \(ManifestLimits.maxDocumentBytes / 1024 / 1024) MiB; not a page this program reads")
        }
        let links = LinkHeader.parse(doc.linkHeaders)
        if let override { return try read(doc, as: override, links: links) }
        let media = doc.mediaType
        if let format = FormatRegistry.byMediaType(media) {
            return .page(try page(doc, as: format, detectedBy: .mediaType))
        }
        let head = DocumentHead(doc.body)
        let isHTML = media == "text/html" || media == "application/xhtml+xml" ||
            ((media == nil || media == "text/plain" || media == "application/octet-stream") && head.firstByte == UInt8(ascii: "<")
                && !head.isXMLMirrorList)
        if isHTML { return try htmlPage(doc, links: links) }
        if let follow = try linkedDocument(links, doc, partial: basePage(doc)) { return follow }
        let duplicates = links.filter { $0.relations.contains("duplicate") }
        if !duplicates.isEmpty { return .page(duplicatePage(duplicates, doc, partial: basePage(doc))) }
        if let format = FormatRegistry.byFileName(doc.fileName) {
            return .page(try page(doc, as: format, detectedBy: .fileName))
        }
        return .page(try sniffedPage(doc, head))
    }

    /// Completes a page whose probe script or Metalink was linked, once it has been fetched.
    public static func complete(_ partial: Page, script: PageDocument) throws(ManifestError) -> Page {
        let media = script.mediaType
        let isMetalink = media == MetalinkParser.mediaType4 || media == MetalinkParser.mediaType3 || DocumentHead.isXMLMirrorList(script.body)
        return try page(script, as: isMetalink ? Metalink4Parser.self : ProbeScriptParser.self, detectedBy: .link, partial: partial)
    }

    /// Reads `doc` as the format the user named.
    static func read(_ doc: PageDocument, as format: PageFormat, links: [LinkValue]) throws(ManifestError) -> PageAnalysis {
        switch format {
        case .html, .links, .mirrorBrain:
            return try htmlPage(doc, links: links, only: format == .html ? nil : format)
        case .rfc6249:
            let duplicates = links.filter { $0.relations.contains("duplicate") }
            guard !duplicates.isEmpty else {
                throw ManifestError("\(doc.source): no Link: <...>; rel=duplicate headers (RFC 6249) in the response")
            }
            return .page(duplicatePage(duplicates, doc, partial: basePage(doc)))
        default:
            guard let type = FormatRegistry.format(format) else {
                throw ManifestError("\(doc.source): \(format.rawValue) is not a format this program reads")
            }
            return .page(try page(doc, as: type, detectedBy: .override))
        }
    }

    /// The content decides: the surest sniff first. A format that was only likely and finds no
    /// mirror hands the document to the last resort (its URLs); when that finds none either, the
    /// likely format's reason is the one the user reads.
    static func sniffedPage(_ doc: PageDocument, _ head: DocumentHead) throws(ManifestError) -> Page {
        let candidates = FormatRegistry.candidates(head)
        guard let first = candidates.first else { throw ManifestError("\(doc.source): not a document this program reads") }
        do {
            return try page(doc, as: first.format, detectedBy: .content)
        } catch {
            guard first.sniff != .certain, let lastResort = candidates.dropFirst().first(where: { $0.sniff == .lastResort }),
                  let page = try? page(doc, as: lastResort.format, detectedBy: .content) else { throw error }
            return page
        }
    }

    /// Runs one format's reader and says, on failure, which document and how its format was told.
    static func page(_ doc: PageDocument, as format: any DocumentFormat.Type, detectedBy: DetectedBy,
                     partial: Page? = nil) throws(ManifestError) -> Page {
        do {
            return try format.page(doc, completing: partial ?? basePage(doc))
        } catch {
            throw ManifestError("\(doc.source): \(error.message)" + hint(format.format, detectedBy))
        }
    }

    /// When the format was guessed, say how, and how to say otherwise.
    static func hint(_ format: PageFormat, _ detectedBy: DetectedBy) -> String {
        guard detectedBy == .content || detectedBy == .fileName else { return "" }
        let title = format == .metalink4 || format == .metalink3 ? "Metalink" : format.title
        return " (read as a \(title), told by \(detectedBy.rawValue); --input-format NAME reads it as another format)"
    }

    static func basePage(_ doc: PageDocument) -> Page {
        Page(source: doc.source, url: doc.url, mirrors: [])
    }

    /// An HTML page: the first of an embedded probe script, a linked one (element or header), a
    /// linked Metalink, MirrorBrain's mirror list and RFC 6249 duplicates. `only` reads the page
    /// as MirrorBrain's list or as bare links, as the user asked.
    static func htmlPage(_ doc: PageDocument, links: [LinkValue], only: PageFormat? = nil) throws(ManifestError) -> PageAnalysis {
        let html = HTMLScanner.scan(String(decoding: doc.body, as: UTF8.self))
        var page = basePage(doc)
        page.title = html.title.map { TerminalText.sanitize($0, maxCharacters: 120) }
        page.links = pageLinks(html, pageURL: doc.url)
        if only == .links {
            return .page(try listPage(LinksPage.read(html, baseURL: doc.url), page,
                                      orElse: "no absolute http(s) links on \(doc.source)"))
        }
        if only == .mirrorBrain {
            guard let parsed = MirrorBrainPage.read(html, baseURL: doc.url) else {
                throw ManifestError("\(doc.source): no <div id=\"\(MirrorBrainPage.listID)\"> with mirror links (MirrorBrain's mirror list)")
            }
            return .page(try listPage(parsed, page, orElse: "no usable mirror in MirrorBrain's list on \(doc.source)"))
        }
        if let script = html.scripts.first(where: { $0.type == ProbeScript.mediaType }) {
            let embedded = PageDocument(source: doc.source, url: doc.url, body: Data(script.content.utf8))
            return .page(try self.page(embedded, as: ProbeScriptParser.self, detectedBy: .link, partial: page))
        }
        if let link = html.links.first(where: { $0.rel.contains("mirror-probe") }) {
            return .follow(scriptURL: try followURL(link.href, doc, what: "probe script"), partial: page)
        }
        if let link = html.links.first(where: isMetalinkLink) {
            return .follow(scriptURL: try followURL(link.href, doc, what: "Metalink"), partial: page)
        }
        if let follow = try linkedDocument(links, doc, partial: page) { return follow }
        if let parsed = MirrorBrainPage.read(html, baseURL: doc.url) {
            return .page(try listPage(parsed, page, orElse: "no usable mirror in MirrorBrain's list on \(doc.source)"))
        }
        let duplicates = links.filter { $0.relations.contains("duplicate") }
        if !duplicates.isEmpty { return .page(duplicatePage(duplicates, doc, partial: page)) }
        throw ManifestError("""
            no mirrors found on \(doc.source): the page has no embedded probe script \
            (<script type="\(ProbeScript.mediaType)">), no <link rel="mirror-probe">, no linked Metalink, \
            no MirrorBrain mirror list and no Link: rel=duplicate headers \
            (--input-format links takes every absolute link on it as a mirror)
            """)
    }

    /// `<link rel="metalink" href>` or `<link rel="describedby" type="application/metalink4+xml">`.
    static func isMetalinkLink(_ link: HTMLDocument.LinkElement) -> Bool {
        let type = (link.type ?? "").lowercased()
        return link.rel.contains("metalink") || (link.rel.contains("describedby") && type.contains("metalink"))
    }

    /// A `Link` header to a probe script (`rel="mirror-probe"`) or to a Metalink
    /// (`rel=describedby; type="application/metalink4+xml"`): the document to fetch next.
    static func linkedDocument(_ links: [LinkValue], _ doc: PageDocument, partial: Page) throws(ManifestError) -> PageAnalysis? {
        if let link = links.first(where: isProbeScriptHeader) {
            return .follow(scriptURL: try followURL(link.target, doc, what: "probe script"), partial: partial)
        }
        if let link = links.first(where: isMetalinkHeader) {
            return .follow(scriptURL: try followURL(link.target, doc, what: "Metalink"), partial: partial)
        }
        return nil
    }

    static func isProbeScriptHeader(_ link: LinkValue) -> Bool { link.relations.contains("mirror-probe") }

    static func isMetalinkHeader(_ link: LinkValue) -> Bool {
        link.relations.contains("describedby") && (link.parameters["type"] ?? "").lowercased().contains("metalink")
    }

    /// Whether a response's `Link` headers alone make a page (RFC 6249 duplicates, a linked probe
    /// script or Metalink), so that its body (a redirect's note, a large file) is not needed.
    public static func linkHeadersMakeAPage(_ linkHeaders: [String]) -> Bool {
        LinkHeader.parse(linkHeaders).contains { $0.relations.contains("duplicate") || isProbeScriptHeader($0) || isMetalinkHeader($0) }
    }

    static func listPage(_ parsed: ParsedMirrors, _ partial: Page, orElse message: String) throws(ManifestError) -> Page {
        guard !parsed.mirrors.isEmpty else { throw ManifestError(message) }
        return page(partial, with: parsed)
    }

    /// The partial page completed with what a mirror-list parser found.
    static func page(_ partial: Page, with parsed: ParsedMirrors) -> Page {
        var page = partial
        page.mirrors = parsed.mirrors
        page.format = parsed.format.rawValue
        page.files = parsed.files
        if let path = parsed.probePath { page.probe.path = path }
        if page.links.isEmpty { page.links = fileLinks(parsed) }
        page.warnings += parsed.warnings
        return page
    }

    /// A list of one file's mirrors (Metalink, RFC 6249) offers that file, and any other it names,
    /// as the links to open or save through the chosen mirror.
    static func fileLinks(_ parsed: ParsedMirrors) -> [PageLink] {
        var names = parsed.files.map(\.name)
        if let path = parsed.probePath, !names.contains(path) { names.insert(path, at: 0) }
        return names.filter { FileNames.problem($0) == nil }.map { PageLink(text: TerminalText.sanitize($0, maxCharacters: 120), path: $0) }
    }

    static func followURL(_ href: String, _ doc: PageDocument, what: String) throws(ManifestError) -> String {
        guard let url = MirrorURLs.resolve(href, against: doc.url) else {
            throw ManifestError("\(doc.source): the linked \(what) \"\(TerminalText.sanitize(href, maxCharacters: 80))\" is not a usable URL")
        }
        return url
    }

    /// RFC 6249: one mirror per `Link: <URI>; rel=duplicate` header; the page is what they duplicate.
    static func duplicatePage(_ links: [LinkValue], _ doc: PageDocument, partial: Page) -> Page {
        let parsed = DuplicateLinksParser.read(links, digests: doc.digestHeaders, pageURL: doc.url,
                                               fileName: doc.fileName.flatMap { $0.contains("?") ? nil : $0 })
        return page(partial, with: parsed)
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
            out.append(PageLink(text: text.isEmpty ? TerminalText.sanitize(path, maxCharacters: 120) : text, path: path))
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

extension PageFormat {
    /// A download page: an embedded or linked probe script, a linked Metalink, MirrorBrain's list.
    public static let html = PageFormat("html", title: "HTML page")
    /// Every absolute http(s) link of an HTML page, taken as a mirror (only when asked for).
    public static let links = PageFormat("links", title: "HTML links")
    public static let mirrorBrain = PageFormat("mirrorbrain", title: "MirrorBrain mirror list")
    /// RFC 6249 `Link: <URI>; rel=duplicate` response headers.
    public static let rfc6249 = PageFormat("rfc6249", title: "RFC 6249 Link headers", aliases: ["duplicates", "link"])
}
