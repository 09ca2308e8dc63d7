import MirrorscopeGeo
import NIOCore

/// What a redirect says about the file besides where to get it (RFC 6249, as MirrorBrain and
/// mirrorbits write it): `Link: <URL>; rel=duplicate; pri=N; geo=cc` for the chosen mirror (pri=1)
/// and the next best ones for this client (at most `link_duplicates`, in `MirrorRanking`'s order
/// and priorities, skipping mirrors known to lack the path), `Link: </PATH.meta4>;
/// rel=describedby` for a file, and `Digest` when its hash is already known (`FileFactsCache`;
/// a redirect never waits for one).
extension ConnectionHandler {
    func writeFileLinks(context: ChannelHandlerContext, into response: inout ByteBuffer, chosen: RealEntry, rest: Substring,
                        holdings: PathHoldings?) {
        let snapshot = loop.snapshot
        let settings = snapshot.config.virtualServers[virtual].fileLinks
        let path = FileChecker.path(of: rest)
        if settings.duplicates > 0 {
            let order = loop.linkOrders.order(virtual: virtual, client: clientPlace(context), snapshot: snapshot)
            writeDuplicate(into: &response, chosen, rest: rest, priority: 1)
            var written = 0
            for ranked in order where written < settings.duplicates {
                let real = snapshot.table.reals[ranked.real]
                guard real.slot != chosen.slot, holdings?.usable(ranked.real) ?? true else { continue }
                writeDuplicate(into: &response, real, rest: rest, priority: ranked.priority + 1)
                written += 1
            }
        }
        guard !path.isEmpty, !path.hasSuffix("/") else { return }
        response.writeStaticString("Link: </")
        response.writeSubstring(path)
        response.writeStaticString(".meta4>; rel=describedby; type=\"application/metalink4+xml\"\r\n")
        if let digest = snapshot.facts[virtual].digest(path: path) {
            response.writeStaticString("Digest: ")
            response.writeString(digest)
            response.writeStaticString("\r\n")
        }
    }

    private func writeDuplicate(into response: inout ByteBuffer, _ real: RealEntry, rest: Substring, priority: Int) {
        let parts = loop.linkOrders.parts(for: real, tls: isTLS)
        response.writeImmutableBuffer(parts.head)
        response.writeSubstring(rest)
        response.writeStaticString(">; rel=duplicate; pri=")
        response.writeString(String(priority))
        response.writeImmutableBuffer(parts.tail)
    }

    /// Where the current request's client is, for GeoIP (nil without a database or an answer).
    /// Remembered per connection for the same address: a keep-alive connection is one client,
    /// unless it comes from a trusted proxy.
    func clientPlace(_ context: ChannelHandlerContext) -> GeoAnswer? {
        guard let geo = loop.snapshot.geo, let address = sessionClient(context).address else { return nil }
        if let known = placeCache, known.address == address { return known.answer }
        let answer = geo.databases.lookup(address)
        placeCache = (address, answer)
        return answer
    }
}
