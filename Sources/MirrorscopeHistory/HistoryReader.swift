import Foundation
import GRDB
import MirrorscopeCore

/// One mirror of one page in the history: what `mirrorscope history` prints.
public struct MirrorHistory: Sendable, Hashable {
    public var source: String
    public var mirrorURL: String
    /// Its rounds (oldest first, at most `MirrorTrend.keep` of them dated), the last good rate.
    public var trend: MirrorTrend
    /// Every round in the period, and how many failed.
    public var rounds: Int
    public var failures: Int
    public var firstAt: Double
    public var lastAt: Double
    /// The last round's median (nil: it failed).
    public var lastMs: Double?
    /// The median of the answered rounds' medians.
    public var medianMs: Double?
    public var downloads: Int

    public var failureRate: Double { rounds == 0 ? 0 : Double(failures) / Double(rounds) }
}

extension HistoryStore {
    /// Each mirror's trend for `source`, by mirror URL: the last `MirrorTrend.keep` rounds with
    /// their dates, and the last throughput measured. Empty for a page never probed.
    public func trends(source: String) throws -> [String: MirrorTrend] {
        try queue.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT m.mirror_url, r.started_at, m.median_ms, m.throughput_bps
                FROM measurement m JOIN round r ON r.id = m.round_id JOIN page p ON p.id = r.page_id
                WHERE p.source = ? ORDER BY r.started_at, r.id
                """, arguments: [source])
            var trends: [String: MirrorTrend] = [:]
            for row in rows {
                let url: String = row["mirror_url"]
                trends[url] = (trends[url] ?? MirrorTrend()).appending(TrendPoint(at: row["started_at"], ms: row["median_ms"]),
                                                                         bps: row["throughput_bps"])
            }
            return trends
        }
    }

    /// Every mirror of every page (or of `source`) with rounds since `since` (seconds since 1970),
    /// by page, then by the median of its medians (failed-only mirrors last).
    public func mirrors(source: String? = nil, since: Double? = nil) throws -> [MirrorHistory] {
        try queue.read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let source { conditions.append("p.source = ?"); arguments += [source] }
            if let since { conditions.append("r.started_at >= ?"); arguments += [since] }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let rows = try Row.fetchAll(db, sql: """
                SELECT p.source, m.mirror_url, r.started_at, m.median_ms, m.throughput_bps
                FROM measurement m JOIN round r ON r.id = m.round_id JOIN page p ON p.id = r.page_id
                \(filter) ORDER BY r.started_at, r.id
                """, arguments: arguments)
            let downloads = try Row.fetchAll(db, sql: "SELECT mirror_url, COUNT(*) AS n FROM download"
                                             + (since == nil ? "" : " WHERE at >= ?") + " GROUP BY mirror_url",
                                             arguments: since.map { [$0] } ?? [])
            let downloadCount = Dictionary(downloads.map { (($0["mirror_url"] as String), ($0["n"] as Int)) }, uniquingKeysWith: +)
            var order: [String] = []
            var byKey: [String: MirrorHistory] = [:]
            var medians: [String: [Double]] = [:]
            for row in rows {
                let source: String = row["source"], url: String = row["mirror_url"], at: Double = row["started_at"]
                let ms: Double? = row["median_ms"]
                let key = source + "\u{0}" + url
                var entry = byKey[key] ?? {
                    order.append(key)
                    return MirrorHistory(source: source, mirrorURL: url, trend: MirrorTrend(), rounds: 0, failures: 0,
                                         firstAt: at, lastAt: at, lastMs: nil, medianMs: nil, downloads: downloadCount[url] ?? 0)
                }()
                entry.trend = entry.trend.appending(TrendPoint(at: at, ms: ms), bps: row["throughput_bps"])
                entry.rounds += 1
                if ms == nil { entry.failures += 1 } else { medians[key, default: []].append(ms!) }
                entry.lastAt = at
                entry.lastMs = ms
                byKey[key] = entry
            }
            var result = order.compactMap { key -> MirrorHistory? in
                guard var entry = byKey[key] else { return nil }
                entry.medianMs = Statistics.median(medians[key] ?? [])
                return entry
            }
            result.sort { a, b in
                if a.source != b.source { return a.source < b.source }
                switch (a.medianMs, b.medianMs) {
                case let (x?, y?) where x != y: return x < y
                case (.some, nil): return true
                case (nil, .some): return false
                default: return a.mirrorURL < b.mirrorURL
                }
            }
            return result
        }
    }

    /// How many rounds and downloads the file holds (tests, `--no-history` checks).
    public func counts() throws -> (rounds: Int, measurements: Int, downloads: Int) {
        try queue.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM round") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM measurement") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM download") ?? 0)
        }
    }

    /// The schema version (`PRAGMA user_version`).
    public func schemaVersion() throws -> Int {
        try queue.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
    }
}
