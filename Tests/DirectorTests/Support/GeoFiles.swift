import Foundation

/// The GeoIP test databases in .build-geo/ (.ci/run makes both): MaxMind's real GeoLite2 City file
/// of July 2018, and a small ASN file written by .ci/make-test-asn-db.py (mmdb-writer).
enum GeoFiles {
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    static var city: String {
        ProcessInfo.processInfo.environment["MIRRORSCOPE_GEOLITE2_CITY"] ?? root.appendingPathComponent(".build-geo/GeoLite2-City.mmdb").path
    }

    static var asn: String { root.appendingPathComponent(".build-geo/Test-ASN.mmdb").path }

    static var cityMissing: String? {
        FileManager.default.fileExists(atPath: city) ? nil
            : "no GeoLite2 City database at \(city) (.ci/run downloads it; or set MIRRORSCOPE_GEOLITE2_CITY)"
    }

    static var asnMissing: String? {
        FileManager.default.fileExists(atPath: asn) ? nil
            : "no test ASN database at \(asn) (.ci/run writes it with .ci/make-test-asn-db.py)"
    }
}
