import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TestSupport

/// A real PostgreSQL server of the test's own (Debian's `postgresql` 15): `initdb` into a fresh
/// folder owned by the `postgres` user (initdb refuses root), `pg_ctl` on a free loopback port
/// with its socket in that folder, stopped and removed by `destroy()`. GUIDE.md §3b.
final class PostgresServer: @unchecked Sendable {
    static let bin = ProcessInfo.processInfo.environment["MIRRORSCOPE_PG_BIN"] ?? "/usr/lib/postgresql/15/bin"
    static let user = "mirrorscope"

    /// Why the store tests cannot run here: the server's programs are missing. In CI (`CI` set)
    /// they never skip: `.ci/run` installs `postgresql`, and a missing server must fail the run.
    static var missing: String? {
        if FileManager.default.isExecutableFile(atPath: bin + "/initdb") && FileManager.default.isExecutableFile(atPath: bin + "/pg_ctl") {
            return nil
        }
        if ProcessInfo.processInfo.environment["CI"] != nil { return nil }
        return "PostgreSQL is not installed at \(bin) (apt-get install postgresql); .ci/run installs it"
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    let folder: String
    let port: Int
    var dataFolder: String { folder + "/data" }
    var logPath: String { folder + "/server.log" }

    /// `postgres://mirrorscope@127.0.0.1:PORT/postgres?sslmode=disable`
    var url: String { "postgres://\(Self.user)@127.0.0.1:\(port)/postgres?sslmode=disable" }

    /// Creates the cluster and starts it.
    init() async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ms-pg-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        guard let account = getpwnam("postgres") else { throw Failure("no postgres user on this machine") }
        guard chown(folder, account.pointee.pw_uid, account.pointee.pw_gid) == 0 else {
            throw Failure("cannot give \(folder) to postgres: \(String(cString: strerror(errno)))")
        }
        port = try Peer.freePortForTests()
        try await Self.asPostgres("\(Self.bin)/initdb -D \(dataFolder) -A trust -U \(Self.user) --no-sync -E UTF8")
        try await start()
    }

    /// Starts (again) on the same port and data: what a store that comes back looks like.
    func start() async throws {
        try await Self.asPostgres("\(Self.bin)/pg_ctl -D \(dataFolder) -l \(logPath) -w -t 30 -o '-p \(port) -k \(folder) -c listen_addresses=127.0.0.1 -c fsync=off' start")
    }

    /// Stops at once (`-m fast`: open connections are closed), as a store that goes down.
    func stop() async throws {
        try await Self.asPostgres("\(Self.bin)/pg_ctl -D \(dataFolder) -m fast -w -t 30 stop")
    }

    /// Stops the server if it runs and removes its folder.
    func destroy() async {
        if FileManager.default.fileExists(atPath: dataFolder + "/postmaster.pid") { try? await stop() }
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Runs SQL with psql (a test reaching into the table as an operator would).
    @discardableResult
    func psql(_ sql: String) async throws -> String {
        try await Self.blocking {
            let result = try Spawn.run("/usr/bin/psql", ["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                                                        "-p", String(self.port), "-U", Self.user, "-d", "postgres", "-c", sql],
                                       deadline: .seconds(30))
            guard result.status == 0 else {
                throw Failure("psql failed: \(String(decoding: result.stderr, as: UTF8.self))")
            }
            return String(decoding: result.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// Runs a server control command as the postgres user, off the cooperative threads.
    private static func asPostgres(_ command: String) async throws {
        try await blocking {
            let result = try Spawn.run("/usr/bin/su", ["postgres", "-c", command], deadline: .seconds(60))
            guard result.status == 0 else {
                throw Failure("`\(command)` failed (\(result.status)): \(String(decoding: result.stdout + result.stderr, as: UTF8.self))")
            }
        }
    }

    private static func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
        }
    }

    /// Runs `body` with a fresh server, destroyed however `body` ends.
    static func with(_ body: (PostgresServer) async throws -> Void) async throws {
        let server = try await PostgresServer()
        do {
            try await body(server)
        } catch {
            await server.destroy()
            throw error
        }
        await server.destroy()
    }
}
