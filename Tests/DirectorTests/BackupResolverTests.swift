import Testing
@testable import MirrorscopeDirector

@Suite struct BackupResolverTests {
    typealias Node = BackupResolver.Node

    @Test func anAvailableServerServesItself() {
        let nodes = ["a": Node(backup: .server("b"), available: true), "b": Node(backup: .primary, available: true)]
        #expect(BackupResolver.resolve("a", nodes: nodes) == .serve("a"))
    }

    @Test func aDownServerGoesToItsBackup() {
        let nodes = ["a": Node(backup: .server("b"), available: false), "b": Node(backup: .primary, available: true)]
        #expect(BackupResolver.resolve("a", nodes: nodes) == .serve("b"))
    }

    @Test func aChainIsFollowedPastDownBackups() {
        let nodes = ["a": Node(backup: .server("b"), available: false),
                     "b": Node(backup: .server("c"), available: false),
                     "c": Node(backup: .primary, available: true)]
        #expect(BackupResolver.resolve("a", nodes: nodes) == .serve("c"))
    }

    @Test func aChainEndingInADownServerRebalancesNeverServesDown() {
        let nodes = ["a": Node(backup: .server("b"), available: false),
                     "b": Node(backup: .primary, available: false),
                     "c": Node(backup: .primary, available: true)]
        #expect(BackupResolver.resolve("a", nodes: nodes) == .rebalance)
    }

    @Test func cyclesEndInRebalancing() {
        let nodes = ["a": Node(backup: .server("b"), available: false),
                     "b": Node(backup: .server("a"), available: false),
                     "c": Node(backup: .primary, available: true)]
        #expect(BackupResolver.resolve("a", nodes: nodes) == .rebalance)
        #expect(BackupResolver.resolve("b", nodes: nodes) == .rebalance)
        let selfLoop = ["a": Node(backup: .server("a"), available: false)]
        #expect(BackupResolver.resolve("a", nodes: selfLoop) == .rebalance)
    }

    @Test func primaryBackupAndUnknownIdsRebalance() {
        let nodes = ["a": Node(backup: .primary, available: false), "b": Node(backup: .server("gone"), available: false)]
        #expect(BackupResolver.resolve("a", nodes: nodes) == .rebalance)
        #expect(BackupResolver.resolve("b", nodes: nodes) == .rebalance)
        #expect(BackupResolver.resolve("nobody", nodes: nodes) == .rebalance)
    }
}
