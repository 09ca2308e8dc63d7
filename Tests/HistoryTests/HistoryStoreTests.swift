import Dispatch
import Foundation
import GRDB
import MirrorscopeCore
import MirrorscopeHistory
import Synchronization
import TestSupport
import Testing

/// The history file against real SQLite files in a temporary folder: migrated from nothing,
/// written and read back, and left alone (with a warning) when corrupt, locked or newer.
@Suite("history store")
struct HistoryStoreTests {
    func temporaryFile(_ name: String = "history.sqlite") throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ms-history-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder + "/" + name
    }

    func round(_ source: String, _ figures: [(String, Double?)], bps: Double? = nil, wallMs: Double = 500) -> RoundRecord {
        RoundRecord(source: source, rankedBy: "response", decidedMs: 100, wallMs: wallMs, measurements: figures.map { url, ms in
            MeasurementRecord(mirrorURL: url, ok: ms != nil, medianMs: ms, samples: ms == nil ? 0 : 3,
                              errorKind: ms == nil ? "timeout" : nil, throughputBps: ms == nil ? nil : bps)
        })
    }

    func open(_ path: String, busyMs: Int = 500) throws -> HistoryStore {
        let opened = HistoryStore.open(path: path, busyMs: busyMs)
        return try #require(opened.store, "\(opened.warning ?? "")")
    }

    @Test func theDefaultPathFollowsXDGStateHome() {
        #expect(HistoryStore.defaultPath(environment: ["HOME": "/home/u", "XDG_STATE_HOME": "/s"]) == "/s/mirrorscope/history.sqlite")
        #expect(HistoryStore.defaultPath(environment: ["HOME": "/home/u"]) == "/home/u/.local/state/mirrorscope/history.sqlite")
        #expect(HistoryStore.defaultPath(environment: ["HOME": "/home/u", "XDG_STATE_HOME": ""]) == "/home/u/.local/state/mirrorscope/history.sqlite")
    }

    @Test func anEmptyFileAndAMissingFolderAreMigratedToTheSchema() throws {
        let empty = try temporaryFile()
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        let store = try open(empty)
        #expect(try store.schemaVersion() == 1)
        #expect(try store.counts() == (0, 0, 0))
        // A second open finds the schema there and changes nothing.
        #expect(try open(empty).schemaVersion() == 1)

        let nested = try temporaryFile("a/b/history.sqlite")
        #expect(try open(nested).schemaVersion() == 1)
    }

    @Test func roundsAreRecordedAndReadBackAsTrends() throws {
        let store = try open(try temporaryFile())
        let writer = HistoryWriter(store: store)
        let day = 1_780_000_000.0
        writer.record(round("https://p/", [("https://a/", 20), ("https://b/", 60)], bps: 2_000_000), endedAt: Date(timeIntervalSince1970: day))
        writer.record(round("https://p/", [("https://a/", 24), ("https://b/", nil)]), endedAt: Date(timeIntervalSince1970: day + 3600))
        writer.record(round("https://other/", [("https://a/", 99)]), endedAt: Date(timeIntervalSince1970: day + 7200))
        writer.record(DownloadRecord(mirrorURL: "https://a/", path: "f.iso", bytes: 10, seconds: 0.5, outcome: "verified sha256"))
        writer.flush()
        #expect(try store.counts() == (3, 5, 1))

        let trends = try store.trends(source: "https://p/")
        let a = try #require(trends["https://a/"])
        // Dated at the round's start (its end minus its wall time), oldest first.
        #expect(a.points == [TrendPoint(at: day - 0.5, ms: 20), TrendPoint(at: day + 3600 - 0.5, ms: 24)])
        #expect(a.lastGoodBps == 2_000_000)
        #expect(a.failureRate == 0)
        let b = try #require(trends["https://b/"])
        #expect(b.points.map(\.ms) == [60, nil])
        #expect(b.failureRate == 0.5)
        #expect(try store.trends(source: "https://never/").isEmpty)

        let mirrors = try store.mirrors(source: "https://p/")
        #expect(mirrors.map(\.mirrorURL) == ["https://a/", "https://b/"])
        #expect(mirrors[0].rounds == 2 && mirrors[0].failures == 0 && mirrors[0].medianMs == 22 && mirrors[0].downloads == 1)
        #expect(mirrors[1].rounds == 2 && mirrors[1].failures == 1 && mirrors[1].lastMs == nil)
        #expect(try store.mirrors().count == 3)
        // --since: only the rounds younger than the cut.
        let recent = try store.mirrors(since: day + 1800)
        #expect(recent.map(\.source) == ["https://other/", "https://p/", "https://p/"])
        #expect(recent.first { $0.source == "https://p/" }?.rounds == 1)
    }

    @Test func aTrendKeepsTheLastRoundsOnly() throws {
        let store = try open(try temporaryFile())
        let writer = HistoryWriter(store: store)
        for i in 0..<(MirrorTrend.keep + 5) {
            writer.record(round("p", [("m", Double(i))]), endedAt: Date(timeIntervalSince1970: 1_000_000 + Double(i) * 60))
        }
        writer.flush()
        let points = try #require(try store.trends(source: "p")["m"]).points
        #expect(points.count == MirrorTrend.keep)
        #expect(points.first?.ms == 5 && points.last?.ms == Double(MirrorTrend.keep + 4))
    }

    @Test func aCorruptFileIsAWarningAndNoStore() throws {
        let path = try temporaryFile()
        try Data(String(repeating: "not a database, garbage ", count: 200).utf8).write(to: URL(fileURLWithPath: path))
        let opened = HistoryStore.open(path: path)
        #expect(opened.store == nil)
        let warning = try #require(opened.warning)
        #expect(warning.contains("corrupt") && warning.contains("history is off"), "\(warning)")
        // The file is left as it was: nothing of the user's is lost.
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).starts(with: Data("not a database".utf8)))
    }

    @Test func aFolderInPlaceOfTheFileIsAWarning() throws {
        let path = try temporaryFile()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let opened = HistoryStore.open(path: path)
        #expect(opened.store == nil)
        #expect(opened.warning?.contains("history is off") == true)
    }

    @Test func aFileFromANewerVersionIsLeftAlone() throws {
        let path = try temporaryFile()
        _ = try open(path)
        let other = try DatabaseQueue(path: path)
        try other.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9: from the future')") }
        let opened = HistoryStore.open(path: path)
        #expect(opened.store == nil)
        #expect(opened.warning?.contains("newer") == true, "\(opened.warning ?? "")")
    }

    /// Another program holds the file's exclusive lock: open gives up after its busy timeout.
    @Test func aLockedFileIsAWarningAndNoStore() async throws {
        let path = try temporaryFile()
        _ = try open(path)
        let lock = try ExclusiveLock(path: path)
        defer { lock.release() }
        try await lock.waitHeld()
        let opened = HistoryStore.open(path: path, busyMs: 100)
        #expect(opened.store == nil)
        #expect(opened.warning?.contains("locked") == true, "\(opened.warning ?? "")")
    }

    /// `record` returns at once even while the file is locked: the write waits on the writer's
    /// own queue (never the caller's thread), and lands once the lock is gone.
    @Test func recordingReturnsAtOnceAndWritesOnTheWritersQueue() async throws {
        let path = try temporaryFile()
        let store = try open(path, busyMs: 20_000)
        let batches = Mutex<[(size: Int, onWriterQueue: Bool)]>([])
        let writer = HistoryWriter(store: store, didWrite: { size in
            batches.withLock { $0.append((size, DispatchQueue.getSpecific(key: HistoryWriter.queueKey) == true)) }
        })
        let lock = try ExclusiveLock(path: path)
        try await lock.waitHeld()
        for i in 0..<5 { writer.record(round("p", [("m", Double(i))])) }
        // All five returned while the lock is still held, so none can have been written yet.
        #expect(batches.withLock { $0.isEmpty })
        #expect(DispatchQueue.getSpecific(key: HistoryWriter.queueKey) == nil)
        lock.release()
        try await waitUntil("the batches are written", timeout: .seconds(20)) {
            batches.withLock { $0.reduce(0) { $0 + $1.size } } == 5
        }
        // Batched: the first write took what had gathered behind it (at most two transactions).
        #expect(batches.withLock { $0.count } <= 2)
        #expect(batches.withLock { $0.allSatisfy(\.onWriterQueue) })
        #expect(try store.counts().rounds == 5)
    }

    /// A write that cannot get the lock in time drops its batch with one warning, never a crash.
    @Test func aWriteThatStaysLockedIsOneWarning() async throws {
        let path = try temporaryFile()
        let store = try open(path, busyMs: 50)
        let warnings = Mutex<[String]>([])
        let writer = HistoryWriter(store: store, warn: { w in warnings.withLock { $0.append(w) } })
        let lock = try ExclusiveLock(path: path)
        try await lock.waitHeld()
        writer.record(round("p", [("m", 1)]))
        writer.flush()
        writer.record(round("p", [("m", 2)]))
        writer.flush()
        lock.release()
        #expect(warnings.withLock { $0.count } == 1)
        #expect(warnings.withLock { $0.first?.contains("locked") } == true)
        // Once the lock is gone, recording works again.
        writer.record(round("p", [("m", 3)]))
        writer.flush()
        #expect(try store.counts().rounds == 1)
    }
}

/// Another connection holding the file's exclusive lock (`BEGIN EXCLUSIVE`) on a thread of its
/// own until `release`.
final class ExclusiveLock: Sendable {
    private let held = Mutex(false)
    private let releaseSignal = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)

    init(path: String) throws {
        let queue = try DatabaseQueue(path: path)
        Thread { [self] in
            try? queue.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN EXCLUSIVE")
                self.held.withLock { $0 = true }
                self.releaseSignal.wait()
                try db.execute(sql: "COMMIT")
            }
            self.done.signal()
        }.start()
    }

    func waitHeld() async throws {
        try await waitUntil("the other connection holds the lock") { self.held.withLock { $0 } }
    }

    func release() {
        guard held.withLock({ h in defer { h = false }; return h }) else { return }
        releaseSignal.signal()
        done.wait()
    }
}
