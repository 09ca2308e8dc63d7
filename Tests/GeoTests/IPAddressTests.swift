import MirrorscopeGeo
import Testing

@Suite struct IPAddressTests {
    @Test func bothFamiliesParseAndPrintBack() {
        #expect(IPAddress("81.2.69.160")?.description == "81.2.69.160")
        #expect(IPAddress("81.2.69.160")?.isV4 == true)
        #expect(IPAddress("2001:DB8::1")?.description == "2001:db8::1")
        #expect(IPAddress("2001:db8::1")?.isV4 == false)
        // A dual-stack socket's view of an IPv4 peer is that IPv4 address.
        #expect(IPAddress("::ffff:127.0.0.1") == IPAddress("127.0.0.1"))
    }

    @Test func namesAndGarbageAreNoAddresses() {
        for text in ["", "localhost", "1.2.3", "1.2.3.256", "[::1]", "::1%lo", "1.2.3.4:80", String(repeating: "1", count: 100)] {
            #expect(IPAddress(text) == nil, "\(text)")
        }
    }

    @Test func networksMatchTheirAddressesOnly() throws {
        let eight = try #require(IPNetwork("10.1.2.3/8"))
        #expect(eight.description == "10.0.0.0/8")
        #expect(eight.contains(IPAddress("10.255.0.1")!))
        #expect(!eight.contains(IPAddress("11.0.0.1")!))
        #expect(!eight.contains(IPAddress("::a00:1")!), "an IPv4 block holds no IPv6 address")
        let one = try #require(IPNetwork("127.0.0.1"))
        #expect(one.contains(IPAddress("::ffff:127.0.0.1")!) && !one.contains(IPAddress("127.0.0.2")!))
        let v6 = try #require(IPNetwork("2001:db8::/33"))
        #expect(v6.contains(IPAddress("2001:db8:7fff::1")!) && !v6.contains(IPAddress("2001:db8:8000::1")!))
        #expect(IPNetwork("::/0")!.contains(IPAddress("1.2.3.4")!))
        #expect(IPNetwork("0.0.0.0/0")!.contains(IPAddress("1.2.3.4")!))
        for text in ["10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8", "10.0.0.0/x", "example.org/8"] {
            #expect(IPNetwork(text) == nil, "\(text)")
        }
    }

    @Test func aParsedAddressIsFoundAsItsTextIs() throws {
        guard GeoLite2.missing == nil else { return }
        let database = try GeoDatabase(path: GeoLite2.path)
        for text in ["8.8.8.8", "81.2.69.160", "194.254.3.1", "2001:4860:4860::8888", "10.1.2.3"] {
            #expect(database.lookup(IPAddress(text)!) == database.lookup(text), "\(text)")
        }
    }

    @Test func countryFactsGiveContinentsAndCentres() throws {
        let germany = try #require(CountryFacts.facts("de"))
        #expect(germany.continent == "EU")
        #expect(abs(germany.latitude - 51.17) < 0.01 && abs(germany.longitude - 10.45) < 0.01)
        #expect(CountryFacts.facts("XX") == nil)
        #expect(CountryFacts.covered.allSatisfy { CountryFacts.continents.contains(CountryFacts.facts($0)!.continent) })
    }
}
