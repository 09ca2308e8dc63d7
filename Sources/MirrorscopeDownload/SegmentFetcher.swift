#if canImport(Glibc)
import Glibc
#endif
import MirrorscopeCore
import MirrorscopeNetwork
import NIOCore
import NIOHTTP1
import NIOPosix

/// How one segment's exchange ended, when it did not end well.
enum SegmentEnd: Error {
    /// The mirror is given up for this file, for this reason ("stalled", "reset", "HTTP 503").
    case mirror(String)
    /// The server's file is not the one the part file holds (a 200 with a new validator): start over.
    case fileChanged(size: Int64?, etag: String?, lastModified: String?)
}

/// What a segment's answer said about the file.
struct AnswerFacts {
    var size: Int64?
    var etag: String?
    var lastModified: String?
    var digests: [ExpectedHash]
}

/// One range from one mirror, streamed to the part file at its offset: one request (`Range`, and
/// `If-Range` with the validator of the bytes already on disk) on a fresh connection of the
/// network connector, so the user's proxies and Happy Eyeballs apply. Memory stays at the slice
/// in hand: the body is read with back-pressure and each slice is written before the next is read.
struct SegmentFetcher: Sendable {
    var connector: Connector
    var userAgent: String
    /// Bound on connecting and on the answer's head.
    var headTimeout: TimeAmount = .seconds(15)
    var lowestBytesPerSecond: Double
    var stallWindow: Duration

    /// Fetches `segment` from `url`. `validator` is what `If-Range` sends (nil on a fresh file);
    /// `known` the sidecar's validator, to tell a changed file from a mirror that ignores Range;
    /// `onHead` sees the answer's facts before the body; `write` takes each slice (it writes what
    /// still belongs to the segment and says how much that was; 0 ends the segment: another
    /// connection took over its tail).
    func fetch(url: String, segment: RangePlan.Segment, validator: String?, known: (etag: String?, lastModified: String?),
               onHead: (AnswerFacts) throws -> Void,
               write: (ByteBuffer, Int64, Double) throws -> Int) async throws {
        var headers = [("User-Agent", userAgent), ("Accept", "*/*")]
        let ranged = segment.next > 0 || segment.end != Int64.max
        if ranged {
            headers.append(("Range", "bytes=\(segment.next)-" + (segment.end == Int64.max ? "" : String(segment.end - 1))))
            if let validator { headers.append(("If-Range", validator)) }
        }
        let readTimeout = TimeAmount.nanoseconds(Int64(stallWindow.components.seconds) * 1_000_000_000
            + stallWindow.components.attoseconds / 1_000_000_000)
        // When the read timeout closes a silent connection, NIO's decoder may report the early end
        // first: a silence as long as the window is what tells a stall from a reset.
        let clock = ContinuousClock()
        var lastData = clock.now
        func reset() -> SegmentEnd {
            clock.now - lastData >= stallWindow * 0.9 ? .mirror("stalled") : .mirror("reset")
        }
        do {
            try await connector.withAnswer(url, headers: headers, deadline: NIODeadline.now() + headTimeout, readTimeout: readTimeout) { answer in
                let facts = try Self.check(answer, segment: segment, ranged: ranged, known: known)
                try onHead(facts)
                let started = clock.now
                lastData = started
                var watch = StallWatch(lowestBytesPerSecond: lowestBytesPerSecond, window: stallWindow, now: started)
                var offset = segment.next
                var received: Int64 = 0
                for try await chunk in answer.body {
                    let now = clock.now
                    lastData = now
                    received += Int64(chunk.readableBytes)
                    let seconds = Double((now - started).components.attoseconds) / 1e18 + Double((now - started).components.seconds)
                    let counted = try write(chunk, offset, seconds > 0.05 ? Double(received) / seconds : 0)
                    if counted < chunk.readableBytes { return }  // the rest belongs to another connection now
                    offset += Int64(counted)
                    watch.received(counted)
                    if watch.isStalled(now: now) { throw SegmentEnd.mirror("stalled: below \(watch.description)") }
                }
                if segment.end != Int64.max, offset < segment.end {
                    throw SegmentEnd.mirror("the answer ended early")
                }
            }
        } catch let end as SegmentEnd {
            throw end
        } catch let failure as ConnectionFailure {
            switch failure.cause {
            case .timeout where failure.description.contains("stalled"): throw SegmentEnd.mirror("stalled")
            case .reset: throw reset()
            default: throw SegmentEnd.mirror(TerminalText.sanitize(failure.description, maxCharacters: 80))
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch is HTTPParserError {
            throw reset()  // the connection ended inside the body: NIO's decoder says so
        } catch let error as IOError where [ECONNRESET, EPIPE].contains(error.errnoCode) {
            throw reset()
        } catch let error as ChannelError where error == .eof || error == .ioOnClosedChannel || error == .alreadyClosed {
            throw reset()
        } catch {
            throw SegmentEnd.mirror(TerminalText.sanitize(String(describing: error), maxCharacters: 80))
        }
    }

    /// The answer's status and headers against what was asked.
    static func check(_ answer: HTTPAnswer, segment: RangePlan.Segment, ranged: Bool,
                      known: (etag: String?, lastModified: String?)) throws -> AnswerFacts {
        let headers = answer.headers
        var facts = AnswerFacts(etag: headers.first(name: "ETag"), lastModified: headers.first(name: "Last-Modified"),
                                digests: headers.first(name: "Digest").map(Verification.hashes(inDigestHeader:)) ?? [])
        switch answer.status.code {
        case 206:
            guard let range = headers.first(name: "Content-Range").flatMap(ContentRange.init), range.start == segment.next else {
                throw SegmentEnd.mirror("a 206 answer for other bytes than asked")
            }
            facts.size = range.size
        case 200:
            facts.size = headers.first(name: "Content-Length").flatMap { Int64($0) }
            if !ranged || segment.next == 0 { break }  // the whole file from its first byte: what was asked
            // The range was not given: a new validator says the file changed (If-Range did its job),
            // the same one that this mirror ignores Range.
            let changed = (known.etag != nil && facts.etag != nil && known.etag != facts.etag)
                || (known.lastModified != nil && facts.lastModified != nil && known.lastModified != facts.lastModified)
            if changed { throw SegmentEnd.fileChanged(size: facts.size, etag: facts.etag, lastModified: facts.lastModified) }
            throw SegmentEnd.mirror("ignores Range (answered 200)")
        default:
            throw SegmentEnd.mirror("HTTP \(answer.status.code)")
        }
        return facts
    }
}

/// `Content-Range: bytes A-B/SIZE` (SIZE may be `*`).
struct ContentRange {
    var start: Int64
    var end: Int64
    var size: Int64?

    init?(_ value: String) {
        guard value.hasPrefix("bytes ") else { return nil }
        let parts = value.dropFirst(6).split(separator: "/", maxSplits: 1)
        let bounds = parts.first?.split(separator: "-", maxSplits: 1) ?? []
        guard parts.count == 2, bounds.count == 2, let start = Int64(bounds[0]), let end = Int64(bounds[1]), start <= end else { return nil }
        self.start = start
        self.end = end
        size = parts[1] == "*" ? nil : Int64(parts[1])
        if let size, size <= end { return nil }
    }
}
