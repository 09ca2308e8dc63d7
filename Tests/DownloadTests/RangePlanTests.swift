import MirrorscopeDownload
import Testing

@Suite("downloads: the range plan")
struct RangePlanTests {
    @Test func byteRangesMergeAndFindGaps() {
        var set = ByteRanges([0..<10, 20..<30])
        set.insert(10..<20)
        #expect(set.ranges == [0..<30])
        set.remove(5..<8)
        #expect(set.ranges == [0..<5, 8..<30])
        #expect(set.missing(in: 0..<40) == [5..<8, 30..<40])
        #expect(set.count == 27)
        #expect(set.contains(8..<30) && !set.contains(4..<9))
    }

    @Test func theFirstRangeRunsToTheEndUntilTheSizeIsKnown() {
        var plan = RangePlan(size: nil, minimumSplit: 100)
        let first = plan.first(mirror: "a")
        #expect(first.next == 0 && first.end == Int64.max)
        plan.setSize(1000)
        #expect(plan.segment(first.id)?.end == 1000)
        #expect(plan.pending.isEmpty)
    }

    @Test func anIdleConnectionTakesOverTheTailInProportionToTheRates() {
        var plan = RangePlan(size: 1000, minimumSplit: 100)
        let slow = plan.take(mirror: "slow")!
        #expect(slow.next == 0 && slow.end == 1000)
        _ = plan.accept(slow.id, count: 100, rate: 10)
        // 900 left; the slow one does 10 B/s, the fast 80 B/s: the slow one keeps 900 * 10/90.
        let fast = plan.take(mirror: "fast", rate: 80)!
        #expect(plan.segment(slow.id)?.end == 200)
        #expect(fast.next == 200 && fast.end == 1000)
        // Bytes past the new end do not count: the segment stops there.
        let counted = plan.accept(slow.id, count: 150, rate: 10)
        #expect(counted == 100)
    }

    @Test func aTailTooSmallToFinishSlowlyMovesWhole() {
        var plan = RangePlan(size: 1000, minimumSplit: 400)
        let slow = plan.take(mirror: "slow")!
        _ = plan.accept(slow.id, count: 100, rate: 1)
        let fast = plan.take(mirror: "fast", rate: 1000)!
        #expect(plan.segment(slow.id)?.end == 100)
        #expect(fast.next == 100 && fast.end == 1000)
    }

    @Test func aFailedSegmentGoesBackToPendingAndAWrongPieceIsFetchedAgain() {
        var plan = RangePlan(size: 1000, minimumSplit: 100)
        let a = plan.take(mirror: "a")!
        _ = plan.accept(a.id, count: 600, rate: 1)
        plan.release(a.id)
        #expect(plan.pending == [600..<1000])
        plan.invalidate(100..<200)
        #expect(plan.pending == [100..<200, 600..<1000])
        #expect(!plan.isComplete)
    }

    @Test func aStallWatchTripsOnlyAfterAWholeSlowWindow() {
        let start = ContinuousClock.now
        var watch = StallWatch(lowestBytesPerSecond: 1000, window: .seconds(2), now: start)
        watch.received(500)
        let early = watch.isStalled(now: start + .seconds(1)), afterWindow = watch.isStalled(now: start + .seconds(2))
        #expect(!early && afterWindow)
        var fast = StallWatch(lowestBytesPerSecond: 1000, window: .seconds(2), now: start)
        fast.received(5000)
        let fastWindow = fast.isStalled(now: start + .seconds(2))
        let silentWindow = fast.isStalled(now: start + .seconds(4))  // then nothing for a whole window
        #expect(!fastWindow && silentWindow)
    }

    @Test func sumsFilesAndDigestHeadersAreRead() {
        let hex = String(repeating: "0f", count: 32)
        #expect(Verification.hash(inSums: "\(hex)  a.img\n\(hex.uppercased()) *b.img\n", fileName: "b.img", algorithm: .sha256) == hex)
        #expect(Verification.hash(inSums: "nothing useful\n", fileName: "b.img", algorithm: .sha256) == nil)
        // RFC 3230: base64 of the digest's bytes.
        let digests = Verification.hashes(inDigestHeader: "md5=abc, SHA-256=" + String(repeating: "A", count: 43) + "=")
        #expect(digests == [ExpectedHash(algorithm: .sha256, hex: String(repeating: "00", count: 32), source: "Digest header")])
    }
}
