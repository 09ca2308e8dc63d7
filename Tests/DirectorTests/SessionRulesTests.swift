import Testing
@testable import MirrorscopeDirector

/// Persistence rules and the table they read, without sockets.
@Suite struct SessionRulesTests {
    static func config(_ reals: [RealServerConfig], virtuals: [VirtualServerConfig] = []) -> DirectorConfig {
        var config = DirectorConfig(listen: ["127.0.0.1:0"], secret: "sixteen-characters", reals: reals)
        config.virtualServers += virtuals
        return config
    }

    static let reals = [
        RealServerConfig(id: "a", url: "http://a.example/pub/", weight: 2, backup: .server("b")),
        RealServerConfig(id: "b", url: "http://b.example/pub/", backup: .server("c")),
        RealServerConfig(id: "c", url: "http://c.example/pub/"),
    ]

    func table(down: Set<String> = [], reals: [RealServerConfig] = Self.reals,
               virtuals: [VirtualServerConfig] = []) -> ServerTable {
        var slots: [String: Int] = [:]
        for (i, real) in reals.enumerated() { slots[real.id] = i }
        return ServerTable(config: Self.config(reals, virtuals: virtuals), isUp: { !down.contains($0) }, slots: slots)
    }

    func id(_ decision: RouteDecision, _ table: ServerTable) -> String? {
        if case .serve(let index, _) = decision { return table.reals[index].config.id }
        return nil
    }

    @Test func aValidSessionKeepsItsServerAndNeverAsksThePolicy() {
        let table = table()
        for _ in 0..<20 {
            let decision = SessionRules.decide(table: table, virtual: 0, sessionServer: "c", directed: nil) {
                Issue.record("the policy must not run for a session")
                return 0
            }
            #expect(decision == .serve(2, startsSession: false))
        }
    }

    @Test func noSessionOrAnUnknownServerStartsANewOne() {
        let table = table()
        #expect(SessionRules.decide(table: table, virtual: 0, sessionServer: nil, directed: nil) { 1 } == .serve(1, startsSession: true))
        #expect(SessionRules.decide(table: table, virtual: 0, sessionServer: "gone", directed: nil) { 0 } == .serve(0, startsSession: true))
    }

    @Test func aDirectedIdentifierStartsOrMovesTheSession() {
        let table = table()
        #expect(SessionRules.decide(table: table, virtual: 0, sessionServer: "a", directed: "c") { nil } == .serve(2, startsSession: true))
        #expect(SessionRules.decide(table: table, virtual: 0, sessionServer: "c", directed: "c") { nil } == .serve(2, startsSession: false))
        #expect(SessionRules.decide(table: table, virtual: 0, sessionServer: nil, directed: "zz") { 0 } == .unknownIdentifier)
    }

    @Test func aDownServersSessionsAndIdentifierGoToItsBackup() {
        let table = table(down: ["a"])
        #expect(id(SessionRules.decide(table: table, virtual: 0, sessionServer: "a", directed: nil) { nil }, table) == "b")
        #expect(id(SessionRules.decide(table: table, virtual: 0, sessionServer: nil, directed: "a") { nil }, table) == "b")
        #expect(SessionRules.decide(table: table, virtual: 0, sessionServer: "a", directed: nil) { nil } == .serve(1, startsSession: true))
    }

    @Test func aDownBackupFallsThroughToAHealthyServer() {
        let table = table(down: ["a", "b"])
        #expect(id(SessionRules.decide(table: table, virtual: 0, sessionServer: "a", directed: nil) { nil }, table) == "c")
        #expect(table.virtuals[0].candidates == [2])
    }

    @Test func aChainOfDownServersRebalancesAmongTheHealthyOnly() {
        let reals = [
            RealServerConfig(id: "a", url: "http://a.example/", backup: .server("b")),
            RealServerConfig(id: "b", url: "http://b.example/", backup: .server("a")),
            RealServerConfig(id: "c", url: "http://c.example/"),
        ]
        let table = table(down: ["a", "b"], reals: reals)
        #expect(table.virtuals[0].resolution == [nil, nil, 2])
        var asked = false
        let decision = SessionRules.decide(table: table, virtual: 0, sessionServer: "a", directed: nil) {
            asked = true
            return table.virtuals[0].candidates.first
        }
        #expect(asked)
        #expect(id(decision, table) == "c")
    }

    @Test func nothingAvailableIsUnavailable() {
        let table = table(down: ["a", "b", "c"])
        #expect(table.virtuals[0].candidates.isEmpty)
        #expect(SessionRules.decide(table: table, virtual: 0, sessionServer: "a", directed: nil) { nil } == .unavailable)
    }

    @Test func drainingAndZeroWeightTakeNoNewSessions() {
        var reals = Self.reals
        reals[0].drain = true
        reals[1].weight = 0
        let table = table(reals: reals)
        #expect(table.virtuals[0].candidates == [2])
        // Draining moves a's sessions to its backup; weight 0 keeps b's own.
        #expect(id(SessionRules.decide(table: table, virtual: 0, sessionServer: "a", directed: nil) { nil }, table) == "b")
        #expect(id(SessionRules.decide(table: table, virtual: 0, sessionServer: "b", directed: nil) { nil }, table) == "b")
        #expect(table.reals[0].state == .draining)
    }

    @Test func anotherVirtualServersSessionIsANewSessionHere() {
        let eu = VirtualServerConfig(name: "eu", listen: ["127.0.0.1:0"], reals: ["a", "b"])
        let table = table(virtuals: [eu])
        #expect(table.virtuals[1].candidates == [0, 1])
        #expect(SessionRules.decide(table: table, virtual: 1, sessionServer: "c", directed: nil) { 0 } == .serve(0, startsSession: true))
        #expect(SessionRules.decide(table: table, virtual: 1, sessionServer: nil, directed: "c") { 0 } == .unknownIdentifier)
    }
}
