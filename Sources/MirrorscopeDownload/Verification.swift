import Crypto
import Foundation
import MirrorscopeCore

/// A hash a download must match, and where it came from (for the user: "verified sha256").
public struct ExpectedHash: Sendable, Hashable {
    public enum Algorithm: String, Sendable, Hashable {
        case sha256, sha512
        /// Metalink's and RFC 3230's spellings.
        public init?(name: String) {
            switch name.lowercased() {
            case "sha-256", "sha256": self = .sha256
            case "sha-512", "sha512": self = .sha512
            default: return nil
            }
        }
    }

    public var algorithm: Algorithm
    /// Lower-case hex.
    public var hex: String
    /// "--sha256", "SHA256SUMS", "Metalink", "Digest header".
    public var source: String

    public init(algorithm: Algorithm, hex: String, source: String) {
        self.algorithm = algorithm
        self.hex = hex.lowercased()
        self.source = source
    }

    public static func isHex(_ text: String, algorithm: Algorithm) -> Bool {
        text.utf8.count == (algorithm == .sha256 ? 64 : 128) && text.allSatisfy(\.isHexDigit)
    }
}

/// Where hashes come from and how a file is checked against them. Every reader here keeps to a
/// size limit: the text comes from the network.
public enum Verification {
    /// A SHA256SUMS/SHA512SUMS file larger than this is not read.
    public static let maxSumsBytes = 1 << 20

    /// The line for `fileName` in `sha256sum`/`sha512sum` output ("HEX  NAME" or "HEX *NAME").
    public static func hash(inSums text: String, fileName: String, algorithm: ExpectedHash.Algorithm) -> String? {
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            guard parts.count == 2 else { continue }
            var name = parts[1].trimmingCharacters(in: .whitespaces)
            if name.hasPrefix("*") { name.removeFirst() }
            if name.hasPrefix("./") { name.removeFirst(2) }
            let hex = String(parts[0]).lowercased()
            if name == fileName, ExpectedHash.isHex(hex, algorithm: algorithm) { return hex }
        }
        return nil
    }

    /// RFC 3230 `Digest: sha-256=BASE64, sha-512=BASE64` (other algorithms ignored).
    public static func hashes(inDigestHeader value: String) -> [ExpectedHash] {
        value.split(separator: ",").compactMap { item in
            let pair = item.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, let algorithm = ExpectedHash.Algorithm(name: pair[0].trimmingCharacters(in: .whitespaces)),
                  let bytes = Data(base64Encoded: pair[1].trimmingCharacters(in: .whitespaces)),
                  bytes.count == (algorithm == .sha256 ? 32 : 64) else { return nil }
            return ExpectedHash(algorithm: algorithm, hex: hex(bytes), source: "Digest header")
        }
    }

    /// A Metalink's whole-file hashes (the page's `FileFacts`).
    public static func hashes(in facts: FileFacts) -> [ExpectedHash] {
        facts.hashes.compactMap { type, hex in
            ExpectedHash.Algorithm(name: type).flatMap { ExpectedHash.isHex(hex, algorithm: $0) ? ExpectedHash(algorithm: $0, hex: hex, source: "Metalink") : nil }
        }.sorted { $0.algorithm.rawValue > $1.algorithm.rawValue }  // sha512 before sha256
    }

    /// The file's digest, read in 1 MiB slices (the file is never in memory whole).
    public static func digest(of file: PartFile, size: Int64, algorithm: ExpectedHash.Algorithm) throws -> String {
        try digest(of: file, range: 0..<size, algorithm: algorithm)
    }

    /// The digest of `range` of the file, read in 1 MiB slices.
    public static func digest(of file: PartFile, range: Range<Int64>, algorithm: ExpectedHash.Algorithm) throws -> String {
        let size = range.upperBound
        let slice = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { slice.deallocate() }
        var sha256 = SHA256(), sha512 = SHA512()
        var offset = range.lowerBound
        while offset < size {
            let n = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: slice[..<Int(min(Int64(slice.count), size - offset))]), at: offset)
            guard n > 0 else { throw PartFile.Failure(description: "\(file.path) is shorter than \(size) bytes") }
            let bytes = UnsafeRawBufferPointer(rebasing: slice[..<n])
            switch algorithm {
            case .sha256: sha256.update(bufferPointer: bytes)
            case .sha512: sha512.update(bufferPointer: bytes)
            }
            offset += Int64(n)
        }
        return algorithm == .sha256 ? hex(sha256.finalize()) : hex(sha512.finalize())
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}

/// A Metalink's piece hashes, checked as each piece is complete on disk: a piece that does not
/// match is fetched again, and the mirrors that wrote it are not used again for the file.
public struct PieceHashes: Sendable {
    public let length: Int64
    public let algorithm: ExpectedHash.Algorithm
    public let hashes: [String]

    public init?(_ pieces: FileFacts.Pieces) {
        guard pieces.length > 0, let algorithm = ExpectedHash.Algorithm(name: pieces.type), !pieces.hashes.isEmpty else { return nil }
        length = pieces.length
        self.algorithm = algorithm
        hashes = pieces.hashes.map { $0.lowercased() }
    }

    public func range(_ index: Int, size: Int64) -> Range<Int64> {
        Int64(index) * length..<min(size, Int64(index + 1) * length)
    }

    /// The pieces that overlap `range`.
    public func pieces(overlapping range: Range<Int64>) -> ClosedRange<Int> {
        Int(range.lowerBound / length)...Int(max(range.lowerBound, range.upperBound - 1) / length)
    }

    public func check(_ index: Int, in file: PartFile, size: Int64) throws -> Bool {
        guard index < hashes.count else { return true }
        return try Verification.digest(of: file, range: range(index, size: size), algorithm: algorithm) == hashes[index]
    }
}

/// The hash of the file's first bytes, kept up as they arrive in order: a download from one
/// connection is hashed as it goes, and verification reads back only what came out of order (the
/// other segments, a resumed part) instead of the whole file.
/// (`@unchecked`: swift-crypto's hashers are value types, their context copied with them, but not
/// marked Sendable; a `RunningHash` is only touched under the job's lock or as a private copy.)
struct RunningHash: @unchecked Sendable {
    let algorithm: ExpectedHash.Algorithm
    /// Bytes 0..<upTo are in the hash.
    private(set) var upTo: Int64 = 0
    private var sha256 = SHA256()
    private var sha512 = SHA512()

    init(_ algorithm: ExpectedHash.Algorithm) { self.algorithm = algorithm }

    /// Adds `bytes` when they are the next ones (at `offset == upTo`).
    mutating func add(_ bytes: UnsafeRawBufferPointer, at offset: Int64) {
        guard offset == upTo, !bytes.isEmpty else { return }
        switch algorithm {
        case .sha256: sha256.update(bufferPointer: bytes)
        case .sha512: sha512.update(bufferPointer: bytes)
        }
        upTo += Int64(bytes.count)
    }

    /// The digest of the whole file: the rest read from the part file in 1 MiB slices.
    func finish(reading file: PartFile, size: Int64) throws -> String {
        var copy = self
        let slice = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { slice.deallocate() }
        while copy.upTo < size {
            let n = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: slice[..<Int(min(Int64(slice.count), size - copy.upTo))]), at: copy.upTo)
            guard n > 0 else { throw PartFile.Failure(description: "\(file.path) is shorter than \(size) bytes") }
            copy.add(UnsafeRawBufferPointer(rebasing: slice[..<n]), at: copy.upTo)
        }
        return algorithm == .sha256 ? Verification.hex(copy.sha256.finalize()) : Verification.hex(copy.sha512.finalize())
    }
}
