import Logging
import MirrorscopeCore
import MirrorscopeFetch
import MirrorscopeProber
import Synchronization

/// The effect runtime: carries out every effect `update` returns. Probe rounds and fetches run as
/// tasks, and everything they learn comes back through `post` as messages; the bell and the end
/// of the session are handed to the interface. Called from the interface's thread; never blocks it.
public final class EffectRunner: Sendable {
    private let prober: Prober
    private let web: WebClient
    private let post: @Sendable (Msg) -> Void
    private let logger: Logger
    private let tasks = Mutex<[TaskKey: Task<Void, Never>]>([:])

    private enum TaskKey: Hashable {
        case round(Int)
        case phase(Int)
        case fetch(Int)
    }

    public init(prober: Prober, web: WebClient, logger: Logger, post: @escaping @Sendable (Msg) -> Void) {
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
            start(.round(round)) { [prober, post, logger] in
                let reports = await prober.probeRound(mirrors: mirrors, settings: settings) { event in
                    post(.probe(round: round, event))
                }
                logger.info("round \(round) ended: \(reports.filter(\.ok).count) of \(mirrors.count) answered\(Task.isCancelled ? " (cancelled)" : "")")
                post(.roundFinished(round: round))
            }
        case .startPhase(let round, let phase, let mirrors, let settings):
            logger.info("round \(round): \(phase.rawValue) of \(mirrors.count) mirrors")
            start(.phase(round)) { [prober, post, logger] in
                let forward: @Sendable (ProbeEvent) -> Void = { post(.probe(round: round, $0)) }
                switch phase {
                case .freshness:
                    let read = await prober.freshnessRound(mirrors: mirrors, settings: settings, onEvent: forward)
                    logger.info("round \(round): freshness read on \(read.results.values.filter { $0.syncedAt != nil }.count) of \(mirrors.count)")
                case .throughput:
                    let rates = await prober.throughputRound(mirrors: mirrors, settings: settings, onEvent: forward)
                    logger.info("round \(round): throughput measured on \(rates.values.filter { $0.bytesPerSecond != nil }.count) of \(mirrors.count)")
                }
                post(.phaseFinished(round: round, phase))
            }
        case .cancelRound(let round):
            logger.info("round \(round): cancelled")
            cancel(.round(round))
            cancel(.phase(round))
        case .fetch(let request):
            logger.info("fetch \(request.url)")
            start(.fetch(request.id)) { [web, post] in
                let result = await web.fetch(request)
                post(.fetched(result))
            }
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
            defer { t.removeAll() }
            return Array(t.values)
        }
        for task in running { task.cancel() }
        for task in running { await task.value }
    }

    private func start(_ key: TaskKey, _ work: @escaping @Sendable () async -> Void) {
        // The task is created under the lock, so its own removal (which takes the lock) always
        // comes after its insertion, however fast it finishes.
        tasks.withLock { running in
            running[key] = Task {
                await work()
                _ = self.tasks.withLock { $0.removeValue(forKey: key) }
            }
        }
    }

    private func cancel(_ key: TaskKey) {
        tasks.withLock { $0[key] }?.cancel()
    }
}
