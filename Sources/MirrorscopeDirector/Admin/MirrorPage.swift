import MirrorscopeCore
import Foundation
import NIOHTTP1

/// The mirror list for clients that probe for themselves, in the three forms `/-/mirrors` (HTML
/// with the embedded probe script and RFC 6249 `Link: rel=duplicate` headers), `/-/mirrors.json`
/// (the probe script alone) and `/-/mirrors.meta4` (Metalink 4).
///
/// It lists the virtual server's healthy real servers (up, not draining). Which URL stands for a
/// mirror depends on the mode, because a client measures the URL it is given:
/// - redirect mode: the real server's own URL. A client that probed picks the mirror it will
///   download from directly; probing `/~ID/` there would only time the director's redirect, the
///   same for every mirror.
/// - proxy mode: the directed identifier `/~ID/` on the director. The client's traffic flows through
///   the director either way, so that is the path it measures, and using it pins the session to the
///   chosen real server.
struct MirrorPage {
    struct Entry {
        var id: String
        var name: String
        var url: String
        var location: String?
        /// 1 for the heaviest weight, then by falling weight (RFC 6249 and Metalink: lower is preferred).
        var priority: Int
        /// "3h 20m behind", "stale: 2d behind", when the virtual server watches freshness.
        var behind: String? = nil
    }

    let entries: [Entry]
    let title: String
    let probePath: String
    /// Content paths relative to every mirror's URL.
    let links: [String]
    /// The probe script's `probe.throughput` and `probe.freshness`, when the config names their objects.
    let throughput: ProbeScript.Throughput?
    let freshness: ProbeScript.Freshness?

    init(snapshot: Snapshot, virtual: Int, isTLS: Bool, directorBaseURL: String) {
        let table = snapshot.table
        let view = table.virtuals[virtual]
        let proxy = view.config.mode == .proxy
        let listedIndexes = table.reals.indices.filter { view.isMember[$0] && table.reals[$0].available }
        let listed = listedIndexes.map { table.reals[$0].config }
        let weights = Array(Set(listed.map(\.weight))).sorted(by: >)
        entries = zip(listedIndexes, listed).map { index, real in
            Entry(id: real.id, name: real.name ?? real.id, url: proxy ? "\(directorBaseURL)/~\(real.id)/" : real.baseURL(tls: isTLS),
                  location: real.location, priority: (weights.firstIndex(of: real.weight) ?? 0) + 1,
                  behind: view.config.freshness == nil ? nil : Self.behindText(view.freshness[index]))
        }
        title = snapshot.config.page.title
        probePath = snapshot.config.page.probePath
        links = snapshot.config.page.links
        let page = snapshot.config.page
        throughput = page.throughputPath.map { ProbeScript.Throughput(path: $0) }
        freshness = page.freshnessPath.map { path in
            ProbeScript.Freshness(path: path, format: page.freshnessFormat ?? FreshnessFormat.guess(forPath: path).rawValue)
        }
    }

    /// How far behind a mirror is, in words for the page.
    static func behindText(_ verdict: FreshnessVerdict?) -> String {
        guard let verdict, let seconds = verdict.behindSeconds else { return "sync time unknown" }
        let words = seconds < 60 ? "\(seconds)s" : seconds < 3600 ? "\(seconds / 60)m"
            : seconds < 86400 ? "\(seconds / 3600)h \(seconds % 3600 / 60)m" : "\(seconds / 86400)d \(seconds % 86400 / 3600)h"
        return verdict.stale ? "stale: \(words) behind, no new sessions" : "\(words) behind"
    }

    // MARK: probe script

    /// A link's words: its last path segment ("README.txt", "files/").
    static func linkText(_ path: String) -> String {
        let segments = path.split(separator: "/")
        guard let last = segments.last else { return path }
        return path.hasSuffix("/") ? last + "/" : String(last)
    }

    /// The probe script (docs/probe-script.md), `<` escaped so that it can sit inside a `<script>` element.
    func probeScript() -> String {
        let script = ProbeScript(
            title: title,
            mirrors: entries.map { .init(url: $0.url, id: $0.id, name: $0.name, location: $0.location, priority: $0.priority) },
            probe: .init(path: probePath, throughput: throughput, freshness: freshness),
            links: links.map { .init(path: $0, text: Self.linkText($0)) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(script)) ?? Data()
        return String(decoding: data, as: UTF8.self).scriptSafeJSON
    }

    func probeScriptResponse() -> ControlResponse {
        ControlResponse(status: .ok, contentType: ProbeScript.mediaType, body: probeScript() + "\n")
    }

    // MARK: HTML

    func html() -> ControlResponse {
        var headers = HTTPHeaders()
        for entry in entries {
            let link = DuplicateLink(url: entry.url, priority: entry.priority, location: entry.location)
            headers.add(name: DuplicateLink.headerName, value: link.headerValue)
        }
        let items = entries.map { entry in
            let place = entry.location.map { " (\($0.htmlEscaped))" } ?? ""
            let behind = entry.behind.map { " — \($0.htmlEscaped)" } ?? ""
            return "<li><a href=\"\(entry.url.htmlEscaped)\">\(entry.name.htmlEscaped)</a>\(place)\(behind)</li>"
        }
        let title = self.title.htmlEscaped
        // Through the director: a browser that follows one is redirected to a mirror.
        let fileList = links.isEmpty ? "" : "<h2>Files</h2>\n<ul>\n" + links.map { path in
            "<li><a href=\"/\(path.htmlEscaped)\">\(Self.linkText(path).htmlEscaped)</a></li>"
        }.joined(separator: "\n") + "\n</ul>"
        let body = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(title)</title>
            <script type="\(ProbeScript.mediaType)">
            \(probeScript())
            </script>
            </head>
            <body>
            <h1>\(title)</h1>
            <p>\(entries.count) mirror\(entries.count == 1 ? "" : "s") available. Run <code>mirrorscope URL-OF-THIS-PAGE</code> to find the fastest.</p>
            <ul>
            \(items.joined(separator: "\n"))
            </ul>
            \(fileList)
            <p><a href="/-/mirrors.json">probe script</a> · <a href="/-/mirrors.meta4">Metalink</a></p>
            </body>
            </html>

            """
        return ControlResponse(status: .ok, contentType: "text/html; charset=utf-8", body: body, headers: headers)
    }

    // MARK: Metalink

    /// Without `?path=`, the `<url>`s are the mirrors' base URLs (the same list as the probe script);
    /// with `?path=files/x.tar.gz` they are that file's URLs on each mirror, as a downloader wants.
    func metalink(query: String?) -> ControlResponse {
        var name = "mirrors"
        var relative = ""
        if let path = Self.queryValue("path", in: query) {
            guard !path.isEmpty, !path.hasSuffix("/"), RequestTarget.relativePathProblem(path) == nil,
                  let last = path.split(separator: "/").last
            else { return .text(.badRequest, "path must be a file's path relative to the mirrors, such as files/x.tar.gz") }
            name = String(last).removingPercentEncoding ?? String(last)
            relative = path
        }
        let urls = entries.map { Metalink4Writer.URLEntry(url: $0.url + relative, priority: $0.priority, location: DuplicateLink.countryCode($0.location)) }
        return ControlResponse(status: .ok, contentType: "application/metalink4+xml",
                               body: Metalink4Writer.document(fileName: name, urls: urls))
    }

    static func queryValue(_ name: String, in query: String?) -> String? {
        guard let query else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts[0] == name { return parts.count > 1 ? String(parts[1]) : "" }
        }
        return nil
    }
}

