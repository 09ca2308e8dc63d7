import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// What the farm observed, shared by every listener: requests per site, the last request's
/// headers, and the open connections (to count them and to close them on stop and shutdown).
final class FarmLedger: Sendable {
    private struct State {
        var requests: [Int]
        var lastHeaders: [[(name: String, value: String)]]
        /// Open connections by site, keyed by channel identity.
        var connections: [[ObjectIdentifier: any Channel]]
        var openMirrorConnections = 0
        var mirrorHighWater = 0
        /// Requests by site, method and path (query dropped), bounded.
        var byPath: [PathKey: Int] = [:]
    }

    struct PathKey: Hashable {
        var site: Int
        var method: String
        var path: String
    }

    /// Distinct (site, method, path) counted; past it new ones are not (a test's paths are few).
    static let maxPaths = 10_000

    /// Sites below this index are mirrors; the origin's connections are not counted as mirrors'.
    private let mirrorCount: Int
    private let state: NIOLockedValueBox<State>

    init(sites: Int, mirrors: Int) {
        mirrorCount = mirrors
        state = NIOLockedValueBox(State(requests: Array(repeating: 0, count: sites),
                                        lastHeaders: Array(repeating: [], count: sites),
                                        connections: Array(repeating: [:], count: sites)))
    }

    /// Records a request and returns its number on that site, from 1.
    func recordRequest(site: Int, headers: HTTPHeaders, method: HTTPMethod = .GET, uri: String = "") -> Int {
        let copied = headers.map { (name: $0.name, value: $0.value) }
        let key = PathKey(site: site, method: method.rawValue, path: String(uri.split(separator: "?", maxSplits: 1).first ?? ""))
        return state.withLockedValue { state in
            if state.byPath[key] != nil || state.byPath.count < Self.maxPaths { state.byPath[key, default: 0] += 1 }
            state.requests[site] += 1
            state.lastHeaders[site] = copied
            return state.requests[site]
        }
    }

    func requestCount(site: Int, method: String, path: String) -> Int {
        state.withLockedValue { $0.byPath[PathKey(site: site, method: method, path: path)] ?? 0 }
    }

    func requestCount(site: Int) -> Int {
        state.withLockedValue { $0.requests[site] }
    }

    func lastHeaders(site: Int) -> [(name: String, value: String)] {
        state.withLockedValue { $0.lastHeaders[site] }
    }

    func opened(_ channel: any Channel, site: Int) {
        state.withLockedValue { state in
            state.connections[site][ObjectIdentifier(channel)] = channel
            if site < mirrorCount {
                state.openMirrorConnections += 1
                state.mirrorHighWater = max(state.mirrorHighWater, state.openMirrorConnections)
            }
        }
    }

    func closed(_ channel: any Channel, site: Int) {
        state.withLockedValue { state in
            guard state.connections[site].removeValue(forKey: ObjectIdentifier(channel)) != nil else { return }
            if site < mirrorCount { state.openMirrorConnections -= 1 }
        }
    }

    var openMirrorConnections: Int { state.withLockedValue { $0.openMirrorConnections } }
    var mirrorHighWater: Int { state.withLockedValue { $0.mirrorHighWater } }

    /// The open connections of the given sites (all when nil), to close them.
    func connections(sites: Set<Int>? = nil) -> [any Channel] {
        state.withLockedValue { state in
            state.connections.indices.filter { sites?.contains($0) ?? true }.flatMap { state.connections[$0].values }
        }
    }
}
