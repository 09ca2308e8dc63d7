import CoreMetrics
import NIOCore

/// What one event loop owns: its copy of the current snapshot, its clock and connections, and the
/// state of each job the request path does on it. Only code running on that loop touches it, so
/// the request path needs no lock and no atomic; the controller and the metrics scrape reach it by
/// hopping onto the loop.
///
/// Each job keeps its state in a type of its own, reached through an extension in that job's
/// folder: picking real servers (`LoopBalancers`, `LoopState+Selection`), session tokens
/// (`SessionCache`, `LoopState+Sessions`), counting (`LoopCounters`, `LoopState+Statistics`) and
/// the fixed part of redirects (`LocationPrefixes`, `LoopState+Redirect`).
final class LoopState {
    let eventLoop: any EventLoop
    let index: Int
    private(set) var snapshot: Snapshot
    var clock = WallClock()
    /// Open connections, for graceful shutdown.
    var connections: [ObjectIdentifier: any Channel] = [:]

    /// One balancer per virtual server (see `LoopState+Selection`).
    var balancers: LoopBalancers
    /// Balancers within GeoIP tiers (see `GeoPicks`).
    var geoPicks: GeoPicks
    /// Tokens signed and verified on this loop (see `LoopState+Sessions`).
    var sessions = SessionCache()
    /// Counts since the last scrape and live figures (see `LoopState+Statistics`).
    var counters: LoopCounters
    /// `Location: BASE-URL` per server and listener kind (see `LoopState+Redirect`).
    var locations = LocationPrefixes()
    /// Redirects' `Link: rel=duplicate` orders and bytes (see `LinkOrders`).
    var linkOrders = LinkOrders()

    init(eventLoop: any EventLoop, index: Int, snapshot: Snapshot, latency: CoreMetrics.Timer?) {
        self.eventLoop = eventLoop
        self.index = index
        self.snapshot = snapshot
        balancers = LoopBalancers(snapshot: snapshot, loop: index)
        geoPicks = GeoPicks(seed: UInt64.random(in: 0...UInt64.max))
        counters = LoopCounters(latency: latency)
    }

    /// Takes a newer snapshot (pushes from concurrent changes may arrive out of order); each job
    /// drops what the new snapshot makes stale.
    func install(_ new: Snapshot) {
        guard new.generation > snapshot.generation else { return }
        let old = snapshot
        snapshot = new
        balancers.install(new, replacing: old, loop: index)
        geoPicks.removeAll()
        locations.removeAll()
        linkOrders.removeAll()
        if new.config.secret != old.config.secret || new.sessionTTLSeconds != old.sessionTTLSeconds {
            sessions.removeAll()
        }
    }
}
