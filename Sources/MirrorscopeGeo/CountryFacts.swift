/// What the tiers need to know of a country when a real server gives only its country: its
/// continent (MaxMind's codes) and a centre to measure distances from.
///
/// The centres are those of Google's DSPL "countries" table
/// (https://developers.google.com/public-data/docs/canonical/countries_csv), rounded to two
/// decimals (about 1 km). Not every country: the 73 below, where most public mirrors are
/// (docs/director.md lists them). A server elsewhere gives `latitude`/`longitude` (and
/// `continent`) itself, or it takes part in the ASN and country tiers only.
public enum CountryFacts {
    public struct Facts: Sendable, Hashable {
        public var continent: String
        public var latitude: Double
        public var longitude: Double
    }

    /// By ISO 3166-1 alpha-2 code, upper case.
    public static func facts(_ country: String) -> Facts? { table[country.uppercased()] }

    /// The codes covered, sorted (for the docs and error messages).
    public static var covered: [String] { table.keys.sorted() }

    /// MaxMind's continent codes.
    public static let continents: Set<String> = ["AF", "AN", "AS", "EU", "NA", "OC", "SA"]

    private static let table: [String: Facts] = [
        "AE": .init(continent: "AS", latitude: 23.42, longitude: 53.85),
        "AR": .init(continent: "SA", latitude: -38.42, longitude: -63.62),
        "AT": .init(continent: "EU", latitude: 47.52, longitude: 14.55),
        "AU": .init(continent: "OC", latitude: -25.27, longitude: 133.78),
        "BD": .init(continent: "AS", latitude: 23.68, longitude: 90.36),
        "BE": .init(continent: "EU", latitude: 50.50, longitude: 4.47),
        "BG": .init(continent: "EU", latitude: 42.73, longitude: 25.49),
        "BR": .init(continent: "SA", latitude: -14.24, longitude: -51.93),
        "BY": .init(continent: "EU", latitude: 53.71, longitude: 27.95),
        "CA": .init(continent: "NA", latitude: 56.13, longitude: -106.35),
        "CH": .init(continent: "EU", latitude: 46.82, longitude: 8.23),
        "CL": .init(continent: "SA", latitude: -35.68, longitude: -71.54),
        "CN": .init(continent: "AS", latitude: 35.86, longitude: 104.20),
        "CO": .init(continent: "SA", latitude: 4.57, longitude: -74.30),
        "CY": .init(continent: "EU", latitude: 35.13, longitude: 33.43),
        "CZ": .init(continent: "EU", latitude: 49.82, longitude: 15.47),
        "DE": .init(continent: "EU", latitude: 51.17, longitude: 10.45),
        "DK": .init(continent: "EU", latitude: 56.26, longitude: 9.50),
        "EC": .init(continent: "SA", latitude: -1.83, longitude: -78.18),
        "EE": .init(continent: "EU", latitude: 58.60, longitude: 25.01),
        "EG": .init(continent: "AF", latitude: 26.82, longitude: 30.80),
        "ES": .init(continent: "EU", latitude: 40.46, longitude: -3.75),
        "FI": .init(continent: "EU", latitude: 61.92, longitude: 25.75),
        "FR": .init(continent: "EU", latitude: 46.23, longitude: 2.21),
        "GB": .init(continent: "EU", latitude: 55.38, longitude: -3.44),
        "GE": .init(continent: "AS", latitude: 42.32, longitude: 43.36),
        "GR": .init(continent: "EU", latitude: 39.07, longitude: 21.82),
        "HK": .init(continent: "AS", latitude: 22.40, longitude: 114.11),
        "HR": .init(continent: "EU", latitude: 45.10, longitude: 15.20),
        "HU": .init(continent: "EU", latitude: 47.16, longitude: 19.50),
        "ID": .init(continent: "AS", latitude: -0.79, longitude: 113.92),
        "IE": .init(continent: "EU", latitude: 53.41, longitude: -8.24),
        "IL": .init(continent: "AS", latitude: 31.05, longitude: 34.85),
        "IN": .init(continent: "AS", latitude: 20.59, longitude: 78.96),
        "IR": .init(continent: "AS", latitude: 32.43, longitude: 53.69),
        "IS": .init(continent: "EU", latitude: 64.96, longitude: -19.02),
        "IT": .init(continent: "EU", latitude: 41.87, longitude: 12.57),
        "JP": .init(continent: "AS", latitude: 36.20, longitude: 138.25),
        "KE": .init(continent: "AF", latitude: -0.02, longitude: 37.91),
        "KR": .init(continent: "AS", latitude: 35.91, longitude: 127.77),
        "KZ": .init(continent: "AS", latitude: 48.02, longitude: 66.92),
        "LT": .init(continent: "EU", latitude: 55.17, longitude: 23.88),
        "LU": .init(continent: "EU", latitude: 49.82, longitude: 6.13),
        "LV": .init(continent: "EU", latitude: 56.88, longitude: 24.60),
        "MA": .init(continent: "AF", latitude: 31.79, longitude: -7.09),
        "MD": .init(continent: "EU", latitude: 47.41, longitude: 28.37),
        "MX": .init(continent: "NA", latitude: 23.63, longitude: -102.55),
        "MY": .init(continent: "AS", latitude: 4.21, longitude: 101.98),
        "NG": .init(continent: "AF", latitude: 9.08, longitude: 8.68),
        "NL": .init(continent: "EU", latitude: 52.13, longitude: 5.29),
        "NO": .init(continent: "EU", latitude: 60.47, longitude: 8.47),
        "NZ": .init(continent: "OC", latitude: -40.90, longitude: 174.89),
        "PE": .init(continent: "SA", latitude: -9.19, longitude: -75.02),
        "PH": .init(continent: "AS", latitude: 12.88, longitude: 121.77),
        "PK": .init(continent: "AS", latitude: 30.38, longitude: 69.35),
        "PL": .init(continent: "EU", latitude: 51.92, longitude: 19.15),
        "PT": .init(continent: "EU", latitude: 39.40, longitude: -8.22),
        "RO": .init(continent: "EU", latitude: 45.94, longitude: 24.97),
        "RS": .init(continent: "EU", latitude: 44.02, longitude: 21.01),
        "RU": .init(continent: "EU", latitude: 61.52, longitude: 105.32),
        "SA": .init(continent: "AS", latitude: 23.89, longitude: 45.08),
        "SE": .init(continent: "EU", latitude: 60.13, longitude: 18.64),
        "SG": .init(continent: "AS", latitude: 1.35, longitude: 103.82),
        "SI": .init(continent: "EU", latitude: 46.15, longitude: 15.00),
        "SK": .init(continent: "EU", latitude: 48.67, longitude: 19.70),
        "TH": .init(continent: "AS", latitude: 15.87, longitude: 100.99),
        "TR": .init(continent: "AS", latitude: 38.96, longitude: 35.24),
        "TW": .init(continent: "AS", latitude: 23.70, longitude: 120.96),
        "UA": .init(continent: "EU", latitude: 48.38, longitude: 31.17),
        "US": .init(continent: "NA", latitude: 37.09, longitude: -95.71),
        "UY": .init(continent: "SA", latitude: -32.52, longitude: -55.77),
        "VN": .init(continent: "AS", latitude: 14.06, longitude: 108.28),
        "ZA": .init(continent: "AF", latitude: -30.56, longitude: 22.94),
    ]
}
