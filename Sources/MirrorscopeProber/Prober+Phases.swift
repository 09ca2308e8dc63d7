import MirrorscopeCore
import NIOCore
import NIOHTTP1

/// What the freshness phase read: each mirror's timestamp, and the origin's when the reference is a URL.
public struct FreshnessRound: Sendable, Hashable {
    /// By mirror id.
    public var results: [String: FreshnessResult]
    public var reference: FreshnessResult?

    public init(results: [String: FreshnessResult] = [:], reference: FreshnessResult? = nil) {
        self.results = results
        self.reference = reference
    }
}

extension Prober {
    /// The freshness phase: fetches every mirror's timestamp object (`settings.freshness`) over a
    /// fresh connection, at most `settings.concurrency` at once, and the reference URL once when
    /// there is one; reports each as it comes (.freshness, .freshnessReference). Returns nothing
    /// when the settings have no freshness object. Cancelling the task stops it promptly.
    public func freshnessRound(mirrors: [Mirror], settings: ProbeSettings,
                               onEvent: @escaping @Sendable (ProbeEvent) -> Void) async -> FreshnessRound {
        guard let freshness = settings.freshness else { return FreshnessRound() }
        async let reference: FreshnessResult? = {
            guard case .url(let url) = freshness.reference else { return nil }
            let result = await self.fetchTimestamp(url: url, format: freshness.format, settings: settings)
            if let result, !Task.isCancelled { onEvent(.freshnessReference(result)) }
            return result
        }()
        let results = await Self.concurrently(mirrors, limit: settings.concurrency) { mirror -> (String, FreshnessResult)? in
            guard let result = await self.fetchTimestamp(url: freshness.url(on: mirror), format: freshness.format,
                                                         settings: settings), !Task.isCancelled else { return nil }
            onEvent(.freshness(mirrorID: mirror.id, result))
            return (mirror.id, result)
        }
        return FreshnessRound(results: Dictionary(results, uniquingKeysWith: { a, _ in a }), reference: await reference)
    }

    /// The throughput phase: each mirror downloads its sample object (`settings.throughput`) over a
    /// fresh connection, at most `throughput.concurrency` at once so that the downloads do not
    /// share the link; reports .throughputStarted, .throughputProgress (about every 100 ms) and
    /// .throughputFinished. Cancelling the task stops it promptly.
    public func throughputRound(mirrors: [Mirror], settings: ProbeSettings,
                                onEvent: @escaping @Sendable (ProbeEvent) -> Void) async -> [String: ThroughputResult] {
        let throughput = settings.throughput
        let results = await Self.concurrently(mirrors, limit: throughput.concurrency) { mirror -> (String, ThroughputResult)? in
            guard let url = throughput.url(on: mirror), !Task.isCancelled else { return nil }
            onEvent(.throughputStarted(mirrorID: mirror.id))
            guard let result = await self.download(url: url, settings: settings, onProgress: { progress in
                onEvent(.throughputProgress(mirrorID: mirror.id, progress))
            }), !Task.isCancelled else { return nil }
            onEvent(.throughputFinished(mirrorID: mirror.id, result))
            return (mirror.id, result)
        }
        return Dictionary(results, uniquingKeysWith: { a, _ in a })
    }

    /// One sample download; nil when cancelled.
    func download(url: String, settings: ProbeSettings,
                  onProgress: @escaping @Sendable (ThroughputProgress) -> Void) async -> ThroughputResult? {
        let target: ProbeTarget
        do { target = try ProbeTarget(url: url) } catch {
            return ThroughputResult(bytesPerSecond: nil, bytes: 0, ms: 0, url: url, failure: error)
        }
        let request = objectRequest(target, settings: settings)
        let limits = ThroughputExchange.Limits(maxBytes: settings.throughput.maxBytes, maxMs: settings.throughput.maxMs)
        let timeoutMs = max(1, settings.timeoutMs)
        let mirror = MirrorConnector(target: target, timeoutMs: timeoutMs, connector: connector, eventLoop: group.next())
        let outcome: ConnectorOutcome<ThroughputOutcome>? = await mirror.run { _, deadline, promise in
            ThroughputExchange(request: request, limits: limits, deadline: deadline, timeoutMs: timeoutMs,
                               promise: promise, onProgress: onProgress)
        }
        switch outcome {
        case nil:
            return nil
        case .failed(let failure)?:
            return ThroughputResult(bytesPerSecond: nil, bytes: 0, ms: 0, url: url, failure: failure)
        case .answered(let answer, _)?:
            let meter = answer.meter
            return ThroughputResult(bytesPerSecond: answer.failure == nil ? meter.bytesPerSecond : nil, bytes: meter.bytes,
                                    ms: meter.lastMs, points: meter.points, stop: answer.stop, url: url, failure: answer.failure)
        }
    }

    /// One timestamp fetch; nil when cancelled.
    func fetchTimestamp(url: String, format: FreshnessFormat, settings: ProbeSettings) async -> FreshnessResult? {
        let target: ProbeTarget
        do { target = try ProbeTarget(url: url) } catch {
            return FreshnessResult(syncedAt: nil, url: url, failure: error)
        }
        let request = objectRequest(target, settings: settings)
        let timeoutMs = max(1, settings.timeoutMs)
        let mirror = MirrorConnector(target: target, timeoutMs: timeoutMs, connector: connector, eventLoop: group.next())
        let outcome: ConnectorOutcome<FreshnessOutcome>? = await mirror.run { _, deadline, promise in
            FreshnessExchange(request: request, format: format, deadline: deadline, timeoutMs: timeoutMs, promise: promise)
        }
        switch outcome {
        case nil: return nil
        case .failed(let failure)?: return FreshnessResult(syncedAt: nil, url: url, failure: failure)
        case .answered(let answer, _)?: return FreshnessResult(syncedAt: answer.syncedAt, url: url, failure: answer.failure)
        }
    }

    /// A GET for an object, telling the mirror what the latency probes told it.
    private func objectRequest(_ target: ProbeTarget, settings: ProbeSettings) -> ProbeRequest {
        ProbeRequest(method: .GET, uri: target.requestURI, hostHeader: target.hostHeader,
                     clientInfo: configuration.clientInfo, requested: settings.clientInfo)
    }

    /// `body` for each item, at most `limit` at once, in the order they finish; stops starting new
    /// ones when the task is cancelled.
    static func concurrently<Item: Sendable, Out: Sendable>(_ items: [Item], limit: Int,
                                                            _ body: @escaping @Sendable (Item) async -> Out?) async -> [Out] {
        await withTaskGroup(of: Out?.self) { tasks in
            var waiting = items.makeIterator()
            for _ in 0..<max(1, limit) {
                guard let item = waiting.next() else { break }
                tasks.addTask { await body(item) }
            }
            var out: [Out] = []
            while let finished = await tasks.next() {
                if let value = finished { out.append(value) }
                if !Task.isCancelled, let item = waiting.next() { tasks.addTask { await body(item) } }
            }
            return out
        }
    }
}
