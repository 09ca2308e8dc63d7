import Foundation
import MirrorscopeCore
import MirrorscopeManifest

/// The ranking of one headless round as table, JSON or CSV: answered mirrors fastest first,
/// then stale and failed ones, then (after `--until-decided`) the unfinished ones, with what
/// they had.
struct ProbeOutput {
    let page: Page
    let ranked: [MirrorReport]
    var policy = RankPolicy()
    /// Judges the mirrors' sync times (`behind_s`, `stale`); nil when nothing tells them.
    var judge: FreshnessJudge? = nil
    /// Mirrors still in flight when the round stopped at the decision: their samples so far.
    var unfinished: [MirrorRow] = []
    /// When the fastest was named and how long the round ran (phases included), in ms since it
    /// started; nil when nothing was decided.
    var decidedMs: Double? = nil
    var wallMs: Double = 0

    init(page: Page, ranked: [MirrorReport], policy: RankPolicy = RankPolicy(), judge: FreshnessJudge? = nil) {
        self.page = page
        self.ranked = ranked
        self.policy = policy
        self.judge = judge
    }

    /// The outcome of a headless round (`HeadlessRound`): its reports by the session's ranking.
    init(state: AppState, stoppedAtDecision: Bool) {
        let judge = state.freshnessJudge
        let order = Dictionary(state.rows.map { ($0.mirror.id, $0.mirror.pageOrder) }, uniquingKeysWith: { a, _ in a })
        let stale = Set(state.rows.filter { judge.verdict($0.mirror, measured: $0.report?.freshness).stale }.map(\.mirror.id))
        let ranked = Ranking.rank(state.rows.compactMap(\.report), pageOrder: order, policy: state.ranking,
                                  isStale: { stale.contains($0) })
        self.init(page: state.page, ranked: ranked, policy: state.ranking, judge: judge)
        unfinished = state.rows.filter { !$0.isFinished }
        decidedMs = state.decision?.atMs
        wallMs = state.roundWallMs ?? (stoppedAtDecision ? state.decision?.atMs : nil) ?? state.roundClockMs
    }

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
        var throughputBps: Double?
        var throughputBytes: Int?
        var syncedAt: String?
        var behindS: Int64?
        var stale: Bool

        enum CodingKeys: String, CodingKey {
            case rank, id, url, name, location, priority, ok, ms, error, proxy, address, family, stale
            case errorKind = "error_kind", dnsMs = "dns_ms", connectMs = "connect_ms", tlsMs = "tls_ms", ttfbMs = "ttfb_ms"
            case samples = "samples_ms", proxyConnectMs = "proxy_connect_ms", tunnelMs = "tunnel_ms"
            case throughputBps = "throughput_bps", throughputBytes = "throughput_bytes", syncedAt = "synced_at", behindS = "behind_s"
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
            try c.encode(throughputBps, forKey: .throughputBps)
            try c.encode(throughputBytes, forKey: .throughputBytes)
            try c.encode(syncedAt, forKey: .syncedAt)
            try c.encode(behindS, forKey: .behindS)
            try c.encode(stale, forKey: .stale)
        }
    }

    var rows: [Row] {
        let byID = mirrorsByID
        var rank = 0
        func r(_ v: Double?) -> Double? { v.map { ($0 * 1000).rounded() / 1000 } }
        let waiting = unfinished.map { row in
            Row(rank: nil, id: row.mirror.id, url: row.mirror.url, name: TerminalText.sanitize(row.mirror.displayName, maxCharacters: 120),
                location: row.mirror.location, priority: row.mirror.priority, ok: false, ms: nil,
                error: "unfinished: the round stopped at the decision", errorKind: "unfinished",
                dnsMs: nil, connectMs: nil, tlsMs: nil, ttfbMs: nil, samples: row.sampleMs.compactMap(r),
                proxy: nil, proxyConnectMs: nil, tunnelMs: nil, address: nil, family: nil,
                throughputBps: nil, throughputBytes: nil, syncedAt: nil, behindS: nil, stale: false)
        }
        return ranked.map { report in
            let mirror = byID[report.mirrorID]
            let verdict = mirror.map { judge?.verdict($0, measured: report.freshness) ?? .unknown } ?? .unknown
            // Stale mirrors are listed, never ranked (--max-behind).
            let ranked = report.ok && !verdict.stale
            if ranked { rank += 1 }
            return Row(rank: ranked ? rank : nil, id: report.mirrorID, url: mirror?.url ?? "",
                       name: mirror.map { TerminalText.sanitize($0.displayName, maxCharacters: 120) } ?? report.mirrorID,
                       location: mirror?.location, priority: mirror?.priority,
                       ok: report.ok, ms: r(report.ms), error: report.failure?.reason, errorKind: report.failure?.kind.rawValue,
                       dnsMs: r(report.dnsMs), connectMs: r(report.connectMs), tlsMs: r(report.tlsMs), ttfbMs: r(report.ttfbMs),
                       samples: report.samples.map { ($0.responseMs * 1000).rounded() / 1000 },
                       proxy: report.route?.proxy, proxyConnectMs: r(report.proxyConnectMs), tunnelMs: r(report.tunnelMs),
                       address: report.route?.address, family: report.route?.family,
                       throughputBps: report.bytesPerSecond.map { $0.rounded() },
                       throughputBytes: report.throughput.map(\.bytes),
                       syncedAt: verdict.syncedAt.map(Timestamps.iso8601(seconds:)), behindS: verdict.behindSeconds,
                       stale: verdict.stale)
        } + waiting
    }

    func json() throws -> String {
        struct Document: Encodable {
            var page: String
            var samples: Int
            var rankedBy: String
            var decidedMs: Double?
            var wallMs: Double
            var mirrors: [Row]
            var warnings: [String]

            enum CodingKeys: String, CodingKey {
                case page, samples, mirrors, warnings
                case rankedBy = "ranked_by", decidedMs = "decided_ms", wallMs = "wall_ms"
            }

            // decided_ms is written as null when nothing was decided (no mirror answered).
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(page, forKey: .page)
                try c.encode(samples, forKey: .samples)
                try c.encode(rankedBy, forKey: .rankedBy)
                try c.encode(decidedMs, forKey: .decidedMs)
                try c.encode(wallMs, forKey: .wallMs)
                try c.encode(mirrors, forKey: .mirrors)
                try c.encode(warnings, forKey: .warnings)
            }
        }
        func ms(_ v: Double) -> Double { (v * 10).rounded() / 10 }
        let encoder = JSONEncoder()
        // Sorted: Foundation's encoder on Linux otherwise emits keys in a different order each run.
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(Document(page: page.url ?? page.source, samples: page.probe.samples, rankedBy: policy.by.rawValue,
                                                decidedMs: decidedMs.map(ms), wallMs: ms(wallMs), mirrors: rows, warnings: page.warnings))
        return String(decoding: data, as: UTF8.self)
    }

    /// The rate and how far behind, as the table shows them.
    private func measures(_ row: Row) -> [String] {
        [row.throughputBps.map(Format.rate) ?? "-", row.behindS.map { Format.age(seconds: $0) } ?? "-"]
    }

    /// The table gains RATE and BEHIND when the round measured either.
    func table() -> String {
        let all = rows
        let measured = all.contains { $0.throughputBps != nil || $0.behindS != nil }
        var header = ["RANK", "MIRROR", "MS", "DNS", "CONNECT", "TLS", "TTFB"]
        if measured { header += ["RATE", "BEHIND"] }
        header += ["STATE", "URL"]
        func f(_ v: Double?) -> String { v.map { Format.fixed($0, decimals: 1) } ?? "-" }
        var lines = [header]
        for row in all {
            var line = [row.rank.map(String.init) ?? "-", row.name, f(row.ms), f(row.dnsMs), f(row.connectMs), f(row.tlsMs), f(row.ttfbMs)]
            if measured { line += measures(row) }
            let state = row.stale ? "stale" : row.ok ? "ok" : row.errorKind == "unfinished" ? "unfinished" : "failed: " + (row.error ?? "?")
            line += [state, row.url]
            lines.append(line)
        }
        let right = measured ? 2...8 : 2...6
        return TextTable.render(lines, alignRight: { right.contains($0) }, maxWidths: [1: 28])
    }

    /// The new columns come last, so scripts that read columns by position keep working.
    func csv() -> String {
        let q = CSV.field
        func f(_ v: Double?) -> String { v.map { Format.fixed($0, decimals: 3) } ?? "" }
        // New columns go at the end: scripts that read columns by position keep working.
        var out = "rank,name,url,ok,ms,dns_ms,connect_ms,tls_ms,ttfb_ms,error,location,proxy,proxy_connect_ms,tunnel_ms,address,family,"
            + "throughput_bps,synced_at,behind_s,stale\n"
        for row in rows {
            out += [row.rank.map(String.init) ?? "", q(row.name), q(row.url), row.ok ? "true" : "false", f(row.ms), f(row.dnsMs),
                    f(row.connectMs), f(row.tlsMs), f(row.ttfbMs), q(row.error ?? ""), q(row.location ?? ""),
                    q(row.proxy ?? ""), f(row.proxyConnectMs), f(row.tunnelMs), row.address ?? "", row.family ?? "",
                    row.throughputBps.map { String(Int($0)) } ?? "", row.syncedAt ?? "", row.behindS.map(String.init) ?? "",
                    row.stale ? "true" : "false"].joined(separator: ",") + "\n"
        }
        return out
    }
}
