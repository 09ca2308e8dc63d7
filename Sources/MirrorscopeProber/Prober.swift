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

    /// Probes every mirror, at most `settings.concurrency` at a time (fewer when the process's
    /// descriptor limit allows fewer: `DescriptorBudget`, whose warning the callers show); calls
    /// `onEvent` as things happen (.started, .connecting, .connected, .sample, .finished) and returns the reports in
    /// completion order.
    /// Cancelling the calling task stops the round promptly: open connections are closed and
    /// nothing more is reported; the reports finished before are returned.
    public func probeRound(mirrors: [Mirror], settings: ProbeSettings,
                           onEvent: @escaping @Sendable (ProbeEvent) -> Void) async -> [MirrorReport] {
        await withTaskGroup(of: MirrorReport?.self) { tasks in
            var waiting = mirrors.makeIterator()
            for _ in 0..<DescriptorBudget.concurrency(for: max(1, settings.concurrency)).allowed {
                guard let mirror = waiting.next() else { break }
                tasks.addTask { await self.measure(mirror, settings: settings, onEvent: onEvent) }
            }
            var reports: [MirrorReport] = []
            reports.reserveCapacity(mirrors.count)
            while let finished = await tasks.next() {
                if let report = finished { reports.append(report) }
                if !Task.isCancelled, let mirror = waiting.next() {
                    tasks.addTask { await self.measure(mirror, settings: settings, onEvent: onEvent) }
                }
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
