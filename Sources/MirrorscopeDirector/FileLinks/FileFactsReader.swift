import Logging
import MirrorscopeDownload
import MirrorscopeNetwork
import NIOCore

/// Reads a file's size and hashes from its sources: a `HEAD` of the file (its `Content-Length`)
/// and the `SHA256SUMS` and `SHA512SUMS` beside it, from each source at once, within one deadline.
///
/// What is believed: with `file_origin`, the origin's word alone (it is the master copy). Without
/// it, a size or hash that at least two mirrors give and no mirror contradicts: one mirror's
/// `SHA256SUMS` could be stale or tampered with, and a Metalink with a wrong hash makes every
/// download fail. Mirrors that disagree are logged; the fact is then left out, not guessed.
struct FileFactsReader: Sendable {
    let connector: Connector
    let logger: Logger
    /// The whole read (every source at once) takes at most this long; what has not come is unknown.
    static let timeout: TimeAmount = .seconds(3)
    /// How many mirrors are asked at once when there is no origin, and in all.
    static let mirrorsAsked = 3
    static let mostMirrorsAsked = 9

    /// What one source said: nil where it said nothing (no file, no line for it, no answer).
    struct Report: Sendable, Equatable {
        var size: Int64?
        var sha256: String?
        var sha512: String?
    }

    /// `path` is relative to each base (percent-encoded as in a URL, no query); `bases` are base
    /// URLs ending in "/", the origin's alone or mirrors' (best first). Mirrors are asked in waves
    /// of `mirrorsAsked` until the size and the SHA-256 are both agreed on, the mirrors run out or
    /// the deadline passes: a mirror that is down or answers 503 only brings the next one in.
    func read(path: String, bases: [String], trustOne: Bool) async -> FileFacts {
        let deadline = NIODeadline.now() + Self.timeout
        var reports: [Report] = []
        var next = 0
        var facts = FileFacts.none
        repeat {
            let wave = Array(bases[next..<min(bases.count, next + Self.mirrorsAsked)])
            next += wave.count
            reports += await withTaskGroup(of: Report.self) { group in
                for base in wave { group.addTask { await report(base: base, path: path, deadline: deadline) } }
                var all: [Report] = []
                for await report in group { all.append(report) }
                return all
            }
            facts = agreed(reports, path: path, needed: trustOne ? 1 : 2, log: false)
        } while (facts.size == nil || facts.sha256 == nil) && next < bases.count && NIODeadline.now() < deadline
        return agreed(reports, path: path, needed: trustOne ? 1 : 2, log: true)
    }

    /// The values at least `needed` reports give and none contradicts.
    private func agreed(_ reports: [Report], path: String, needed: Int, log: Bool) -> FileFacts {
        func agreed<T: Hashable>(_ name: String, _ values: [T?]) -> T? {
            let given = values.compactMap { $0 }
            guard let first = given.first else { return nil }
            guard given.allSatisfy({ $0 == first }) else {
                if log {
                    logger.warning("mirrors disagree on a file's \(name); it is left out of the file's Metalink",
                                   metadata: ["path": "\(path)", "values": "\(Set(given).map { "\($0)" }.sorted())"])
                }
                return nil
            }
            return given.count >= needed ? first : nil
        }
        return FileFacts(size: agreed("size", reports.map(\.size)), sha256: agreed("SHA-256", reports.map(\.sha256)),
                         sha512: agreed("SHA-512", reports.map(\.sha512)))
    }

    private func report(base: String, path: String, deadline: NIODeadline) async -> Report {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? ""
        let encodedName = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let name = encodedName.removingPercentEncoding ?? encodedName
        async let size = size(base + path, deadline: deadline)
        async let sha256 = hash(sums: base + folder + "SHA256SUMS", name: name, algorithm: .sha256, deadline: deadline)
        async let sha512 = hash(sums: base + folder + "SHA512SUMS", name: name, algorithm: .sha512, deadline: deadline)
        return await Report(size: size, sha256: sha256, sha512: sha512)
    }

    private func size(_ url: String, deadline: NIODeadline) async -> Int64? {
        try? await connector.withAnswer(url, method: .HEAD, deadline: deadline) { answer -> Int64? in
            guard answer.status.code == 200 else { return nil }
            return answer.headers.first(name: "Content-Length").flatMap { Int64($0) }.flatMap { $0 >= 0 ? $0 : nil }
        }
    }

    private func hash(sums url: String, name: String, algorithm: ExpectedHash.Algorithm, deadline: NIODeadline) async -> String? {
        (try? await connector.withAnswer(url, deadline: deadline, readTimeout: Self.timeout) { answer -> String? in
            guard answer.status.code == 200 else { return nil }
            // Bounded: text from the network. A body that stalls for the read timeout is given up.
            let body = try await answer.body.collect(upTo: Verification.maxSumsBytes)
            return Verification.hash(inSums: String(buffer: body), fileName: name, algorithm: algorithm)
        }) ?? nil
    }
}
