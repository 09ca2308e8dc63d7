import Foundation
import GRDB
import MirrorscopeCore

/// The history file: opened, migrated, written and read. Opening never throws at the caller: a
/// file that is locked, corrupt, from a newer version or in a folder that cannot be made gives a
/// warning and no store, and the program goes on without history (docs/history.md).
public final class HistoryStore: Sendable {
    let queue: DatabaseQueue
    public let path: String

    /// `$XDG_STATE_HOME/mirrorscope/history.sqlite`, default `~/.local/state/mirrorscope/history.sqlite`.
    public static func defaultPath(environment: [String: String]) -> String {
        let home = environment["HOME"] ?? "/"
        let base = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.local/state"
        return base + "/mirrorscope/history.sqlite"
    }

    /// The store, or why there is none (one line for the user). `busyMs`: how long to wait for
    /// another program's lock before giving up.
    public static func open(path: String, busyMs: Int = 500) -> (store: HistoryStore?, warning: String?) {
        do {
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            var configuration = Configuration()
            configuration.busyMode = .timeout(Double(busyMs) / 1000)
            configuration.label = "mirrorscope.history"
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            let migrator = HistorySchema.migrator
            if try queue.read({ db in try migrator.hasBeenSuperseded(db) }) {
                return (nil, "history \(path): written by a newer mirrorscope; history is off for this run")
            }
            try migrator.migrate(queue)
            return (HistoryStore(queue: queue, path: path), nil)
        } catch {
            return (nil, "history \(path): \(describe(error)); history is off for this run")
        }
    }

    init(queue: DatabaseQueue, path: String) {
        self.queue = queue
        self.path = path
    }

    /// The SQLite error in a user's words.
    static func describe(_ error: any Error) -> String {
        guard let db = error as? DatabaseError else { return "\(error)" }
        switch db.resultCode.primaryResultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: return "locked by another program"
        case .SQLITE_NOTADB, .SQLITE_CORRUPT: return "not a readable history database (corrupt?)"
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY: return "cannot be opened for writing"
        default: return db.message ?? "\(db.resultCode)"
        }
    }

    /// Writes rounds and downloads in one transaction (the writer's batch).
    func write(_ items: [HistoryItem]) throws {
        try queue.write { db in
            for item in items {
                switch item {
                case .round(let record, let endedAt):
                    let pageID = try pageID(db, source: record.source)
                    let startedAt = endedAt.timeIntervalSince1970 - record.wallMs / 1000
                    try db.execute(sql: "INSERT INTO round (page_id, started_at, ranked_by, decided_ms, wall_ms) VALUES (?, ?, ?, ?, ?)",
                                   arguments: [pageID, startedAt, record.rankedBy, record.decidedMs, record.wallMs])
                    let roundID = db.lastInsertedRowID
                    for m in record.measurements {
                        try db.execute(sql: """
                            INSERT INTO measurement (round_id, mirror_url, ok, median_ms, samples, error_kind, throughput_bps, behind_s)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                            """, arguments: [roundID, m.mirrorURL, m.ok, m.medianMs, m.samples, m.errorKind, m.throughputBps, m.behindSeconds])
                    }
                case .download(let record, let at):
                    try db.execute(sql: "INSERT INTO download (at, mirror_url, path, bytes, seconds, outcome) VALUES (?, ?, ?, ?, ?, ?)",
                                   arguments: [at.timeIntervalSince1970, record.mirrorURL, record.path, record.bytes, record.seconds, record.outcome])
                }
            }
        }
    }

    private func pageID(_ db: Database, source: String) throws -> Int64 {
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM page WHERE source = ?", arguments: [source]) { return id }
        try db.execute(sql: "INSERT INTO page (source) VALUES (?)", arguments: [source])
        return db.lastInsertedRowID
    }
}

/// One thing to write, with the time it happened.
public enum HistoryItem: Sendable {
    case round(RoundRecord, endedAt: Date)
    case download(DownloadRecord, at: Date)
}
