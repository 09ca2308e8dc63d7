import NIOCore

/// The rest of one answer's body, handed out in slices as the connection takes them: a buffer, or
/// a stretch of the large file computed slice by slice (never held whole), with the download fault
/// the mirror is scripted for.
struct FarmBody {
    enum Source {
        case buffer(ByteBuffer)
        /// Offsets `next..<end` of version `version` of the file.
        case file(FarmLargeFile, version: Int, next: Int, end: Int)
    }

    var source: Source
    /// File offsets served inverted ("wrong bytes").
    var corrupt: Range<Int>? = nil
    /// After this many more bytes the body stops: the connection is reset, or left open and silent.
    var cut: (remaining: Int, reset: Bool)? = nil

    var readableBytes: Int {
        switch source {
        case .buffer(let buffer): buffer.readableBytes
        case .file(_, _, let next, let end): end - next
        }
    }

    /// Whether the scripted cut has come (nothing more may go).
    var isCut: Bool { cut.map { $0.remaining == 0 } ?? false }

    /// Up to `count` bytes (fewer when a cut comes first).
    mutating func next(_ count: Int) -> ByteBuffer {
        var count = min(count, readableBytes)
        if let cut { count = min(count, cut.remaining); self.cut = (cut.remaining - count, cut.reset) }
        switch source {
        case .buffer(var buffer):
            let slice = buffer.readSlice(length: count)!
            source = .buffer(buffer)
            return slice
        case .file(let file, let version, let next, let end):
            var slice = file.bytes(at: next, count: count, version: version)
            if let corrupt, corrupt.overlaps(next..<(next + count)) {
                let from = max(corrupt.lowerBound, next) - next, to = min(corrupt.upperBound, next + count) - next
                slice.withUnsafeMutableReadableBytes { bytes in
                    for i in from..<to { bytes[i] = ~bytes[i] }
                }
            }
            source = .file(file, version: version, next: next + count, end: end)
            return slice
        }
    }
}
