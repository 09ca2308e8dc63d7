import Dispatch
import Foundation
import MirrorscopeCore
import Synchronization

/// Writes the history off the caller's thread, in batches: `record` only appends to a buffer and
/// returns (the terminal thread and the round never wait for SQLite); one serial queue writes
/// whatever has gathered in one transaction. A write that fails (the file locked by another
/// program for longer than the busy timeout, the disk full) drops that batch with one warning:
/// the history is a convenience, never a reason to stall or stop.
public final class HistoryWriter: Sendable {
    private let store: HistoryStore
    private let queue = DispatchQueue(label: "mirrorscope.history.writer", qos: .utility)
    private let pending = Mutex<[HistoryItem]>([])
    private let warned = Mutex(false)
    private let warn: @Sendable (String) -> Void
    /// Called on the writer's queue after each batch with its size (tests).
    private let didWrite: (@Sendable (Int) -> Void)?

    /// Tells whether the current code runs on a writer's queue (tests check where writes happen).
    public static let queueKey = DispatchSpecificKey<Bool>()

    public init(store: HistoryStore, warn: @escaping @Sendable (String) -> Void = { _ in },
                didWrite: (@Sendable (Int) -> Void)? = nil) {
        self.store = store
        self.warn = warn
        self.didWrite = didWrite
        queue.setSpecific(key: Self.queueKey, value: true)
    }

    /// Keeps a finished round; `endedAt` dates it (the core has no clock).
    public func record(_ round: RoundRecord, endedAt: Date = Date()) {
        enqueue(.round(round, endedAt: endedAt))
    }

    public func record(_ download: DownloadRecord, at: Date = Date()) {
        enqueue(.download(download, at: at))
    }

    /// Waits until everything recorded so far is written (at the end of a command).
    public func flush() {
        queue.sync {}
    }

    private func enqueue(_ item: HistoryItem) {
        let first = pending.withLock { items in
            items.append(item)
            return items.count == 1
        }
        // The first item of a batch schedules its write; later ones join it until it runs.
        if first { queue.async { self.writePending() } }
    }

    private func writePending() {
        let batch = pending.withLock { items in
            defer { items.removeAll() }
            return items
        }
        guard !batch.isEmpty else { return }
        do {
            try store.write(batch)
        } catch {
            let first = warned.withLock { w in defer { w = true }; return !w }
            if first { warn("history \(store.path): \(HistoryStore.describe(error)); \(batch.count) record(s) not kept") }
        }
        didWrite?(batch.count)
    }
}
