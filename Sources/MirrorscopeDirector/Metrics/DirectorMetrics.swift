import CoreMetrics
import NIOConcurrencyHelpers
import Prometheus

/// The director's metrics, in swift-metrics terms on a Prometheus registry of its own (so that
/// several directors in one process, as in the tests, do not mix their figures).
///
/// The request path counts in per-loop plain integers (`LoopCounters`); a scrape of `/-/metrics`
/// collects what each loop counted since the previous scrape into these counters and refreshes the
/// gauges. Only the latency histogram is recorded per request, into a series of the loop's own
/// (label `loop`), so no two threads ever share it.
///
/// Every series carries the label `instance` (the `instance` key, or host name and port), so that
/// the figures of several directors on one store can be told apart and summed.
final class DirectorMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    /// Real server ids that have gauges, to drop those of removed servers.
    private let gaugeIDs = NIOLockedValueBox<Set<String>>([])
    private let instance: InstanceName

    static let latencyLabel = "mirrorscope_director_request_duration_seconds"

    init(instance: InstanceName) {
        self.instance = instance
        var factory = PrometheusMetricsFactory(registry: registry)
        // A redirect takes microseconds; a proxied download can take minutes.
        factory.durationHistogramBuckets[Self.latencyLabel] = [
            .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
            .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500), .seconds(2), .seconds(10), .seconds(60),
        ]
        self.factory = factory
    }

    func latencyTimer(loop: Int) -> CoreMetrics.Timer {
        CoreMetrics.Timer(label: Self.latencyLabel, dimensions: [("instance", instance.value), ("loop", String(loop))], factory: factory)
    }

    /// `store`: whether the shared store is reachable and the version of the table this director
    /// runs (nil without `store`).
    func absorb(_ statistics: [LoopStatistics], snapshot: Snapshot, store: (up: Bool, version: Int64)? = nil) {
        let instance = self.instance.value
        if let store {
            CoreMetrics.Gauge(label: "mirrorscope_director_store_up", dimensions: [("instance", instance)], factory: factory)
                .record(store.up ? 1 : 0)
            CoreMetrics.Gauge(label: "mirrorscope_director_store_version", dimensions: [("instance", instance)], factory: factory)
                .record(Int(store.version))
        }
        var idBySlot: [Int: String] = [:]
        for real in snapshot.table.reals { idBySlot[real.slot] = real.config.id }
        var live: [String: Int] = [:]
        for loop in statistics {
            for (slot, delta) in loop.perSlot {
                guard let id = idBySlot[slot] else { continue }
                counter("mirrorscope_director_redirects_total", id, instance).increment(by: delta.redirects)
                counter("mirrorscope_director_proxied_requests_total", id, instance).increment(by: delta.proxied)
                counter("mirrorscope_director_sessions_started_total", id, instance).increment(by: delta.sessionsStarted)
                live[id, default: 0] += delta.liveSessions
            }
            for (code, count) in loop.responses {
                CoreMetrics.Counter(label: "mirrorscope_director_responses_total", dimensions: [("instance", instance), ("code", String(code))], factory: factory)
                    .increment(by: count)
            }
        }
        var ids: Set<String> = []
        for real in snapshot.table.reals {
            let id = real.config.id
            ids.insert(id)
            // Touch the counters so that every real server has its series from the first scrape.
            for name in ["mirrorscope_director_redirects_total", "mirrorscope_director_proxied_requests_total",
                         "mirrorscope_director_sessions_started_total"] {
                counter(name, id, instance).increment(by: 0)
            }
            gauge("mirrorscope_director_real_up", id, instance).record(real.up ? 1 : 0)
            gauge("mirrorscope_director_real_draining", id, instance).record(real.config.drain ? 1 : 0)
            gauge("mirrorscope_director_real_weight", id, instance).record(real.config.weight)
            gauge("mirrorscope_director_sessions", id, instance).record(live[id] ?? 0)
        }
        let removed = gaugeIDs.withLockedValue { known in
            defer { known = ids }
            return known.subtracting(ids)
        }
        for id in removed {
            for name in ["mirrorscope_director_real_up", "mirrorscope_director_real_draining",
                         "mirrorscope_director_real_weight", "mirrorscope_director_sessions"] {
                gauge(name, id, instance).destroy()
            }
        }
    }

    func render() -> String { registry.emitToString() }

    private func counter(_ label: String, _ real: String, _ instance: String) -> CoreMetrics.Counter {
        CoreMetrics.Counter(label: label, dimensions: [("instance", instance), ("real", real)], factory: factory)
    }

    private func gauge(_ label: String, _ real: String, _ instance: String) -> CoreMetrics.Gauge {
        CoreMetrics.Gauge(label: label, dimensions: [("instance", instance), ("real", real)], factory: factory)
    }
}
