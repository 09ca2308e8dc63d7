import MirrorscopeGeo
import Testing

@Suite struct GeoTiersTests {
    static let mirrors = [
        GeoCandidate(id: "isp-de", country: "DE", continent: "EU", latitude: 52.52, longitude: 13.40, asns: [3320]),
        GeoCandidate(id: "berlin", country: "DE", continent: "EU", latitude: 52.52, longitude: 13.40),
        GeoCandidate(id: "frankfurt", country: "DE", continent: "EU", latitude: 50.11, longitude: 8.68),
        GeoCandidate(id: "paris", country: "FR", continent: "EU", latitude: 48.86, longitude: 2.35),
        GeoCandidate(id: "tokyo", country: "JP", continent: "AS", latitude: 35.69, longitude: 139.69),
        GeoCandidate(id: "osaka", country: "JP", continent: "AS", latitude: 34.69, longitude: 135.50),
        GeoCandidate(id: "virginia", country: "US", continent: "NA", latitude: 38.80, longitude: -77.50),
        GeoCandidate(id: "nowhere"),
    ]

    func choose(_ client: GeoAnswer?, _ mirrors: [GeoCandidate] = mirrors) -> GeoChoice {
        GeoTiers.choose(client: client, among: mirrors)
    }

    @Test func theClientsOwnNetworkComesFirst() {
        let choice = choose(GeoAnswer(country: "DE", continent: "EU", asn: 3320))
        #expect(choice.tier == .asn && choice.candidates == ["isp-de"])
    }

    @Test func thenItsCountryWithEveryMirrorThere() {
        let choice = choose(GeoAnswer(country: "DE", continent: "EU", asn: 64_512))
        #expect(choice.tier == .country && choice.candidates == ["isp-de", "berlin", "frankfurt"])
    }

    @Test func thenItsContinent() {
        let choice = choose(GeoAnswer(country: "IT", continent: "EU", latitude: 41.9, longitude: 12.5))
        #expect(choice.tier == .continent && choice.candidates == ["isp-de", "berlin", "frankfurt", "paris"])
    }

    @Test func thenTheNearestWithThoseAlmostAsNear() {
        // Sydney: no Oceanian mirror; Tokyo and Osaka are both about 7 800 km away, Virginia 15 700.
        let choice = choose(GeoAnswer(country: "AU", continent: "OC", latitude: -33.87, longitude: 151.21))
        #expect(choice.tier == .nearest)
        #expect(Set(choice.candidates) == ["tokyo", "osaka"])
    }

    @Test func withoutAnAnswerAnywhere() {
        #expect(choose(nil) == GeoChoice(tier: .anywhere, candidates: Self.mirrors.map(\.id), excluded: [:]))
        // Only a country, none of whose mirrors exist, and no continent or location: anywhere.
        #expect(choose(GeoAnswer(country: "BR")).tier == .anywhere)
    }

    @Test func countryRulesExcludeAndSayWhy() {
        let mirrors = [
            GeoCandidate(id: "domestic", country: "CN", continent: "AS", countries: ["CN"]),
            GeoCandidate(id: "no-cn", country: "JP", continent: "AS", excludeCountries: ["cn"]),
            GeoCandidate(id: "open", country: "SG", continent: "AS"),
        ]
        let fromChina = choose(GeoAnswer(country: "CN", continent: "AS"), mirrors)
        #expect(fromChina.tier == .country && fromChina.candidates == ["domestic"])
        #expect(fromChina.excluded == ["no-cn": "excludes CN"])
        let fromJapan = choose(GeoAnswer(country: "JP", continent: "AS"), mirrors)
        #expect(fromJapan.tier == .country && fromJapan.candidates == ["no-cn"])
        #expect(fromJapan.excluded == ["domestic": "serves only CN"])
        // A client with no known country cannot be shown to be in CN: the domestic-only mirror is out.
        #expect(choose(nil, mirrors).candidates == ["no-cn", "open"])
    }

    @Test func distancesAreGreatCircle() {
        // Paris–Berlin about 878 km; London–New York about 5 570 km.
        #expect(abs(GeoTiers.distanceKm(48.86, 2.35, 52.52, 13.40) - 878) < 10)
        #expect(abs(GeoTiers.distanceKm(51.51, -0.13, 40.71, -74.01) - 5570) < 20)
        #expect(GeoTiers.distanceKm(10, 10, 10, 10) == 0)
    }

    @Test func answersMerge() {
        let city = GeoAnswer(country: "DE", continent: "EU", latitude: 1, longitude: 2)
        #expect(city.merged(with: GeoAnswer(asn: 3320)) == GeoAnswer(country: "DE", continent: "EU", latitude: 1, longitude: 2, asn: 3320))
        #expect(city.merged(with: nil) == city)
    }
}
