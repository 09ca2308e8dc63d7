#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CMaxMindDB

/// Where an address is, as far as a MaxMind DB file says (GeoLite2/GeoIP2 City or Country, or an
/// ASN database): the fields the director's tiers use, each nil when the file has none.
public struct GeoAnswer: Sendable, Hashable {
    /// ISO 3166-1 alpha-2, upper case ("DE"); the registered country when the file has no other.
    public var country: String?
    /// MaxMind's continent code ("EU", "NA", "AS", "SA", "AF", "OC", "AN").
    public var continent: String?
    public var latitude: Double?
    public var longitude: Double?
    /// The autonomous system (ASN databases).
    public var asn: UInt32?

    public init(country: String? = nil, continent: String? = nil, latitude: Double? = nil, longitude: Double? = nil,
                asn: UInt32? = nil) {
        self.country = country
        self.continent = continent
        self.latitude = latitude
        self.longitude = longitude
        self.asn = asn
    }

    /// This answer with the fields `other` has and this one lacks (a City answer and an ASN answer
    /// for the same address).
    public func merged(with other: GeoAnswer?) -> GeoAnswer {
        guard let other else { return self }
        return GeoAnswer(country: country ?? other.country, continent: continent ?? other.continent,
                         latitude: latitude ?? other.latitude, longitude: longitude ?? other.longitude,
                         asn: asn ?? other.asn)
    }
}

public struct GeoDatabaseError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// One MaxMind DB file, opened once (memory-mapped, read-only) and read by libmaxminddb, whose
/// lookups on an opened database are safe from any number of threads.
public final class GeoDatabase: @unchecked Sendable {  // the MMDB_s is never written after open
    public let path: String
    private let mmdb: UnsafeMutablePointer<MMDB_s>

    public init(path: String) throws(GeoDatabaseError) {
        // Opened before any stored property is set: a failed open then leaves no object whose
        // deinit would close what was never opened.
        let opened = UnsafeMutablePointer<MMDB_s>.allocate(capacity: 1)
        let status = MMDB_open(path, UInt32(MMDB_MODE_MMAP), opened)
        guard status == MMDB_SUCCESS else {
            opened.deallocate()
            throw GeoDatabaseError(description: "\(path): \(String(cString: MMDB_strerror(status)))")
        }
        self.path = path
        mmdb = opened
    }

    deinit {
        MMDB_close(mmdb)
        mmdb.deallocate()
    }

    /// What the file says of `address` (an IPv4 or IPv6 literal); nil when it has no entry for it
    /// or the text is not an address. Never a name lookup: libmaxminddb parses the text with
    /// getaddrinfo's AI_NUMERICHOST (`mmdblookup --ip localhost` fails), so a header value that
    /// is a name costs nothing.
    public func lookup(_ address: String) -> GeoAnswer? {
        var gaiError: Int32 = 0
        var mmdbError: Int32 = 0
        let result = MMDB_lookup_string(mmdb, address, &gaiError, &mmdbError)
        guard gaiError == 0 else { return nil }
        return answer(result, mmdbError)
    }

    /// What the file says of an address already parsed (the director's request path: no text,
    /// no getaddrinfo).
    public func lookup(_ address: IPAddress) -> GeoAnswer? {
        var mmdbError: Int32 = 0
        let result: MMDB_lookup_result_s
        if address.isV4 {
            var v4 = sockaddr_in()
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_addr.s_addr = UInt32(truncatingIfNeeded: address.low).bigEndian
            result = withUnsafePointer(to: &v4) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { MMDB_lookup_sockaddr(mmdb, $0, &mmdbError) }
            }
        } else {
            var v6 = sockaddr_in6()
            v6.sin6_family = sa_family_t(AF_INET6)
            withUnsafeMutableBytes(of: &v6.sin6_addr) { raw in
                withUnsafeBytes(of: address.high.bigEndian) { raw[0..<8].copyBytes(from: $0) }
                withUnsafeBytes(of: address.low.bigEndian) { raw[8..<16].copyBytes(from: $0) }
            }
            result = withUnsafePointer(to: &v6) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { MMDB_lookup_sockaddr(mmdb, $0, &mmdbError) }
            }
        }
        return answer(result, mmdbError)
    }

    private func answer(_ found: MMDB_lookup_result_s, _ mmdbError: Int32) -> GeoAnswer? {
        var result = found
        guard mmdbError == MMDB_SUCCESS, result.found_entry else { return nil }
        return withUnsafeMutablePointer(to: &result.entry) { entry in
            var answer = GeoAnswer()
            answer.country = Self.string(entry, ms_mmdb_country).map { $0.uppercased() }
            answer.continent = Self.string(entry, ms_mmdb_continent).map { $0.uppercased() }
            var value = 0.0
            if ms_mmdb_latitude(entry, &value) == 0 { answer.latitude = value }
            if ms_mmdb_longitude(entry, &value) == 0 { answer.longitude = value }
            var asn: UInt32 = 0
            if ms_mmdb_asn(entry, &asn) == 0 { answer.asn = asn }
            return answer
        }
    }

    private static func string(_ entry: UnsafeMutablePointer<MMDB_entry_s>,
                               _ read: (UnsafeMutablePointer<MMDB_entry_s>?, UnsafeMutablePointer<CChar>?, Int) -> Int32) -> String? {
        // Codes only (two or three letters): a stack buffer, no allocation on the request path.
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 16) { buffer in
            let n = read(entry, buffer.baseAddress, buffer.count)
            guard n > 0 else { return nil }
            return String(decoding: UnsafeRawBufferPointer(buffer).prefix(Int(n)), as: UTF8.self)
        }
    }
}
