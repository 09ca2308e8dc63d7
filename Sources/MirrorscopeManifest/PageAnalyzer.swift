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
/// Detection order: `--input-format`; the media type (probe script, Metalink, CSV); an HTML page
/// (embedded probe script, linked probe script, linked Metalink, MirrorBrain's list, RFC 6249
/// duplicates); `Link` headers (probe script, Metalink, duplicates); a file name that only one
/// format uses; the content (XML, JSON by its keys, line formats by their lines).
public enum PageAnalyzer {
    public static func analyze(_ doc: PageDocument, format override: PageFormat? = nil) throws(ManifestError) -> PageAnalysis {
        guard doc.body.count <= ManifestLimits.maxDocumentBytes else {
            throw ManifestError("\(doc.source): larger than \(ManifestLimits.maxDocumentBytes / 1024 / 1024) MiB; not a page this program reads")
        }
        let links = LinkHeader.parse(doc.linkHeaders)
        if let override { return try read(doc, as: override, detectedBy: .override, links: links) }
        let media = doc.mediaType
        if let format = FormatDetector.byMediaType(media) {
            return try read(doc, as: format, detectedBy: .mediaType, links: links)
        }
        let firstByte = doc.body.first(where: { !FormatDetector.isSpaceOrBOM($0) })
        let isHTML = media == "text/html" || media == "application/xhtml+xml" ||
            ((media == nil || media == "text/plain" || media == "application/octet-stream") && firstByte == UInt8(ascii: "<")
                && !FormatDetector.isXMLMirrorList(doc.body))
        if isHTML { return try htmlPage(doc, links: links) }
        if let follow = try linkedDocument(links, doc, partial: basePage(doc)) { return follow }
        let duplicates = links.filter { $0.relations.contains("duplicate") }
        if !duplicates.isEmpty { return .page(duplicatePage(duplicates, doc, partial: basePage(doc))) }
        if let format = FormatDetector.byFileName(doc.fileName) {
            return try read(doc, as: format, detectedBy: .fileName, links: links)
        }
        let format = media == "application/json" ? .probeScript : FormatDetector.byContent(doc.body)
        return try read(doc, as: format, detectedBy: .content, links: links)
    }

    /// Completes a page whose probe script or Metalink was linked, once it has been fetched.
    public static func complete(_ partial: Page, script: PageDocument) throws(ManifestError) -> Page {
        let media = script.mediaType
        if media == MetalinkParser.mediaType4 || media == MetalinkParser.mediaType3 || FormatDetector.isXMLMirrorList(script.body) {
            return try parsedPage(script, partial: partial, format: .metalink4, detectedBy: .link)
        }
        return try scriptPage(script, partial: partial)
    }

    /// Reads `doc` as `format`.
    static func read(_ doc: PageDocument, as format: PageFormat, detectedBy: DetectedBy, links: [LinkValue]) throws(ManifestError) -> PageAnalysis {
        switch format {
        case .probeScript where detectedBy == .content:
            return .page(try jsonPage(doc, partial: basePage(doc)))
        case .probeScript:
            return .page(try scriptPage(doc, partial: basePage(doc)))
        case .html, .links, .mirrorBrain:
            return try htmlPage(doc, links: links, only: format == .html ? nil : format)
        case .rfc6249:
            let duplicates = links.filter { $0.relations.contains("duplicate") }
            guard !duplicates.isEmpty else {
                throw ManifestError("\(doc.source): no Link: <...>; rel=duplicate headers (RFC 6249) in the response")
            }
            return .page(duplicatePage(duplicates, doc, partial: basePage(doc)))
        default:
            return .page(try parsedPage(doc, partial: basePage(doc), format: format, detectedBy: detectedBy))
        }
    }

    /// JSON whose format was not named: a probe script, or the Arch mirror status (their keys
    /// tell them apart).
    static func jsonPage(_ doc: PageDocument, partial: Page) throws(ManifestError) -> Page {
        if let status = ArchStatusParser.decodeIfStatus(doc.body) {
            return try parsedPage(doc, partial: partial, format: .archStatus, detectedBy: .content, status: status)
        }
        return try scriptPage(doc, partial: partial)
    }

    /// Runs one format's parser and turns its result into the page.
    static func parsedPage(_ doc: PageDocument, partial: Page, format: PageFormat, detectedBy: DetectedBy,
                           status: ArchStatusParser.Document? = nil) throws(ManifestError) -> Page {
        var warnings: [String] = []
        let parsed: ParsedMirrors
        do {
            parsed = try parse(doc, format: format, status: status, warnings: &warnings)
        } catch {
            throw ManifestError("\(doc.source): \(error.message)" + hint(format, detectedBy))
        }
        guard !parsed.mirrors.isEmpty else {
            let entries = "\(parsed.entries) entr\(parsed.entries == 1 ? "y" : "ies") read"
            let why = parsed.warnings.first.map { "; \($0)" } ?? ""
            throw ManifestError("\(doc.source): no usable mirror in this \(parsed.format.title) (\(entries)\(why))" + hint(format, detectedBy))
        }
        var partial = partial
        partial.warnings += warnings  // the reader's own, before the parser's
        return page(partial, with: parsed)
    }

    static func parse(_ doc: PageDocument, format: PageFormat, status: ArchStatusParser.Document?,
                      warnings: inout [String]) throws(ManifestError) -> ParsedMirrors {
        switch format {
        // Mirror lists name mirrors by absolute URL: nothing is resolved against the list's own.
        case .metalink4, .metalink3: return try MetalinkParser.parse(doc.body)
        case .archStatus:
            if let status { return ArchStatusParser.read(status) }
            return try ArchStatusParser.parse(doc.body)
        case .cpan: return CPANParser.parse(doc.body)
        default: break
        }
        let text = try decodeText(doc, warnings: &warnings)
        switch format {
        case .apt: return AptMirrorListParser.parse(text)
        case .pacman: return PacmanMirrorlistParser.parse(text)
        case .debian: return DebianMasterlistParser.parse(text)
        case .cran: return try CRANParser.parse(text)
        default: return try PlainListParser.parse(text)
        }
    }

    /// Text formats are UTF-8; a document that is not is read as ISO-8859-1 (with a warning),
    /// and one holding NUL bytes is not text at all.
    static func decodeText(_ doc: PageDocument, warnings: inout [String]) throws(ManifestError) -> String {
        guard !doc.body.withUnsafeBytes({ $0.contains(0) }) else {
            throw ManifestError("not a page, a probe script or a list of mirror URLs (binary content)")
        }
        if let text = String(data: doc.body, encoding: .utf8) { return text }
        warnings.append("not valid UTF-8; read as ISO-8859-1")
        return latin1Text(doc.body)
    }

    /// ISO-8859-1 maps each byte to the code point of the same value.
    static func latin1Text(_ data: Data) -> String {
        String(String.UnicodeScalarView(data.map { Unicode.Scalar($0) }))
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
            return .page(try scriptPage(PageDocument(source: doc.source, url: doc.url, body: Data(script.content.utf8)), partial: page))
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
        page.format = PageFormat.probeScript.rawValue
        if page.title == nil { page.title = result.title }
        // A script that says what the mirrors hold is believed over the page's anchors (a director's
        // page links its own /-/ documents, which no mirror has).
        if !result.links.isEmpty { page.links = result.links }
        page.warnings += result.warnings
        return page
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
