#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// What `NAME.part.json` records beside a partial download, so that a later run can continue it:
/// where it came from, the validator the server gave (`ETag`, `Last-Modified`), the size, and the
/// byte ranges already on disk.
public struct PartSidecar: Codable, Sendable, Hashable {
    public var url: String
    public var etag: String?
    public var lastModified: String?
    public var size: Int64?
    public var done: ByteRanges

    public init(url: String, etag: String? = nil, lastModified: String? = nil, size: Int64? = nil, done: ByteRanges = ByteRanges()) {
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
        self.size = size
        self.done = done
    }

    /// What `If-Range` sends back. Last-Modified first: mirrors synced with `rsync -t` share a
    /// file's time, while each server makes its own ETag (an ETag from one mirror sent to the
    /// next would read as "the file changed" and restart the download).
    public var ifRange: String? { lastModified ?? etag }
}

/// `NAME.part`, written at offsets as ranges arrive (pwrite: several connections write at once,
/// and nothing but the slice in hand is ever in memory), with its sidecar `NAME.part.json`.
/// The final name appears only when `complete(as:)` renames it.
public final class PartFile: @unchecked Sendable {
    public let path: String
    public var sidecarPath: String { path + ".json" }
    private let descriptor: Int32

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Opens (creating when missing) the part file; `fresh` empties it.
    public init(path: String, fresh: Bool) throws {
        self.path = path
        let flags = O_RDWR | O_CREAT | O_CLOEXEC | (fresh ? O_TRUNC : 0)
        let fd = open(path, flags, 0o644)
        guard fd >= 0 else { throw Failure(description: "cannot write \(path): \(String(cString: strerror(errno)))") }
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Empties the file (the server's file changed: start over).
    public func truncate() throws {
        guard ftruncate(descriptor, 0) == 0 else { throw Failure(description: "cannot empty \(path): \(String(cString: strerror(errno)))") }
    }

    public func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws {
        var written = 0
        while written < bytes.count {
            let n = pwrite(descriptor, bytes.baseAddress!.advanced(by: written), bytes.count - written, off_t(offset) + off_t(written))
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(description: "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            written += n
        }
    }

    /// Reads `count` bytes at `offset` into `buffer` (for piece hashes and the final hash).
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
        var total = 0
        while total < buffer.count {
            let n = pread(descriptor, buffer.baseAddress!.advanced(by: total), buffer.count - total, off_t(offset) + off_t(total))
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(description: "cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            total += n
        }
        return total
    }

    /// Writes the sidecar atomically (a temporary name, then a rename): a run killed while writing
    /// it leaves the previous one. No fsync: the part file's own bytes are not synced either (that
    /// would stall the download on the disk), so a sync here would promise nothing after a power
    /// loss, and verification catches what such a loss leaves; a killed process loses nothing,
    /// since its writes are in the page cache. (Foundation's `createFile` synced each save: up to
    /// 14 ms each, several times a second at the end of every download.)
    public func save(_ sidecar: PartSidecar) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(sidecar)
        let temporary = sidecarPath + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure(description: "cannot write \(temporary): \(String(cString: strerror(errno)))") }
        let why = writeAll(fd, data) == 0 ? nil : String(cString: strerror(errno))
        close(fd)
        if let why { throw Failure(description: "cannot write \(temporary): \(why)") }
        guard rename(temporary, sidecarPath) == 0 else { throw Failure(description: "cannot write \(sidecarPath): \(String(cString: strerror(errno)))") }
    }

    /// The sidecar of an earlier run, or nil when there is none or it is unreadable (then the
    /// part file cannot be trusted and the download starts over). Small: at most 1 MiB is read.
    public static func loadSidecar(partPath: String) -> PartSidecar? {
        let path = partPath + ".json"
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = attributes[.size] as? Int, size <= 1 << 20,
              let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(PartSidecar.self, from: data)
    }

    /// Renames the part file to its final name and removes the sidecar.
    public func complete(as finalPath: String) throws {
        guard rename(path, finalPath) == 0 else {
            throw Failure(description: "cannot rename \(path) to \(finalPath): \(String(cString: strerror(errno)))")
        }
        try? FileManager.default.removeItem(atPath: sidecarPath)
    }
}

/// Writes every byte of `data` to `fd`; 0, or -1 with `errno` set. (Outside `PartFile`, whose
/// `write(_:at:)` would hide the C function.)
private func writeAll(_ fd: Int32, _ data: Data) -> Int {
    data.withUnsafeBytes { bytes -> Int in
        var written = 0
        while written < bytes.count {
            let n = write(fd, bytes.baseAddress!.advanced(by: written), bytes.count - written)
            if n < 0 {
                if errno == EINTR { continue }
                return -1
            }
            written += n
        }
        return 0
    }
}
