import MirrorscopeCore
import Testing
@testable import MirrorscopeDirector

@Suite struct SelectionPolicyTests {
    @Test func smoothRoundRobinFollowsTheWeightsExactly() {
        var rr = SmoothWeightedRoundRobin()
        let picks = (0..<7).map { _ in rr.next(weights: [5, 1, 1]) }
        #expect(picks == [0, 0, 1, 0, 2, 0, 0])
        var counts = [0, 0, 0]
        for _ in 0..<700 { counts[rr.next(weights: [5, 1, 1])] += 1 }
        #expect(counts == [500, 100, 100])
    }

    @Test func equalWeightsAlternate() {
        var rr = SmoothWeightedRoundRobin()
        #expect((0..<6).map { _ in rr.next(weights: [1, 1, 1]) } == [0, 1, 2, 0, 1, 2])
    }

    @Test func weightedRandomSpreadsByWeight() {
        var generator = SplitMix64(seed: 42)
        var counts = [0, 0]
        for _ in 0..<20_000 { counts[WeightedRandom.pick(weights: [3, 1], using: &generator)] += 1 }
        let share = Double(counts[0]) / 20_000
        #expect(abs(share - 0.75) < 0.02, "share of the weight-3 server: \(share)")
    }

    @Test func leastConnectionsUsesLoadPerWeight() {
        #expect(LeastConnections.pick(weights: [1, 1, 1], loads: [3, 1, 2]) == 1)
        // 4/2 = 2 is less than 3/1.
        #expect(LeastConnections.pick(weights: [1, 2], loads: [3, 4]) == 1)
        // A tie goes to the heavier weight.
        #expect(LeastConnections.pick(weights: [1, 2], loads: [1, 2]) == 1)
        #expect(LeastConnections.pick(weights: [1, 1], loads: [0, 0]) == 0)
    }

    @Test func consistentHashIsStableAndMovesOnlyTheRemovedServersClients() {
        let ids = ["a", "b", "c", "d"]
        let full = ConsistentHashRing(ids: ids, weights: [1, 1, 1, 1])
        let clients = (0..<2000).map { Hashing.fnv1a("10.0.\($0 / 256).\($0 % 256)".utf8) }
        let before = clients.map { full.lookup($0)! }
        #expect(clients.map { full.lookup($0)! } == before)
        for id in ids.indices { #expect(before.filter { $0 == id }.count > 300, "server \(id) gets a fair share") }
        // Remove "c" (index 2): only its clients move.
        let smaller = ConsistentHashRing(ids: ["a", "b", "d"], weights: [1, 1, 1])
        let smallerIDs = ["a", "b", "d"]
        for (client, old) in zip(clients, before) where ids[old] != "c" {
            #expect(smallerIDs[smaller.lookup(client)!] == ids[old])
        }
    }

    @Test func consistentHashHonoursWeights() {
        let ring = ConsistentHashRing(ids: ["heavy", "light"], weights: [3, 1])
        var heavy = 0
        for i in 0..<4000 where ring.lookup(Hashing.fnv1a("client-\(i)".utf8)) == 0 { heavy += 1 }
        #expect(heavy > 2600 && heavy < 3400, "heavy got \(heavy) of 4000")
    }

    @Test func balancerReturnsNilWithoutCandidates() {
        var balancer = Balancer(policy: .weightedRoundRobin, seed: 1)
        #expect(balancer.pick(weights: [], loads: { [] }, clientHash: { 0 }, ring: nil) == nil)
    }
}
