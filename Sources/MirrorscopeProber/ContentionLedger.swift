import MirrorscopeCore
import Synchronization

/// Which mirrors of a running round could still be the fastest, by the decision rule's own bound
/// (`Decision.lowestPossibleMedian`, docs/decision.md), so that the round can give the slot of a
/// mirror that cannot to a mirror still waiting for its turn.
///
/// `--concurrency` bounds the mirrors measured at once that could still win: while it is full,
/// a mirror not yet started blocks the decision (it could be the fastest), and a mirror that
/// hangs until its timeout would hold its slot all that time. Once a mirror has waited longer
/// than the fastest finished mirror's figure, its own figure can only be worse: it goes on, to
/// fill in its row, but no longer counts against the bound. This is a scheduling choice, not a
/// verdict: the core's rule alone names the fastest, so a slot given up too soon costs only a
/// little more concurrency.
///
/// Fed every probe event of the round (from several event-loop threads) with the moment it
/// happened; asked by the round's scheduler which running mirrors are out.
final class ContentionLedger: Sendable {
    private struct Running {
        var samplesMs: [Double] = []
        /// The sample in flight: what it had taken at `since` (0 when its connect began).
        var inFlight: (since: ContinuousClock.Instant, takenMs: Double)?
    }

    private struct State {
        var running: [String: Running] = [:]
        /// The fastest finished mirror's figure (median response time), once one has finished.
        var leaderMs: Double?
    }

    private let samples: Int
    private let state = Mutex(State())

    init(samples: Int) {
        self.samples = max(1, samples)
    }

    func note(_ event: ProbeEvent, at now: ContinuousClock.Instant = .now) {
        state.withLock { s in
            switch event {
            case .started(let id):
                s.running[id] = Running()
            case .connecting(let id):
                s.running[id]?.inFlight = (now, 0)
            case .connected(let id, let transportMs):
                s.running[id]?.inFlight = (now, transportMs)
            case .sample(let id, let sample):
                s.running[id]?.samplesMs.append(sample.responseMs)
                s.running[id]?.inFlight = nil
            case .finished(let report):
                s.running[report.mirrorID] = nil
                if let ms = report.ms { s.leaderMs = min(s.leaderMs ?? ms, ms) }
            case .freshness, .freshnessReference, .throughputStarted, .throughputProgress, .throughputFinished:
                break
            }
        }
    }

    /// Whether a mirror has finished, so that there is a figure to be out against.
    var hasLeader: Bool { state.withLock { $0.leaderMs != nil } }

    /// Of `ids` (running mirrors), those that can no longer end below the leader's figure at `now`.
    func outOfContention(_ ids: some Sequence<String>, at now: ContinuousClock.Instant = .now) -> [String] {
        state.withLock { s in
            guard let leader = s.leaderMs else { return [] }
            return ids.filter { id in
                guard let mirror = s.running[id] else { return false }
                let inFlightMs = mirror.inFlight.map { $0.takenMs + (now - $0.since).milliseconds }
                let progress = Decision.Progress(samplesMs: mirror.samplesMs, inFlightMs: inFlightMs)
                // Nothing known yet (still resolving its name) gives 0: a contender.
                return Decision.lowestPossibleMedian(progress, samples: samples) > leader
            }
        }
    }
}
