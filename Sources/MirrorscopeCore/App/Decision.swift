/// Naming the fastest mirror as soon as that is certain, while the round goes on (issue 10,
/// part 5). Pure: the runtime stamps every probe event with its time in the round, and asks to
/// be woken (`Effect.wake`) when only time can settle the question.
///
/// The rule (docs/decision.md says the same for users):
///
/// The leader is the fastest mirror that has finished its round, with median response time L.
/// It is certain once no unfinished mirror can still end with a median below L (or equal to L
/// and earlier on the page, which the ranking's tie rule puts first). What an unfinished mirror
/// with k of its n samples done (times d₁…d_k) can still end with, if it answers at all:
///
/// 1. The sample in flight takes at least what it has taken so far, e: once its connection is up
///    (TLS done), its connect and TLS figures plus the time since it sent its request; before
///    that, on a direct connection, the time since its name lookup ended (`.connecting`: from
///    there every millisecond counts in its connect and TLS figures). A sample still resolving
///    its name, or still connecting through a proxy (whose figure is the tunnel's, known only
///    once it is up), has taken nothing yet as far as the rule knows.
/// 2. A sample not yet begun is assumed to be no faster than the fastest sample the mirror has
///    completed, or, before one has, than the time its first sample has already taken. Each
///    sample measures the same path to the same server over a fresh connection; this is the one
///    assumption the rule makes. Without it a mirror stuck on the first of three samples could
///    in principle still win with two instant ones, and nothing could be named before every
///    hanging mirror timed out.
/// 3. A mirror that has not started can still win.
///
/// The lowest median it can end with is the median of those lower bounds (the median never
/// falls when a value rises, so the bounds give the lowest). It can still beat the leader when
/// that is below L. Example, n = 3, L = 20: done (18, 30), third sample 5 ms in: lowest median
/// of (18, 30, 5) is 18 < 20, still a contender; at 25 ms in: median (18, 30, 25) = 25, out. A
/// mirror with (35) done is out at once: its third sample is assumed ≥ 35, so two of three are.
public enum Decision {
    /// What is known of one unfinished mirror.
    public struct Progress: Sendable, Hashable {
        /// Response times of the samples done, in ms.
        public var samplesMs: [Double]
        /// What the sample in flight has taken so far (connect + TLS + the wait for its first
        /// byte), in ms; nil when nothing is known of it yet (not started, resolving its name,
        /// connecting through a proxy).
        public var inFlightMs: Double?

        public init(samplesMs: [Double], inFlightMs: Double?) {
            self.samplesMs = samplesMs
            self.inFlightMs = inFlightMs
        }
    }

    /// The lowest median the mirror can end with when it answers all `samples` (rule above);
    /// 0 when nothing is known yet.
    public static func lowestPossibleMedian(_ progress: Progress, samples: Int) -> Double {
        let done = progress.samplesMs
        let n = max(samples, done.count + (progress.inFlightMs == nil ? 0 : 1), 1)
        guard let floor = done.min() ?? progress.inFlightMs else { return 0 }
        var bounds = done
        if let e = progress.inFlightMs { bounds.append(e) }
        bounds += repeatElement(floor, count: n - bounds.count)
        return Statistics.median(bounds) ?? 0
    }

    /// Whether a mirror whose lowest possible median is `lowest` can still beat a leader of
    /// `leaderMs`; ties go to the earlier on the page, as in `Ranking`.
    static func canBeat(lowest: Double, pageOrder: Int, leaderMs: Double, leaderPageOrder: Int) -> Bool {
        lowest < leaderMs || (lowest == leaderMs && pageOrder < leaderPageOrder)
    }

    public enum Verdict: Sendable, Hashable {
        /// No unfinished mirror can beat the leader.
        case decided
        /// Some can. `recheckAt`: the time in the round at which, if nothing is reported before,
        /// every one of them will have been waiting too long; nil when only a report can settle
        /// it (a mirror not started yet, or one whose done samples could still carry it).
        case undecided(recheckAt: Double?)
    }

    /// The verdict at `now` (ms into the round) for the finished leader `leader` of `rows`.
    /// `isExcluded` leaves mirrors out that cannot be ranked whatever they measure (the seam for
    /// freshness: stale mirrors); `timeoutMs` bounds a sample (past it the mirror fails and says so).
    public static func verdict(rows: [MirrorRow], leader: Int, samples: Int, timeoutMs: Int, now: Double,
                               isExcluded: (MirrorRow) -> Bool = { _ in false }) -> Verdict {
        guard let leaderMs = rows[leader].report?.ms else { return .undecided(recheckAt: nil) }
        let leaderOrder = rows[leader].mirror.pageOrder
        func out(_ progress: Decision.Progress, _ order: Int) -> Bool {
            !canBeat(lowest: lowestPossibleMedian(progress, samples: samples), pageOrder: order,
                     leaderMs: leaderMs, leaderPageOrder: leaderOrder)
        }
        var recheck: Double?
        for row in rows where !row.isFinished && !isExcluded(row) {
            guard case .probing = row.status else { return .undecided(recheckAt: nil) }  // not started: anything is possible
            var progress = row.progress(at: now)
            // Cheap first: every bound above the leader's figure means out (most rows, most events).
            if let e = progress.inFlightMs, e > leaderMs, (progress.samplesMs.min() ?? e) > leaderMs { continue }
            let order = row.mirror.pageOrder
            if out(progress, order) { continue }
            // Only time can put it out: find how long its sample must take for that, if any
            // time short of the sample's timeout does (the bound never falls as the wait grows).
            guard let e = progress.inFlightMs, let inFlight = row.inFlight else { return .undecided(recheckAt: nil) }
            progress.inFlightMs = Double(timeoutMs)
            guard out(progress, order) else { return .undecided(recheckAt: nil) }
            var low = e, high = Double(timeoutMs)
            for _ in 0..<48 where high - low > 0.001 {
                let mid = (low + high) / 2
                progress.inFlightMs = mid
                if out(progress, order) { high = mid } else { low = mid }
            }
            recheck = max(recheck ?? 0, inFlight.atMs + (high - inFlight.takenMs))
        }
        return recheck.map { .undecided(recheckAt: $0) } ?? .decided
    }

    /// The runner-up within the leader's own spread, if any: when the runner-up's fastest sample
    /// is no slower than the leader's slowest, the measurements overlap and the lead (the gap
    /// between the medians, returned) says little. Only finished, answered reports count.
    public static func nearTie(leader: MirrorReport, runnerUp: MirrorReport) -> Double? {
        guard let a = leader.ms, let b = runnerUp.ms,
              let leaderSlowest = leader.samples.map(\.responseMs).max(),
              let runnerFastest = runnerUp.samples.map(\.responseMs).min(),
              runnerFastest <= leaderSlowest else { return nil }
        return max(0, b - a)
    }
}

/// The moment the fastest was named.
public struct RoundDecision: Sendable, Hashable {
    public var mirrorID: String
    /// When, in ms since the round started.
    public var atMs: Double
    /// The leader's figure then.
    public var ms: Double

    public init(mirrorID: String, atMs: Double, ms: Double) {
        self.mirrorID = mirrorID
        self.atMs = atMs
        self.ms = ms
    }
}

/// A sample whose figure is growing: at `atMs` into the round it had taken `takenMs` (connect +
/// TLS once its connection is up; 0 when its connect began, `.connecting`), and its response time
/// grows from there with the wait.
public struct InFlightSample: Sendable, Hashable {
    public var atMs: Double
    public var takenMs: Double

    public init(atMs: Double, takenMs: Double) {
        self.atMs = atMs
        self.takenMs = takenMs
    }
}

extension MirrorRow {
    /// What the decision rule knows of this row at `now`.
    public func progress(at now: Double) -> Decision.Progress {
        Decision.Progress(samplesMs: sampleMs, inFlightMs: inFlight.map { $0.takenMs + max(0, now - $0.atMs) })
    }
}
