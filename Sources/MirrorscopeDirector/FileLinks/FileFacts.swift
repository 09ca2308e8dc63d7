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
            hex.flatMap(Self.bytes(hex:)).map { "\(name)=\(Self.base64($0))" }
        }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }

    static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
}

/// One virtual server's file facts, shared by every event loop: per path, the facts with their
/// expiry, or the read under way. Single flight (a burst of Metalink requests for a new file
/// makes one read), bounded (past `capacity` the oldest inserted go).
final class FileFactsCache: Sendable {
    private enum Entry {
        case known(FileFacts, until: NIODeadline)
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
    /// Whether anything was ever learnt: until then a redirect's look for a `Digest` takes no lock.
    private let everKnown = Atomic<Bool>(false)

    init(ttl: TimeAmount, capacity: Int, origin: String? = nil) {
        self.ttl = ttl
        self.capacity = capacity
        self.origin = origin
    }

    /// The facts of `path`: known ones, the read under way, or a new read with `read`.
    func facts(path: String, read: @escaping @Sendable () async -> FileFacts) async -> FileFacts {
        let task: Task<FileFacts, Never> = state.withLockedValue { state in
            switch state.entries[path] {
            case .known(let facts, let until)? where until > .now():
                return Task { facts }
            case .pending(let task)?:
                return task
            case let existing:
                let task = Task { await read() }
                if existing == nil {
                    state.order.append(path)
                    while state.order.count > capacity { state.entries[state.order.removeFirst()] = nil }
                }
                state.entries[path] = .pending(task)
                return task
            }
        }
        let facts = await task.value
        state.withLockedValue { state in
            // Evicted meanwhile: not put back (the bound holds).
            guard case .pending? = state.entries[path] else { return }
            state.entries[path] = .known(facts, until: .now() + ttl)
        }
        if facts != .none { everKnown.store(true, ordering: .releasing) }
        return facts
    }

    /// What is known now, without reading anything (a redirect's `Digest`).
    func peek(path: String) -> FileFacts? {
        guard everKnown.load(ordering: .acquiring) else { return nil }
        return state.withLockedValue { state in
            guard case .known(let facts, let until)? = state.entries[path], until > .now() else { return nil }
            return facts
        }
    }
}
