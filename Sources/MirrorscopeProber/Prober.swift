import MirrorscopeCore
import MirrorscopeNetwork
import NIOCore
import NIOHTTP1
import NIOPosix

/// The "script executor": measures mirrors over fresh connections, phase by phase, and reports
/// each result the moment it exists.
public final class Prober: Sendable {
    // Not private: the phases (Prober+Phases.swift) connect with the same connector.
    let configuration: ProberConfiguration
    let group: any EventLoopGroup
    let connector: Connector

    public init(configuration: ProberConfiguration,
                group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        self.group = group
        connector = Connector(configuration: configuration.connection, group: group)
    }

    /// Probes every mirror, at most `settings.concurrency` at a time that could still be the
    /// fastest (fewer when the process's descriptor limit allows fewer: `DescriptorBudget`, whose
    /// warning the callers show); calls `onEvent` as things happen (.started, .connecting,
    /// .connected, .sample, .finished) and returns the reports in completion order.
    ///
    /// A mirror that can no longer beat the fastest finished one (`ContentionLedger`: it has
    /// waited longer than that mirror's figure) gives up its slot to the next mirror waiting and
    /// goes on, to fill in its figures; the mirrors open at once stay within what the descriptors
    /// allow. So a hanging mirror holds no slot until its timeout, and the last mirrors of a long
    /// list start (and the decision can come) soon after the leader is known.
    ///
    /// Cancelling the calling task stops the round promptly: open connections are closed and
    /// nothing more is reported; the reports finished before are returned.
    public func probeRound(mirrors: [Mirror], settings: ProbeSettings,
                           onEvent: @escaping @Sendable (ProbeEvent) -> Void) async -> [MirrorReport] {
        let contending = DescriptorBudget.concurrency(for: max(1, settings.concurrency)).allowed
        let openAtMost = max(contending, DescriptorBudget.concurrency(for: mirrors.count).allowed)
        let ledger = ContentionLedger(samples: settings.samples)
        let tracked: @Sendable (ProbeEvent) -> Void = { event in
            ledger.note(event)
            onEvent(event)
        }
        enum Step { case finished(String, MirrorReport?), tick }
        return await withTaskGroup(of: Step.self) { tasks in
            var waiting = mirrors.makeIterator()
            var next = waiting.next()
            var counted = Set<String>()     // running, holding a slot
            var released = Set<String>()    // running, out of contention: no slot
            var ticking = false
            func startWhatFits() {
                while let mirror = next, counted.count < contending, counted.count + released.count < openAtMost, !Task.isCancelled {
                    counted.insert(mirror.id)
                    tasks.addTask { .finished(mirror.id, await self.measure(mirror, settings: settings, onEvent: tracked)) }
                    next = waiting.next()
                }
                // While mirrors wait for a slot and a leader is known, look again every few ms
                // for slots to give up: a running mirror goes out of contention as time passes.
                if !ticking, next != nil, counted.count >= contending, ledger.hasLeader, !Task.isCancelled {
                    ticking = true
                    tasks.addTask {
                        try? await Task.sleep(for: .milliseconds(2))
                        return .tick
                    }
                }
            }
            func releaseTheOut() {
                for id in ledger.outOfContention(counted) {
                    counted.remove(id)
                    released.insert(id)
                }
            }
            startWhatFits()
            var reports: [MirrorReport] = []
            reports.reserveCapacity(mirrors.count)
            while let step = await tasks.next() {
                switch step {
                case .finished(let id, let report):
                    if let report { reports.append(report) }
                    counted.remove(id)
                    released.remove(id)
                case .tick:
                    ticking = false
                }
                if next != nil { releaseTheOut() }
                startWhatFits()
            }
            return reports
        }
    }

    /// Probes one mirror (`settings.samples` fresh connections in turn, stopping at the first
    /// failure). When the calling task is cancelled, returns what was measured before, unreported.
    public func probeMirror(_ mirror: Mirror, settings: ProbeSettings,
                            onEvent: @escaping @Sendable (ProbeEvent) -> Void) async -> MirrorReport {
        await measure(mirror, settings: settings, partial: true, onEvent: onEvent)
            ?? MirrorReport(mirrorID: mirror.id, samples: [], failure: nil)
    }

    /// The mirror's report, or nil when cancelled (with `partial`, what was measured before).
    private func measure(_ mirror: Mirror, settings: ProbeSettings, partial: Bool = false,
                         onEvent: @escaping @Sendable (ProbeEvent) -> Void) async -> MirrorReport? {
        guard !Task.isCancelled else { return nil }
        onEvent(.started(mirrorID: mirror.id))
        var report = MirrorReport(mirrorID: mirror.id, samples: [], failure: nil)
        do throws(ProbeFailure) {
            let target = try ProbeTarget(mirror: mirror, path: settings.path)
            let request = ProbeRequest(method: HTTPMethod(rawValue: settings.method.uppercased()), uri: target.requestURI,
                                       hostHeader: target.hostHeader, clientInfo: configuration.clientInfo,
                                       requested: settings.clientInfo)
            for _ in 0..<max(1, settings.samples) {
                let connection = ProbeConnection(target: target, request: request, timeoutMs: max(1, settings.timeoutMs),
                                                 connector: connector, eventLoop: group.next(),
                                                 onConnected: { onEvent(.connected(mirrorID: mirror.id, transportMs: $0)) },
                                                 onConnecting: { onEvent(.connecting(mirrorID: mirror.id)) })
                guard let result = await connection.run(), !Task.isCancelled else {
                    return partial ? report : nil
                }
                if !result.sentHeaders.isEmpty { report.sentHeaders = result.sentHeaders }
                let sample = try result.measurement.get()
                report.samples.append(sample)
                onEvent(.sample(mirrorID: mirror.id, sample))
            }
        } catch {
            report.failure = error
        }
        guard !Task.isCancelled else { return partial ? report : nil }
        onEvent(.finished(report))
        return report
    }
}
