import NIOCore
import NIOPosix
import Testing
@testable import MirrorscopeDirector

/// The file-check cache on its own: single flight, TTLs by answer, and the bound.
@Suite struct HoldingsCacheTests {
    let loop = MultiThreadedEventLoopGroup.singleton.next()

    /// Looks `paths` up on one base, answering every check started with `answer`; returns how many started.
    func lookUp(_ cache: HoldingsCache, _ paths: [String], answer: Holding = .present) async throws -> Int {
        var started = 0
        for path in paths {
            let results = cache.lookup(path: path, bases: ["http://m.example/"], on: loop) { _ in
                started += 1
                return loop.makeSucceededFuture(answer)
            }
            if case .pending(let future) = results[0] { _ = try await future.get() }
        }
        return started
    }

    @Test func aLookupWhileACheckRunsWaitsOnTheSameCheck() async throws {
        let cache = HoldingsCache(settings: FileCheckSettings(enabled: true))
        let promise = loop.makePromise(of: Holding.self)
        var started = 0
        let first = cache.lookup(path: "x", bases: ["http://m.example/"], on: loop) { _ in started += 1; return promise.futureResult }
        let second = cache.lookup(path: "x", bases: ["http://m.example/"], on: loop) { _ in started += 1; return promise.futureResult }
        #expect(started == 1)
        promise.succeed(.absent)
        for result in [first[0], second[0]] {
            guard case .pending(let future) = result else { Issue.record("not pending"); continue }
            #expect(try await future.get() == .absent)
        }
        // The cache's own remembering runs on the loop after the check; then it is known.
        try await loop.submit {}.get()
        #expect(cache.peek(path: "x", base: "http://m.example/") == .absent)
        #expect(try await lookUp(cache, ["x"]) == 0)
    }

    @Test func theOldestAnswersGoPastTheBound() async throws {
        let cache = HoldingsCache(settings: FileCheckSettings(enabled: true, cacheEntries: 3))
        #expect(try await lookUp(cache, ["a", "b", "c", "d", "e"]) == 5)
        try await loop.submit {}.get()
        #expect(cache.count == 3)
        #expect(cache.peek(path: "a", base: "http://m.example/") == nil && cache.peek(path: "b", base: "http://m.example/") == nil)
        #expect(cache.peek(path: "e", base: "http://m.example/") == .present)
        #expect(try await lookUp(cache, ["c", "d", "e"]) == 0, "the newest three are kept")
        #expect(try await lookUp(cache, ["a"]) == 1, "an evicted one is asked again")
        #expect(cache.count == 3)
    }

    @Test func anUnknownAnswerIsKeptOnlyBriefly() async throws {
        let cache = HoldingsCache(settings: FileCheckSettings(enabled: true, ttlAbsent: .seconds(30)))
        // Each answer is remembered between `before` and `after`: its expiry is known that closely.
        var before = NIODeadline.now()
        #expect(try await lookUp(cache, ["u"], answer: .unknown) == 1)
        var after = NIODeadline.now()
        // min(check_ttl_absent, 10 s), though check_ttl is 10 minutes.
        #expect(cache.peek(path: "u", base: "http://m.example/", now: before + .milliseconds(9900)) == .unknown)
        #expect(cache.peek(path: "u", base: "http://m.example/", now: after + .milliseconds(10_100)) == nil)
        before = .now()
        #expect(try await lookUp(cache, ["q"], answer: .absent) == 1)
        after = .now()
        #expect(cache.peek(path: "q", base: "http://m.example/", now: before + .milliseconds(29_900)) == .absent)
        #expect(cache.peek(path: "q", base: "http://m.example/", now: after + .milliseconds(30_100)) == nil)
    }
}
