import Foundation
import MirrorscopeCore
import MirrorscopeNetwork
import NIOCore
import NIOHTTP1
import Synchronization

/// What to download, from where, and how to check it.
public struct DownloadRequest: Sendable {
    /// The file's path relative to each mirror's URL.
    public var path: String
    /// Best first (the ranking); failover and segments take the next ones.
    public var mirrors: [DownloadMirror]
    /// The final name; the download runs in `destination + ".part"`.
    public var destination: String
    /// Connections at once (`--segments`).
    public var segments: Int = 1
    /// Hashes known before the download (`--sha256`, the Metalink's); a `Digest` header and a
    /// SHA256SUMS/SHA512SUMS file beside the file are looked for too.
    public var expected: [ExpectedHash] = []
    public var pieces: PieceHashes?
    /// Look for SHA256SUMS/SHA512SUMS in the file's folder on the best mirror.
    public var lookForSums = true
    /// `--no-verify`: no hash is looked for or computed, not even a `Digest` header's; the file is
    /// saved unverified (for a CPU that hashes slower than the link delivers).
    public var verify = true
    /// More SHA256SUMS/SHA512SUMS files to look in, relative to each mirror's URL (the page's
    /// links to them: the terminal's `w`); read after the file's own folder's.
    public var sumsPaths: [String] = []
    /// `--lowest-speed`: a connection below this rate for a whole window is stalled.
    public var lowestBytesPerSecond: Double = 10 * 1024
    public var stallWindow: Duration = .seconds(20)
    public var userAgent: String = "mirrorscope"
    /// A tail smaller than this is not split between connections.
    public var minimumSplit: Int64 = 1 << 20

    public init(path: String, mirrors: [DownloadMirror], destination: String) {
        self.path = path
        self.mirrors = mirrors
        self.destination = destination
    }

    public var fileName: String { (destination as NSString).lastPathComponent }
}

/// How a download ended.
public struct DownloadOutcome: Sendable {
    public var state: DownloadState
    /// The final path when saved; the part file's otherwise.
    public var path: String
    public var bytes: Int64
    /// Every note of the run, in order ("moved to Madrid (Warsaw stalled)").
    public var notes: [String]
    /// The bytes each mirror delivered in this run (aligned with the request's mirrors; bytes a
    /// part file already held from an earlier run are nobody's).
    public var bytesByMirror: [Int64] = []
    /// The mirror that delivered most of this run's bytes (the one that served it, when there was
    /// one; the one that did the most, after a failover or with segments); nil when none delivered any.
    public var mainMirror: Int? {
        guard let most = bytesByMirror.indices.max(by: { bytesByMirror[$0] < bytesByMirror[$1] }),
              bytesByMirror[most] > 0 else { return nil }
        return most
    }
    public var succeeded: Bool {
        switch state { case .verified, .unverified: true; default: false }
    }
}

/// One download: the part file and its sidecar, the range plan, the failover among mirrors, the
/// connections (one worker each), the verification, and the progress it publishes. Resumes what
/// an earlier run left (`Range` + `If-Range`; a 200 with a new validator starts over), renames to
/// the final name only once complete and verified.
public final class DownloadJob: Sendable {
    public let request: DownloadRequest
    /// One value per tick (5 a second) and per event; finishes with the final state.
    public let progress: AsyncStream<DownloadProgress>
    private let continuation: AsyncStream<DownloadProgress>.Continuation
    private let fetcher: SegmentFetcher
    private let state: Mutex<JobState>

    struct JobState {
        var plan: RangePlan
        var failover: Failover
        var sidecar: PartSidecar
        var digests: [ExpectedHash] = []
        var notes: [String] = []
        var verifiedPieces = Set<Int>()
        /// Which mirrors wrote bytes of each unverified piece.
        var pieceWriters: [Int: Set<Int>] = [:]
        /// Bytes each mirror delivered in this run (the outcome's `bytesByMirror`).
        var bytesByMirror: [Int64]
        var phase: DownloadState = .starting
        var rateSamples: [(ContinuousClock.Instant, Int64)] = []
        /// The first connection asks for the whole file (its answer says the size); the others
        /// wait for the size, unless the first has run out of mirrors.
        var leaderGone = false
        /// The hash to verify, kept up with the bytes that arrive in order from the first one.
        var running: RunningHash?
    }

    public init(_ request: DownloadRequest, connector: Connector) {
        var request = request
        if !request.verify {
            request.expected = []
            request.pieces = nil
            request.lookForSums = false
        }
        self.request = request
        (progress, continuation) = AsyncStream.makeStream(of: DownloadProgress.self, bufferingPolicy: .bufferingNewest(64))
        fetcher = SegmentFetcher(connector: connector, userAgent: request.userAgent,
                                 lowestBytesPerSecond: request.lowestBytesPerSecond, stallWindow: request.stallWindow)
        let url = request.mirrors.first?.url(of: request.path) ?? request.path
        state = Mutex(JobState(plan: RangePlan(size: nil, minimumSplit: request.minimumSplit),
                               failover: Failover(mirrors: request.mirrors), sidecar: PartSidecar(url: url),
                               bytesByMirror: Array(repeating: 0, count: request.mirrors.count)))
    }

    var partPath: String { request.destination + ".part" }

    public func run() async -> DownloadOutcome {
        defer { continuation.finish() }
        let part: PartFile
        do {
            part = try openPart()
        } catch {
            return finish(.failed(String(describing: error)), path: partPath)
        }
        // SHA256SUMS/SHA512SUMS are looked for while the download starts, not before it: a round
        // trip saved. Meanwhile the bytes go into a SHA-256 on the bet that SHA256SUMS (looked for
        // first) has the file; when no sums turn up, that hash is dropped (verification reads the
        // part file for any other hash, as for bytes that came out of order).
        let searching = request.lookForSums && request.expected.isEmpty
        async let found: ExpectedHash? = searching ? lookForSumsBesideTheDownload() : nil
        if let algorithm = request.expected.first?.algorithm ?? (searching ? .sha256 : nil) {
            state.withLock { $0.running = RunningHash(algorithm) }
        }

        // Rounds: fetch what is missing; a piece found wrong at the end is fetched again.
        for _ in 0..<3 {
            await fetchMissing(part)
            let (complete, size) = state.withLock { ($0.plan.isComplete, $0.plan.size) }
            guard complete, let size else {
                save(part)
                let why = state.withLock { $0.failover.failures }
                return finish(.failed(why.isEmpty ? "no mirror to download from" : why), path: partPath)
            }
            if (try? checkUnverifiedPieces(part, size: size)) ?? false { continue }
            let expected = await request.expected + (found.map { [$0] } ?? [])
            return verify(part, size: size, expected: request.verify ? expected + state.withLock { $0.digests } : [])
        }
        save(part)
        return finish(.failed("pieces kept failing their hashes"), path: partPath)
    }

    // MARK: - The part file

    /// The part file of an earlier run when its sidecar says what it holds; a fresh one otherwise.
    private func openPart() throws -> PartFile {
        if FileManager.default.fileExists(atPath: partPath), let sidecar = PartFile.loadSidecar(partPath: partPath),
           sidecar.size != nil, sidecar.ifRange != nil {
            let part = try PartFile(path: partPath, fresh: false)
            state.withLock {
                $0.sidecar = sidecar
                $0.plan = RangePlan(size: sidecar.size, done: sidecar.done, minimumSplit: request.minimumSplit)
                $0.notes.append("resuming at \(sidecar.done.count) of \(sidecar.size!) bytes")
            }
            return part
        }
        return try PartFile(path: partPath, fresh: true)
    }

    private func save(_ part: PartFile) {
        let sidecar = state.withLock { state -> PartSidecar in
            state.sidecar.done = state.plan.done
            state.sidecar.size = state.plan.size
            return state.sidecar
        }
        try? part.save(sidecar)
    }

    // MARK: - Fetching

    private func fetchMissing(_ part: PartFile) async {
        await withTaskGroup(of: Void.self) { group in
            // Mirrors are handed out here, in order, so that the first connection holds the best.
            var workers = 0
            for n in 0..<max(1, request.segments) {
                guard let mirror = state.withLock({ $0.failover.acquire() }) else { break }
                group.addTask { await self.worker(part, mirror: mirror, leader: n == 0) }
                workers += 1
            }
            group.addTask { await self.ticker(part) }
            // The workers end by themselves; the ticker when they have.
            var ended = 0
            for await _ in group {
                ended += 1
                if ended >= workers { group.cancelAll() }
            }
        }
        save(part)
    }

    /// Publishes progress five times a second and saves the sidecar each second, until cancelled.
    private func ticker(_ part: PartFile) async {
        var ticks = 0
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(200))
            ticks += 1
            if ticks % 5 == 0 { save(part) }
            publish()
        }
    }

    /// One connection's life: a mirror, then range after range from it; when the mirror fails,
    /// the range goes back to the plan and the connection moves to the next mirror of the ranking.
    private func worker(_ part: PartFile, mirror first: Int, leader: Bool) async {
        var mirror = first
        defer { if leader { state.withLock { $0.leaderGone = true } } }
        var rate = 0.0
        while !Task.isCancelled {
            let taken = state.withLock { state -> (RangePlan.Segment?, Bool) in
                if state.plan.isComplete { return (nil, true) }
                if !state.failover.isUsable(mirror) { return (nil, false) }
                if state.plan.size == nil {
                    let mayAsk = state.plan.active.isEmpty && (leader || state.leaderGone)
                    return mayAsk ? (state.plan.first(mirror: request.mirrors[mirror].name), false) : (nil, false)
                }
                return (state.plan.take(mirror: request.mirrors[mirror].name, rate: rate), false)
            }
            if taken.1 { break }
            guard let segment = taken.0 else {
                if !state.withLock({ $0.failover.isUsable(mirror) }) {
                    guard let next = moveOn(from: mirror, reason: nil) else { return }
                    mirror = next
                    continue
                }
                // Nothing to take now: another connection may fail or slow down and leave some.
                if state.withLock({ $0.plan.active.isEmpty && $0.plan.pending.isEmpty && $0.plan.size != nil }) { break }
                try? await Task.sleep(for: .milliseconds(20))
                continue
            }
            state.withLock { $0.phase = .downloading }
            do {
                try await fetch(segment, from: mirror, into: part, rate: &rate)
                state.withLock { $0.plan.release(segment.id) }
            } catch SegmentEnd.fileChanged(let size, let etag, let lastModified) {
                state.withLock { state in
                    state.plan.release(segment.id)
                    if let size { state.plan.setSize(size) }
                    state.plan.restart()
                    state.verifiedPieces = []
                    state.pieceWriters = [:]
                    state.running = state.running.map { RunningHash($0.algorithm) }
                    state.sidecar.etag = etag
                    state.sidecar.lastModified = lastModified
                    state.notes.append("the file changed on the server: starting over")
                }
                try? part.truncate()
                publish()
            } catch SegmentEnd.mirror(let reason) {
                state.withLock { $0.plan.release(segment.id) }
                guard let next = moveOn(from: mirror, reason: reason) else { return }
                mirror = next
            } catch {
                state.withLock { $0.plan.release(segment.id) }
                break
            }
        }
        state.withLock { $0.failover.release(mirror) }
    }

    /// Gives `mirror` up (when `reason` says why) and takes the next usable one, noting the move.
    private func moveOn(from mirror: Int, reason: String?) -> Int? {
        let next = state.withLock { state -> Int? in
            if let reason { state.failover.giveUp(mirror, reason: reason) }
            state.failover.release(mirror)
            let why = state.failover.reasons[mirror] ?? "failed"
            let next = state.failover.acquire()
            let from = request.mirrors[mirror].name
            if let next {
                state.notes.append("moved to \(request.mirrors[next].name) (\(from) \(why))")
            } else {
                state.notes.append("\(from) \(why); no mirror left")
            }
            return next
        }
        publish()
        return next
    }

    private func fetch(_ segment: RangePlan.Segment, from mirror: Int, into part: PartFile, rate: inout Double) async throws {
        let known = state.withLock { ($0.sidecar.etag, $0.sidecar.lastModified, $0.sidecar.ifRange) }
        let size = state.withLock { $0.plan.size }
        var measured = rate
        try await fetcher.fetch(url: request.mirrors[mirror].url(of: request.path), segment: segment,
                                validator: segment.next > 0 || size != nil ? known.2 : nil, known: (known.0, known.1),
                                onHead: { facts in try self.head(facts, segment: segment) },
                                write: { chunk, offset, rate in
                                    measured = rate
                                    return try self.write(chunk, at: offset, segment: segment.id, mirror: mirror, rate: rate, part: part)
                                })
        rate = measured
    }

    /// The answer's facts: the size (the first answer says it), the validator (kept in the
    /// sidecar), a Digest header.
    private func head(_ facts: AnswerFacts, segment: RangePlan.Segment) throws {
        try state.withLock { state in
            if state.plan.size == nil {
                guard let size = facts.size else { throw SegmentEnd.mirror("no size in the answer") }
                state.plan.setSize(size)
                state.sidecar.etag = facts.etag
                state.sidecar.lastModified = facts.lastModified
            } else if let size = facts.size, size != state.plan.size {
                throw SegmentEnd.fileChanged(size: size, etag: facts.etag, lastModified: facts.lastModified)
            }
            if state.sidecar.etag == nil, state.sidecar.lastModified == nil {
                state.sidecar.etag = facts.etag
                state.sidecar.lastModified = facts.lastModified
            }
            for digest in facts.digests where !state.digests.contains(digest) { state.digests.append(digest) }
        }
    }

    /// Writes what of `chunk` still belongs to the segment, records it, and checks the pieces it
    /// completed. Returns how many bytes counted.
    private func write(_ chunk: ByteBuffer, at offset: Int64, segment id: Int, mirror: Int, rate: Double, part: PartFile) throws -> Int {
        let allowed = state.withLock { state -> Int in
            guard let segment = state.plan.segment(id), segment.next == offset else { return 0 }
            return Int(min(Int64(chunk.readableBytes), segment.end - segment.next))
        }
        guard allowed > 0 else { return 0 }
        try chunk.withUnsafeReadableBytes { try part.write(UnsafeRawBufferPointer(rebasing: $0[..<allowed]), at: offset) }
        let written = offset..<(offset + Int64(allowed))
        let (counted, complete) = state.withLock { state -> (Int64, [Int]) in
            let counted = state.plan.accept(id, count: Int64(allowed), rate: rate)
            state.bytesByMirror[mirror] += counted
            if counted > 0, state.running?.upTo == offset {
                chunk.withUnsafeReadableBytes { state.running!.add(UnsafeRawBufferPointer(rebasing: $0[..<Int(counted)]), at: offset) }
            }
            guard let pieces = request.pieces, let size = state.plan.size, counted > 0 else { return (counted, []) }
            var complete: [Int] = []
            for index in pieces.pieces(overlapping: written) where !state.verifiedPieces.contains(index) {
                state.pieceWriters[index, default: []].insert(mirror)
                if state.plan.done.contains(pieces.range(index, size: size)) { complete.append(index) }
            }
            return (counted, complete)
        }
        for index in complete { try checkPiece(index, part: part) }
        if !state.withLock({ $0.failover.isUsable(mirror) }) {
            throw SegmentEnd.mirror(state.withLock { $0.failover.reasons[mirror] } ?? "given up")
        }
        return Int(counted)
    }

    /// Checks one complete piece; a wrong one is fetched again and its writers are given up.
    private func checkPiece(_ index: Int, part: PartFile) throws {
        guard let pieces = request.pieces, let size = state.withLock({ $0.plan.size }) else { return }
        let good = try pieces.check(index, in: part, size: size)
        state.withLock { state in
            if good {
                state.verifiedPieces.insert(index)
                state.pieceWriters[index] = nil
                return
            }
            state.plan.invalidate(pieces.range(index, size: size))
            // The running hash took in the wrong bytes: verification reads the whole file instead.
            if let running = state.running, running.upTo > pieces.range(index, size: size).lowerBound {
                state.running = RunningHash(running.algorithm)
            }
            let writers = state.pieceWriters.removeValue(forKey: index) ?? []
            for writer in writers { state.failover.giveUp(writer, reason: "served wrong bytes") }
            let names = writers.sorted().map { request.mirrors[$0].name }.joined(separator: ", ")
            state.notes.append("piece \(index + 1): hash mismatch from \(names); fetched again")
        }
    }

    /// Pieces complete but never checked in this run (a resumed part file): true when some were wrong.
    private func checkUnverifiedPieces(_ part: PartFile, size: Int64) throws -> Bool {
        guard let pieces = request.pieces else { return false }
        var anyWrong = false
        for index in 0..<pieces.hashes.count where !state.withLock({ $0.verifiedPieces.contains(index) }) {
            try checkPiece(index, part: part)
            if !state.withLock({ $0.verifiedPieces.contains(index) }) { anyWrong = true }
        }
        return anyWrong
    }

    // MARK: - Verification and the end

    private func verify(_ part: PartFile, size: Int64, expected: [ExpectedHash]) -> DownloadOutcome {
        state.withLock { $0.phase = .verifying }
        publish()
        save(part)
        guard let hash = expected.first else {
            do { try part.complete(as: request.destination) } catch { return finish(.failed(String(describing: error)), path: partPath) }
            return finish(.unverified, path: request.destination)
        }
        let actual: String
        let running = state.withLock { $0.running }
        do {
            if let running, running.algorithm == hash.algorithm {
                actual = try running.finish(reading: part, size: size)
            } else {
                actual = try Verification.digest(of: part, size: size, algorithm: hash.algorithm)
            }
        } catch {
            return finish(.failed(String(describing: error)), path: partPath)
        }
        guard actual == hash.hex else {
            state.withLock { $0.notes.append("\(hash.algorithm.rawValue) \(actual) is not \(hash.hex) (\(hash.source))") }
            return finish(.hashMismatch(algorithm: hash.algorithm.rawValue), path: partPath)
        }
        do { try part.complete(as: request.destination) } catch { return finish(.failed(String(describing: error)), path: partPath) }
        return finish(.verified(algorithm: hash.algorithm.rawValue), path: request.destination)
    }

    /// `lookForSums`, while the download runs: when it finds no SHA-256 (and no `Digest` header
    /// gave one), the speculative SHA-256 of the bytes so far is dropped, so that a file without
    /// sums costs no hashing beyond that first round trip.
    private func lookForSumsBesideTheDownload() async -> ExpectedHash? {
        let found = await lookForSums()
        if found?.algorithm != .sha256 {
            state.withLock { state in
                if !state.digests.contains(where: { $0.algorithm == .sha256 }) { state.running = nil }
            }
        }
        return found
    }

    /// SHA256SUMS, else SHA512SUMS, in the file's folder on the best mirror that answers (of the
    /// first three), then the ones of `sumsPaths` (1 MiB at most each).
    private func lookForSums() async -> ExpectedHash? {
        let folder = request.path.split(separator: "/").dropLast().joined(separator: "/")
        let name = (request.path as NSString).lastPathComponent
        var candidates = [("SHA256SUMS", ExpectedHash.Algorithm.sha256), ("SHA512SUMS", .sha512)].map { file, algorithm in
            (path: folder.isEmpty ? file : folder + "/" + file, file: file, algorithm: algorithm)
        }
        for path in request.sumsPaths where !candidates.contains(where: { $0.path == path }) {
            let file = (path as NSString).lastPathComponent
            guard let algorithm = ["SHA256SUMS": ExpectedHash.Algorithm.sha256, "SHA512SUMS": .sha512][file] else { continue }
            candidates.append((path: path, file: file, algorithm: algorithm))
        }
        // The best mirror that answers at all: a dead first mirror (stopped, refusing) must not
        // leave the file unverified when the next one has the sums.
        for mirror in request.mirrors.prefix(3) {
            var answered = false
            for (path, file, algorithm) in candidates {
                let text: String?
                do {
                    text = try await fetcher.connector.withAnswer(mirror.url(of: path), headers: [("User-Agent", request.userAgent)],
                                                                  deadline: NIODeadline.now() + .seconds(10)) { answer in
                        guard answer.status.code == 200 else { return String?.none }
                        return String(decoding: try await answer.body.collect(upTo: Verification.maxSumsBytes).readableBytesView, as: UTF8.self)
                    }
                    answered = true
                } catch {
                    text = nil  // no answer (refused, reset, timed out): the next mirror may have it
                }
                if let text, let hex = Verification.hash(inSums: text, fileName: name, algorithm: algorithm) {
                    return ExpectedHash(algorithm: algorithm, hex: hex, source: file)
                }
            }
            if answered { return nil }
        }
        return nil
    }

    private func finish(_ final: DownloadState, path: String) -> DownloadOutcome {
        state.withLock { $0.phase = final }
        let snapshot = publish()
        let (notes, byMirror) = state.withLock { ($0.notes, $0.bytesByMirror) }
        return DownloadOutcome(state: final, path: path, bytes: snapshot.bytes, notes: notes, bytesByMirror: byMirror)
    }

    /// The progress now, also yielded on the stream.
    @discardableResult
    private func publish() -> DownloadProgress {
        let now = ContinuousClock.now
        let value = state.withLock { state -> DownloadProgress in
            let bytes = state.plan.done.count
            state.rateSamples.append((now, bytes))
            state.rateSamples.removeAll { now - $0.0 > .seconds(3) }
            var rate = 0.0
            if let first = state.rateSamples.first, now - first.0 > .milliseconds(300) {
                let span = now - first.0
                rate = Double(bytes - first.1) / (Double(span.components.seconds) + Double(span.components.attoseconds) / 1e18)
            }
            let eta = state.plan.remaining.flatMap { rate > 0 ? Double($0) / rate : nil }
            return DownloadProgress(fileName: request.fileName, bytes: bytes, total: state.plan.size, bytesPerSecond: rate,
                                    etaSeconds: eta, mirrors: state.failover.serving, state: state.phase, note: state.notes.last)
        }
        continuation.yield(value)
        return value
    }
}
