import Foundation
import Logging
import MirrorscopeCore
import MirrorscopeFetch
import MirrorscopeManifest
import MirrorscopeProber
import Synchronization

/// The effect runtime: carries out every effect `update` returns. Probe rounds and fetches run as
/// tasks, and everything they learn comes back through `post` as messages; the bell and the end
/// of the session are handed to the interface. Called from the interface's thread; never blocks it.
///
/// The core has no clock: this runtime stamps every probe message with its time in the round
/// (ms since the round started), and answers `.wake` with `.clock` when that time has come.
public final class EffectRunner: Sendable {
    private let prober: Prober
    let web: WebClient
    let post: @Sendable (Msg) -> Void
    let logger: Logger
    /// Where finished rounds go (the history writer, which returns at once); nil: no history.
    private let recordRound: (@Sendable (RoundRecord) -> Void)?
    /// The demo's `X`: stops the farm mirror at a URL (nil outside the demo).
    let stopMirror: (@Sendable (String) async throws -> Void)?
    /// Where finished downloads go (the history writer); nil: no history.
    let recordDownload: (@Sendable (DownloadRecord) -> Void)?
    private let tasks = Mutex<(running: [TaskKey: (serial: Int, task: Task<Void, Never>)], serial: Int)>(([:], 0))
    /// When each running round started, for stamps and wakes.
    private let roundStarts = Mutex<[Int: ContinuousClock.Instant]>([:])
    /// Stamping and posting happen under one lock, so messages arrive in the order of their times
    /// (events come from several event-loop threads at once).
    private let stamping = Mutex(())

    enum TaskKey: Hashable {
        case round(Int)
        case phase(Int)
        case wake(Int)
        case fetch(Int)
        case save(Int)
        case download(Int)
        case stopMirror(String)
    }

    public init(prober: Prober, web: WebClient, logger: Logger, recordRound: (@Sendable (RoundRecord) -> Void)? = nil,
                stopMirror: (@Sendable (String) async throws -> Void)? = nil,
                recordDownload: (@Sendable (DownloadRecord) -> Void)? = nil, post: @escaping @Sendable (Msg) -> Void) {
        self.recordRound = recordRound
        self.stopMirror = stopMirror
        self.recordDownload = recordDownload
        self.prober = prober
        self.web = web
        self.logger = logger
        self.post = post
    }

    /// Carries out `effect`. `interface` is called for the bell and the end of the session, on
    /// the caller's thread, before this returns.
    public func perform(_ effect: Effect, interface: some InterfaceActions) {
        switch effect {
        case .startRound(let round, let mirrors, let settings):
            logger.info("round \(round): probing \(mirrors.count) mirrors", metadata: ["samples": "\(settings.samples)", "concurrency": "\(settings.concurrency)"])
            let started = ContinuousClock.now
            roundStarts.withLock { starts in
                starts = starts.filter { $0.key >= round - 1 }  // the phases of the round before may still post
                starts[round] = started
            }
            start(.round(round)) { [prober, logger] in
                let reports = await prober.probeRound(mirrors: mirrors, settings: settings) { event in
                    self.postStamped(since: started) { .probe(round: round, event, atMs: $0) }
                }
                logger.info("round \(round) ended: \(reports.filter(\.ok).count) of \(mirrors.count) answered\(Task.isCancelled ? " (cancelled)" : "")")
                self.cancel(.wake(round))
                self.postStamped(since: started) { .roundFinished(round: round, atMs: $0) }
            }
        case .startPhase(let round, let phase, let mirrors, let settings):
            logger.info("round \(round): \(phase.rawValue) of \(mirrors.count) mirrors")
            // Stamped on the round's clock (the round's start is kept until the next round).
            let started = roundStarts.withLock { $0[round] } ?? ContinuousClock.now
            start(.phase(round)) { [prober, logger] in
                let forward: @Sendable (ProbeEvent) -> Void = { event in
                    self.postStamped(since: started) { .probe(round: round, event, atMs: $0) }
                }
                switch phase {
                case .freshness:
                    let read = await prober.freshnessRound(mirrors: mirrors, settings: settings, onEvent: forward)
                    logger.info("round \(round): freshness read on \(read.results.values.filter { $0.syncedAt != nil }.count) of \(mirrors.count)")
                case .throughput:
                    let rates = await prober.throughputRound(mirrors: mirrors, settings: settings, onEvent: forward)
                    logger.info("round \(round): throughput measured on \(rates.values.filter { $0.bytesPerSecond != nil }.count) of \(mirrors.count)")
                }
                self.postStamped(since: started) { .phaseFinished(round: round, phase, atMs: $0) }
            }
        case .cancelRound(let round):
            logger.info("round \(round): cancelled")
            cancel(.wake(round))
            cancel(.round(round))
            cancel(.phase(round))
        case .wake(let round, let atMs):
            // One wake per round: a newer one replaces it. A round that has ended needs none.
            cancel(.wake(round))
            guard let started = roundStarts.withLock({ $0[round] }) else { return }
            start(.wake(round)) {
                try? await Task.sleep(until: started.advanced(by: .microseconds(Int64((atMs * 1000).rounded(.up)))), clock: .continuous)
                guard !Task.isCancelled else { return }
                self.postStamped(since: started) { .clock(round: round, atMs: $0) }
            }
        case .saveList(let request):
            logger.info("save \(request.list.entries.count) mirrors to \(request.path) as \(request.format.rawValue)")
            start(.save(request.id)) { [post, logger] in
                let result = ListFileSaver.save(request, writtenAt: Date())
                if let error = result.error { logger.warning("save \(request.path): \(error)") }
                post(.saved(result))
            }
        case .fetch(let request):
            logger.info("fetch \(request.url)")
            start(.fetch(request.id)) { [web, post] in
                let result = await web.fetch(request)
                post(.fetched(result))
            }
        case .recordRound(let record):
            recordRound?(record)
        case .startDownload(let order):
            startDownload(order)
        case .cancelDownload(let id):
            logger.info("download \(id): cancelled")
            cancel(.download(id))
        case .stopMirror(let url, let name):
            stop(mirror: url, name: name)
        case .bell:
            interface.ringBell()
        case .quit(let chosenURL):
            logger.info("session ends\(chosenURL.map { " with \($0)" } ?? " without a choice")")
            interface.endSession(chosenURL: chosenURL)
        }
    }

    /// Cancels everything in flight and waits for it to stop.
    public func shutdown() async {
        let running = tasks.withLock { t in
            defer { t.running.removeAll() }
            return t.running.values.map(\.task)
        }
        for task in running { task.cancel() }
        for task in running { await task.value }
    }

    /// Posts the message `make` builds from the time since `start`, in ms.
    private func postStamped(since start: ContinuousClock.Instant, _ make: (Double) -> Msg) {
        stamping.withLock { _ in post(make((ContinuousClock.now - start).milliseconds)) }
    }

    func start(_ key: TaskKey, _ work: @escaping @Sendable () async -> Void) {
        // The task is created under the lock, so its own removal (which takes the lock) always
        // comes after its insertion, however fast it finishes; it removes only itself, not a
        // newer task of the same key (a wake replaced while it posted).
        tasks.withLock { t in
            t.serial += 1
            let serial = t.serial
            t.running[key] = (serial, Task {
                await work()
                self.tasks.withLock { t in
                    if t.running[key]?.serial == serial { t.running.removeValue(forKey: key) }
                }
            })
        }
    }

    func cancel(_ key: TaskKey) {
        tasks.withLock { $0.running[key]?.task }?.cancel()
    }
}
