import Crypto
import MirrorscopeCore
import NIOConcurrencyHelpers
import NIOCore

/// The farm's large file (`files/` + `name` on every mirror and the origin), for downloads: its
/// bytes are computed from their offset (a SplitMix64 word per 8 bytes), so a 4 GiB file costs no
/// memory, and every mirror serves the same bytes. `change()` makes a new version (new bytes, a new
/// `ETag` and `Last-Modified`), as a file replaced upstream between two runs of a download.
/// Its SHA-256, and a SHA-256 per piece for the Metalink, are computed once per version.
public final class FarmLargeFile: Sendable {
    public static let name = "mirrorscope-demo-1.0.img"
    public static let pieceLength = 1 << 20

    public let size: Int
    private let seed: UInt64
    /// Version 1's `Last-Modified`; each new version is a minute later.
    private let modifiedAt: Int64
    private let state: NIOLockedValueBox<Version>
    /// The mirrors the Metalink names (known once their listeners are bound).
    let mirrors = NIOLockedValueBox<[RunningFarmMirror]>([])

    struct Version: Sendable {
        var number: Int
        var sha256: String
        var pieceSHA256: [String]
    }

    init(size: Int, seed: UInt64, modifiedAt: Int64) {
        self.size = size
        self.seed = seed
        self.modifiedAt = modifiedAt
        state = NIOLockedValueBox(Self.version(1, size: size, seed: seed))
    }

    /// The current version's number (from 1).
    public var version: Int { state.withLockedValue { $0.number } }
    /// The current version's SHA-256, lower-case hex.
    public var sha256: String { state.withLockedValue { $0.sha256 } }
    /// The current version's SHA-256 of each `pieceLength` piece (the Metalink's `<pieces>`).
    public var pieceSHA256: [String] { state.withLockedValue { $0.pieceSHA256 } }
    var current: Version { state.withLockedValue { $0 } }

    /// Replaces the file with a new version (hashes it first: seconds for a large file).
    public func change() {
        let next = Self.version(version + 1, size: size, seed: seed)
        state.withLockedValue { $0 = next }
    }

    /// The validator a client sends back in `If-Range`.
    func etag(version: Int) -> String { "\"\(String(seed, radix: 16))-v\(version)\"" }

    func lastModified(version: Int) -> String { InternetDate.format(modifiedAt + Int64(version - 1) * 60, zone: "GMT") }

    /// `count` bytes from `offset` of version `version`.
    func bytes(at offset: Int, count: Int, version: Int) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: count)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { out in
            Self.fill(out.baseAddress!, offset: offset, count: count, seed: seed, version: version)
            return count
        }
        return buffer
    }

    private static func fill(_ out: UnsafeMutableRawPointer, offset: Int, count: Int, seed: UInt64, version: Int) {
        let key = seed ^ (UInt64(version) &* 0x9E37_79B9_7F4A_7C15)
        var position = offset
        var written = 0
        while written < count {
            let wordIndex = position >> 3
            var word = mix(key &+ UInt64(wordIndex)).littleEndian
            let skip = position & 7
            let take = min(8 - skip, count - written)
            withUnsafeBytes(of: &word) { out.advanced(by: written).copyMemory(from: $0.baseAddress!.advanced(by: skip), byteCount: take) }
            written += take
            position += take
        }
    }

    /// SplitMix64's finaliser: a word from its index, with no state to carry.
    @inline(__always) private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static func version(_ number: Int, size: Int, seed: UInt64) -> Version {
        var whole = SHA256()
        var pieces: [String] = []
        let chunk = UnsafeMutableRawPointer.allocate(byteCount: pieceLength, alignment: 8)
        defer { chunk.deallocate() }
        var offset = 0
        while offset < size {
            let count = min(pieceLength, size - offset)
            fill(chunk, offset: offset, count: count, seed: seed, version: number)
            let bytes = UnsafeRawBufferPointer(start: chunk, count: count)
            whole.update(bufferPointer: bytes)
            pieces.append(hex(SHA256.hash(data: bytes)))
            offset += count
        }
        return Version(number: number, sha256: hex(whole.finalize()), pieceSHA256: pieces)
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        digest.map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    /// A Metalink 4 document naming the file on every mirror, with its size, SHA-256 and pieces.
    func metalink() -> String {
        let now = current
        let mirrors = self.mirrors.withLockedValue { $0 }
        let urls = mirrors.enumerated().map { n, mirror in
            "    <url location=\"\(mirror.spec.location.htmlEscaped)\" priority=\"\(n + 1)\">\((mirror.url + "files/" + Self.name).htmlEscaped)</url>"
        }
        let pieces = now.pieceSHA256.map { "      <hash>\($0)</hash>" }
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <metalink xmlns="urn:ietf:params:xml:ns:metalink">
          <file name="\(Self.name)">
            <size>\(size)</size>
            <hash type="sha-256">\(now.sha256)</hash>
            <pieces length="\(Self.pieceLength)" type="sha-256">
        \(pieces.joined(separator: "\n"))
            </pieces>
        \(urls.joined(separator: "\n"))
          </file>
        </metalink>

        """
    }
}
