import Foundation
import MirrorscopeCore
import NIOHTTP1

/// A file's Metalink as a response: its name, its URL on each ranked mirror with that mirror's
/// priority and country, and what is known of its size and hashes.
struct FileMetalinkDocument {
    let request: FileMetalinkRequest
    let urls: [Metalink4Writer.URLEntry]

    init(snapshot: Snapshot, virtual: Int, request: FileMetalinkRequest, ranked: [RankedMirror], urlBase: (RealEntry) -> String) {
        self.request = request
        urls = ranked.map { entry in
            let real = snapshot.table.reals[entry.real]
            return Metalink4Writer.URLEntry(url: urlBase(real) + request.path, priority: entry.priority,
                                            location: DuplicateLink.countryCode(real.config.geoCountry ?? real.config.location))
        }
    }

    /// The name the file is saved as: its last segment, decoded unless that would put a "/" or a
    /// control character in it.
    var fileName: String {
        let last = request.path.split(separator: "/").last.map(String.init) ?? String(request.path)
        guard let decoded = last.removingPercentEncoding, !decoded.isEmpty,
              !decoded.unicodeScalars.contains(where: { $0 == "/" || $0 == "\\" || isControl($0) }) else { return last }
        return decoded
    }

    func response(facts: FileFacts) -> ControlResponse {
        let body = request.version == .four
            ? Metalink4Writer.document(fileName: fileName, urls: urls, facts: facts)
            : Metalink3Writer.document(fileName: fileName, urls: urls, facts: facts)
        var headers = HTTPHeaders()
        // The same URL answers the file's redirect to other clients: caches must keep them apart.
        if !request.bySuffix { headers.add(name: "Vary", value: "Accept") }
        return ControlResponse(status: .ok, contentType: request.version.mediaType, body: body, headers: headers)
    }
}
