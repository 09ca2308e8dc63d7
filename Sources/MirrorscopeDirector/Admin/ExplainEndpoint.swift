import Foundation
import MirrorscopeGeo
import NIOCore

/// `GET /-/explain?ip=ADDR&path=PATH` (admin token): what a new session from ADDR asking for PATH
/// would get now, and why: the databases' answer, the tier, its candidates with their weights (and
/// distances in the nearest tier), the servers the country rules leave out, and the server the
/// balancer would pick next on the loop that answers (without moving it).
enum ExplainEndpoint {
    struct Lookup: Encodable {
        var country: String?
        var continent: String?
        var asn: UInt32?
        var latitude: Double?
        var longitude: Double?

        func encode(to encoder: any Encoder) throws {  // every key, null when unknown
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(country, forKey: .country)
            try c.encode(continent, forKey: .continent)
            try c.encode(asn, forKey: .asn)
            try c.encode(latitude, forKey: .latitude)
            try c.encode(longitude, forKey: .longitude)
        }

        enum CodingKeys: String, CodingKey { case country, continent, asn, latitude, longitude }
    }

    struct Candidate: Encodable {
        var id: String
        var weight: Int
        var country: String?
        var distanceKm: Double?
        /// "present", "absent", "unknown", or "not checked" (file checks off, or not asked).
        var holding: String

        enum CodingKeys: String, CodingKey { case id, weight, country, distanceKm = "distance_km", holding }
    }

    struct Exclusion: Encodable {
        var id: String
        var reason: String
    }

    struct Server: Encodable {
        var id: String
        var url: String
    }

    struct Answer: Encodable {
        var address: String
        var path: String
        var virtual: String
        var geoip: Bool
        var lookup: Lookup?
        var tier: String?
        var why: String
        var candidates: [Candidate]
        var excluded: [Exclusion]
        var server: Server?

        func encode(to encoder: any Encoder) throws {  // nulls written: a reader sees every key
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(address, forKey: .address)
            try c.encode(path, forKey: .path)
            try c.encode(virtual, forKey: .virtual)
            try c.encode(geoip, forKey: .geoip)
            try c.encode(lookup, forKey: .lookup)
            try c.encode(tier, forKey: .tier)
            try c.encode(why, forKey: .why)
            try c.encode(candidates, forKey: .candidates)
            try c.encode(excluded, forKey: .excluded)
            try c.encode(server, forKey: .server)
        }

        enum CodingKeys: String, CodingKey { case address, path, virtual, geoip, lookup, tier, why, candidates, excluded, server }
    }

    /// Runs on the request's event loop (it reads that loop's balancers). With file checks on, the
    /// path's holdings are found first (checking the mirrors that have no fresh answer), so the
    /// answer is what the request itself would get.
    static func respond(to request: ControlRequest, loop: LoopState, files: FileChecker) -> EventLoopFuture<ControlResponse> {
        let eventLoop = loop.eventLoop
        let snapshot = loop.snapshot
        if let refusal = AdminAPI.refusal(request, snapshot: snapshot) { return eventLoop.makeSucceededFuture(refusal) }
        guard case .content(let rest) = target(of: request), let cache = snapshot.holdings[request.virtual] else {
            return eventLoop.makeSucceededFuture(respond(to: request, loop: loop, holdings: nil))
        }
        switch files.holdings(path: String(FileChecker.path(of: rest)), virtual: request.virtual, table: snapshot.table,
                              cache: cache, on: eventLoop) {
        case .ready(let holdings):
            return eventLoop.makeSucceededFuture(respond(to: request, loop: loop, holdings: holdings))
        case .waiting(let future):
            let generation = snapshot.generation
            return future.assumeIsolated().map { holdings in
                respond(to: request, loop: loop, holdings: loop.snapshot.generation == generation ? holdings : nil)
            }.nonisolated()
        }
    }

    private static func target(of request: ControlRequest) -> RequestTarget {
        let path = MirrorPage.queryValue("path", in: request.query).map { $0.removingPercentEncoding ?? $0 } ?? "/"
        return RequestTarget.classify(path.hasPrefix("/") ? path : "/" + path)
    }

    private static func respond(to request: ControlRequest, loop: LoopState, holdings: PathHoldings?) -> ControlResponse {
        let snapshot = loop.snapshot
        if let refusal = AdminAPI.refusal(request, snapshot: snapshot) { return refusal }
        guard request.method == .GET || request.method == .HEAD else {
            var response = ControlResponse.json(.methodNotAllowed, ["error": "/-/explain answers GET"])
            response.headers.add(name: "Allow", value: "GET, HEAD")
            return response
        }
        let rawIP = MirrorPage.queryValue("ip", in: request.query).map { $0.removingPercentEncoding ?? $0 }
        guard let rawIP, let address = IPAddress(rawIP) else {
            return .json(.badRequest, ["error": "ip must be an IPv4 or IPv6 address (/-/explain?ip=ADDR&path=PATH)"])
        }
        guard case .content(let rest) = target(of: request) else {
            return .json(.badRequest, ["error": "path must be a content path such as /files/x.tar.gz"])
        }
        let table = snapshot.table
        let explanation = loop.explain(virtual: request.virtual, address: address, holdings: holdings)
        func holding(_ index: Int) -> String { holdings?.states[index]?.rawValue ?? "not checked" }
        let answer = explanation.answer
        let nearest = explanation.choice?.tier == .nearest
        let geo = snapshot.geo
        let geoByID = Dictionary((geo?.candidates[request.virtual] ?? []).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let candidates = explanation.candidates.map { index -> Candidate in
            let real = table.reals[index].config
            var distance: Double?
            if nearest, let answer, let lat = answer.latitude, let lon = answer.longitude,
               let place = geoByID[real.id], let plat = place.latitude, let plon = place.longitude {
                distance = (GeoTiers.distanceKm(lat, lon, plat, plon) * 10).rounded() / 10
            }
            return Candidate(id: real.id, weight: real.weight, country: geoByID[real.id]?.country, distanceKm: distance,
                             holding: holding(index))
        }
        var excluded = (explanation.choice?.excluded ?? [:]).sorted { $0.key < $1.key }.map { Exclusion(id: $0.key, reason: $0.value) }
        let view = table.virtuals[request.virtual]
        for index in view.candidates where holdings?.usable(index) == false {
            excluded.append(Exclusion(id: table.reals[index].config.id, reason: "does not hold /\(FileChecker.path(of: rest)) (HEAD 404 or 410)"))
        }
        // Stale members are not candidates at all (`VirtualTable`): say why they are missing.
        for index in table.reals.indices where view.isMember[index] && !view.candidates.contains(index) {
            guard let verdict = view.freshness[index], verdict.stale else { continue }
            let behind = verdict.behindSeconds.map { "\($0) s behind" } ?? "behind"
            excluded.append(Exclusion(id: table.reals[index].config.id, reason: "stale: \(behind), more than max_behind (no new sessions)"))
        }
        let why: String
        switch (geo, answer, explanation.choice?.tier) {
        case (nil, _, _): why = "no GeoIP database is configured: balanced by weight among every available server"
        case (_, nil, _): why = "the databases know nothing of this address: balanced by weight among every available server"
        case (_, _, .asn?): why = "servers in the client's network (AS\(answer?.asn ?? 0))"
        case (_, _, .country?): why = "servers in the client's country (\(answer?.country ?? "?"))"
        case (_, _, .continent?): why = "servers on the client's continent (\(answer?.continent ?? "?"))"
        case (_, _, .nearest?): why = "the nearest servers (within \(Int(GeoTiers.nearSlackKm)) km or \(Int(GeoTiers.nearSlackShare * 100))% of the nearest)"
        case (_, _, _): why = "no server shares the client's network, country or continent, and none has a position: every allowed server"
        }
        let server = explanation.next.map { index -> Server in
            let real = table.reals[index]
            return Server(id: real.config.id, url: real.config.baseURL(tls: request.isTLS) + rest)
        }
        let lookup = answer.map { Lookup(country: $0.country, continent: $0.continent, asn: $0.asn, latitude: $0.latitude, longitude: $0.longitude) }
        return .json(.ok, Answer(address: address.description, path: "/" + rest, virtual: snapshot.config.virtualServers[request.virtual].name,
                                 geoip: geo != nil, lookup: lookup, tier: explanation.choice?.tier.rawValue, why: why,
                                 candidates: candidates, excluded: excluded, server: server))
    }
}
