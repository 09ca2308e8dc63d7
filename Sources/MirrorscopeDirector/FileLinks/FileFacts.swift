import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Synchronization

/// What the director believes about one file: its size and hashes, each only when its sources
/// agree (`FileFactsReader`). Written into the file's Metalink and, once known, as a `Digest`
/// header on its redirects.
struct FileFacts: Sendable, Hashable {
    var size: Int64?
    /// Lower-case hex.
    var sha256: String?
    var sha512: String?

    static let none = FileFacts()

    /// RFC 3230: `sha-256=BASE64` (and `sha-512=`), nil when no hash is known.
    var digestHeader: String? {
        let parts = [("sha-256", sha256), ("sha-512", sha512)].compactMap { name, hex in
            hex.flatMap { SessionSigner.bytes(fromHex: Substring($0)) }.map { "\(name)=\(Data($0).base64EncodedString())" }
        }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }
}

/// One virtual server's file facts, shared by every event loop: per path, the facts with their
/// expiry, or the read under way. Single flight (a burst of Metalink requests for a new file
/// makes one read), bounded (past `capacity` the oldest inserted go).
final class FileFactsCache: Sendable {
    private enum Entry {
        /// With its `Digest` header, made once here rather than on every redirect.
        case known(FileFacts, digest: String?, until: NIODeadline)
        case pending(Task<FileFacts, Never>)
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var order = CircularBuffer<String>()
    }

    let ttl: TimeAmount
    let capacity: Int
    /// `file_origin`: facts come from it alone (else from the mirrors, see `FileFactsReader`).
    let origin: String?
    private let state = NIOLockedValueBox(State())
    /// Whether any hash was ever learnt: until then a redirect's look for a `Digest` takes no lock.
    private let everKnown = Atomic<Bool>(false)

    init(ttl: TimeAmount, capacity: Int, origin: String? = nil) {
        self.ttl = ttl
        self.capacity = capacity
        self.origin = origin
    }

    /// The facts of `path`: known ones, the read under way, or a new read with `read`.
    func facts(path: String, read: @escaping @Sendable () async -> FileFacts) async -> FileFacts {
        let lookup: (known: FileFacts?, task: Task<FileFacts, Never>?) = state.withLockedValue { state in
            switch state.entries[path] {
            case .known(let facts, _, let until)? where until > .now():
                return (facts, nil)
            case .pending(let task)?:
                return (nil, task)
            case let existing:
                let task = Task { await read() }
                if existing == nil {
                    state.order.append(path)
                    while state.order.count > capacity { state.entries[state.order.removeFirst()] = nil }
                }
                state.entries[path] = .pending(task)
                return (nil, task)
            }
        }
        if let known = lookup.known { return known }
        guard let task = lookup.task else { return .none }
        let facts = await task.value
        let digest = facts.digestHeader
        state.withLockedValue { state in
            // Evicted meanwhile: not put back (the bound holds).
            guard case .pending? = state.entries[path] else { return }
            state.entries[path] = .known(facts, digest: digest, until: .now() + ttl)
        }
        if digest != nil { everKnown.store(true, ordering: .releasing) }
        return facts
    }

    /// The `Digest` header of `path` when its hash is known now, without reading anything (a
    /// redirect's).
    func digest(path: Substring) -> String? {
        guard everKnown.load(ordering: .acquiring) else { return nil }
        return state.withLockedValue { state in
            guard case .known(_, let digest, let until)? = state.entries[String(path)], until > .now() else { return nil }
            return digest
        }
    }
}
