import GRDB

/// The history database's schema, as GRDB migrations: each one is applied once, in order, and
/// recorded in `grdb_migrations`; `PRAGMA user_version` is the number of the latest. A file
/// written by a newer Mirrorscope (a migration this one does not know) is left alone.
enum HistorySchema {
    static let version = 1

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: pages, rounds, measurements, downloads") { db in
            try db.create(table: "page") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("source", .text).notNull().unique()
            }
            try db.create(table: "round") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("page_id", .integer).notNull().indexed().references("page", onDelete: .cascade)
                // Seconds since 1970 (UTC), when the round started.
                t.column("started_at", .double).notNull().indexed()
                t.column("ranked_by", .text).notNull()
                t.column("decided_ms", .double)
                t.column("wall_ms", .double).notNull()
            }
            try db.create(table: "measurement") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("round_id", .integer).notNull().indexed().references("round", onDelete: .cascade)
                t.column("mirror_url", .text).notNull().indexed()
                t.column("ok", .boolean).notNull()
                t.column("median_ms", .double)
                t.column("samples", .integer).notNull()
                t.column("error_kind", .text)
                t.column("throughput_bps", .double)
                t.column("behind_s", .integer)
            }
            try db.create(table: "download") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .double).notNull()
                t.column("mirror_url", .text).notNull().indexed()
                t.column("path", .text).notNull()
                t.column("bytes", .integer).notNull()
                t.column("seconds", .double).notNull()
                t.column("outcome", .text).notNull()
            }
            try db.execute(sql: "PRAGMA user_version = 1")
        }
        return migrator
    }
}
