import Foundation
import MirrorscopeGeo
import Testing

/// A real GeoLite2 City database (MaxMind's, of July 2018, as the PyPI package
/// maxminddb-geolite2 ships it; .ci/run puts it in .build-geo/). The expected answers are what
/// `mmdblookup` (libmaxminddb's own tool, Debian's mmdb-bin) reads from the same file.
enum GeoLite2 {
    static var path: String {
        if let path = ProcessInfo.processInfo.environment["MIRRORSCOPE_GEOLITE2_CITY"] { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build-geo/GeoLite2-City.mmdb").path
    }

    static var missing: String? {
        FileManager.default.fileExists(atPath: path) ? nil
            : "no GeoLite2 City database at \(path) (.ci/run downloads it; or set MIRRORSCOPE_GEOLITE2_CITY)"
    }
}

@Suite(.enabled(if: GeoLite2.missing == nil, Comment(rawValue: GeoLite2.missing ?? "")))
struct GeoDatabaseTests {
    @Test(arguments: [
        ("8.8.8.8", "US", "NA", 37.751, -97.822),
        ("81.2.69.160", "GB", "EU", 51.5333, -0.2333),
        ("194.254.3.1", "FR", "EU", 48.8582, 2.3387),
        ("133.11.0.1", "JP", "AS", 35.69, 139.69),
        ("2001:4860:4860::8888", "US", "NA", 37.4192, -122.0574),
    ])
    func addressesAreFoundWhereMmdblookupFindsThem(address: String, country: String, continent: String, latitude: Double, longitude: Double) throws {
        let database = try GeoDatabase(path: GeoLite2.path)
        let answer = try #require(database.lookup(address))
        #expect(answer.country == country)
        #expect(answer.continent == continent)
        #expect(abs((answer.latitude ?? 0) - latitude) < 0.001)
        #expect(abs((answer.longitude ?? 0) - longitude) < 0.001)
        #expect(answer.asn == nil, "a City database has no ASN")
    }

    @Test func privateAddressesAndNonAddressesHaveNoAnswer() throws {
        let database = try GeoDatabase(path: GeoLite2.path)
        #expect(database.lookup("127.0.0.1") == nil)
        #expect(database.lookup("10.1.2.3") == nil)
        // Never a name lookup: a header value that is a name is no address.
        #expect(database.lookup("example.org") == nil)
        #expect(database.lookup("") == nil)
        #expect(database.lookup(String(repeating: "1", count: 10_000)) == nil)
    }

    @Test func lookupsFromManyThreadsAgree() async throws {
        let database = try GeoDatabase(path: GeoLite2.path)
        let countries = await withTaskGroup(of: String?.self) { group in
            for _ in 0..<64 { group.addTask { database.lookup("194.254.3.1")?.country } }
            return await group.reduce(into: [String?]()) { $0.append($1) }
        }
        #expect(countries.count == 64 && countries.allSatisfy { $0 == "FR" })
    }
}

@Test func aFileThatIsNoDatabaseIsAClearError() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-db-\(UUID().uuidString).mmdb").path
    try Data("not a MaxMind DB".utf8).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(throws: GeoDatabaseError.self) { try GeoDatabase(path: path) }
    do {
        _ = try GeoDatabase(path: path)
    } catch {
        #expect(error.description.hasPrefix(path), "\(error)")
        #expect(error.description.lowercased().contains("metadata") || error.description.lowercased().contains("invalid"), "\(error)")
    }
    #expect(throws: GeoDatabaseError.self) { try GeoDatabase(path: "/nonexistent/GeoLite2-City.mmdb") }
}
