import MirrorscopeFarm
import Testing

extension ProberAndFarmTests {
    /// The demo's farm: plausible, repeatable, with each fault present.
    @Suite struct DemoFarmTests {
        @Test func twelveCitiesWithOneOfEachFault() {
            let config = FarmConfig.demo()
            #expect(config.mirrors.count == 12)
            #expect(config.mirrors.first?.name == "Frankfurt")
            #expect(config.mirrors.first?.location == "de")
            #expect(Set(config.mirrors.map(\.id)).count == 12)
            #expect(config.mirrors.filter { $0.fault == .refuse }.count == 1)
            #expect(config.mirrors.filter { $0.fault == .hang }.count == 1)
            #expect(config.mirrors.filter { $0.fault == .status(503) }.count == 1)
            #expect(config.mirrors.allSatisfy { (5...300).contains($0.delayMs) && $0.jitterMs >= 1 })
            #expect(config.mirrors.filter { $0.tls }.count >= 2, "some mirrors serve https, so the TLS phase shows")
            #expect(config.mirrors.allSatisfy { !$0.tls || $0.fault == nil })
            #expect(!FarmConfig.demo(tls: false).mirrors.contains { $0.tls })
            let delays = config.mirrors.map(\.delayMs).sorted()
            #expect(delays.first! < 40 && delays.last! > 260, "delays spread over the range: \(delays)")
            #expect(config.mirrors == FarmConfig.demo().mirrors, "the same seed gives the same farm")
            #expect(config.mirrors.map(\.delayMs) != FarmConfig.demo(seed: 2).mirrors.map(\.delayMs))
            #expect(FarmConfig.demo(jitter: false).mirrors.allSatisfy { $0.jitterMs == 0 })
        }

        @Test func fiveHundredMirrors() {
            let config = FarmConfig.demo(count: 500)
            #expect(config.mirrors.count == 500)
            #expect(Set(config.mirrors.map(\.name)).count == 500)
            #expect(Set(config.mirrors.map(\.id)).count == 500)
            #expect(config.mirrors.contains { $0.name == "Frankfurt 2" && $0.id == "frankfurt-2" })
            #expect(config.mirrors.contains { $0.id == "sao-paulo" })
            let delays = config.mirrors.map(\.delayMs)
            #expect(delays.min()! >= 5 && delays.min()! <= 8)
            #expect(delays.max()! <= 300 && delays.max()! >= 297)
            for fault in [FarmFault.refuse, .hang, .status(503)] {
                #expect(config.mirrors.filter { $0.fault == fault }.count == 10, "2 % of the mirrors: \(fault)")
            }
        }

        @Test func faultsReadAndWriteAsWords() throws {
            for fault in [FarmFault.refuse, .hang, .reset, .status(503)] {
                #expect(FarmFault(fault.description) == fault)
            }
            #expect(FarmFault("status 99") == nil)
            #expect(FarmFault("explode") == nil)
        }
    }
}
