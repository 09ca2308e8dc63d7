import MirrorscopeCore
import MirrorscopeGeo
import NIOCore

/// One event loop's cached parts of redirects' `Link: rel=duplicate` headers: the mirrors' order
/// per virtual server and client place (`MirrorRanking`, computed once per place, not per
/// request), and each mirror's fixed bytes around the path. Dropped with every new snapshot.
struct LinkOrders {
    private struct Key: Hashable {
        var virtual: Int
        var client: GeoAnswer?
    }

    struct Parts {
        /// `Link: <` and the mirror's base URL.
        var head: ByteBuffer
        /// `; geo=cc` (when its location is a country code) and the line's end.
        var tail: ByteBuffer
    }

    private var orders: [Key: [RankedMirror]] = [:]
    private var parts: [Int: Parts] = [:]
    /// Bound on the places remembered; past it they start afresh (cheaply rebuilt).
    static let maxOrders = 4096

    mutating func order(virtual: Int, client: GeoAnswer?, snapshot: Snapshot) -> [RankedMirror] {
        let key = Key(virtual: virtual, client: client)
        if let known = orders[key] { return known }
        let order = MirrorRanking.rank(table: snapshot.table, virtual: virtual, geo: snapshot.geo, client: client)
        if orders.count >= Self.maxOrders { orders.removeAll() }
        orders[key] = order
        return order
    }

    mutating func parts(for real: RealEntry, tls: Bool) -> Parts {
        let key = real.slot << 1 | (tls ? 1 : 0)
        if let cached = parts[key] { return cached }
        let geo = DuplicateLink.countryCode(real.config.geoCountry ?? real.config.location).map { "; geo=\($0)" } ?? ""
        let made = Parts(head: ByteBuffer(string: "Link: <" + real.config.baseURL(tls: tls)), tail: ByteBuffer(string: geo + "\r\n"))
        parts[key] = made
        return made
    }

    mutating func removeAll() {
        orders.removeAll()
        parts.removeAll()
    }
}
