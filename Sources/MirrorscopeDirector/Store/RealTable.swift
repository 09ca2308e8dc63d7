import Foundation
import Logging
import PostgresNIO

/// The store's tables and every statement the director runs on them:
///
/// - `mirrorscope_reals(id text primary key, position bigint, config jsonb, updated_at, updated_by)`:
///   one row per real server, `config` in the admin API's JSON schema (`RealServerConfig`'s
///   coding), `position` keeping the order of the `[[real]]` tables and of additions;
/// - `mirrorscope_reals_version(version bigint)`: one row, raised by one with every change, so
///   that a director never applies a state older than one it already runs.
///
/// Writers take a transaction-scoped advisory lock, so changes from several directors are made
/// one after the other, each validated against the table as the one before left it.
enum RealTable {
    static let channel = "mirrorscope_reals"
    /// The most real servers a read accepts: a store holding more is refused whole (a director
    /// keeps what it runs), so a runaway table cannot exhaust memory.
    static let maxRows = 10_000
    /// The most bytes of one row's `config` (a real server's JSON is a few hundred bytes).
    static let maxConfigBytes = 64 * 1024
    /// `pg_advisory_xact_lock` key: "mirrorsc" in ASCII, shared by every director of every version.
    static let lockKey: Int64 = 0x6D69_7272_6F72_7363

    /// Creates the tables when missing and, the first time, fills the real servers from the
    /// config file's `[[real]]` tables (`seed`); afterwards the table wins over the file. Returns
    /// what the table holds.
    static func prepare(on connection: PostgresConnection, seed: [RealServerConfig], instance: String,
                        logger: Logger) async throws -> StoreState {
        try await connection.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS mirrorscope_reals (
                    id text PRIMARY KEY,
                    position bigint NOT NULL,
                    config jsonb NOT NULL,
                    updated_at timestamptz NOT NULL DEFAULT now(),
                    updated_by text NOT NULL)
                """, logger: logger)
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS mirrorscope_reals_version (
                    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
                    version bigint NOT NULL)
                """, logger: logger)
            var versions = 0
            for try await _ in try await connection.query("SELECT version FROM mirrorscope_reals_version", logger: logger) {
                versions += 1
            }
            if versions == 0 {
                // Never seeded: a table someone filled by hand before the first start is kept.
                var rows = 0
                for try await _ in try await connection.query("SELECT id FROM mirrorscope_reals LIMIT 1", logger: logger) { rows += 1 }
                if rows == 0 {
                    for (index, real) in seed.enumerated() {
                        try await insert(real, position: Int64(index + 1), instance: instance, on: connection, logger: logger)
                    }
                }
                try await connection.query("INSERT INTO mirrorscope_reals_version (version) VALUES (1)", logger: logger)
                try await notify("\(instance) seeded \(seed.count)", on: connection, logger: logger)
            }
        }
        return try await read(on: connection, logger: logger)
    }

    /// The table as one consistent snapshot (a single statement).
    static func read(on connection: PostgresConnection, logger: Logger) async throws -> StoreState {
        let rows = try await connection.query("""
            SELECT v.version, r.id, r.config::text
            FROM mirrorscope_reals_version v LEFT JOIN mirrorscope_reals r ON true
            ORDER BY r.position, r.id LIMIT \(maxRows + 1)
            """, logger: logger)
        var version: Int64?
        var reals: [RealServerConfig] = []
        for try await (rowVersion, id, config) in rows.decode((Int64, String?, String?).self) {
            version = rowVersion
            guard let id, let config else { continue }  // the empty table's one row
            guard reals.count < maxRows else { throw StoreContentError("the store holds more than \(maxRows) real servers") }
            guard config.utf8.count <= maxConfigBytes else {
                throw StoreContentError("real server \"\(id)\" in the store is larger than \(maxConfigBytes / 1024) KiB")
            }
            let real: RealServerConfig
            do {
                real = try AdminAPI.decode(RealServerConfig.self, from: ByteBuffer(string: config))
            } catch {
                throw StoreContentError("real server \"\(id)\" in the store does not fit the schema: \(error.message)")
            }
            guard real.id == id else { throw StoreContentError("row \"\(id)\" of the store holds real server \"\(real.id)\"") }
            reals.append(real)
        }
        guard let version else { throw StoreContentError("the store's version table is empty") }
        return StoreState(version: version, reals: reals)
    }

    /// Makes `change` in the store, inside the caller's transaction: `validated` turns the real
    /// servers the table holds now into those the change leaves (or refuses with the admin API's
    /// error), then the row is written, the version raised and every director notified (PostgreSQL
    /// delivers the notification when the transaction commits, and only then).
    static func write(_ change: AdminChange, on connection: PostgresConnection, instance: String, logger: Logger,
                      validated: ([RealServerConfig]) throws(AdminError) -> [RealServerConfig]) async throws -> StoreState {
        try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
        let current: StoreState
        do {
            current = try await read(on: connection, logger: logger)
        } catch let error as StoreContentError {
            throw AdminError(status: 409, "the store cannot be used as it is; fix the table first: \(error)")
        }
        let reals = try validated(current.reals)
        switch change {
        case .add(let real):
            var next: Int64 = 1
            for try await position in try await connection.query(
                "SELECT COALESCE(MAX(position), 0) + 1 FROM mirrorscope_reals", logger: logger).decode(Int64.self) {
                next = position
            }
            try await insert(real, position: next, instance: instance, on: connection, logger: logger)
        case .patch(let id, _):
            guard let real = reals.first(where: { $0.id == id }) else { throw AdminError.unknown(id) }
            try await connection.query("""
                UPDATE mirrorscope_reals SET config = \(try json(real))::jsonb, updated_at = now(), updated_by = \(instance)
                WHERE id = \(id)
                """, logger: logger)
        case .delete(let id):
            try await connection.query("DELETE FROM mirrorscope_reals WHERE id = \(id)", logger: logger)
        }
        var version = current.version + 1
        for try await raised in try await connection.query(
            "UPDATE mirrorscope_reals_version SET version = version + 1 RETURNING version", logger: logger).decode(Int64.self) {
            version = raised
        }
        try await notify("\(instance) \(change.summary)", on: connection, logger: logger)
        return StoreState(version: version, reals: reals)
    }

    private static func insert(_ real: RealServerConfig, position: Int64, instance: String, on connection: PostgresConnection,
                               logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO mirrorscope_reals (id, position, config, updated_by)
            VALUES (\(real.id), \(position), \(try json(real))::jsonb, \(instance))
            """, logger: logger)
    }

    /// The payload only tells the log who changed what; every listener reads the table again.
    private static func notify(_ payload: String, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("SELECT pg_notify(\(channel), \(payload))", logger: logger)
    }

    private static func json(_ real: RealServerConfig) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(real), as: UTF8.self)
    }
}

extension AdminChange {
    /// "add m2", "patch m2", "delete m2": for logs and notifications.
    var summary: String {
        switch self {
        case .add(let real): "add \(real.id)"
        case .patch(let id, _): "patch \(id)"
        case .delete(let id): "delete \(id)"
        }
    }
}
