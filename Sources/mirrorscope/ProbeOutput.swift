import Foundation
import MirrorscopeCore

/// The ranking of one headless round as table, JSON or CSV.
struct ProbeOutput {
    let page: Page
    let ranked: [MirrorReport]

    private var mirrorsByID: [String: Mirror] { Dictionary(uniqueKeysWithValues: page.mirrors.map { ($0.id, $0) }) }

    struct Row: Encodable {
        var rank: Int?
        var id: String
        var url: String
        var name: String
        var location: String?
        var priority: Int?
        var ok: Bool
        var ms: Double?
        var error: String?
        var errorKind: String?
        var dnsMs: Double?
        var connectMs: Double?
        var tlsMs: Double?
        var ttfbMs: Double?
        var samples: [Double]
        /// The proxy's URL without its password, or nil when direct.
        var proxy: String?
        /// Through a proxy: the leg to it, and the tunnel (which `connect_ms` is then too).
        var proxyConnectMs: Double?
        var tunnelMs: Double?
        /// The address connected to (the proxy's, through one) and its family.
        var address: String?
        var family: String?

        enum CodingKeys: String, CodingKey {
            case rank, id, url, name, location, priority, ok, ms, error, proxy, address, family
            case errorKind = "error_kind", dnsMs = "dns_ms", connectMs = "connect_ms", tlsMs = "tls_ms", ttfbMs = "ttfb_ms"
            case samples = "samples_ms", proxyConnectMs = "proxy_connect_ms", tunnelMs = "tunnel_ms"
        }

        // Absent figures are written as null (not left out): scripts can rely on every key.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(rank, forKey: .rank)
            try c.encode(id, forKey: .id)
            try c.encode(url, forKey: .url)
            try c.encode(name, forKey: .name)
            try c.encode(location, forKey: .location)
            try c.encode(priority, forKey: .priority)
            try c.encode(ok, forKey: .ok)
            try c.encode(ms, forKey: .ms)
            try c.encode(error, forKey: .error)
            try c.encode(errorKind, forKey: .errorKind)
            try c.encode(dnsMs, forKey: .dnsMs)
            try c.encode(connectMs, forKey: .connectMs)
            try c.encode(tlsMs, forKey: .tlsMs)
            try c.encode(ttfbMs, forKey: .ttfbMs)
            try c.encode(samples, forKey: .samples)
            try c.encode(proxy, forKey: .proxy)
            try c.encode(proxyConnectMs, forKey: .proxyConnectMs)
            try c.encode(tunnelMs, forKey: .tunnelMs)
            try c.encode(address, forKey: .address)
            try c.encode(family, forKey: .family)
        }
    }

    var rows: [Row] {
        let byID = mirrorsByID
        var rank = 0
        return ranked.map { report in
            let mirror = byID[report.mirrorID]
            if report.ok { rank += 1 }
            func r(_ v: Double?) -> Double? { v.map { ($0 * 1000).rounded() / 1000 } }
            return Row(rank: report.ok ? rank : nil, id: report.mirrorID, url: mirror?.url ?? "",
                       name: mirror.map { TerminalText.sanitize($0.displayName, maxCharacters: 120) } ?? report.mirrorID,
                       location: mirror?.location, priority: mirror?.priority,
                       ok: report.ok, ms: r(report.ms), error: report.failure?.reason, errorKind: report.failure?.kind.rawValue,
                       dnsMs: r(report.dnsMs), connectMs: r(report.connectMs), tlsMs: r(report.tlsMs), ttfbMs: r(report.ttfbMs),
                       samples: report.samples.map { ($0.responseMs * 1000).rounded() / 1000 },
                       proxy: report.route?.proxy, proxyConnectMs: r(report.proxyConnectMs), tunnelMs: r(report.tunnelMs),
                       address: report.route?.address, family: report.route?.family)
        }
    }

    func json() throws -> String {
        struct Document: Encodable {
            var page: String
            var samples: Int
            var mirrors: [Row]
            var warnings: [String]
        }
        let encoder = JSONEncoder()
        // Sorted: Foundation's encoder on Linux otherwise emits keys in a different order each run.
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(Document(page: page.url ?? page.source, samples: page.probe.samples, mirrors: rows, warnings: page.warnings))
        return String(decoding: data, as: UTF8.self)
    }

    func table() -> String {
        let header = ["RANK", "MIRROR", "MS", "DNS", "CONNECT", "TLS", "TTFB", "STATE", "URL"]
        func f(_ v: Double?) -> String { v.map { Format.fixed($0, decimals: 1) } ?? "-" }
        var lines = [header]
        for row in rows {
            lines.append([row.rank.map(String.init) ?? "-", row.name, f(row.ms), f(row.dnsMs), f(row.connectMs), f(row.tlsMs),
                          f(row.ttfbMs), row.ok ? "ok" : "failed: " + (row.error ?? "?"), row.url])
        }
        return TextTable.render(lines, alignRight: { (2...6).contains($0) }, maxWidths: [1: 28])
    }

    func csv() -> String {
        let q = CSV.field
        func f(_ v: Double?) -> String { v.map { Format.fixed($0, decimals: 3) } ?? "" }
        // New columns go at the end: scripts that read columns by position keep working.
        var out = "rank,name,url,ok,ms,dns_ms,connect_ms,tls_ms,ttfb_ms,error,location,proxy,proxy_connect_ms,tunnel_ms,address,family\n"
        for row in rows {
            out += [row.rank.map(String.init) ?? "", q(row.name), q(row.url), row.ok ? "true" : "false", f(row.ms), f(row.dnsMs),
                    f(row.connectMs), f(row.tlsMs), f(row.ttfbMs), q(row.error ?? ""), q(row.location ?? ""),
                    q(row.proxy ?? ""), f(row.proxyConnectMs), f(row.tunnelMs), row.address ?? "", row.family ?? ""].joined(separator: ",") + "\n"
        }
        return out
    }
}
