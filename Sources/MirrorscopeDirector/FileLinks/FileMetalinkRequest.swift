/// A request for a file's Metalink rather than the file: `/PATH.meta4` (Metalink 4, RFC 5854),
/// `/PATH.metalink` (Metalink 3), or `/PATH` asked for with `Accept: application/metalink4+xml`
/// (or `application/metalink+xml`), as aria2 and MirrorBrain's clients ask.
struct FileMetalinkRequest: Equatable {
    enum Version: Equatable {
        case four, three

        var mediaType: String { self == .four ? "application/metalink4+xml" : "application/metalink+xml" }
        var suffix: String { self == .four ? ".meta4" : ".metalink" }
    }

    /// The described file, relative to every mirror's URL, without the query.
    var path: Substring
    var version: Version
    /// Asked for by the name's suffix (not by `Accept`): when no mirror holds the described file,
    /// the name may be a real `.meta4` file on the mirrors, served as any file.
    var bySuffix: Bool

    /// nil for an ordinary request. `rest` is the request's rest (`RequestTarget`).
    static func detect(rest: Substring, accept: String?) -> FileMetalinkRequest? {
        let path = rest.firstIndex(of: "?").map { rest[..<$0] } ?? rest
        for version in [Version.four, .three] where path.hasSuffix(version.suffix) {
            let file = path.dropLast(version.suffix.count)
            guard isFile(file) else { return nil }
            return FileMetalinkRequest(path: file, version: version, bySuffix: true)
        }
        guard let accept, isFile(path), let version = accepted(accept) else { return nil }
        return FileMetalinkRequest(path: path, version: version, bySuffix: false)
    }

    /// A name of a file (not a folder, not the root).
    private static func isFile(_ path: Substring) -> Bool { !path.isEmpty && !path.hasSuffix("/") }

    /// The Metalink version an `Accept` header asks for (4 before 3), ignoring types given `q=0`.
    static func accepted(_ accept: String) -> Version? {
        guard accept.utf8.count <= 4096, accept.contains("metalink") else { return nil }
        var found: Set<String> = []
        for item in accept.split(separator: ",") {
            let parts = item.split(separator: ";")
            guard let type = parts.first?.trimmingCharacters(in: .whitespaces).lowercased() else { continue }
            let refused = parts.dropFirst().contains { parameter in
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                return pair.count == 2 && pair[0].lowercased() == "q" && (Double(pair[1]) ?? 1) == 0
            }
            if !refused { found.insert(type) }
        }
        if found.contains(Version.four.mediaType) { return .four }
        if found.contains(Version.three.mediaType) { return .three }
        return nil
    }
}
