import NIOConcurrencyHelpers
import NIOCore

/// What one virtual server's file checks found, shared by every event loop: per (mirror URL,
/// path), an answer with its expiry, or the check still under way. The URL, not the id, keys it:
/// a mirror whose URL changes is asked again.
///
/// - Single flight: the first request for a new path starts one check per mirror; every request
///   that comes while it runs waits on the same future (it never starts a second check).
/// - Bounded: at most `capacity` entries; past it the oldest inserted go first (a refreshed entry
///   keeps its place, so the order needs no update on the hot path).
/// A warm lookup costs one uncontended lock and a dictionary probe per mirror.
final class HoldingsCache: Sendable {
    struct Key: Hashable, Sendable {
        var base: String
        var path: String
    }

    private enum Entry {
        case known(Holding, until: NIODeadline)
        case pending(EventLoopFuture<Holding>)
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        /// Insertion order, for eviction; holds exactly the keys of `entries`.
        var order = CircularBuffer<Key>()
    }

    enum Lookup {
        case known(Holding)
        case pending(EventLoopFuture<Holding>)
    }

    let settings: FileCheckSettings
    private let state = NIOLockedValueBox(State())

    init(settings: FileCheckSettings) { self.settings = settings }

    var count: Int { state.withLockedValue { $0.entries.count } }

    /// The answers for `path` on each base URL. A base with no fresh answer and no check under way
    /// gets a check: `start(i)` is called (outside the lock) for each such position and must
    /// return its check's result, which is remembered for the TTL its answer earns.
    func lookup(path: String, bases: [String], now: NIODeadline = .now(), on eventLoop: any EventLoop,
                start: (_ position: Int) -> EventLoopFuture<Holding>) -> [Lookup] {
        var promises: [(position: Int, promise: EventLoopPromise<Holding>)] = []
        let results: [Lookup] = state.withLockedValue { state in
            bases.enumerated().map { position, base in
                let key = Key(base: base, path: path)
                switch state.entries[key] {
                case .known(let holding, let until)? where until > now:
                    return .known(holding)
                case .pending(let future)?:
                    return .pending(future)
                case let existing:
                    let promise = eventLoop.makePromise(of: Holding.self)
                    if existing == nil {
                        state.order.append(key)
                        while state.order.count > settings.cacheEntries {
                            state.entries[state.order.removeFirst()] = nil
                        }
                    }
                    state.entries[key] = .pending(promise.futureResult)
                    promises.append((position, promise))
                    return .pending(promise.futureResult)
                }
            }
        }
        for (position, promise) in promises {
            let key = Key(base: bases[position], path: path)
            start(position).whenComplete { result in
                let holding = (try? result.get()) ?? .unknown
                self.remember(key, holding)
                promise.succeed(holding)
            }
        }
        return results
    }

    private func remember(_ key: Key, _ holding: Holding) {
        let ttl: Duration = switch holding {
        case .present: settings.ttl
        case .absent: settings.ttlAbsent
        case .unknown: min(settings.ttlAbsent, FileCheckSettings.unknownTTL)
        }
        state.withLockedValue { state in
            // Evicted while the check ran: not put back (the bound holds).
            guard state.entries[key] != nil else { return }
            state.entries[key] = .known(holding, until: .now() + TimeAmount(ttl))
        }
    }

    /// What is known now, without starting anything (`/-/admin/real`, tests): nil when nothing is.
    func peek(path: String, base: String, now: NIODeadline = .now()) -> Holding? {
        state.withLockedValue { state in
            guard case .known(let holding, let until)? = state.entries[Key(base: base, path: path)], until > now else { return nil }
            return holding
        }
    }
}
