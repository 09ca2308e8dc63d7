import MirrorscopeCore
import Foundation

/// The origin's documents: the download page with its probe script, the other ways of pointing at
/// the script, the RFC 6249 duplicates (alone and on a redirect), a plain mirror list, the scripted truth (`/farm.json`) and the CA (`/ca.pem`).
struct FarmPage {
    var config: FarmConfig
    var mirrors: [RunningFarmMirror]
    /// The farm CA's certificate: clients in other processes fetch it to trust the https mirrors.
    var caPEM: String
    /// The master's time: the origin's own timestamp objects say it.
    var syncReference: Int64
    var largeFile: FarmLargeFile? = nil

    static let title = "Mirrorscope demo 1.0 downloads"

    var routes: [String: FarmResource] {
        var routes = FarmSite.fileRoutes(prefix: "/", serverName: "origin", serverID: "origin", location: "-", largeFile: largeFile)
        routes.merge(FarmSite.freshnessRoutes(prefix: "/", syncedAt: syncReference)) { a, _ in a }
        let html = "text/html; charset=utf-8"
        let script = probeScript  // encoded once for both routes
        routes["/"] = .text(page(head: "<script type=\"\(ProbeScript.mediaType)\">\n\(script.scriptSafeJSON)\n</script>"),
                            type: html)
        routes["/probe.json"] = .text(script + "\n", type: ProbeScript.mediaType)
        routes["/linked.html"] = .text(page(head: #"<link rel="mirror-probe" href="probe.json">"#), type: html)
        routes["/header-linked.html"] = .text(page(head: ""), type: html,
                                              headers: [("Link", #"</probe.json>; rel="mirror-probe""#)])
        routes["/duplicates"] = .text("The mirrors of this file are in this response's Link headers (RFC 6249).\n",
                                      headers: duplicateLinks())
        routes["/moved"] = .redirect(to: "/")
        routes["/redirect-loop"] = .redirect(to: "redirect-loop")  // for clients' tests: a circle
        // As MirrorBrain and mirrorbits answer a download: a redirect to one mirror whose Link
        // headers name all of them.
        if let first = mirrors.first {
            let file = "files/" + FarmFiles.readmeName
            routes["/download/" + file] = .redirect(to: first.url + file, status: .found, headers: duplicateLinks(file: file))
        }
        routes["/mirrors.txt"] = .text(mirrors.map { $0.url + "\n" }.joined())
        routes["/farm.json"] = .text(farmJSON + "\n", type: "application/json")
        routes["/ca.pem"] = .text(caPEM, type: "application/x-pem-file")
        return routes
    }

    /// The probe script (docs/probe-script.md).
    var probeScript: String {
        let script = ProbeScript(
            mirrors: mirrors.map { .init(url: $0.url, id: $0.spec.id, name: $0.spec.name, location: $0.spec.location) },
            probe: .init(path: FarmFiles.probeName, method: "GET", samples: config.probeSamples,
                         timeoutMs: config.probeTimeoutMs, concurrency: config.probeConcurrency,
                         throughput: config.probeThroughput, freshness: config.probeFreshness),
            clientInfo: config.clientInfo)
        return Self.encode(script)
    }

    /// One `Link: <URL>; rel=duplicate; pri=N; geo=cc` per mirror, in config order; URL is `file`
    /// on that mirror.
    func duplicateLinks(file: String = "") -> [(name: String, value: String)] {
        mirrors.enumerated().map { n, mirror in
            (DuplicateLink.headerName, DuplicateLink(url: mirror.url + file, priority: n + 1, location: mirror.spec.location).headerValue)
        }
    }

    /// What each mirror was told to do, for benchmarks and tests to compare measurements with.
    var farmJSON: String {
        struct Truth: Encodable {
            struct Entry: Encodable {
                var mirror: RunningFarmMirror
                var syncReference: Int64
                enum Key: String, CodingKey {
                    case id, name, url, location, delay_ms, jitter_ms, fault, download_fault, tls, bytes_per_second, synced_at, behind_s
                }
                func encode(to encoder: any Encoder) throws {
                    var out = encoder.container(keyedBy: Key.self)
                    try out.encode(mirror.spec.id, forKey: .id)
                    try out.encode(mirror.spec.name, forKey: .name)
                    try out.encode(mirror.url, forKey: .url)
                    try out.encode(mirror.spec.location, forKey: .location)
                    try out.encode(mirror.spec.delayMs, forKey: .delay_ms)
                    try out.encode(mirror.spec.jitterMs, forKey: .jitter_ms)
                    try out.encode(mirror.spec.fault, forKey: .fault)  // null when healthy
                    try out.encode(mirror.spec.downloadFault, forKey: .download_fault)  // null when healthy
                    try out.encode(mirror.spec.tls, forKey: .tls)
                    try out.encode(mirror.spec.bytesPerSecond, forKey: .bytes_per_second)  // null when unpaced
                    let behind = mirror.spec.behindSeconds ?? 0
                    try out.encode(syncReference - behind, forKey: .synced_at)
                    try out.encode(behind, forKey: .behind_s)
                }
            }
            var sync_reference: Int64
            var mirrors: [Entry]
        }
        return Self.encode(Truth(sync_reference: syncReference, mirrors: mirrors.map { .init(mirror: $0, syncReference: syncReference) }))
    }

    private func page(head: String) -> String {
        let rows = mirrors.map { mirror in
            "<li><a href=\"\(mirror.url.htmlEscaped)\">\(mirror.spec.name.htmlEscaped)</a> (\(mirror.spec.location.htmlEscaped))</li>"
        }
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>\(Self.title.htmlEscaped)</title>
        \(head)
        </head>
        <body>
        <h1>Mirrorscope demo 1.0</h1>
        <p>Download from the mirror nearest to you.</p>
        <ul>
        <li><a href="files/\(FarmFiles.tarballName)">\(FarmFiles.tarballName)</a> (2 MiB)</li>
        \(largeFile.map { "<li><a href=\"files/\(FarmLargeFile.name)\">\(FarmLargeFile.name)</a> (\($0.size) bytes, <a href=\"files/\(FarmLargeFile.name).meta4\">Metalink</a>)</li>" } ?? "")
        <li><a href="files/\(FarmFiles.sumsName)">\(FarmFiles.sumsName)</a></li>
        <li><a href="files/\(FarmFiles.readmeName)">\(FarmFiles.readmeName)</a></li>
        <li><a href="files/">All files</a></li>
        </ul>
        <h2>Mirrors</h2>
        <ul id="mirrors">
        \(rows.joined(separator: "\n"))
        </ul>
        </body>
        </html>

        """
    }

    private static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]  // the same bytes every run
        // Plain strings, integers and finite numbers (`Farm.start` checks the delays) cannot fail.
        return String(decoding: try! encoder.encode(value), as: UTF8.self)
    }
}
